import { Client, ResponseType, TelemetryHandler } from '@microsoft/microsoft-graph-client';
import type { IExecuteFunctions } from 'n8n-workflow';

import { flattenHeaders } from '../../../lib/httpHeaders';
import { AdmissionHandler } from './admissionHandler';
import { BatchDispatcher } from './batchDispatcher';
import type { GraphResponse } from './graphErrors';
import { N8nHttpHandler } from './n8nHttpHandler';
import { TransportPolicy } from './policy';
import { RetryAfterHandler } from './retryAfter';
import { ThrottleGate } from './throttleGate';

export type GraphVersion = 'v1.0' | 'beta';
export type GraphMethod = 'GET' | 'POST' | 'DELETE' | 'PATCH';

/** One request, described before it is sent (a dry run prints exactly this). */
export interface GraphRequestSpec {
	method: GraphMethod;
	version: GraphVersion;
	/** Path below the version, starting with '/', every ID already validated and encoded. */
	path: string;
	headers: Record<string, string>;
	/** The serialised JSON body, so that a dry run shows the very bytes that would be sent. */
	body?: string;
}

function parseBody(text: string): unknown {
	if (!text) return undefined;
	try {
		return JSON.parse(text);
	} catch {
		return text;
	}
}

/**
 * The only module that knows HTTP. A Graph client whose middleware chain is:
 * retry (Retry-After only) → admission (concurrency, shared throttling pause) → telemetry
 * (client-request-id) → n8n's authenticated request helper.
 */
export class GraphTransport {
	private readonly client: Client;
	/** Shared by every request of the execution: how many in flight, and whether Graph asked to pause. */
	readonly gate: ThrottleGate;
	private readonly cancelSignal?: AbortSignal;
	private batcher?: BatchDispatcher;

	constructor(
		functions: IExecuteFunctions,
		readonly graphOrigin: string,
	) {
		const cancelSignal = functions.getExecutionCancelSignal?.();
		this.cancelSignal = cancelSignal;
		this.gate = new ThrottleGate(cancelSignal);
		this.client = Client.initWithMiddleware({
			baseUrl: graphOrigin,
			defaultVersion: 'v1.0',
			// The telemetry step only adds client-request-id for hosts it knows as Graph.
			customHosts: new Set([new URL(graphOrigin).hostname]),
			middleware: [
				new RetryAfterHandler(cancelSignal),
				new AdmissionHandler(this.gate),
				new TelemetryHandler(),
				new N8nHttpHandler(functions, graphOrigin),
			],
		});
	}

	urlOf(spec: Pick<GraphRequestSpec, 'version' | 'path'>): string {
		return `${this.graphOrigin}/${spec.version}${spec.path}`;
	}

	/** From now on requests travel as steps of JSON batches ($batch), through this same chain. */
	useBatching(): void {
		this.batcher ??= new BatchDispatcher(
			this.graphOrigin,
			async (spec, policy) => await this.sendNow(spec, policy),
			this.gate,
			this.cancelSignal,
		);
	}

	async send(spec: GraphRequestSpec, policy: TransportPolicy): Promise<GraphResponse> {
		if (this.batcher) return await this.batcher.submit(spec, policy);
		return await this.sendNow(spec, policy);
	}

	private async sendNow(spec: GraphRequestSpec, policy: TransportPolicy): Promise<GraphResponse> {
		const request = this.client
			.api(spec.path)
			.version(spec.version)
			.headers(spec.headers)
			.middlewareOptions([policy])
			.responseType(ResponseType.RAW);
		let raw: Response;
		switch (spec.method) {
			case 'POST':
				raw = (await request.post(spec.body ?? '')) as Response;
				break;
			case 'PATCH':
				raw = (await request.patch(spec.body ?? '')) as Response;
				break;
			case 'DELETE':
				raw = (await request.delete()) as Response;
				break;
			default:
				raw = (await request.get()) as Response;
		}
		const text = await raw.text();
		return {
			status: raw.status,
			headers: flattenHeaders(Object.fromEntries(raw.headers.entries())),
			body: parseBody(text),
		};
	}
}
