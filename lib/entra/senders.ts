import type { IHttpRequestOptions } from 'n8n-workflow';

import { bodyAsText, flattenHeaders, type TokenHttpSender } from './tokenHttp';

/** What n8n's `helpers.httpRequest` gives back with `returnFullResponse`. */
interface FullResponse {
	body: unknown;
	headers: unknown;
	statusCode: number;
}

type HttpRequestHelper = (options: IHttpRequestOptions) => Promise<unknown>;
/** The older request helper, the only one n8n hands to a credential test. */
type LegacyRequestHelper = (options: object) => Promise<unknown>;

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
		return { status: response.statusCode, headers: flattenHeaders(response.headers), body: bodyAsText(response.body) };
	};
}

/** Token traffic through the legacy `helpers.request` (credential tests). */
export function senderFromLegacyRequest(request: LegacyRequestHelper): TokenHttpSender {
	return async (tokenRequest) => {
		const response = (await request({
			uri: tokenRequest.url,
			method: tokenRequest.method,
			headers: tokenRequest.headers,
			body: tokenRequest.body,
			resolveWithFullResponse: true,
			simple: false,
			json: false,
			followRedirect: false,
			timeout: TOKEN_TIMEOUT_MS,
		})) as FullResponse;
		return { status: response.statusCode, headers: flattenHeaders(response.headers), body: bodyAsText(response.body) };
	};
}
