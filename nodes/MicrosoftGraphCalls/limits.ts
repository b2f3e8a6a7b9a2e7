/**
 * Bounds and defaults that the form (descriptions/) shows and the runtime enforces: one source.
 * n8n's lint wants each field's default as a literal, so the descriptions repeat the defaults;
 * test/options.limits.test.ts holds the two together.
 */

/**
 * The most requests (with JSON batching: batches) in flight at once. The gate starts at 10 and
 * adapts up to this ceiling (transport/throttleGate.ts). n8n's HTTP Request node puts every item
 * on the wire at once (120 to 200 in flight for 1,000 items at 300 ms of Graph latency, in
 * bench/RESULTS.md); 200 keeps pace with it and stays far below Graph's limit for the
 * communications API (50,000 requests per 15 s per app and tenant).
 */
export const CONCURRENCY = { default: 200, min: 1, max: 500 } as const;

/**
 * Throttling is bounded by time, not by a count: a 429 (or 503 with Retry-After) says Graph did
 * nothing, so waiting and trying again is always safe. Five minutes per item outlasts many of
 * Graph's throttling windows (15 s for the communications API, 10 s app-wide); Max Retries is
 * only a backstop, high enough that the time budget decides even at Retry-After: 1.
 */
export const RETRY_LIMITS = {
	maxRetries: { default: 300, min: 0, max: 1000 },
	maxRetryWaitSeconds: { default: 300, min: 0, max: 3600 },
	timeoutSeconds: { default: 60, min: 1, max: 300 },
} as const;

export const WAIT_LIMITS = {
	timeoutSeconds: { default: 60, min: 0.5, max: 3600 },
	pollIntervalSeconds: { default: 5, min: 0.1, max: 300 },
} as const;

/** Graph ends a call that was not kept alive within this many minutes. */
export const KEEP_ALIVE_LIMIT_MINUTES = 45;

/**
 * A prompt served by n8n (Prompt From › Binary Field): Graph documents no size limit for a
 * prompt's file; this bound is ours, checked before anyone is called, so that a wrong binary
 * field (a video, an archive) is refused rather than loaded for every playing. 10 MiB is about
 * five and a half minutes of Graph's format (16,000 samples of 2 bytes a second).
 */
export const PROMPT_LIMITS = { maxBytes: 10 * 1024 * 1024, maxMinutesAtGraphFormat: 5.5 } as const;
