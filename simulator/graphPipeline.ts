/**
 * The path every Graph request (and every $batch step) takes: injected fault, throttling,
 * token check, routing. Faults come first on purpose: they model failures in front of the
 * service (gateways, throttling), which happen whether or not the request was any good.
 */
import type { AccessTokenClaims } from './accessTokens';
import type { ApiVersion } from './callsApi';
import type { SimulatorContext } from './context';
import { MALFORMED_BODY, oversizedResult, statusFaultResult, throttleResult } from './faults';
import { authenticateGraphRequest } from './graphAuth';
import type { GraphRequestIds, GraphResult } from './graphErrors';
import { routeGraphCall } from './graphRouter';
import type { RecordedRequest } from './types';

export interface GraphStep {
	method: string;
	apiVersion: ApiVersion;
	/** Decoded path segments after the version. */
	segments: string[];
	body: string;
	/** The query string (online meetings' $filter, call records' $expand and paging). */
	query?: URLSearchParams;
}

/** Either the Authorization header still to check, or claims already checked (by the $batch envelope). */
export type GraphCaller = { authorization: string | undefined } | { claims: AccessTokenClaims };

export interface StepOutcome {
	result: GraphResult;
	/** What happens to the connection instead of (or after) answering. */
	connection?: 'reset' | 'hang';
	fault?: RecordedRequest['fault'];
}

/** Placeholder result for outcomes that never reach the wire. */
const NO_ANSWER: GraphResult = { status: 0 };

function processStep(
	ctx: SimulatorContext,
	step: GraphStep,
	caller: GraphCaller,
	ids: GraphRequestIds,
	batchStepId?: string,
): GraphResult {
	let claims: AccessTokenClaims;
	if ('claims' in caller) {
		claims = caller.claims;
	} else {
		const auth = authenticateGraphRequest(ctx, caller.authorization);
		if (!auth.ok) return auth.result;
		claims = auth.claims;
	}
	return routeGraphCall(
		ctx,
		{ claims, ids, apiVersion: step.apiVersion, batchStepId },
		step.method,
		step.segments,
		step.body,
		step.query,
	);
}

/** One Graph request or $batch step: consumes at most one queued fault, then maybe throttles, then processes. */
export function executeGraphStep(
	ctx: SimulatorContext,
	step: GraphStep,
	caller: GraphCaller,
	ids: GraphRequestIds,
	batchStepId?: string,
): StepOutcome {
	const fault = ctx.faults.nextGraphFaults.shift();
	if (fault && fault.kind !== 'pass') {
		switch (fault.kind) {
			case 'status':
				return { result: statusFaultResult(fault), fault: fault.kind };
			case 'reset':
				return { result: NO_ANSWER, connection: 'reset', fault: fault.kind };
			case 'hang':
				return { result: NO_ANSWER, connection: 'hang', fault: fault.kind };
			case 'malformed':
				return { result: { status: 200, rawBody: MALFORMED_BODY }, fault: fault.kind };
			case 'answer':
				return {
					result: { status: fault.status, headers: fault.headers, rawBody: fault.body ?? '' },
					fault: fault.kind,
				};
			case 'oversized':
				return { result: oversizedResult(fault), fault: fault.kind };
			case 'resetAfterProcessing':
				// The dangerous case: the work is done, the client never learns it.
				return {
					result: processStep(ctx, step, caller, ids, batchStepId),
					connection: 'reset',
					fault: fault.kind,
				};
		}
	}
	const only = ctx.faults.throttleOnly;
	const throttled =
		only && !only.test(`${step.method} /${step.apiVersion}/${step.segments.join('/')}`)
			? undefined
			: throttleResult(
					ctx.faults,
					`${step.method} ${step.apiVersion}/${step.segments.join('/').toLowerCase()} ${step.body}`,
				);
	if (throttled) return { result: throttled, fault: 'throttle' };
	return { result: processStep(ctx, step, caller, ids, batchStepId) };
}

export function parseApiVersion(segment: string | undefined): ApiVersion | undefined {
	const lower = segment?.toLowerCase();
	return lower === 'v1.0' ? 'v1.0' : lower === 'beta' ? 'beta' : undefined;
}
