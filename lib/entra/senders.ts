import type { IHttpRequestOptions } from 'n8n-workflow';

import { bodyAsText, flattenHeaders } from '../httpHeaders';
import type { TokenHttpSender } from './tokenHttp';

/** What n8n's `helpers.httpRequest` gives back with `returnFullResponse`. */
interface FullResponse {
	body: unknown;
	headers: unknown;
	statusCode: number;
}

type HttpRequestHelper = (options: IHttpRequestOptions) => Promise<unknown>;

const TOKEN_TIMEOUT_MS = 30_000;

/** Token traffic through `helpers.httpRequest` (preAuthentication, node executions). */
export function senderFromHttpRequest(httpRequest: HttpRequestHelper): TokenHttpSender {
	return async (request) => {
		const response = (await httpRequest({
			url: request.url,
			method: request.method,
			headers: request.headers,
			body: request.body,
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
			encoding: 'text',
			json: false,
			disableFollowRedirect: true,
			timeout: TOKEN_TIMEOUT_MS,
		})) as FullResponse;
		return {
			status: response.statusCode,
			headers: flattenHeaders(response.headers),
			body: bodyAsText(response.body),
		};
	};
}

/**
 * Token traffic through Node's own fetch, for the credential test. n8n hands a credential test
 * only its deprecated `request` helper, which n8n's community-node rules forbid; fetch trusts the
 * same CAs (NODE_EXTRA_CA_CERTS) but not n8n's proxy settings, which executions do use.
 */
export function senderFromFetch(): TokenHttpSender {
	return async (request) => {
		const response = await fetch(request.url, {
			method: request.method,
			headers: request.headers,
			body: request.body,
			redirect: 'manual',
			signal: AbortSignal.timeout(TOKEN_TIMEOUT_MS),
		});
		return {
			status: response.status,
			headers: flattenHeaders(Object.fromEntries(response.headers.entries())),
			body: await response.text(),
		};
	};
}
