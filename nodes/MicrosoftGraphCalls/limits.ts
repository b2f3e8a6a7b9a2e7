/**
 * Bounds and defaults that the form (descriptions/) shows and the runtime enforces: one source.
 * n8n's lint wants each field's default as a literal, so the descriptions repeat the defaults;
 * test/options.limits.test.ts holds the two together.
 */

/** Requests (with JSON batching: batches) in flight at once. */
export const CONCURRENCY = { default: 10, min: 1, max: 50 } as const;

export const RETRY_LIMITS = {
	maxRetries: { default: 3, min: 0, max: 10 },
	maxRetryWaitSeconds: { default: 60, min: 0, max: 600 },
	timeoutSeconds: { default: 60, min: 1, max: 300 },
} as const;

export const WAIT_LIMITS = {
	timeoutSeconds: { default: 60, min: 0.5, max: 3600 },
	pollIntervalSeconds: { default: 5, min: 0.1, max: 300 },
} as const;

/** Graph ends a call that was not kept alive within this many minutes. */
export const KEEP_ALIVE_LIMIT_MINUTES = 45;
