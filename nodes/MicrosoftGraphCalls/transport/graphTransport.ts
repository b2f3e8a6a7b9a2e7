import type { Client } from '@microsoft/microsoft-graph-client';
import { randomUUID } from 'crypto';
import { NodeOperationError, type IDataObject } from 'n8n-workflow';

import { isJsonObject } from '../../../lib/jsonObject';
import { BatchDispatcher } from './batchDispatcher';
import { createGraphClient, sendThroughClient } from './graphClient';
import { GraphApiError, graphApiErrorFrom, transportApiError } from './graphErrors';
import { ThrottleGate } from './throttleGate';
import { TransportError } from './transportErrors';
import type {
	ActionProfile,
	GraphCall,
	GraphRequestSpec,
	GraphResponse,
	GraphResult,
	RequestSettings,
	TransportFunctions,
} from './types';

/** The headers every request carries, before the user's own. */
function standardHeaders(custom: Record<string, string>, hasBody: boolean): Record<string, string> {
	const headers: Record<string, string> = { Accept: 'application/json' };
	if (hasBody) headers['Content-Type'] = 'application/json';
	// Set here rather than by the telemetry step, so a dry run shows the ID the request would carry.
	if (!Object.keys(custom).some((name) => name.toLowerCase() === 'client-request-id')) {
		headers['client-request-id'] = randomUUID();
	}
	return { ...headers, ...custom };
}

/** The exact request for an operation's call: version, headers and the serialised body. */
export function specFor(call: GraphCall, settings: RequestSettings): GraphRequestSpec {
	const hasBody = call.body !== undefined;
	return {
		method: call.method,
		version: settings.version,
		path: call.path,
		headers: standardHeaders(settings.headers, hasBody),
		...(hasBody ? { body: JSON.stringify(call.body) } : {}),
	};
}

/** What Include Response Metadata adds to an item: the answer's status and Graph's IDs. */
export function responseMetadata(response: GraphResponse): IDataObject {
	const diagnostic = response.headers['x-ms-ags-diagnostic'];
	let parsedDiagnostic: unknown = diagnostic;
	try {
		parsedDiagnostic = diagnostic ? JSON.parse(diagnostic) : undefined;
	} catch {
		// Kept as text: Graph does not promise JSON in this header.
	}
	return {
		status: response.status,
		requestId: response.headers['request-id'],
		clientRequestId: response.headers['client-request-id'],
		location: response.headers.location,
		agsDiagnostic: parsedDiagnostic as IDataObject | string | undefined,
		date: response.headers.date,
	};
}

/** How one execution sends its requests (see actions/executionPlan.ts). */
export interface SendingPlan {
	/** HTTP requests in flight at once (with batching: batches in flight). */
	concurrency: number;
	useJsonBatching: boolean;
}

/**
 * The one way to Graph. Operations and the outcome waiter call it; it alone decides dry runs,
 * headers, batching, retries (in the client's chain), the shared throttling pause, and how an
 * answer becomes an item or an error. Token requests are the credential's own business
 * (lib/entra): the credential cannot import node code.
 */
export class GraphTransport {
	private readonly client: Client;
	/** Shared by every request of the execution: how many in flight, and whether Graph asked to pause. */
	private readonly gate: ThrottleGate;
	private readonly cancelSignal?: AbortSignal;
	private batcher?: BatchDispatcher;

	constructor(
		private readonly functions: TransportFunctions,
		readonly graphOrigin: string,
		/** The credential's app, named in hints. */
		private readonly clientId: string,
	) {
		// An execution can be cancelled; a webhook's requests end with the webhook.
		this.cancelSignal =
			'getExecutionCancelSignal' in functions ? functions.getExecutionCancelSignal?.() : undefined;
		this.gate = new ThrottleGate(this.cancelSignal);
		this.client = createGraphClient(functions, graphOrigin, this.gate, this.cancelSignal);
	}

	/** Sets the most requests in flight (the gate adapts below it), and whether they travel in JSON batches. */
	configure(plan: SendingPlan): void {
		this.gate.setCeiling(plan.concurrency);
		if (plan.useJsonBatching) {
			this.batcher ??= new BatchDispatcher(
				this.graphOrigin,
				async (spec, policy) => await sendThroughClient(this.client, spec, policy),
				this.gate,
				this.cancelSignal,
			);
		}
	}

	urlOf(spec: Pick<GraphRequestSpec, 'version' | 'path'>): string {
		return `${this.graphOrigin}/${spec.version}${spec.path}`;
	}

	/**
	 * One exchange, whatever Graph answers: for callers that decide on the status themselves
	 * (the outcome waiter). Throws a TransportError when no answer came back.
	 */
	async exchange(
		call: GraphCall,
		settings: RequestSettings,
		policy = settings.policy,
	): Promise<GraphResponse> {
		const spec = specFor(call, settings);
		if (this.batcher) return await this.batcher.submit(spec, policy);
		return await sendThroughClient(this.client, spec, policy);
	}

	/**
	 * One operation's request: in a dry run its description; otherwise Graph's JSON answer (a
	 * success item for an empty one), or a GraphApiError with status, code, request-id and a hint.
	 */
	async request(
		call: GraphCall,
		settings: RequestSettings,
		profile: ActionProfile,
		itemIndex: number,
	): Promise<GraphResult> {
		const node = this.functions.getNode();
		if (settings.dryRun) {
			const spec = specFor(call, settings);
			return {
				sent: false,
				json: {
					dryRun: true,
					method: spec.method,
					url: this.urlOf(spec),
					headers: spec.headers,
					body: spec.body === undefined ? null : (JSON.parse(spec.body) as IDataObject),
					note: 'Nothing was sent. The Authorization header is added only when the request is really sent.',
				},
			};
		}
		let response: GraphResponse;
		try {
			response = await this.exchange(call, settings);
		} catch (error) {
			if (error instanceof TransportError) throw transportApiError(node, error, itemIndex);
			throw new NodeOperationError(node, error as Error, { itemIndex });
		}
		if (response.status < 200 || response.status >= 300) {
			throw graphApiErrorFrom(node, response, profile, {
				clientId: this.clientId,
				maxRetries: settings.policy.maxRetries,
				itemIndex,
			});
		}
		let json: IDataObject;
		if (response.body === undefined) json = { success: true, status: response.status };
		else if (isJsonObject(response.body)) json = response.body as IDataObject;
		else {
			throw new GraphApiError(
				node,
				`Graph answered ${response.status} to the ${profile.action} request, but its body is not a JSON object.`,
				{
					status: response.status,
					code: 'malformedResponse',
					requestId: response.headers['request-id'],
					hint: "Graph may have acted on the request; it was not repeated. Check the call's participants before running again.",
				},
				itemIndex,
			);
		}
		if (settings.includeResponseMetadata) {
			json = { ...json, responseMetadata: responseMetadata(response) };
		}
		return { sent: true, json, response };
	}
}
