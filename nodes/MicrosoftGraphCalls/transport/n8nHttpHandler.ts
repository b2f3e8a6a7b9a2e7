import type { Context, Middleware } from '@microsoft/microsoft-graph-client';
import type { IHttpRequestMethods, IHttpRequestOptions } from 'n8n-workflow';

import { CREDENTIAL_TYPE } from '../../../lib/entra/credentialType';
import { ownFailureKind } from '../../../lib/entra/ownFailures';
import { bodyAsText, flattenHeaders } from '../../../lib/httpHeaders';
import { answerText, discardBody, errorBodyOf } from './boundedBody';
import { describeConnectionFailure, TransportError } from './transportErrors';
import { policyOf, type TransportFunctions } from './types';

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
	return new Response(NULL_BODY_STATUSES.has(status) ? null : bodyAsText(body), {
		status,
		headers: flat,
	});
}

/**
 * The HTTP answer inside a failure, if there was one. n8n's NodeApiError keeps only the status
 * (httpCode) and a parsed body (context.data); headers are gone by then.
 */
function httpAnswerOf(error: unknown): HttpAnswer | undefined {
	if (!error || typeof error !== 'object') return undefined;
	const response = (error as { response?: Partial<HttpAnswer> }).response;
	if (response && typeof response.status === 'number') return response as HttpAnswer;
	const httpCode = Number((error as { httpCode?: unknown }).httpCode);
	if (Number.isInteger(httpCode) && httpCode >= 100) {
		const data = (error as { context?: { data?: unknown } }).context?.data;
		const description = (error as { description?: unknown }).description;
		return {
			status: httpCode,
			headers: {},
			data: data ?? {
				error: { message: typeof description === 'string' ? description : 'No details.' },
			},
		};
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
	for (const link of chain) {
		const kind = link instanceof Error ? ownFailureKind(link.message) : undefined;
		if (kind && link instanceof Error) return new TransportError(kind, link.message);
	}
	const codes = chain
		.map((e) => (e && typeof e === 'object' ? (e as { code?: unknown }).code : undefined))
		.filter((c): c is string => typeof c === 'string');
	const messages = chain.map((e) => (e instanceof Error ? e.message : '')).join(' ');
	const origin = new URL(url).origin;
	// n8n turns axios's timeout (ECONNABORTED) into "The connection was aborted…" and drops the
	// code, so that wording means the Timeout option ran out, not that the execution was cancelled.
	if (/The connection was aborted/i.test(messages)) {
		return new TransportError(
			'timeout',
			`Graph at ${new URL(url).origin} did not answer within ${Math.round(timeoutMs / 1000)} s.`,
		);
	}
	if (codes.includes('ERR_CANCELED') || /aborted|canceled/i.test(messages)) {
		return new TransportError('cancelled', `The request to ${origin} was cancelled.`);
	}
	if (
		codes.includes('ECONNABORTED') ||
		codes.includes('ETIMEDOUT') ||
		/timeout of \d+ms exceeded/i.test(messages)
	) {
		return new TransportError(
			'timeout',
			`Graph at ${origin} did not answer within ${Math.round(timeoutMs / 1000)} s.`,
		);
	}
	return describeConnectionFailure(chain, url);
}

/**
 * Runs the tasks given to it one after another. Used for the repeat after a 401: when requests
 * in flight together all meet an expired token, the first repeat makes n8n mint and store a new
 * token, and the repeats queued behind it find that token stored, instead of each making n8n
 * mint (and write the credential) again.
 */
export class SerialLock {
	private tail: Promise<unknown> = Promise.resolve();

	async run<T>(task: () => Promise<T>): Promise<T> {
		const result = this.tail.then(task, task);
		// The queue goes on whether this task succeeds or fails.
		this.tail = result.catch(() => undefined);
		return await result;
	}
}

/**
 * The last step of the chain: hands the request to n8n's authenticated request helper, so n8n
 * adds the stored token, mints one first if there is none, and re-mints once after a 401.
 */
export class N8nHttpHandler implements Middleware {
	private readonly afterUnauthorized = new SerialLock();

	constructor(
		private readonly functions: TransportFunctions,
		private readonly graphOrigin: string,
	) {}

	async execute(context: Context): Promise<void> {
		const url = typeof context.request === 'string' ? context.request : context.request.url;
		if (new URL(url).origin !== this.graphOrigin) {
			throw new TransportError(
				'refused',
				`Refusing to send a request to ${new URL(url).origin}: this credential only talks to ${this.graphOrigin}.`,
			);
		}
		const policy = policyOf(context);
		const options = context.options ?? {};
		const request: IHttpRequestOptions = {
			url,
			method: (options.method ?? 'GET') as IHttpRequestMethods,
			headers: flattenHeaders(options.headers),
			body: typeof options.body === 'string' ? options.body : undefined,
			returnFullResponse: true,
			// A stream, read below with a byte cap (boundedBody.ts): n8n would buffer any size.
			encoding: 'stream',
			json: false,
			disableFollowRedirect: true,
			sendCredentialsOnCrossOriginRedirect: false,
			timeout: policy.timeoutMs,
		};
		let answered: FullResponse | undefined;
		try {
			// Statuses come back as answers, because n8n's errors drop the response headers
			// (request-id, Retry-After) that the retry step and the error messages need.
			let answer = await this.send({ ...request, ignoreHttpStatusErrors: true });
			if (answer.statusCode === 401) {
				discardBody(answer.body);
				// n8n re-mints the stored token only when its helper itself meets a 401, so the
				// request is repeated once without ignoring statuses. A 401 means Graph did nothing.
				// One at a time, so concurrent items that met the same expired token cause one re-mint.
				answer = await this.afterUnauthorized.run(async () => await this.send(request));
			}
			answered = answer;
		} catch (error) {
			const answer = httpAnswerOf(error);
			if (!answer) throw describeFailure(error, url, policy.timeoutMs);
			context.response = toFetchResponse(
				answer.status,
				answer.headers,
				await errorBodyOf(answer.data),
			);
		}
		if (answered)
			context.response = toFetchResponse(
				answered.statusCode,
				answered.headers,
				await answerText(answered.body, answered.headers, url),
			);
	}

	private async send(request: IHttpRequestOptions): Promise<FullResponse> {
		return (await this.functions.helpers.httpRequestWithAuthentication.call(
			this.functions,
			CREDENTIAL_TYPE,
			request,
		)) as FullResponse;
	}
}
