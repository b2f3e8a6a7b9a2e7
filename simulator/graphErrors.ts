/**
 * Microsoft Graph answer shapes: the headers every Graph answer carries, and the error body
 * { error: { code, message, innerError: { date, request-id, client-request-id } } }.
 * Handlers return a GraphResult; rendering adds the per-request ids, so the ids in the body
 * and in the headers always agree.
 */
import type { JsonObject, JsonValue } from './json';
import type { SimResponse } from './responses';

export interface GraphResult {
	status: number;
	headers?: Record<string, string> | undefined;
	body?: JsonValue;
	/** Rendered as Graph's error shape with innerError filled in. */
	error?: { code: string; message: string };
	/** Sent verbatim as the body (the 'malformed' fault). */
	rawBody?: string;
}

export interface GraphRequestIds {
	requestId: string;
	clientRequestId: string;
}

/** Graph uses JSON for every body, errors included. */
export const GRAPH_CONTENT_TYPE = 'application/json';

const AGS_DIAGNOSTIC = JSON.stringify({
	ServerInfo: {
		DataCenter: 'Simulator',
		Slice: 'E',
		Ring: '1',
		ScaleUnit: '000',
		RoleInstance: 'SIM',
	},
});

const DEFAULT_ERRORS: Record<number, { code: string; message: string }> = {
	400: { code: 'BadRequest', message: 'The request is invalid.' },
	401: { code: 'InvalidAuthenticationToken', message: 'Access token validation failure.' },
	403: { code: 'Forbidden', message: 'Access is denied to the requested resource.' },
	404: { code: 'NotFound', message: 'The requested resource was not found.' },
	405: {
		code: 'Request_BadRequest',
		message: 'Specified HTTP method is not allowed for the request target.',
	},
	409: {
		code: 'Conflict',
		message: 'The request conflicts with the current state of the resource.',
	},
	413: { code: 'RequestEntityTooLarge', message: 'The request body is larger than 1 MiB.' },
	424: { code: 'FailedDependency', message: 'A request this request depends on failed.' },
	429: {
		code: 'TooManyRequests',
		message: 'Too many requests. Wait for the interval in the Retry-After header and try again.',
	},
	500: { code: 'InternalServerError', message: 'An internal server error occurred.' },
	502: {
		code: 'BadGateway',
		message: 'The service received an invalid response from an upstream server.',
	},
	503: {
		code: 'ServiceUnavailable',
		message: 'The service is temporarily unavailable. Try again later.',
	},
	504: { code: 'GatewayTimeout', message: 'The gateway timed out waiting for the service.' },
};

export function defaultGraphError(status: number): { code: string; message: string } {
	return (
		DEFAULT_ERRORS[status] ?? {
			code: status >= 500 ? 'UnknownError' : 'BadRequest',
			message: `Simulated HTTP ${status}.`,
		}
	);
}

/**
 * 405, as concepts/json-batching.md's example answer shows Graph's: code Request_BadRequest,
 * "Specified HTTP method is not allowed for the request target."
 */
export function methodNotAllowedError(headers?: Record<string, string>): GraphResult {
	return graphError(
		405,
		'Request_BadRequest',
		'Specified HTTP method is not allowed for the request target.',
		headers,
	);
}

export function graphError(
	status: number,
	code: string,
	message: string,
	headers?: Record<string, string>,
): GraphResult {
	return { status, error: { code, message }, headers };
}

/** Graph's innerError.date: ISO 8601 without fractions or zone. */
function innerErrorDate(): string {
	return new Date().toISOString().slice(0, 19);
}

/** The body as JSON (undefined when there is none); errors gain innerError here. */
export function graphResultBody(result: GraphResult, ids: GraphRequestIds): JsonValue | undefined {
	if (!result.error) return result.body;
	const error: JsonObject = {
		code: result.error.code,
		message: result.error.message,
		innerError: {
			date: innerErrorDate(),
			'request-id': ids.requestId,
			'client-request-id': ids.clientRequestId,
		},
	};
	return { error };
}

/** Headers of every Graph answer, whatever the status. */
export function graphCommonHeaders(ids: GraphRequestIds): Record<string, string> {
	return {
		'request-id': ids.requestId,
		'client-request-id': ids.clientRequestId,
		'x-ms-ags-diagnostic': AGS_DIAGNOSTIC,
		date: new Date().toUTCString(),
		'cache-control': 'no-cache',
		'strict-transport-security': 'max-age=31536000',
	};
}

export function renderGraphResponse(result: GraphResult, ids: GraphRequestIds): SimResponse {
	const headers: Record<string, string> = { ...graphCommonHeaders(ids), ...(result.headers ?? {}) };
	if (result.rawBody !== undefined) {
		return {
			status: result.status,
			headers: { ...headers, 'content-type': GRAPH_CONTENT_TYPE },
			body: result.rawBody,
		};
	}
	const body = graphResultBody(result, ids);
	if (body === undefined) return { status: result.status, headers };
	return {
		status: result.status,
		headers: { ...headers, 'content-type': GRAPH_CONTENT_TYPE },
		body: JSON.stringify(body),
	};
}
