/**
 * User SSML, checked before any engine or request: well-formed XML with a <speak> root, within
 * the size bounds, and (for Azure) with what Azure's SSML reference calls required. Azure
 * answers every fault with a bare HTTP 400, so faults are found and named here instead.
 */
import { SpeechError } from '../errors';
import {
	formatCount,
	LIMIT_SOURCES,
	MAX_PROMPT_CHARS,
	MAX_SSML_CHARS,
	MAX_VOICE_AND_AUDIO_TAGS,
} from '../limits';
import { readXml, type XmlEvent } from './xml';

export interface SsmlDocument {
	events: XmlEvent[];
	/** The <speak> element's attributes. */
	speak: ReadonlyMap<string, string>;
	/** `name` of every <voice> element, in document order (empty string when it has none). */
	voiceNames: string[];
	/** <voice> and <audio> elements: Azure refuses more than 50. */
	voiceAndAudioTags: number;
	/** Characters of text, runs of white space counted as one. */
	spokenChars: number;
}

/** Reads user SSML; every fault is a SpeechError naming `field`. */
export function readSsml(ssml: string, field: string): SsmlDocument {
	if (ssml.trim() === '') throw new SpeechError('badInput', `"${field}" is empty.`, { field });
	if (ssml.length > MAX_SSML_CHARS) {
		throw new SpeechError(
			'tooLong',
			`"${field}" is ${formatCount(ssml.length)} characters long; an SSML document may have at most ${formatCount(MAX_SSML_CHARS)} (${LIMIT_SOURCES.ssmlChars}).`,
			{ field },
		);
	}
	const document = readXml(ssml);
	if (!document.ok) {
		throw new SpeechError(
			'badInput',
			`"${field}" is not well-formed XML: ${document.fault.message}. (Azure AI Speech would refuse it with a bare HTTP 400.)`,
			{ field },
		);
	}
	if (document.root !== 'speak') {
		throw new SpeechError(
			'badInput',
			`"${field}" must have <speak> as its root element, not <${document.root}>: <speak version="1.0" xmlns="http://www.w3.org/2001/10/synthesis" xml:lang="en-US">...</speak>.`,
			{ field },
		);
	}
	const first = document.events[0];
	const voiceNames: string[] = [];
	let voiceAndAudioTags = 0;
	let text = '';
	for (const event of document.events) {
		if (event.kind === 'text') text += event.text;
		else if (event.kind === 'open' && (event.name === 'voice' || event.name === 'audio')) {
			voiceAndAudioTags++;
			if (event.name === 'voice') voiceNames.push(event.attributes.get('name') ?? '');
		}
	}
	const spokenChars = text.replace(/\s+/g, ' ').trim().length;
	if (spokenChars > MAX_PROMPT_CHARS) {
		throw new SpeechError(
			'tooLong',
			`"${field}" holds ${formatCount(spokenChars)} characters of text; a prompt may have at most ${formatCount(MAX_PROMPT_CHARS)} (${LIMIT_SOURCES.promptChars}).`,
			{ field },
		);
	}
	return {
		events: document.events,
		speak: first?.kind === 'open' ? first.attributes : new Map(),
		voiceNames,
		voiceAndAudioTags,
		spokenChars,
	};
}

/**
 * What Azure's SSML reference (speech-synthesis-markup-structure, ms.date 9/24/2024) marks
 * required, and its documented tag cap. xmlns is left out on purpose: the same docs' REST sample
 * omits it, so requiring it here could refuse SSML that Azure plays.
 */
export function checkSsmlForAzure(document: SsmlDocument, field: string): void {
	const missing = ['version', 'xml:lang'].filter((name) => !document.speak.get(name));
	if (missing.length > 0) {
		throw new SpeechError(
			'badInput',
			`"${field}": the <speak> element needs ${missing.map((name) => `${name}="..."`).join(' and ')}; Azure AI Speech requires them (e.g. <speak version="1.0" xmlns="http://www.w3.org/2001/10/synthesis" xml:lang="en-US">).`,
			{ field },
		);
	}
	if (document.voiceNames.length === 0 || document.voiceNames.some((name) => name.trim() === '')) {
		throw new SpeechError(
			'badInput',
			`"${field}": Azure AI Speech needs every text inside a <voice name="..."> element (e.g. <voice name="en-US-AvaMultilingualNeural">), and ${document.voiceNames.length === 0 ? 'there is none' : 'one has no name'}.`,
			{ field },
		);
	}
	if (document.voiceAndAudioTags > MAX_VOICE_AND_AUDIO_TAGS) {
		throw new SpeechError(
			'tooLong',
			`"${field}" has ${document.voiceAndAudioTags} <voice> and <audio> elements; the limit is ${MAX_VOICE_AND_AUDIO_TAGS} (${LIMIT_SOURCES.voiceAndAudioTags}).`,
			{ field },
		);
	}
}
