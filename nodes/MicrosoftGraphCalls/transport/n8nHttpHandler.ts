import type { Context, Middleware } from '@microsoft/microsoft-graph-client';
import type { IExecuteFunctions, IHttpRequestMethods } from 'n8n-workflow';

import { CredentialConfigError } from '../../../lib/entra/errors';
import { bodyAsText, flattenHeaders } from '../../../lib/entra/tokenHttp';
import { TokenRequestError } from '../../../lib/entra/tokenMinter';
import { policyOf } from './policy';
import { TransportError } from './transportErrors';

export const CREDENTIAL_TYPE = 'microsoftGraphCallsApi';

interface HttpAnswer {
	status: number;
	headers: unknown;
	data: unknown;
}

interface FullResponse {
	statusCode: number;
	headers: unknown;
	body: unknown;
}

/** Statuses whose Response must not have a body (the fetch spec throws otherwise). */
const NULL_BODY_STATUSES = new Set([101, 103, 204, 205, 304]);

function toFetchResponse(status: number, headers: unknown, body: unknown): Response {
	const flat = flattenHeaders(headers);
	return new Response(NULL_BODY_STATUSES.has(status) ? null : bodyAsText(body), { status, headers: flat });
}

/** n8n wraps HTTP failures (NodeApiError → AxiosError → response): find the answer, if any. */
function httpAnswerOf(error: unknown): HttpAnswer | undefined {
	let current: unknown = error;
	for (let depth = 0; depth < 4 && current && typeof current === 'object'; depth++) {
		const response = (current as { response?: Partial<HttpAnswer> }).response;
		if (response && typeof response.status === 'number') return response as HttpAnswer;
		current = (current as { cause?: unknown }).cause;
	}
	return undefined;
}

function causeChain(error: unknown): unknown[] {
	const chain: unknown[] = [];
	let current: unknown = error;
	for (let depth = 0; depth < 5 && current; depth++) {
		chain.push(current);
		current = typeof current === 'object' ? (current as { cause?: unknown }).cause : undefined;
	}
	return chain;
}

/**
 * Classifies a failure that brought no HTTP answer. Only our own messages (token, credential)
 * are passed on verbatim; anything else is described by its error code, because n8n's errors
 * can carry the request (and so the Authorization header) inside them.
 */
export function describeFailure(error: unknown, url: string, timeoutMs: number): TransportError {
	const chain = causeChain(error);
	const ownError = chain.find((e) => e instanceof TokenRequestError || e instanceof CredentialConfigError) as Error | undefined;
	if (ownError) return new TransportError('authentication', ownError.message);
	const refusal = chain.find((e) => e instanceof Error && e.message.startsWith('Refusing to send the Microsoft Graph token')) as Error | undefined;
	if (refusal) return new TransportError('refused', refusal.message);
	const codes = chain.map((e) => (e && typeof e === 'object' ? (e as { code?: unknown }).code : undefined)).filter((c): c is string => typeof c === 'string');
	const messages = chain.map((e) => (e instanceof Error ? e.message : '')).join(' ');
	const origin = new URL(url).origin;
	if (codes.includes('ERR_CANCELED') || /aborted|canceled/i.test(messages)) {
		return new TransportError('cancelled', `The request to ${origin} was cancelled.`);
	}
	if (codes.includes('ECONNABORTED') || codes.includes('ETIMEDOUT') || /timeout of \d+ms exceeded/i.test(messages)) {
		return new TransportError('timeout', `Graph at ${origin} did not answer within ${Math.round(timeoutMs / 1000)} s.`);
	}
	const code = codes.find((c) => /^E[A-Z_]+$/.test(c)) ?? 'no answer';
	return new TransportError('connection', `The connection to Graph at ${origin} failed before an answer arrived (${code}).`);
}

/**
 * The last step of the chain: hands the request to n8n's authenticated request helper, so n8n
 * adds the stored token, mints one first if there is none, and re-mints once after a 401.
 */
export class N8nHttpHandler implements Middleware {
	constructor(
		private readonly functions: IExecuteFunctions,
		private readonly graphOrigin: string,
	) {}

	async execute(context: Context): Promise<void> {
		const url = typeof context.request === 'string' ? context.request : context.request.url;
		if (new URL(url).origin !== this.graphOrigin) {
			throw new TransportError('refused', `Refusing to send a request to ${new URL(url).origin}: this credential only talks to ${this.graphOrigin}.`);
		}
		const policy = policyOf(context);
		const options = context.options ?? {};
		try {
			const answer = (await this.functions.helpers.httpRequestWithAuthentication.call(this.functions, CREDENTIAL_TYPE, {
				url,
				method: (options.method ?? 'GET') as IHttpRequestMethods,
				headers: flattenHeaders(options.headers),
				body: typeof options.body === 'string' ? options.body : undefined,
				returnFullResponse: true,
				encoding: 'text',
				json: false,
				disableFollowRedirect: true,
				sendCredentialsOnCrossOriginRedirect: false,
				timeout: policy.timeoutMs,
			})) as FullResponse;
			context.response = toFetchResponse(answer.statusCode, answer.headers, answer.body);
		} catch (error) {
			const answer = httpAnswerOf(error);
			if (!answer) throw describeFailure(error, url, policy.timeoutMs);
			context.response = toFetchResponse(answer.status, answer.headers, answer.data);
		}
	}
}
