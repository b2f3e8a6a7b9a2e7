/**
 * Entra ID (AADSTS) error answers in the exact shape the v2.0 token endpoint uses, including
 * the CRLF-separated trailer in error_description that msal-node and people parse.
 */
import { newId } from './ids';
import type { SimResponse } from './responses';

export interface EntraErrorSpec {
	status: number;
	/** OAuth error: invalid_request, invalid_client, unauthorized_client, invalid_scope, ... */
	error: string;
	code: number;
	/** Text after 'AADSTSnnnn: ' (without the trace trailer). */
	message: string;
}

/** Entra's own format: 'YYYY-MM-DD HH:MM:SSZ'. */
function entraTimestamp(date: Date): string {
	return `${date.toISOString().slice(0, 19).replace('T', ' ')}Z`;
}

/** Headers every Entra token-endpoint answer carries. */
export function entraHeaders(
	traceId: string,
	clientRequestId: string | undefined,
): Record<string, string> {
	const headers: Record<string, string> = {
		'content-type': 'application/json; charset=utf-8',
		'cache-control': 'no-store, no-cache',
		pragma: 'no-cache',
		'x-ms-request-id': traceId,
		'x-ms-ests-server': '2.1.0 - SIM ProdSlices',
	};
	if (clientRequestId) headers['client-request-id'] = clientRequestId;
	return headers;
}

/**
 * Builds the error answer. Entra uses the caller's client-request-id as the correlation id,
 * so logs on both sides can be joined; without one it makes one up.
 */
export function entraErrorResponse(
	origin: string,
	spec: EntraErrorSpec,
	clientRequestId?: string,
): SimResponse & { traceId: string } {
	const traceId = newId();
	const correlationId = clientRequestId ?? newId();
	const timestamp = entraTimestamp(new Date());
	const body = {
		error: spec.error,
		error_description: `AADSTS${spec.code}: ${spec.message}\r\nTrace ID: ${traceId}\r\nCorrelation ID: ${correlationId}\r\nTimestamp: ${timestamp}`,
		error_codes: [spec.code],
		timestamp,
		trace_id: traceId,
		correlation_id: correlationId,
		error_uri: `${origin}/error?code=${spec.code}`,
	};
	return {
		status: spec.status,
		headers: entraHeaders(traceId, clientRequestId),
		body: JSON.stringify(body),
		traceId,
	};
}

/** Details that fill the placeholders of the standard messages below. */
export interface EntraMessageDetails {
	clientId: string;
	tenant: string;
	appName?: string | undefined;
	scope?: string | undefined;
	grantType?: string | undefined;
	parameter?: string | undefined;
}

interface KnownCode {
	status: number;
	error: string;
	message: (d: EntraMessageDetails) => string;
}

/**
 * The codes the simulator produces on its own, with the status and OAuth error Entra pairs
 * with each. Injected faults (TokenFault 'aadsts') reuse this table for their defaults.
 */
export const ENTRA_CODES: Record<number, KnownCode> = {
	50059: {
		status: 400,
		error: 'invalid_request',
		message: () =>
			'No tenant-identifying information found in either the request or implied by any provided credentials. ' +
			'Use a tenant-specific endpoint (tenant GUID or domain) for app-only tokens.',
	},
	70003: {
		status: 400,
		error: 'unsupported_grant_type',
		message: (d) => `The app requested an unsupported grant type '${d.grantType ?? ''}'.`,
	},
	70011: {
		status: 400,
		error: 'invalid_scope',
		message: (d) =>
			d.scope
				? `The provided value for the input parameter 'scope' is not valid. The scope ${d.scope} is not valid.`
				: "The provided request must include a 'scope' input parameter.",
	},
	90002: {
		status: 400,
		error: 'invalid_request',
		message: (d) =>
			`Tenant '${d.tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud. ` +
			'Check with your subscription administrator, this may happen if there are no active subscriptions for the tenant.',
	},
	90014: {
		status: 400,
		error: 'invalid_request',
		message: (d) =>
			`The required field '${d.parameter ?? 'client_secret'}' is missing or conflicts with another credential in the request.`,
	},
	90033: {
		status: 503,
		error: 'temporarily_unavailable',
		message: () => 'A transient error has occurred. Please try again.',
	},
	900023: {
		status: 400,
		error: 'invalid_request',
		message: (d) =>
			`Specified tenant identifier '${d.tenant}' is neither a valid DNS name, nor a valid external domain.`,
	},
	900144: {
		status: 400,
		error: 'invalid_request',
		message: (d) =>
			`The request body must contain the following parameter: '${d.parameter ?? 'grant_type'}'.`,
	},
	900561: {
		status: 400,
		error: 'invalid_request',
		message: () => 'The endpoint only accepts POST requests.',
	},
	700016: {
		status: 400,
		error: 'unauthorized_client',
		message: (d) =>
			`Application with identifier '${d.clientId}' was not found in the directory '${d.tenant}'. ` +
			'This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. ' +
			'You may have sent your authentication request to the wrong tenant.',
	},
	700027: {
		status: 401,
		error: 'invalid_client',
		message: () => 'Client assertion failed signature validation.',
	},
	7000112: {
		status: 400,
		error: 'unauthorized_client',
		message: (d) => `Application '${d.clientId}'(${d.appName ?? d.clientId}) is disabled.`,
	},
	7000215: {
		status: 401,
		error: 'invalid_client',
		message: (d) =>
			'Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, ' +
			`not the client secret ID, for a secret added to app '${d.clientId}'.`,
	},
	7000218: {
		status: 401,
		error: 'invalid_client',
		message: () =>
			"The request body must contain the following parameter: 'client_assertion' or 'client_secret'.",
	},
	7000222: {
		status: 401,
		error: 'invalid_client',
		message: (d) =>
			`The provided client secret keys for app '${d.clientId}' are expired. ` +
			'Visit the Azure portal to create new keys for your app, or consider using certificate credentials for added security.',
	},
};

/** The spec for a known code; unknown codes (from injected faults) get a neutral message. */
/** Overrides for entraSpec; undefined means "use the code's default". */
export type EntraSpecOverrides = { [K in keyof EntraErrorSpec]?: EntraErrorSpec[K] | undefined };

export function entraSpec(
	code: number,
	details: EntraMessageDetails,
	overrides: EntraSpecOverrides = {},
): EntraErrorSpec {
	const known = ENTRA_CODES[code];
	return {
		code,
		status: overrides.status ?? known?.status ?? (overrides.error === 'invalid_client' ? 401 : 400),
		error: overrides.error ?? known?.error ?? 'invalid_request',
		message: overrides.message ?? known?.message(details) ?? `Simulated error AADSTS${code}.`,
	};
}
