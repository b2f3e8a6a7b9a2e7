/**
 * Entry point for requests under /v1.0 and /beta: assigns the request ids, applies the latency
 * knob once per HTTP request, and sends $batch envelopes to the batch handler.
 */
import { setTimeout as sleep } from 'node:timers/promises';

import { handleBatch } from './batch';
import type { SimulatorContext } from './context';
import { renderGraphResponse, type GraphRequestIds } from './graphErrors';
import { executeGraphStep, parseApiVersion } from './graphPipeline';
import { newId } from './ids';
import type { IncomingRequest } from './recorder';
import { respond, type HandlerResult } from './responses';
import type { RecordedRequest } from './types';

export async function handleGraphRequest(
	ctx: SimulatorContext,
	request: IncomingRequest,
	record: RecordedRequest,
	segments: string[],
): Promise<HandlerResult> {
	const ids: GraphRequestIds = {
		requestId: newId(),
		clientRequestId: request.headers['client-request-id'] || newId(),
	};
	record.requestId = ids.requestId;
	if (ctx.faults.latencyMs > 0) await sleep(ctx.faults.latencyMs);

	const [versionSegment, ...rest] = segments;
	const apiVersion = parseApiVersion(versionSegment) ?? 'v1.0';
	if (rest.length === 1 && rest[0]?.toLowerCase() === '$batch') {
		return handleBatch(ctx, request, record, ids, apiVersion);
	}
	const outcome = executeGraphStep(
		ctx,
		{
			method: request.method,
			apiVersion,
			segments: rest,
			body: request.body,
			query: request.query,
		},
		{ authorization: request.headers.authorization },
		ids,
	);
	record.fault = outcome.fault;
	if (outcome.connection) return { kind: outcome.connection };
	return respond(renderGraphResponse(outcome.result, ids));
}
