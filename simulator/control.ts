/**
 * The control API of a simulator running in its own process (`npm run simulator`, used by
 * `npm run bench:n8n`): set the fault knobs, reset, read the counters. Off unless
 * SimulatorOptions.controlApi is set; served under /_simulator/ on the same loopback origin, and
 * its own requests are not recorded.
 *
 *   GET  /_simulator/state    -> { knobs, counts }
 *   POST /_simulator/knobs    { latencyMs?, throttleProbability?, retryAfterSeconds?, seed? (null: unseeded) } -> state
 *   POST /_simulator/reset    same as GraphSimulator.reset() -> state
 */
import { parseJson, isJsonObject } from './json';
import type { RequestRecorder } from './recorder';
import { jsonResponse, type SimResponse } from './responses';
import type { FaultKnobs, InvitationRecord, RecordedRequest } from './types';

export const CONTROL_PREFIX = '/_simulator/';

export interface ControlState {
	knobs: {
		latencyMs: number;
		throttleProbability: number;
		retryAfterSeconds: number;
		seed: number | null;
	};
	counts: {
		/** Graph HTTP requests ($batch envelopes once). */
		graphRequests: number;
		tokenRequests: number;
		/** Attempts (requests or $batch steps) answered 429 by throttling. */
		throttled: number;
		/** Graph requests by final status ('none' = reset or hang). */
		graphStatuses: Record<string, number>;
		/** Most Graph requests in flight at once (received, not yet answered). */
		peakInFlight: number;
		/** Processed invitations, one per participant. */
		invitations: number;
		/** Distinct invited identities (`${callId} ${kind}:${id}`). */
		invitees: number;
		/** Identities invited more than once. */
		duplicates: number;
	};
}

export interface ControlTarget {
	faults: FaultKnobs;
	recorder: RequestRecorder;
	invitations: InvitationRecord[];
	reset(): void;
}

function peakInFlight(requests: RecordedRequest[]): number {
	const events: Array<[number, number]> = [];
	for (const r of requests) {
		events.push([r.at, 1]);
		// Unanswered so far (hanging): in flight until now.
		events.push([r.answeredAt ?? Date.now(), -1]);
	}
	// At equal times, answers before arrivals.
	events.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
	let current = 0;
	let peak = 0;
	for (const [, delta] of events) peak = Math.max(peak, (current += delta));
	return peak;
}

function state(target: ControlTarget): ControlState {
	const perInvitee = new Map<string, number>();
	for (const i of target.invitations) {
		const key = `${i.callId} ${i.identityKind}:${i.identityId.toLowerCase()}`;
		perInvitee.set(key, (perInvitee.get(key) ?? 0) + 1);
	}
	const graph = target.recorder.ofKind('graph');
	const graphStatuses: Record<string, number> = {};
	for (const r of graph) {
		const key = r.status === undefined ? 'none' : String(r.status);
		graphStatuses[key] = (graphStatuses[key] ?? 0) + 1;
	}
	const { faults } = target;
	return {
		knobs: {
			latencyMs: faults.latencyMs,
			throttleProbability: faults.throttleRate,
			retryAfterSeconds: faults.throttleRetryAfterSeconds,
			seed: faults.throttleSeed ?? null,
		},
		counts: {
			graphRequests: graph.length,
			tokenRequests: target.recorder.ofKind('token').length,
			throttled: faults.throttledCount ?? 0,
			graphStatuses,
			peakInFlight: peakInFlight(graph),
			invitations: target.invitations.length,
			invitees: perInvitee.size,
			duplicates: [...perInvitee.values()].filter((n) => n > 1).length,
		},
	};
}

/** Throws a message for the 400 answer when a value is out of range. */
export function applyKnobs(faults: FaultKnobs, values: Record<string, unknown>): void {
	const number = (name: string, min: number, max: number): number | undefined => {
		const v = values[name];
		if (v === undefined) return undefined;
		if (typeof v !== 'number' || !Number.isFinite(v) || v < min || v > max)
			throw new Error(`${name} must be a number from ${min} to ${max}.`);
		return v;
	};
	const known = ['latencyMs', 'throttleProbability', 'retryAfterSeconds', 'seed'];
	const unknown = Object.keys(values).filter((k) => !known.includes(k));
	if (unknown.length > 0) throw new Error(`Unknown knob(s): ${unknown.join(', ')}.`);
	const latencyMs = number('latencyMs', 0, 600_000);
	const probability = number('throttleProbability', 0, 1);
	const retryAfter = number('retryAfterSeconds', 0, 3600);
	const seed = values.seed === null ? null : number('seed', -(2 ** 53), 2 ** 53);
	if (latencyMs !== undefined) faults.latencyMs = latencyMs;
	if (probability !== undefined) faults.throttleRate = probability;
	if (retryAfter !== undefined) faults.throttleRetryAfterSeconds = retryAfter;
	if (seed === null) faults.throttleSeed = undefined;
	else if (seed !== undefined) faults.throttleSeed = seed;
}

/** The answer to a /_simulator/ request. */
export function handleControlRequest(
	target: ControlTarget,
	method: string,
	pathname: string,
	body: string,
): SimResponse {
	const action = pathname.slice(CONTROL_PREFIX.length);
	if (method === 'GET' && action === 'state') return jsonResponse(200, state(target));
	if (method === 'POST' && action === 'reset') {
		target.reset();
		return jsonResponse(200, state(target));
	}
	if (method === 'POST' && action === 'knobs') {
		const parsed = parseJson(body || '{}');
		if (!parsed.ok || !isJsonObject(parsed.value))
			return jsonResponse(400, { error: 'The body must be a JSON object.' });
		try {
			applyKnobs(target.faults, parsed.value);
		} catch (error) {
			return jsonResponse(400, { error: (error as Error).message });
		}
		return jsonResponse(200, state(target));
	}
	return jsonResponse(404, {
		error: `Control API: GET ${CONTROL_PREFIX}state, POST ${CONTROL_PREFIX}knobs, POST ${CONTROL_PREFIX}reset.`,
	});
}
