import type { Context, Middleware } from '@microsoft/microsoft-graph-client';
import { pause } from '../../../lib/pause';

import { policyOf } from './types';

/** Wait used when Graph throttles without saying how long (it normally says). */
const FALLBACK_WAIT_MS = 1_000;
/** The doubling stops here: many retries are allowed, each wait stays sensible. */
const MAX_FALLBACK_WAIT_MS = 60_000;

/** `Retry-After` is either delta-seconds or an HTTP date. */
function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
	if (!value) return undefined;
	const trimmed = value.trim();
	if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
	const date = Date.parse(trimmed);
	return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/**
 * Which answers may be retried. An invite is not idempotent: only a 429, or a 503 that carries
 * Retry-After, says Graph did not act on the request. 500, 504, a 503 without Retry-After and a
 * dropped connection may all hide a delivered invite, so they are never retried.
 */
export function retryDelayFor(response: Response, attempt: number): number | undefined {
	const retryAfter = parseRetryAfter(response.headers.get('retry-after'));
	if (response.status === 429)
		return retryAfter ?? Math.min(MAX_FALLBACK_WAIT_MS, FALLBACK_WAIT_MS * 2 ** attempt);
	if (response.status === 503 && retryAfter !== undefined) return retryAfter;
	return undefined;
}

/** The retry step of the chain: honours Retry-After, bounded in attempts and in total wait. */
export class RetryAfterHandler implements Middleware {
	private next?: Middleware;

	constructor(private readonly cancelSignal?: AbortSignal) {}

	setNext(next: Middleware): void {
		this.next = next;
	}

	async execute(context: Context): Promise<void> {
		if (!this.next) throw new Error('RetryAfterHandler needs a next middleware');
		const policy = policyOf(context);
		let waitedMs = 0;
		for (let attempt = 0; ; attempt++) {
			await this.next.execute(context);
			const response = context.response;
			if (!response || attempt >= policy.maxRetries) return;
			const delay = retryDelayFor(response, attempt);
			if (delay === undefined || waitedMs + delay > policy.maxTotalWaitMs) return;
			await pause(delay, this.cancelSignal);
			waitedMs += delay;
			context.response = undefined;
		}
	}
}
