/**
 * The fault knobs: their defaults, resetting them in place (tests may hold a reference to the
 * object), and the answers injected faults produce on the Graph side.
 */
import { DEFAULT_THROTTLE_RETRY_AFTER_SECONDS } from './constants';
import { defaultGraphError, graphError, type GraphResult } from './graphErrors';
import type { FaultKnobs, GraphFault } from './types';

export function createFaultKnobs(latencyMs = 0): FaultKnobs {
	return {
		latencyMs,
		nextGraphFaults: [],
		throttleRate: 0,
		throttleRetryAfterSeconds: DEFAULT_THROTTLE_RETRY_AFTER_SECONDS,
		nextTokenFaults: [],
	};
}

export function clearFaultKnobs(knobs: FaultKnobs): void {
	knobs.latencyMs = 0;
	knobs.nextGraphFaults.length = 0;
	knobs.throttleRate = 0;
	knobs.throttleRetryAfterSeconds = DEFAULT_THROTTLE_RETRY_AFTER_SECONDS;
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

/** Probabilistic throttling; a rate of 1 throttles everything, 0 nothing. */
export function throttleResult(knobs: FaultKnobs): GraphResult | undefined {
	if (knobs.throttleRate <= 0 || Math.random() >= knobs.throttleRate) return undefined;
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
