/**
 * The fault knobs: their defaults, resetting them in place (tests may hold a reference to the
 * object), and the answers injected faults produce on the Graph side.
 */
import { createHash } from 'node:crypto';

import { DEFAULT_THROTTLE_RETRY_AFTER_SECONDS } from './constants';
import { defaultGraphError, graphError, type GraphResult } from './graphErrors';
import type { FaultKnobs, GraphFault } from './types';

export function createFaultKnobs(latencyMs = 0): FaultKnobs {
	return {
		latencyMs,
		nextGraphFaults: [],
		throttleRate: 0,
		throttleRetryAfterSeconds: DEFAULT_THROTTLE_RETRY_AFTER_SECONDS,
		throttleSeed: undefined,
		throttleOnly: undefined,
		throttledCount: 0,
		nextTokenFaults: [],
	};
}

export function clearFaultKnobs(knobs: FaultKnobs): void {
	knobs.latencyMs = 0;
	knobs.nextGraphFaults.length = 0;
	knobs.throttleRate = 0;
	knobs.throttleRetryAfterSeconds = DEFAULT_THROTTLE_RETRY_AFTER_SECONDS;
	knobs.throttleSeed = undefined;
	knobs.throttleOnly = undefined;
	knobs.throttledCount = 0;
	attemptsSeen.delete(knobs);
	knobs.nextTokenFaults.length = 0;
}

/** The Graph error answer of a { kind: 'status' } fault. */
export function statusFaultResult(fault: Extract<GraphFault, { kind: 'status' }>): GraphResult {
	const defaults = defaultGraphError(fault.status);
	const headers: Record<string, string> = {};
	if (fault.retryAfterSeconds !== undefined)
		headers['retry-after'] = String(fault.retryAfterSeconds);
	return graphError(
		fault.status,
		fault.code ?? defaults.code,
		fault.message ?? defaults.message,
		headers,
	);
}

/** Per knob object: how often each request (method + path + body) was seen, for seeded draws. */
const attemptsSeen = new WeakMap<FaultKnobs, Map<string, number>>();

/** A number in [0, 1) from (seed, request, attempt number): same inputs, same draw. */
function seededDraw(knobs: FaultKnobs, seed: number, requestKey: string): number {
	let seen = attemptsSeen.get(knobs);
	if (!seen) attemptsSeen.set(knobs, (seen = new Map()));
	const attempt = seen.get(requestKey) ?? 0;
	seen.set(requestKey, attempt + 1);
	const digest = createHash('sha256').update(`${seed}\0${attempt}\0${requestKey}`).digest();
	return digest.readUIntBE(0, 6) / 2 ** 48;
}

/**
 * Throttling, each attempt independently with probability throttleRate (1 throttles everything,
 * 0 nothing). requestKey names the attempt's request (method, path, body): with throttleSeed set
 * the draw depends only on it, the seed and how often it was seen, not on arrival order.
 */
export function throttleResult(knobs: FaultKnobs, requestKey = ''): GraphResult | undefined {
	if (knobs.throttleRate <= 0) return undefined;
	const draw =
		knobs.throttleSeed === undefined
			? Math.random()
			: seededDraw(knobs, knobs.throttleSeed, requestKey);
	if (draw >= knobs.throttleRate) return undefined;
	knobs.throttledCount = (knobs.throttledCount ?? 0) + 1;
	const { code, message } = defaultGraphError(429);
	return graphError(429, code, message, { 'retry-after': String(knobs.throttleRetryAfterSeconds) });
}

/** A body that claims to be JSON and is cut off mid-object, as a broken proxy would deliver it. */
export const MALFORMED_BODY =
	'{"@odata.type":"#microsoft.graph.inviteParticipantsOperation","id":"';

/** A valid JSON answer of about fault.bytes bytes (the 'oversized' fault). */
export function oversizedResult(fault: Extract<GraphFault, { kind: 'oversized' }>): GraphResult {
	const head =
		'{"@odata.type":"#microsoft.graph.inviteParticipantsOperation","id":"oversized","padding":"';
	const rawBody = `${head}${'x'.repeat(Math.max(0, fault.bytes - head.length - 2))}"}`;
	const headers: Record<string, string> = fault.chunked
		? { 'transfer-encoding': 'chunked' }
		: { 'content-length': String(Buffer.byteLength(rawBody)) };
	return { status: fault.status ?? 200, headers, rawBody };
}
