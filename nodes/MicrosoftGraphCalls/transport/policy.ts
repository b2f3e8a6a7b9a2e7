import type { Context, MiddlewareOptions } from '@microsoft/microsoft-graph-client';

/**
 * Per-request limits, carried to the middleware through the Graph client's middleware options
 * so that each item can have its own (options are expressions, evaluated per item).
 */
export class TransportPolicy implements MiddlewareOptions {
	constructor(
		/** Retries after 429 / 503-with-Retry-After; 0 disables retrying. */
		readonly maxRetries: number,
		/** Upper bound on the time spent waiting between attempts, all retries together. */
		readonly maxTotalWaitMs: number,
		/** How long one attempt may take before it is abandoned. */
		readonly timeoutMs: number,
	) {}
}

const DEFAULT_POLICY = new TransportPolicy(3, 60_000, 60_000);

/** The policy attached to this request, or the defaults. */
export function policyOf(context: Context): TransportPolicy {
	const options = context.middlewareControl?.getMiddlewareOptions(TransportPolicy);
	return options instanceof TransportPolicy ? options : DEFAULT_POLICY;
}
