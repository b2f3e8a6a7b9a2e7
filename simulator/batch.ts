/**
 * JSON batching: POST /{version}/$batch with { requests: [{ id, method, url, headers, body, dependsOn }] }.
 * The envelope is authenticated once and is not itself subject to fault knobs; each step runs
 * through executeGraphStep, so queued faults and throttling hit steps one by one, in order.
 *
 * Connection-level faults cannot be scoped to a step, so they affect the whole batch answer:
 * 'reset' stops at that step (earlier steps stay processed) and drops the connection;
 * 'resetAfterProcessing' lets every step run, then drops it; 'hang' never answers;
 * 'malformed' turns the whole answer into non-JSON.
 */
import type { AccessTokenClaims } from './accessTokens';
import type { ApiVersion } from './callsApi';
import { MAX_BATCH_STEPS } from './constants';
import type { SimulatorContext } from './context';
import { MALFORMED_BODY } from './faults';
import { authenticateGraphRequest } from './graphAuth';
import {
	GRAPH_CONTENT_TYPE,
	graphError,
	graphResultBody,
	methodNotAllowedError,
	renderGraphResponse,
	type GraphRequestIds,
	type GraphResult,
} from './graphErrors';
import { executeGraphStep, parseApiVersion } from './graphPipeline';
import { UNREADABLE_JSON_MESSAGE } from './inviteValidation';
import { isJsonObject, parseJson, type JsonObject, type JsonValue } from './json';
import type { IncomingRequest } from './recorder';
import { respond, type HandlerResult } from './responses';
import type { RecordedRequest } from './types';

interface BatchStep {
	id: string;
	method: string;
	segments: string[];
	body: string;
	dependsOn: string[];
}

class BatchRejection {
	constructor(readonly text: string) {}
}

function lowerCaseHeaders(value: JsonValue | undefined, id: string): Record<string, string> {
	if (value === undefined || value === null) return {};
	if (!isJsonObject(value))
		throw new BatchRejection(`Request id ${id}: headers must be an object.`);
	const headers: Record<string, string> = {};
	for (const [name, v] of Object.entries(value)) {
		if (typeof v === 'string') headers[name.toLowerCase()] = v;
	}
	return headers;
}

/** Step URLs are relative to the batch's version ('/communications/...' or 'communications/...'). */
function stepSegments(url: string, id: string): string[] {
	if (/^[a-z][a-z0-9+.-]*:/i.test(url) || url.startsWith('//')) {
		throw new BatchRejection(
			`Request id ${id}: url must be relative to the batch endpoint, for example '/communications/calls/{id}'.`,
		);
	}
	const path = url.split('?')[0] ?? '';
	const segments = path
		.split('/')
		.filter(Boolean)
		.map((s) => {
			try {
				return decodeURIComponent(s);
			} catch {
				return s;
			}
		});
	if (parseApiVersion(segments[0])) {
		throw new BatchRejection(
			`Request id ${id}: url must not repeat the API version; it is relative to the batch endpoint.`,
		);
	}
	return segments;
}

function parseStep(value: JsonValue, index: number, seen: Set<string>): BatchStep {
	if (!isJsonObject(value)) throw new BatchRejection(`requests[${index}] must be an object.`);
	const { id, method, url } = value;
	if (typeof id !== 'string' || !id)
		throw new BatchRejection(`requests[${index}].id is required and must be a string.`);
	if (seen.has(id))
		throw new BatchRejection(`Batch request ids must be unique; '${id}' appears more than once.`);
	seen.add(id);
	if (typeof method !== 'string' || !method)
		throw new BatchRejection(`Request id ${id}: method is required.`);
	if (typeof url !== 'string' || !url)
		throw new BatchRejection(`Request id ${id}: url is required.`);
	const headers = lowerCaseHeaders(value.headers, id);
	const hasBody = value.body !== undefined && value.body !== null;
	// Graph refuses a step with a body but no Content-Type (message as Graph words it).
	if (hasBody && !headers['content-type']) {
		throw new BatchRejection(
			`Write request id : ${id} does not contain Content-Type header or body.`,
		);
	}
	const dependsOn = value.dependsOn;
	if (
		dependsOn !== undefined &&
		(!Array.isArray(dependsOn) ||
			dependsOn.some((d) => typeof d !== 'string' || !seen.has(d) || d === id))
	) {
		throw new BatchRejection(`Request id ${id}: dependsOn must name earlier request ids.`);
	}
	return {
		id,
		method: method.toUpperCase(),
		segments: stepSegments(url, id),
		body: hasBody ? JSON.stringify(value.body) : '',
		dependsOn: Array.isArray(dependsOn)
			? dependsOn.filter((d): d is string => typeof d === 'string')
			: [],
	};
}

function parseBatch(body: string): BatchStep[] {
	const parsed = parseJson(body);
	if (!parsed.ok) throw new BatchRejection(UNREADABLE_JSON_MESSAGE);
	if (!isJsonObject(parsed.value) || !Array.isArray(parsed.value.requests)) {
		throw new BatchRejection("Invalid batch payload format: a 'requests' array is required.");
	}
	const requests = parsed.value.requests;
	if (requests.length === 0)
		throw new BatchRejection('The batch must contain at least one request.');
	if (requests.length > MAX_BATCH_STEPS) {
		throw new BatchRejection(
			`The number of requests in the batch (${requests.length}) exceeds the limit of ${MAX_BATCH_STEPS}.`,
		);
	}
	const seen = new Set<string>();
	return requests.map((r, i) => parseStep(r, i, seen));
}

function stepResponse(id: string, result: GraphResult, ids: GraphRequestIds): JsonObject {
	const body = graphResultBody(result, ids);
	const headers: Record<string, string> = { ...(result.headers ?? {}) };
	if (body !== undefined) headers['content-type'] = GRAPH_CONTENT_TYPE;
	const response: JsonObject = { id, status: result.status, headers };
	if (body !== undefined) response.body = body;
	return response;
}

function runSteps(
	ctx: SimulatorContext,
	steps: BatchStep[],
	claims: AccessTokenClaims,
	ids: GraphRequestIds,
	apiVersion: ApiVersion,
	record: RecordedRequest,
): HandlerResult {
	const responses: JsonObject[] = [];
	const statusById = new Map<string, number>();
	let resetAtEnd = false;
	let malformed = false;
	for (const step of steps) {
		if (step.dependsOn.some((d) => (statusById.get(d) ?? 0) >= 400)) {
			const failed = graphError(
				424,
				'FailedDependency',
				'A request this request depends on failed.',
			);
			statusById.set(step.id, 424);
			responses.push(stepResponse(step.id, failed, ids));
			continue;
		}
		const outcome = executeGraphStep(
			ctx,
			{ method: step.method, apiVersion, segments: step.segments, body: step.body },
			{ claims },
			ids,
			step.id,
		);
		if (outcome.fault) record.fault = outcome.fault;
		if (outcome.connection === 'hang') return { kind: 'hang' };
		if (outcome.connection === 'reset' && outcome.fault === 'reset') return { kind: 'reset' };
		if (outcome.connection === 'reset') resetAtEnd = true;
		if (outcome.fault === 'malformed') malformed = true;
		statusById.set(step.id, outcome.result.status);
		responses.push(stepResponse(step.id, outcome.result, ids));
	}
	if (resetAtEnd) return { kind: 'reset' };
	if (malformed) return respond(renderGraphResponse({ status: 200, rawBody: MALFORMED_BODY }, ids));
	return respond(renderGraphResponse({ status: 200, body: { responses } }, ids));
}

export function handleBatch(
	ctx: SimulatorContext,
	request: IncomingRequest,
	record: RecordedRequest,
	ids: GraphRequestIds,
	apiVersion: ApiVersion,
): HandlerResult {
	if (request.method !== 'POST') {
		const result = methodNotAllowedError({ allow: 'POST' });
		return respond(renderGraphResponse(result, ids));
	}
	const auth = authenticateGraphRequest(ctx, request.headers.authorization);
	if (!auth.ok) return respond(renderGraphResponse(auth.result, ids));
	let steps: BatchStep[];
	try {
		steps = parseBatch(request.body);
	} catch (error) {
		if (!(error instanceof BatchRejection)) throw error;
		return respond(renderGraphResponse(graphError(400, 'BadRequest', error.text), ids));
	}
	return runSteps(ctx, steps, auth.claims, ids, apiVersion, record);
}
