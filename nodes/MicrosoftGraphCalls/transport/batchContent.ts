import {
	BatchRequestContent,
	BatchResponseContent,
	type BatchRequestStep,
} from '@microsoft/microsoft-graph-client';

import { flattenHeaders } from '../../../lib/httpHeaders';
import type { GraphRequestSpec, GraphResponse } from './types';

/** Graph's limit on the steps of one JSON batch (BatchRequestContent enforces it as well). */
export const MAX_BATCH_STEPS = 20;

/** Step ids are the 1-based positions in the batch: unique, and meaningless outside it. */
export function stepId(position: number): string {
	return String(position + 1);
}

/**
 * The $batch request body for these requests, built with the Graph client's BatchRequestContent.
 * Step URLs must be relative to the batch's version: the client strips scheme and host, so
 * each request is addressed as origin + path, without the version.
 */
export async function buildBatchBody(
	graphOrigin: string,
	specs: GraphRequestSpec[],
): Promise<string> {
	const steps: BatchRequestStep[] = specs.map((spec, position) => ({
		id: stepId(position),
		request: new Request(`${graphOrigin}${spec.path}`, {
			method: spec.method,
			headers: spec.headers,
			body: spec.body,
		}),
	}));
	return JSON.stringify(await new BatchRequestContent(steps).getContent());
}

interface StepJson {
	id?: unknown;
	status?: unknown;
	headers?: unknown;
	body?: unknown;
}

/**
 * BatchResponseContent serialises a step's JSON body only when its headers spell
 * "Content-Type" exactly so; Graph (and the simulator) may send it in lower case.
 */
function normalised(step: StepJson): StepJson {
	const headers: Record<string, string> = {};
	for (const [name, value] of Object.entries(flattenHeaders(step.headers))) {
		headers[name === 'content-type' ? 'Content-Type' : name] = value;
	}
	const isJsonBody = step.body !== undefined && step.body !== null && typeof step.body === 'object';
	if (isJsonBody && !/json/i.test(headers['Content-Type'] ?? ''))
		headers['Content-Type'] = 'application/json';
	return { ...step, headers };
}

/** Each step's answer by step id, read with BatchResponseContent; undefined when the envelope is not a batch answer. */
export function readBatchAnswer(envelope: GraphResponse): Map<string, Response> | undefined {
	const body = envelope.body as { responses?: unknown } | undefined;
	if (
		envelope.status < 200 ||
		envelope.status >= 300 ||
		!body ||
		typeof body !== 'object' ||
		!Array.isArray(body.responses)
	)
		return undefined;
	const responses = (body.responses as unknown[])
		.filter((r): r is StepJson => !!r && typeof r === 'object')
		.map(normalised);
	return new BatchResponseContent({ responses }).getResponses();
}

/** A step's answer in the shape every item's result is read from, with the envelope's ids where the step has none. */
export async function stepResponse(
	answer: Response,
	envelope: GraphResponse,
): Promise<GraphResponse> {
	const headers = flattenHeaders(Object.fromEntries(answer.headers.entries()));
	for (const name of ['request-id', 'client-request-id', 'date', 'x-ms-ags-diagnostic']) {
		if (headers[name] === undefined && envelope.headers[name] !== undefined)
			headers[name] = envelope.headers[name];
	}
	const text = await answer.text();
	let body: unknown;
	try {
		body = text ? JSON.parse(text) : undefined;
	} catch {
		body = text;
	}
	return { status: answer.status, headers, body };
}

/**
 * What an item gets when its step has no answer of its own: the envelope's error when Graph
 * refused the whole batch, else the envelope with its body as text, so that the item fails as
 * "not a JSON object" and is not repeated (Graph may have run the step).
 */
export function envelopeAsStepResponse(envelope: GraphResponse): GraphResponse {
	if (envelope.status < 200 || envelope.status >= 300) return envelope;
	const text =
		typeof envelope.body === 'string'
			? envelope.body
			: `the $batch answer holds no response for this request: ${JSON.stringify(envelope.body ?? null).slice(0, 200)}`;
	return { status: envelope.status, headers: envelope.headers, body: text };
}
