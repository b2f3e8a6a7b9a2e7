/**
 * How the trigger GETs the platform's OpenID configuration and JWKS, through n8n's own HTTP
 * helper (proxy settings, CA bundle): never following a redirect (a redirect to plain http
 * would let anyone on the path serve keys), with a timeout, and reading at most a few kilobytes
 * (a key document is about 2 KB; a huge answer must not fill the webhook process's memory).
 */
import type { IHttpRequestOptions } from 'n8n-workflow';

import { isJsonObject } from '../jsonObject';
import { KeyFetchProblem, type FetchJson } from './keySource';

/** The documents are small; Microsoft's JWKS is under 10 KB. */
const MAX_KEY_DOCUMENT_BYTES = 64 * 1024;
/** Per request: connect, answer and body together. */
const KEY_FETCH_TIMEOUT_MS = 3_000;

type HttpRequest = (options: IHttpRequestOptions) => Promise<unknown>;

interface ByteStream extends AsyncIterable<unknown> {
	destroy(): void;
}

function isByteStream(value: unknown): value is ByteStream {
	return (
		typeof value === 'object' &&
		value !== null &&
		Symbol.asyncIterator in value &&
		typeof (value as { destroy?: unknown }).destroy === 'function'
	);
}

async function readCapped(stream: ByteStream, maxBytes: number, url: string): Promise<string> {
	const chunks: Buffer[] = [];
	let size = 0;
	try {
		for await (const chunk of stream) {
			const bytes = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
			size += bytes.length;
			if (size > maxBytes)
				throw new KeyFetchProblem(`${url} answered more than ${maxBytes} bytes.`);
			chunks.push(bytes);
		}
	} finally {
		stream.destroy();
	}
	return Buffer.concat(chunks).toString('utf8');
}

/** A FetchJson on n8n's httpRequest helper, with the limits above. */
export function boundedJsonFetcher(
	httpRequest: HttpRequest,
	limits: { timeoutMs?: number; maxBytes?: number } = {},
): FetchJson {
	const timeoutMs = limits.timeoutMs ?? KEY_FETCH_TIMEOUT_MS;
	const maxBytes = limits.maxBytes ?? MAX_KEY_DOCUMENT_BYTES;
	return async (url) => {
		// The helper's timeout only covers an idle socket; the signal covers a slow drip as well.
		const signal = AbortSignal.timeout(timeoutMs);
		let text: string | undefined;
		let failure: string | undefined;
		try {
			const response = await httpRequest({
				method: 'GET',
				url,
				headers: { accept: 'application/json' },
				encoding: 'stream',
				returnFullResponse: true,
				disableFollowRedirect: true,
				timeout: timeoutMs,
				abortSignal: signal,
			});
			const body = isJsonObject(response) ? response.body : undefined;
			if (isByteStream(body)) text = await readCapped(body, maxBytes, url);
			else failure = `${url} gave no readable answer.`;
		} catch (error) {
			failure = fetchFailure(error, url, signal.aborted, timeoutMs);
		}
		if (failure !== undefined || text === undefined)
			throw new KeyFetchProblem(failure ?? `${url} gave no answer.`);
		let parsed: unknown;
		try {
			parsed = JSON.parse(text) as unknown;
		} catch {
			parsed = undefined;
		}
		if (parsed === undefined) throw new KeyFetchProblem(`${url} did not answer JSON.`);
		return parsed;
	};
}

/** Why a GET failed, in words for the log. */
function fetchFailure(error: unknown, url: string, timedOut: boolean, timeoutMs: number): string {
	if (error instanceof KeyFetchProblem) return error.message;
	if (timedOut) return `${url} did not answer within ${timeoutMs} ms.`;
	// A 3xx lands here too (redirects are not followed): say so, it is the likely attack.
	const status =
		isJsonObject(error) && isJsonObject(error.response) ? error.response.status : undefined;
	if (typeof status === 'number')
		return status >= 300 && status < 400
			? `${url} answered a redirect (${status}), which is not followed.`
			: `${url} answered HTTP ${status}.`;
	return `${url} could not be fetched.`;
}
