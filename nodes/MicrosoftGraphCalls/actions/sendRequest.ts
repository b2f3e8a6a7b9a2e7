import { randomUUID } from 'crypto';

import { NodeOperationError, type IDataObject, type IExecuteFunctions } from 'n8n-workflow';

import type { RequestOptions } from '../helpers/requestOptions';
import {
	GraphApiError,
	graphApiErrorFrom,
	transportApiError,
	type GraphResponse,
} from '../transport/graphErrors';
import type { GraphRequestSpec } from '../transport/graphTransport';
import { TransportError } from '../transport/transportErrors';
import type { OperationContext } from './context';

/** The headers every request carries, before the user's own. */
export function standardHeaders(
	custom: Record<string, string>,
	hasBody: boolean,
): Record<string, string> {
	const headers: Record<string, string> = { Accept: 'application/json' };
	if (hasBody) headers['Content-Type'] = 'application/json';
	// Set here rather than by the telemetry step, so a dry run shows the ID the request would carry.
	if (!Object.keys(custom).some((name) => name.toLowerCase() === 'client-request-id'))
		headers['client-request-id'] = randomUUID();
	return { ...headers, ...custom };
}

function responseMetadata(response: GraphResponse): IDataObject {
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

export interface SendOutcome {
	json: IDataObject;
	response?: GraphResponse;
}

/**
 * Sends one request (or, in a dry run, describes it) and returns the item's JSON.
 * Every failure leaves as a GraphApiError carrying status, code, request-id and a hint.
 */
export async function sendGraphRequest(
	this: IExecuteFunctions,
	itemIndex: number,
	context: OperationContext,
	spec: GraphRequestSpec,
	options: RequestOptions,
	action: string,
): Promise<SendOutcome> {
	if (options.dryRun) {
		return {
			json: {
				dryRun: true,
				method: spec.method,
				url: context.transport.urlOf(spec),
				headers: spec.headers,
				body: spec.body === undefined ? null : (JSON.parse(spec.body) as IDataObject),
				note: 'Nothing was sent. The Authorization header is added only when the request is really sent.',
			},
		};
	}
	let response: GraphResponse;
	try {
		response = await context.transport.send(spec, options.policy);
	} catch (error) {
		if (error instanceof TransportError) throw transportApiError(this.getNode(), error, itemIndex);
		throw new NodeOperationError(this.getNode(), error as Error, { itemIndex });
	}
	const hints = {
		action,
		clientId: context.settings.clientId,
		maxRetries: options.policy.maxRetries,
	};
	if (response.status < 200 || response.status >= 300)
		throw graphApiErrorFrom(this.getNode(), response, hints, itemIndex);
	let json: IDataObject;
	if (response.body === undefined) json = { success: true, status: response.status };
	else if (response.body && typeof response.body === 'object' && !Array.isArray(response.body))
		json = response.body as IDataObject;
	else {
		throw new GraphApiError(
			this.getNode(),
			`Graph answered ${response.status} to the ${action} request, but its body is not a JSON object.`,
			{
				status: response.status,
				code: 'malformedResponse',
				requestId: response.headers['request-id'],
				hint: "Graph may have acted on the request; it was not repeated. Check the call's participants before running again.",
			},
			itemIndex,
		);
	}
	if (options.includeResponseMetadata)
		json = { ...json, responseMetadata: responseMetadata(response) };
	return { json, response };
}
