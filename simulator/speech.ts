/**
 * Azure AI Speech, text to speech over REST, on the simulator's origin: synthesis,
 * the voices list and the key-for-token exchange, with the documented statuses. Facts and
 * sources (read 2026-12-07; Learn URL = https://learn.microsoft.com/azure/ai-services/
 * speech-service/<page>):
 *
 * - rest-text-to-speech (ms.date 9/23/2024): synthesis is
 *   "POST https://<region>.tts.speech.microsoft.com/cognitiveservices/v1" with the headers
 *   Authorization (or Ocp-Apim-Subscription-Key), "Content-Type: application/ssml+xml",
 *   "X-Microsoft-OutputFormat" and "User-Agent", all "Required"; the voices list is
 *   "GET .../cognitiveservices/voices/list". Status codes for synthesis: "200 OK: The request
 *   was successful. The response body is an audio file."; "400 Bad Request: A required
 *   parameter is missing, empty, or null. Or, the value passed to either a required or optional
 *   parameter is invalid."; "401 Unauthorized: The request isn't authorized."; "415 Unsupported
 *   Media Type: It's possible that the wrong Content-Type value was provided."; "429 Too many
 *   requests: You exceeded the quota or rate of requests allowed for your resource."; "502 Bad
 *   Gateway". The voices-list sample (its shape is copied below) has string-valued
 *   SampleRateHertz and WordsPerMinute.
 * - speech-services-private-link (ms.date 03/23/2026): a resource with a custom domain answers
 *   at "https://{custom}.cognitiveservices.azure.com/" + the REST path, e.g.
 *   ".../tts/cognitiveservices/voices/list"; so synthesis is ".../tts/cognitiveservices/v1".
 *   Both path families are served here, as one origin plays both hosts.
 * - includes/cognitive-services-speech-service-rest-auth (ms.date 05/21/2026): the token is
 *   "POST .../sts/v1.0/issueToken" with the key header and an empty body, the body of the answer
 *   is the token, "valid for 10 minutes"; Entra ID: "Authorization: Bearer
 *   aad#<resourceId>#<token>" with a token for "https://cognitiveservices.azure.com/.default"
 *   (how-to-configure-azure-ad-auth, ms.date 2/7/2025).
 *
 * INVENTED (undocumented, named so here): every error body (the 401 text is what Azure AI
 * services answer to a wrong key in public bug reports; 400 has an empty body as reported in
 * MicrosoftDocs/azure-docs#86612); the Retry-After header on 429 (none is documented for text
 * to speech; a knob here); the audio's Content-Type; the 405 for other methods; 60 ms of a 440 Hz
 * tone per character of text as "speech"; the rule that an aad# token must name this
 * resource's ID; the sim's own token format for issueToken.
 */
import { randomBytes } from 'node:crypto';

import type { AccessTokenIssuer } from './accessTokens';
import {
	COGNITIVE_SERVICES_AUDIENCE,
	DEFAULT_SPEECH_KEY,
	DEFAULT_SPEECH_RESOURCE_ID,
} from './constants';
import { jsonResponse, respond, type HandlerResult, type SimResponse } from './responses';
import type { IncomingRequest } from './recorder';
import { makeWav } from './wav';

/** Output formats the simulator renders; the REST page lists riff-24khz and raw-16khz, the SDK enum riff-16khz. */
const OUTPUT_FORMATS: Readonly<Record<string, { sampleRate: number; riff: boolean }>> = {
	'riff-16khz-16bit-mono-pcm': { sampleRate: 16_000, riff: true },
	'riff-24khz-16bit-mono-pcm': { sampleRate: 24_000, riff: true },
	'riff-48khz-16bit-mono-pcm': { sampleRate: 48_000, riff: true },
	'raw-16khz-16bit-mono-pcm': { sampleRate: 16_000, riff: false },
	'raw-24khz-16bit-mono-pcm': { sampleRate: 24_000, riff: false },
};

export interface SimulatedVoice {
	Name: string;
	DisplayName: string;
	LocalName: string;
	ShortName: string;
	Gender: 'Female' | 'Male';
	Locale: string;
	LocaleName: string;
	SampleRateHertz: string;
	VoiceType: 'Neural';
	Status: 'GA';
	WordsPerMinute: string;
}

function voice(
	locale: string,
	localeName: string,
	name: string,
	gender: 'Female' | 'Male',
): SimulatedVoice {
	return {
		Name: `Microsoft Server Speech Text to Speech Voice (${locale}, ${name}Neural)`,
		DisplayName: name,
		LocalName: name,
		ShortName: `${locale}-${name}Neural`,
		Gender: gender,
		Locale: locale,
		LocaleName: localeName,
		SampleRateHertz: '24000',
		VoiceType: 'Neural',
		Status: 'GA',
		WordsPerMinute: '150',
	};
}

export const SIMULATED_VOICES: readonly SimulatedVoice[] = [
	voice('en-US', 'English (United States)', 'Jenny', 'Female'),
	voice('en-US', 'English (United States)', 'Guy', 'Male'),
	voice('en-US', 'English (United States)', 'AvaMultilingual', 'Female'),
	voice('en-GB', 'English (United Kingdom)', 'Sonia', 'Female'),
	voice('de-DE', 'German (Germany)', 'Katja', 'Female'),
];

/** One-shot answers for the next synthesis or voices-list requests, in order. */
export type SpeechFault =
	{ kind: 'status'; status: number; retryAfter?: string } | { kind: 'reset' };

export interface SpeechKnobs {
	/** "Speech" length per character of text. */
	msPerCharacter: number;
	/** issueToken's token lifetime (the docs: 10 minutes). */
	tokenLifetimeSeconds: number;
	nextFaults: SpeechFault[];
}

/** What a synthesis request asked for, once it passed every check. */
export interface Synthesis {
	auth: 'key' | 'issuedToken' | 'entra';
	outputFormat: string;
	voices: string[];
	characters: number;
	durationMs: number;
}

type SpeechRoute = 'synthesis' | 'voices' | 'issueToken';

/** Which Speech endpoint a path is, for both the regional and the custom-domain form. */
export function speechRouteOf(pathname: string): SpeechRoute | undefined {
	const path = pathname.toLowerCase().replace(/\/+$/, '');
	if (path === '/sts/v1.0/issuetoken') return 'issueToken';
	const rest = path.startsWith('/tts/') ? path.slice(4) : path;
	if (rest === '/cognitiveservices/v1') return 'synthesis';
	if (rest === '/cognitiveservices/voices/list') return 'voices';
	return undefined;
}

const UNAUTHORIZED_MESSAGE =
	'Access denied due to invalid subscription key or wrong API endpoint. Make sure to provide a valid key for an active subscription and use a correct regional API endpoint for your resource.';

const errorBody = (status: number, message: string): SimResponse =>
	jsonResponse(status, { error: { code: String(status), message } });

const badRequest = (): SimResponse => ({ status: 400, headers: {}, body: '' });

/**
 * The simulator's reading of SSML: tags balanced, "&" only in references, a <speak> root with
 * version and xml:lang, text inside <voice name> elements naming known voices. Written apart
 * from the package's own reader (lib/speech/ssml) on purpose, so a fault in one shows in the
 * other; undefined when Azure would play it, else why not (for the test log only: Azure says
 * nothing).
 */
export function ssmlProblem(
	ssml: string,
	known: (voice: string) => boolean,
): { problem?: string; voices: string[]; characters: number } {
	const voices: string[] = [];
	const open: string[] = [];
	let characters = 0;
	let root: string | undefined;
	let rootAttributes = '';
	if (/&(?!(?:amp|lt|gt|quot|apos|#\d+|#x[0-9a-f]+);)/i.test(ssml))
		return { problem: 'a bare "&"', voices, characters };
	const body = ssml
		.replace(/^\s*<\?xml[^>]*\?>/, '')
		.replace(/<!--[\s\S]*?-->/g, '')
		.replace(/<!\[CDATA\[([\s\S]*?)\]\]>/g, (_, text: string) => 'x'.repeat(text.length));
	const pieces = body.split(/(<[^>]*>)/);
	for (const piece of pieces) {
		if (!piece.startsWith('<')) {
			const text = piece.replace(/\s+/g, ' ').trim();
			if (!text) continue;
			if (open.length === 0) return { problem: 'text outside the root', voices, characters };
			if (!open.includes('voice'))
				return { problem: 'text outside any <voice>', voices, characters };
			characters += text.replace(/&[^;]+;/g, 'x').length;
			continue;
		}
		const tag = /^<(\/?)([A-Za-z][\w:.-]*)([^>]*?)(\/?)>$/.exec(piece);
		if (!tag) return { problem: `unreadable markup ${piece.slice(0, 30)}`, voices, characters };
		const [, closing, name = '', attributes = '', selfClosing] = tag;
		if (closing) {
			if (open.pop() !== name) return { problem: `</${name}> out of order`, voices, characters };
			continue;
		}
		if (root === undefined) {
			root = name;
			rootAttributes = attributes;
		} else if (open.length === 0) return { problem: 'a second root', voices, characters };
		if (name === 'voice') {
			const voiceName = /\bname\s*=\s*["']([^"']*)["']/.exec(attributes)?.[1] ?? '';
			if (!known(voiceName)) return { problem: `unknown voice "${voiceName}"`, voices, characters };
			voices.push(voiceName);
		}
		if (!selfClosing) open.push(name);
	}
	if (open.length > 0)
		return { problem: `<${open[open.length - 1] ?? ''}> not closed`, voices, characters };
	if (root !== 'speak') return { problem: 'the root is not <speak>', voices, characters };
	if (!/\bversion\s*=/.test(rootAttributes) || !/\bxml:lang\s*=/.test(rootAttributes))
		return { problem: '<speak> without version or xml:lang', voices, characters };
	if (voices.length === 0) return { problem: 'no <voice>', voices, characters };
	return { voices, characters };
}

export class SpeechCenter {
	readonly knobs: SpeechKnobs = { msPerCharacter: 60, tokenLifetimeSeconds: 600, nextFaults: [] };
	/** Keys of the simulated resource (Azure gives two: KEY1 and KEY2). */
	readonly keys = new Set([DEFAULT_SPEECH_KEY]);
	resourceId = DEFAULT_SPEECH_RESOURCE_ID;
	/** Every successful synthesis, in order (live array). */
	readonly syntheses: Synthesis[] = [];
	/** Tokens from issueToken and when they expire (ms since epoch). */
	private readonly issued = new Map<string, number>();
	/** Why the last refused synthesis was refused (Azure does not say; tests may ask). */
	lastRefusal: string | undefined;

	constructor(private readonly entraTokens: AccessTokenIssuer) {}

	handle(request: IncomingRequest): HandlerResult {
		const route = speechRouteOf(request.pathname);
		const wanted = route === 'voices' ? 'GET' : 'POST';
		if (!route || request.method !== wanted)
			return respond(errorBody(405, `Use ${wanted} for ${request.pathname}.`));
		if (route === 'issueToken') return respond(this.issueToken(request));
		const fault = this.knobs.nextFaults.shift();
		if (fault?.kind === 'reset') return { kind: 'reset' };
		if (fault) {
			const response = errorBody(fault.status, `Simulated ${fault.status}.`);
			if (fault.retryAfter !== undefined) response.headers['retry-after'] = fault.retryAfter;
			return respond(response);
		}
		const auth = this.authenticate(request);
		if (!auth) return respond(errorBody(401, UNAUTHORIZED_MESSAGE));
		if (route === 'voices') return respond(jsonResponse(200, SIMULATED_VOICES));
		return respond(this.synthesize(request, auth));
	}

	private issueToken(request: IncomingRequest): SimResponse {
		if (!this.keys.has(request.headers['ocp-apim-subscription-key'] ?? ''))
			return errorBody(401, UNAUTHORIZED_MESSAGE);
		const token = `sim-sts.${randomBytes(24).toString('base64url')}`;
		this.issued.set(token, Date.now() + this.knobs.tokenLifetimeSeconds * 1000);
		return { status: 200, headers: { 'content-type': 'text/plain; charset=utf-8' }, body: token };
	}

	/** Makes every token from issueToken invalid, as if ten minutes had passed. */
	expireIssuedTokens(): void {
		for (const token of this.issued.keys()) this.issued.set(token, 0);
	}

	private authenticate(request: IncomingRequest): Synthesis['auth'] | undefined {
		const key = request.headers['ocp-apim-subscription-key'];
		if (key !== undefined) return this.keys.has(key) ? 'key' : undefined;
		const bearer = /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1];
		if (!bearer) return undefined;
		const entra = /^aad#([^#]+)#(.+)$/.exec(bearer);
		if (entra) {
			if ((entra[1] ?? '').toLowerCase() !== this.resourceId.toLowerCase()) return undefined;
			return this.entraTokens.check(entra[2] ?? '', COGNITIVE_SERVICES_AUDIENCE).ok
				? 'entra'
				: undefined;
		}
		return (this.issued.get(bearer) ?? 0) > Date.now() ? 'issuedToken' : undefined;
	}

	private refuse(why: string, response: SimResponse): SimResponse {
		this.lastRefusal = why;
		return response;
	}

	private synthesize(request: IncomingRequest, auth: Synthesis['auth']): SimResponse {
		const contentType = (request.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
		if (contentType !== 'application/ssml+xml')
			return this.refuse(
				`Content-Type ${contentType || 'missing'}`,
				errorBody(415, 'Unsupported Media Type.'),
			);
		const userAgent = request.headers['user-agent'] ?? '';
		if (!userAgent || userAgent.length >= 255)
			return this.refuse('User-Agent missing or too long', badRequest());
		const outputFormat = (request.headers['x-microsoft-outputformat'] ?? '').toLowerCase();
		const format = OUTPUT_FORMATS[outputFormat];
		if (!format) return this.refuse(`output format "${outputFormat}"`, badRequest());
		const known = (name: string): boolean =>
			SIMULATED_VOICES.some(
				(v) => v.ShortName.toLowerCase() === name.toLowerCase() || v.Name === name,
			);
		const read = ssmlProblem(request.body, known);
		if (read.problem) return this.refuse(read.problem, badRequest());
		const durationMs = Math.max(1, read.characters) * this.knobs.msPerCharacter;
		const wav = makeWav({ sampleRate: format.sampleRate, durationMs, frequencyHz: 440 });
		this.syntheses.push({
			auth,
			outputFormat,
			voices: read.voices,
			characters: read.characters,
			durationMs,
		});
		return {
			status: 200,
			headers: { 'content-type': format.riff ? 'audio/x-wav' : 'application/octet-stream' },
			// makeWav writes the canonical 44-byte header; raw formats are its data alone.
			body: format.riff ? wav : wav.subarray(44),
		};
	}

	reset(): void {
		this.knobs.msPerCharacter = 60;
		this.knobs.tokenLifetimeSeconds = 600;
		this.knobs.nextFaults.length = 0;
		this.syntheses.length = 0;
		this.lastRefusal = undefined;
	}
}
