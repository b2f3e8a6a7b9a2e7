/**
 * SSML for the offline voice: a flat list of text and silence. SSML is never handed to Flite:
 * Flite's own SSML mode ignores <break time> (2000ms, 2s and a bare break give the same short
 * pause, measured) and knows nothing of Azure's elements. What can be honoured offline is:
 *   - <break time="...ms|...s"> as exact silence, clamped to 0-20000 ms as Azure does;
 *     <break strength> as Azure's table (x-weak 250, weak 500, medium 750, strong 1000,
 *     x-strong 1250 ms); a bare <break/> as 750 ms;
 *   - <p> and <s> as sentence ends (each is rendered on its own, so Flite closes it);
 *   - <prosody rate> as Flite's duration stretch (0.5-2x, Azure's range; the keywords are our
 *     own mapping: SSML gives them no numbers);
 *   - <sub alias>, and <say-as interpret-as="characters|spell-out|digits|telephone"> spelled out;
 *   - <voice name> naming an offline voice switches to it; another name keeps the chosen voice.
 * Other elements keep their text (<emphasis>, <lang>, <phoneme>, mstts:express-as) or are
 * dropped (<bookmark>, <lexicon>, <meta>, mstts:silence...); each such loss is a warning.
 */
import { MAX_BREAK_MS } from '../limits';
import type { XmlEvent } from './xml';

export type SpeechSegment =
	| {
			kind: 'text';
			text: string;
			/** Speaking-rate factor: 2 = twice as fast. */
			rate: number;
			/** An offline voice named by <voice name>, else the caller's voice applies. */
			voice?: string;
	  }
	| { kind: 'break'; ms: number };

export interface OfflineScript {
	segments: SpeechSegment[];
	warnings: string[];
}

const BREAK_STRENGTH_MS: Readonly<Record<string, number>> = {
	none: 0,
	'x-weak': 250,
	weak: 500,
	medium: 750,
	strong: 1000,
	'x-strong': 1250,
};
const BARE_BREAK_MS = 750;

const RATE_WORDS: Readonly<Record<string, number>> = {
	'x-slow': 0.5,
	slow: 0.75,
	medium: 1,
	default: 1,
	fast: 1.33,
	'x-fast': 1.75,
};

/** Elements whose content is not spoken. */
const SILENT = new Set(['bookmark', 'mark', 'lexicon', 'meta', 'metadata', 'desc', 'math']);
/** Azure elements that carry text to speak; every other mstts: element is silent. */
const MSTTS_WITH_TEXT = new Set(['mstts:express-as', 'mstts:ttsembedding']);
const SPELLED = new Set(['characters', 'spell-out', 'digits', 'telephone', 'letters']);
const KNOWN = new Set([
	'speak',
	'voice',
	'p',
	's',
	'break',
	'prosody',
	'sub',
	'say-as',
	'phoneme',
	'emphasis',
	'lang',
	'audio',
	...SILENT,
]);

/** "500ms", "2s", "1.5s" (a bare number is milliseconds) → ms. */
export function breakTimeMs(value: string): number | undefined {
	const match = /^\s*(\d*\.?\d+)\s*(ms|s)?\s*$/i.exec(value);
	if (!match) return undefined;
	const amount = parseFloat(match[1] as string);
	return (match[2] ?? 'ms').toLowerCase() === 's' ? amount * 1000 : amount;
}

/** "fast", "+20%", "-50%", "1.5" → a factor clamped to 0.5..2. */
export function prosodyRate(value: string): number | undefined {
	const text = value.trim().toLowerCase();
	let rate: number | undefined = RATE_WORDS[text];
	if (rate === undefined && /^[+-]?\d*\.?\d+%$/.test(text)) rate = 1 + parseFloat(text) / 100;
	else if (rate === undefined && /^\d*\.?\d+$/.test(text)) rate = parseFloat(text);
	return rate === undefined || !Number.isFinite(rate)
		? undefined
		: Math.min(2, Math.max(0.5, rate));
}

interface Frame {
	name: string;
	rate: number;
	voice: string | undefined;
	silent: boolean;
	/** <sub> and spelled <say-as>: their text is collected and spoken differently on close. */
	capture?: { mode: 'alias' | 'spell'; alias?: string; text: string };
}

class ScriptBuilder {
	readonly segments: SpeechSegment[] = [];
	readonly warnings = new Set<string>();

	speak(text: string, frame: Frame): void {
		if (!text) return;
		const last = this.segments[this.segments.length - 1];
		if (last?.kind === 'text' && last.rate === frame.rate && last.voice === frame.voice) {
			last.text += text;
			return;
		}
		this.segments.push({
			kind: 'text',
			text,
			rate: frame.rate,
			...(frame.voice === undefined ? {} : { voice: frame.voice }),
		});
	}

	/** A paragraph or sentence end: a blank line, which the chunker treats as a boundary. */
	sentenceEnd(): void {
		const last = this.segments[this.segments.length - 1];
		if (last?.kind === 'text' && !/\n\n\s*$/.test(last.text)) last.text += '\n\n';
	}

	/** Each break is clamped on its own (breakMs); adjacent ones add up, as consecutive pauses. */
	pause(ms: number): void {
		const last = this.segments[this.segments.length - 1];
		if (last?.kind === 'break') last.ms += ms;
		else this.segments.push({ kind: 'break', ms });
	}
}

function breakMs(attributes: ReadonlyMap<string, string>, script: ScriptBuilder): number {
	const time = attributes.get('time');
	const strength = attributes.get('strength');
	let ms: number | undefined;
	if (time !== undefined) {
		ms = breakTimeMs(time);
		if (ms === undefined)
			script.warnings.add(`Unreadable break time "${time}": ${BARE_BREAK_MS} ms used.`);
	} else if (strength !== undefined) {
		ms = BREAK_STRENGTH_MS[strength.toLowerCase()];
		if (ms === undefined)
			script.warnings.add(`Unknown break strength "${strength}": ${BARE_BREAK_MS} ms used.`);
	}
	return Math.min(MAX_BREAK_MS, Math.max(0, ms ?? BARE_BREAK_MS));
}

function openFrame(
	event: Extract<XmlEvent, { kind: 'open' }>,
	parent: Frame,
	isOfflineVoice: (name: string) => boolean,
	script: ScriptBuilder,
): Frame {
	const { name, attributes } = event;
	const frame: Frame = { name, rate: parent.rate, voice: parent.voice, silent: parent.silent };
	if (!KNOWN.has(name) && !name.startsWith('mstts:'))
		script.warnings.add(`Unknown SSML element <${name}>: its text is spoken.`);
	if (SILENT.has(name)) frame.silent = true;
	else if (name.startsWith('mstts:') && !MSTTS_WITH_TEXT.has(name)) {
		frame.silent = true;
		script.warnings.add(`<${name}> has no offline equivalent and was left out.`);
	} else if (name === 'voice') {
		const voice = attributes.get('name');
		if (voice !== undefined && isOfflineVoice(voice)) frame.voice = voice;
		else if (voice !== undefined)
			script.warnings.add(
				`Voice "${voice}" is not an offline voice: the chosen offline voice speaks.`,
			);
	} else if (name === 'prosody') {
		const rate = attributes.get('rate');
		if (rate !== undefined) {
			const factor = prosodyRate(rate);
			if (factor === undefined) script.warnings.add(`Unreadable prosody rate "${rate}": ignored.`);
			else frame.rate = factor;
		}
		if (['pitch', 'volume', 'contour', 'range'].some((a) => attributes.has(a)))
			script.warnings.add(
				'Prosody pitch, volume, contour and range have no offline equivalent (rate does).',
			);
	} else if (name === 'sub') {
		const alias = attributes.get('alias');
		frame.capture = { mode: 'alias', text: '', ...(alias === undefined ? {} : { alias }) };
	} else if (name === 'say-as') {
		if (SPELLED.has((attributes.get('interpret-as') ?? '').toLowerCase()))
			frame.capture = { mode: 'spell', text: '' };
	} else if (name === 'audio') {
		script.warnings.add('<audio> cannot be played offline: its fallback text, if any, is spoken.');
	} else if (name === 'p' || name === 's') {
		script.sentenceEnd();
	}
	return frame;
}

/** What a <sub> or spelled <say-as> says when it closes. */
function captured(frame: Frame): string {
	const capture = frame.capture;
	if (!capture) return '';
	if (capture.mode === 'alias') return ` ${capture.alias ?? capture.text} `;
	return ` ${capture.text.replace(/\s+/g, '').split('').join(' ')} `;
}

/** Turns the events of a well-formed SSML document (readSsml) into text and silences. */
export function offlineScript(
	events: readonly XmlEvent[],
	isOfflineVoice: (name: string) => boolean,
): OfflineScript {
	const script = new ScriptBuilder();
	const stack: Frame[] = [{ name: '#document', rate: 1, voice: undefined, silent: false }];
	const top = (): Frame => stack[stack.length - 1] as Frame;
	for (const event of events) {
		const frame = top();
		if (event.kind === 'text') {
			if (frame.silent) continue;
			if (frame.capture) frame.capture.text += event.text;
			else script.speak(event.text, frame);
		} else if (event.kind === 'open') {
			if (event.name === 'break' && !frame.silent) script.pause(breakMs(event.attributes, script));
			// A break's content is never spoken; the element still needs its frame until it closes.
			const opened =
				event.name === 'break'
					? { name: 'break', rate: frame.rate, voice: frame.voice, silent: true }
					: openFrame(event, frame, isOfflineVoice, script);
			stack.push(opened);
		} else {
			const closed = stack.pop() as Frame;
			const parent = top();
			const said = captured(closed);
			if (said && !parent.silent) {
				if (parent.capture) parent.capture.text += said;
				else script.speak(said, closed);
			}
			if (closed.name === 'p' || closed.name === 's') script.sentenceEnd();
		}
	}
	return { segments: script.segments, warnings: [...script.warnings] };
}
