import { Client, ResponseType, TelemetryHandler } from '@microsoft/microsoft-graph-client';

import { flattenHeaders } from '../../../lib/httpHeaders';
import { AdmissionHandler } from './admissionHandler';
import { N8nHttpHandler } from './n8nHttpHandler';
import type { TransportFunctions, TransportPolicy } from './types';
import { RetryAfterHandler } from './retryAfter';
import type { ThrottleGate } from './throttleGate';
import type { GraphRequestSpec, GraphResponse } from './types';

function parseBody(text: string): unknown {
	if (!text) return undefined;
	try {
		return JSON.parse(text);
	} catch {
		return text;
	}
}

/**
 * A Graph client whose middleware chain is: retry (Retry-After only) → admission (concurrency,
 * shared throttling pause) → telemetry (client-request-id) → n8n's authenticated request helper,
 * which alone puts the request on the wire.
 */
export function createGraphClient(
	functions: TransportFunctions,
	graphOrigin: string,
	gate: ThrottleGate,
	cancelSignal: AbortSignal | undefined,
): Client {
	return Client.initWithMiddleware({
		baseUrl: graphOrigin,
		defaultVersion: 'v1.0',
		// The telemetry step only adds client-request-id for hosts it knows as Graph.
		customHosts: new Set([new URL(graphOrigin).hostname]),
		middleware: [
			new RetryAfterHandler(cancelSignal),
			new AdmissionHandler(gate),
			new TelemetryHandler(),
			new N8nHttpHandler(functions, graphOrigin),
		],
	});
}

/** One request through the chain, its answer read whatever its status. */
export async function sendThroughClient(
	client: Client,
	spec: GraphRequestSpec,
	policy: TransportPolicy,
): Promise<GraphResponse> {
	const request = client
		.api(spec.path)
		.version(spec.version)
		.headers(spec.headers)
		.middlewareOptions([policy])
		.responseType(ResponseType.RAW);
	let raw: Response;
	if (spec.method === 'POST') raw = (await request.post(spec.body ?? '')) as Response;
	else if (spec.method === 'DELETE') raw = (await request.delete()) as Response;
	else raw = (await request.get()) as Response;
	const text = await raw.text();
	return {
		status: raw.status,
		headers: flattenHeaders(Object.fromEntries(raw.headers.entries())),
		body: parseBody(text),
	};
}
