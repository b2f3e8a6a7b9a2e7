import type { IHttpRequestOptions } from 'n8n-workflow';

import { bodyAsText, flattenHeaders } from '../httpHeaders';
import { tokenTransportError } from './tokenTransportError';
import type { TokenHttpResponse, TokenHttpSender } from './tokenHttp';

/** What n8n's `helpers.httpRequest` gives back with `returnFullResponse`. */
interface FullResponse {
	body: unknown;
	headers: unknown;
	statusCode: number;
}

type HttpRequestHelper = (options: IHttpRequestOptions) => Promise<unknown>;

const TOKEN_TIMEOUT_MS = 30_000;

interface SenderOptions {
	/** How long one token request may take (default 30 s). */
	timeoutMs?: number;
}

/**
 * A proxy that wants credentials answers 407 itself; msal would report its HTML page as a token
 * endpoint answer that is not JSON.
 */
function refuseProxyAuthentication(response: TokenHttpResponse, url: string): TokenHttpResponse {
	if (response.status !== 407) return response;
	throw tokenTransportError({ code: 'PROXY_AUTH_REQUIRED', name: 'ProxyAuth' }, url, 0);
}

/** Token traffic through `helpers.httpRequest` (preAuthentication, node executions). */
export function senderFromHttpRequest(
	httpRequest: HttpRequestHelper,
	options: SenderOptions = {},
): TokenHttpSender {
	const timeoutMs = options.timeoutMs ?? TOKEN_TIMEOUT_MS;
	return async (request) => {
		let response: FullResponse;
		try {
			response = (await httpRequest({
				url: request.url,
				method: request.method,
				headers: request.headers,
				body: request.body,
				returnFullResponse: true,
				ignoreHttpStatusErrors: true,
				encoding: 'text',
				json: false,
				disableFollowRedirect: true,
				timeout: timeoutMs,
			})) as FullResponse;
		} catch (error) {
			throw tokenTransportError(error, request.url, timeoutMs);
		}
		return refuseProxyAuthentication(
			{
				status: response.statusCode,
				headers: flattenHeaders(response.headers),
				body: bodyAsText(response.body),
			},
			request.url,
		);
	};
}

/**
 * Token traffic through Node's own fetch, for the credential test. n8n hands a credential test
 * only its deprecated `request` helper, which n8n's community-node rules forbid; fetch trusts the
 * same CAs (NODE_EXTRA_CA_CERTS) but not n8n's proxy settings, which executions do use.
 */
export function senderFromFetch(options: SenderOptions = {}): TokenHttpSender {
	const timeoutMs = options.timeoutMs ?? TOKEN_TIMEOUT_MS;
	return async (request) => {
		let response: Response;
		let body: string;
		try {
			response = await fetch(request.url, {
				method: request.method,
				headers: request.headers,
				body: request.body,
				redirect: 'manual',
				signal: AbortSignal.timeout(timeoutMs),
			});
			body = await response.text();
		} catch (error) {
			throw tokenTransportError(error, request.url, timeoutMs);
		}
		return refuseProxyAuthentication(
			{
				status: response.status,
				headers: flattenHeaders(Object.fromEntries(response.headers.entries())),
				body,
			},
			request.url,
		);
	};
}
