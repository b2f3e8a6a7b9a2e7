/**
 * Azure AI Speech over REST: synthesis, the voices list and the key-for-token exchange, each
 * through the injected HTTP function, with its key or token sent only over https and only to
 * the credential's own Speech origins, 429/503 retried as Azure asks within a small budget, and
 * every failure in words (speechErrors.ts).
 */
import { pause } from '../../pause';
import { SpeechError } from '../errors';
import {
	DEFAULT_AZURE_OUTPUT_FORMAT,
	promptSamplesFromAzure,
	type AzureOutputFormat,
} from './outputFormat';
import { authHeaders, usesToken, type KeyTransport } from './speechAuth';
import { networkError, statusError, throttledError, type RequestContext } from './speechErrors';
import type { SpeechHttp, SpeechHttpRequest, SpeechHttpResponse } from './speechHttp';
import { isTrustedSpeechUrl, type AzureSpeechSettings } from './speechSettings';

/** The REST page: User-Agent is required and "fewer than 255 characters". */
export const SPEECH_USER_AGENT = 'n8n-nodes-microsoft-graph-calls';
/** How long one request may take. */
const DEFAULT_TIMEOUT_MS = 30_000;
/** Time a render may spend waiting for Azure to stop throttling, in all. */
export const DEFAULT_RETRY_BUDGET_MS = 10_000;
const MAX_ATTEMPTS = 4;
/** Without Retry-After: 1 s, 2 s, 4 s. */
const BACKOFF_MS = [1000, 2000, 4000];
/** Statuses worth another try: throttling and the gateway/unavailable family. */
const RETRYABLE = new Set([429, 502, 503, 504]);

export interface AzureSpeechOptions {
	settings: AzureSpeechSettings;
	http: SpeechHttp;
	/** Key credentials: send the key itself (default) or a token issued for it. */
	keyTransport?: KeyTransport;
	outputFormat?: AzureOutputFormat;
	/** Longest total wait for throttling and retries (default 10 s). */
	retryBudgetMs?: number;
	/** Per request (default 30 s). */
	timeoutMs?: number;
	signal?: AbortSignal;
}

/** Retry-After as milliseconds: delay-seconds or an HTTP date (RFC 9110); undefined if absent or unreadable. */
export function retryAfterMs(value: string | undefined, now = Date.now()): number | undefined {
	if (value === undefined || value.trim() === '') return undefined;
	if (/^\s*\d+\s*$/.test(value)) return Number(value) * 1000;
	const date = Date.parse(value);
	return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

async function wait(ms: number, signal: AbortSignal | undefined): Promise<void> {
	await pause(ms, signal).catch((error: unknown) => {
		throw new SpeechError('aborted', 'The speech render was cancelled.', { cause: error });
	});
}

type RequestBuilder = (auth: Record<string, string>) => Omit<SpeechHttpRequest, 'timeoutMs'>;

/** One logical request: authentication, the origin check, retries, and errors in words. */
async function exchange(
	options: AzureSpeechOptions,
	context: RequestContext,
	build: RequestBuilder,
	authenticate: (fresh: boolean) => Promise<Record<string, string>>,
	mayRefreshToken: boolean,
): Promise<SpeechHttpResponse> {
	const budget = options.retryBudgetMs ?? DEFAULT_RETRY_BUDGET_MS;
	const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
	let waited = 0;
	let fresh = false;
	for (let attempt = 1; ; attempt++) {
		if (options.signal?.aborted)
			throw new SpeechError('aborted', 'The speech render was cancelled.', {
				cause: options.signal.reason,
			});
		const request = build(await authenticate(fresh));
		// The key or token goes nowhere else, whatever a caller or a bug puts into a URL.
		if (!isTrustedSpeechUrl(options.settings, request.url)) {
			throw new SpeechError(
				'refused',
				`Refusing to send the Azure AI Speech key or token to ${request.url}: only https requests to ${options.settings.trustedOrigins.join(' and ')} carry it.`,
			);
		}
		let response: SpeechHttpResponse | undefined;
		let failure: unknown;
		try {
			response = await options.http({ ...request, timeoutMs });
		} catch (error) {
			failure = error;
		}
		const status = response?.status;
		if (response && status !== undefined && status >= 200 && status < 300) return response;
		if (status === 401 && mayRefreshToken && !fresh) {
			// A cached token may have been revoked or expired early: one more try with a new one.
			fresh = true;
			continue;
		}
		if (response && status !== undefined && status >= 300 && status < 400) {
			throw new SpeechError(
				'refused',
				`Azure AI Speech redirected the ${context.what} to ${response.headers.location ?? 'another address'} (HTTP ${status}); it was not followed, as the key would go along. Check the credential's Region or Endpoint.`,
				{ status },
			);
		}
		const retryable = response === undefined || RETRYABLE.has(status ?? 0);
		if (!retryable && response) throw statusError(response, context);
		const asked = response ? retryAfterMs(response.headers['retry-after']) : undefined;
		const delay = asked ?? BACKOFF_MS[Math.min(attempt - 1, BACKOFF_MS.length - 1)] ?? 1000;
		if (attempt >= MAX_ATTEMPTS || waited + delay > budget) {
			if (!response) throw networkError(failure, context, timeoutMs);
			throw status === 429 || status === 503
				? throttledError(status, asked, budget, attempt)
				: statusError(response, context);
		}
		waited += delay;
		await wait(delay, options.signal);
	}
}

function issueTokenFunction(options: AzureSpeechOptions): () => Promise<string> {
	return async () => {
		const { settings } = options;
		if (settings.auth.kind !== 'key') throw new Error('Only a key is exchanged for a token.');
		const key = settings.auth.key;
		const url = settings.urls.issueToken;
		const response = await exchange(
			options,
			{ settings, what: 'token request', url },
			() => ({
				method: 'POST',
				url,
				headers: {
					'Ocp-Apim-Subscription-Key': key,
					'Content-Type': 'application/x-www-form-urlencoded',
					'User-Agent': SPEECH_USER_AGENT,
				},
				body: '',
			}),
			async () => ({}),
			false,
		);
		const token = response.body.toString('utf8').trim();
		if (!token || /\s/.test(token))
			throw new SpeechError(
				'serviceError',
				'Azure AI Speech answered the token request without a token.',
			);
		return token;
	};
}

function authenticator(
	options: AzureSpeechOptions,
): (fresh: boolean) => Promise<Record<string, string>> {
	const keyTransport = options.keyTransport ?? 'header';
	return async (fresh) =>
		await authHeaders(
			{
				settings: options.settings,
				http: options.http,
				keyTransport,
				timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
				issue: issueTokenFunction(options),
			},
			fresh,
		);
}

export interface SynthesisSubject {
	/** The voice to name in errors (the first <voice> of user SSML). */
	voice?: string;
	/** The form field errors about the content point to ("Voice" or "SSML"). */
	field?: string;
}

/** Synthesises SSML; returns Graph's prompt samples (mono, 16-bit, 16 kHz). */
export async function synthesizeWithAzure(
	options: AzureSpeechOptions,
	ssml: string,
	subject: SynthesisSubject = {},
): Promise<Int16Array> {
	const { settings } = options;
	const outputFormat = options.outputFormat ?? DEFAULT_AZURE_OUTPUT_FORMAT;
	const url = settings.urls.synthesis;
	const response = await exchange(
		options,
		{ settings, what: 'synthesis', url, ...subject },
		(auth) => ({
			method: 'POST',
			url,
			headers: {
				...auth,
				'Content-Type': 'application/ssml+xml',
				'X-Microsoft-OutputFormat': outputFormat,
				'User-Agent': SPEECH_USER_AGENT,
			},
			body: ssml,
		}),
		authenticator(options),
		usesToken({ settings, keyTransport: options.keyTransport ?? 'header' }),
	);
	return promptSamplesFromAzure(outputFormat, response.body);
}

export interface AzureVoice {
	/** What SSML's <voice name> takes, e.g. en-US-AvaMultilingualNeural. */
	shortName: string;
	displayName: string;
	locale: string;
	gender: string;
	voiceType: string;
}

/** The voices of the credential's resource (`GET …/voices/list`). */
export async function listAzureVoices(options: AzureSpeechOptions): Promise<AzureVoice[]> {
	const { settings } = options;
	const url = settings.urls.voices;
	const response = await exchange(
		options,
		{ settings, what: 'voices list', url },
		(auth) => ({ method: 'GET', url, headers: { ...auth, 'User-Agent': SPEECH_USER_AGENT } }),
		authenticator(options),
		usesToken({ settings, keyTransport: options.keyTransport ?? 'header' }),
	);
	let parsed: unknown;
	try {
		parsed = JSON.parse(response.body.toString('utf8'));
	} catch {
		parsed = undefined;
	}
	if (!Array.isArray(parsed))
		throw new SpeechError(
			'serviceError',
			'Azure AI Speech answered the voices list with something that is not a list.',
		);
	const field = (voice: Record<string, unknown>, name: string): string =>
		typeof voice[name] === 'string' ? (voice[name] as string) : '';
	return parsed
		.filter(
			(voice): voice is Record<string, unknown> => typeof voice === 'object' && voice !== null,
		)
		.map((voice) => ({
			shortName: field(voice, 'ShortName'),
			displayName: field(voice, 'DisplayName'),
			locale: field(voice, 'Locale'),
			gender: field(voice, 'Gender'),
			voiceType: field(voice, 'VoiceType'),
		}))
		.filter((voice) => voice.shortName !== '');
}
