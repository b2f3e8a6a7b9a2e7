/**
 * The one way the speech client reaches the network: a function the caller injects. A node
 * passes n8n's `helpers.httpRequest` (n8n's proxy and CA settings apply); scripts and tests pass
 * Node's fetch. Neither follows redirects: a redirect would carry the key to another host.
 */
import type { IHttpRequestOptions } from 'n8n-workflow';

import { flattenHeaders } from '../../httpHeaders';

export interface SpeechHttpRequest {
	method: 'GET' | 'POST';
	url: string;
	headers: Record<string, string>;
	body?: string;
	timeoutMs: number;
}

export interface SpeechHttpResponse {
	status: number;
	/** Lower-case names. */
	headers: Record<string, string>;
	body: Buffer;
}

/** Answers every HTTP status; throws only when there is no answer (DNS, TLS, connection, timeout). */
export type SpeechHttp = (request: SpeechHttpRequest) => Promise<SpeechHttpResponse>;

type HttpRequestHelper = (options: IHttpRequestOptions) => Promise<unknown>;

function asBuffer(body: unknown): Buffer {
	if (Buffer.isBuffer(body)) return body;
	if (body instanceof ArrayBuffer) return Buffer.from(body);
	if (ArrayBuffer.isView(body)) return Buffer.from(body.buffer, body.byteOffset, body.byteLength);
	if (typeof body === 'string') return Buffer.from(body, 'utf8');
	return body === undefined || body === null ? Buffer.alloc(0) : Buffer.from(JSON.stringify(body));
}

/** Through n8n's `helpers.httpRequest`, as nodes and credentials have it. */
export function speechHttpFromN8n(httpRequest: HttpRequestHelper): SpeechHttp {
	return async (request) => {
		const response = (await httpRequest({
			url: request.url,
			method: request.method,
			headers: request.headers,
			body: request.body,
			encoding: 'arraybuffer',
			json: false,
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
			disableFollowRedirect: true,
			timeout: request.timeoutMs,
		})) as { statusCode: number; headers: unknown; body: unknown };
		return {
			status: response.statusCode,
			headers: flattenHeaders(response.headers),
			body: asBuffer(response.body),
		};
	};
}

/** Through Node's fetch (trusts NODE_EXTRA_CA_CERTS; n8n's proxy settings do not apply). */
export function speechHttpFromFetch(): SpeechHttp {
	return async (request) => {
		const response = await fetch(request.url, {
			method: request.method,
			headers: request.headers,
			body: request.body,
			redirect: 'manual',
			signal: AbortSignal.timeout(request.timeoutMs),
		});
		return {
			status: response.status,
			headers: flattenHeaders(Object.fromEntries(response.headers.entries())),
			body: Buffer.from(await response.arrayBuffer()),
		};
	};
}
