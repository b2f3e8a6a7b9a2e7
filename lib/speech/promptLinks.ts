/**
 * Links at which the Microsoft Graph Calls Trigger serves a spoken prompt to Graph, for operations
 * no execution waits on (Play Prompt, Record Response, hold music, Answer's pre-fetched media).
 * Graph downloads prompts itself from an https URL; n8n must serve the audio.
 *
 * The link says what to render (engine, voice, language and the words, compressed) and carries an
 * HMAC of exactly that under the credential's link key (lib/entra/linkTokens.ts, purpose
 * `speech`). So the trigger renders what the node asked and nothing else, and nothing is stored
 * anywhere: any process can serve it (queue mode), a restart loses nothing, and a link altered in
 * any part is refused.
 */
import { deflateRawSync, inflateRawSync } from 'node:zlib';

import { SpeechError } from './errors';
import type { SpeechEngineName } from './renderSpeech';

/** What a spoken prompt is: the words (or an SSML document) and who says them. */
export interface SpokenPromptSpec {
	engine: SpeechEngineName;
	voice?: string;
	language?: string;
	text?: string;
	ssml?: string;
}

export const SPEECH_PARAMETER = 'speech';
export const SIGNATURE_PARAMETER = 'sig';
/**
 * Ours: a URL longer than this is refused by many proxies and servers (2,048 characters is the
 * common floor). Graph documents no limit for a prompt's URI. About 1,500 characters of plain
 * text fit once compressed.
 */
export const MAX_SPEECH_LINK_LENGTH = 2048;
/** The only layout so far; a future one gets another number and old links stay readable. */
const LAYOUT = 1;
/** Inflating a link never yields more than this (the longest prompt is 20,000 characters). */
const MAX_SPEC_BYTES = 64 * 1024;

type Layout = [number, SpeechEngineName, string, string, 't' | 's', string];

function encode(spec: SpokenPromptSpec): string {
	const layout: Layout = [
		LAYOUT,
		spec.engine,
		spec.voice ?? '',
		spec.language ?? '',
		spec.ssml !== undefined ? 's' : 't',
		spec.ssml ?? spec.text ?? '',
	];
	return deflateRawSync(Buffer.from(JSON.stringify(layout), 'utf8')).toString('base64url');
}

function decode(payload: string): SpokenPromptSpec | undefined {
	let json: unknown;
	try {
		const bytes = inflateRawSync(Buffer.from(payload, 'base64url'), {
			maxOutputLength: MAX_SPEC_BYTES,
		});
		json = JSON.parse(bytes.toString('utf8')) as unknown;
	} catch {
		return undefined;
	}
	if (!Array.isArray(json) || json.length !== 6 || json[0] !== LAYOUT) return undefined;
	const [, engine, voice, language, kind, content] = json as unknown[];
	if (engine !== 'offline' && engine !== 'azure') return undefined;
	if (typeof voice !== 'string' || typeof language !== 'string' || typeof content !== 'string')
		return undefined;
	return {
		engine,
		...(voice !== '' ? { voice } : {}),
		...(language !== '' ? { language } : {}),
		...(kind === 's' ? { ssml: content } : { text: content }),
	};
}

/**
 * The link for `spec` under `baseUrl` (the trigger's Production URL): its query keeps what the
 * base has and adds the spec and its signature. Throws a SpeechError naming `field` when the link
 * would be longer than MAX_SPEECH_LINK_LENGTH.
 */
export function speechLink(
	baseUrl: string,
	spec: SpokenPromptSpec,
	sign: (payload: string) => string,
	field: string,
): string {
	const payload = encode(spec);
	const url = new URL(baseUrl);
	url.searchParams.set(SPEECH_PARAMETER, payload);
	url.searchParams.set(SIGNATURE_PARAMETER, sign(payload));
	const link = url.toString();
	if (link.length > MAX_SPEECH_LINK_LENGTH)
		throw new SpeechError(
			'tooLong',
			`makes a link of ${link.length} characters for Graph to download the spoken prompt from; at most ${MAX_SPEECH_LINK_LENGTH} (ours: a longer URL is refused by many proxies and servers; Graph documents no limit). Shorten the text, or use Call and Wait for Keypress, whose prompts are served without the words in the link.`,
			{ field },
		);
	return link;
}

/**
 * The spec a request's query carries, if its signature is right (`isSigned` compares in constant
 * time); undefined for anything else: a missing, repeated or altered parameter.
 */
export function speechLinkSpec(
	query: Record<string, unknown>,
	isSigned: (payload: string, signature: unknown) => boolean,
): SpokenPromptSpec | undefined {
	const payload = query[SPEECH_PARAMETER];
	if (typeof payload !== 'string' || payload.length > MAX_SPEECH_LINK_LENGTH) return undefined;
	if (!isSigned(payload, query[SIGNATURE_PARAMETER])) return undefined;
	return decode(payload);
}
