/**
 * The Entra ID v2.0 token endpoint, client-credentials grant only:
 * POST /{tenant}/oauth2/v2.0/token with a client secret or a certificate assertion.
 * Checks run in a fixed order so each misconfiguration yields one predictable AADSTS code:
 * method, tenant, grant_type, client_id, app registered in tenant, app enabled, client
 * credential (secret or assertion), scope.
 */
import type { ClientAuthMethod } from './accessTokens';
import { JWT_BEARER_ASSERTION_TYPE, verifyClientAssertion } from './clientAssertion';
import { COGNITIVE_SERVICES_AUDIENCE, CONSUMERS_TENANT_ID } from './constants';
import type { SimulatorContext } from './context';
import {
	entraErrorResponse,
	entraHeaders,
	entraSpec,
	type EntraMessageDetails,
} from './entraErrors';
import { isGuid, newId } from './ids';
import type { IncomingRequest } from './recorder';
import { respond, type HandlerResult } from './responses';
import { appDisplayName, appRoles } from './registry';
import type { RecordedRequest, SimulatedApp, TokenFault } from './types';

/** Scopes msal may add on its own; they do not name a resource. */
const OIDC_SCOPES = new Set(['openid', 'profile', 'offline_access', 'email']);

/** Thrown by the checks to stop at the first failure; turned into an Entra error answer. */
class EntraRejection {
	constructor(
		readonly code: number,
		readonly details: EntraMessageDetails,
		/** Replaces the standard text of the code when the reason is more specific. */
		readonly text?: string,
	) {}
}

function looksLikeDomain(segment: string): boolean {
	return /^[a-z0-9-]+(\.[a-z0-9-]+)+$/i.test(segment);
}

/** Resolves the tenant segment of the URL, or explains why it cannot name a tenant. */
function resolveTenant(ctx: SimulatorContext, segment: string, clientId: string): string {
	const lower = segment.toLowerCase();
	if (lower === 'common' || lower === 'organizations') {
		throw new EntraRejection(50059, { clientId, tenant: segment });
	}
	if (lower === 'consumers') {
		// Real Entra looks the app up in the Microsoft-account pseudo-tenant and does not find it.
		throw new EntraRejection(700016, { clientId, tenant: CONSUMERS_TENANT_ID });
	}
	const tenantId = ctx.registry.resolveTenant(segment);
	if (tenantId) return tenantId;
	if (isGuid(segment) || looksLikeDomain(segment))
		throw new EntraRejection(90002, { clientId, tenant: segment });
	throw new EntraRejection(900023, { clientId, tenant: segment });
}

/**
 * The acceptable resources: the simulator itself (its Graph), or Azure AI services
 * ("https://cognitiveservices.azure.com/.default", how-to-configure-azure-ad-auth), whose
 * Speech endpoint the simulator also plays. Entra accepts a resource with or without a
 * trailing slash. Returns the token's audience.
 */
function checkScope(
	ctx: SimulatorContext,
	scope: string | null,
	details: EntraMessageDetails,
): string {
	if (!scope || !scope.trim()) throw new EntraRejection(70011, { ...details, scope: undefined });
	const resources = scope.split(/\s+/).filter((s) => s && !OIDC_SCOPES.has(s.toLowerCase()));
	const audience = [ctx.origin, COGNITIVE_SERVICES_AUDIENCE].find((resource) =>
		[`${resource}/.default`, `${resource}//.default`].includes(resources[0]?.toLowerCase() ?? ''),
	);
	if (resources.length !== 1 || audience === undefined) {
		throw new EntraRejection(70011, { ...details, scope });
	}
	return audience;
}

/** Token endpoint URLs that name this tenant: assertions must be addressed to one of them. */
function tokenEndpointAudiences(
	ctx: SimulatorContext,
	tenantId: string,
	segment: string,
): string[] {
	const names = new Set([segment.toLowerCase(), ...ctx.registry.tenantNames(tenantId)]);
	return [...names].flatMap((name) => [
		`${ctx.origin}/${name}/oauth2/v2.0/token`,
		`${ctx.origin}/${name}/oauth2/token`,
	]);
}

function authenticateClient(
	ctx: SimulatorContext,
	form: URLSearchParams,
	app: SimulatedApp,
	tenantId: string,
	segment: string,
	details: EntraMessageDetails,
): ClientAuthMethod {
	const secret = form.get('client_secret');
	const assertion = form.get('client_assertion');
	const assertionType = form.get('client_assertion_type');
	if (secret !== null && assertion !== null) {
		throw new EntraRejection(
			90014,
			{ ...details, parameter: 'client_secret' },
			'Send either client_secret or client_assertion, not both.',
		);
	}
	if (assertion !== null) {
		if (assertionType !== JWT_BEARER_ASSERTION_TYPE) {
			throw new EntraRejection(
				900144,
				{ ...details, parameter: 'client_assertion_type' },
				`The request body must contain the following parameter: 'client_assertion_type' with the value '${JWT_BEARER_ASSERTION_TYPE}'.`,
			);
		}
		const check = verifyClientAssertion(
			assertion,
			app,
			tokenEndpointAudiences(ctx, tenantId, segment),
		);
		if (!check.ok) throw new EntraRejection(700027, details, check.message);
		return 'certificate';
	}
	if (secret !== null) {
		if (!app.clientSecret || secret !== app.clientSecret)
			throw new EntraRejection(7000215, details);
		if (app.secretExpired) throw new EntraRejection(7000222, details);
		return 'secret';
	}
	throw new EntraRejection(7000218, details);
}

/** msal sends its correlation id as a client-request-id query parameter; other clients use the header. */
function clientRequestIdOf(request: IncomingRequest): string | undefined {
	return (
		request.headers['client-request-id'] || request.query.get('client-request-id') || undefined
	);
}

function injectedFault(
	ctx: SimulatorContext,
	fault: TokenFault,
	request: IncomingRequest,
	record: RecordedRequest,
	segment: string,
): HandlerResult {
	if (fault.kind === 'reset') return { kind: 'reset' };
	if (fault.kind === 'redirect')
		return respond({
			status: fault.status,
			headers: { location: fault.location, 'content-length': '0' },
			body: '',
		});
	const details: EntraMessageDetails = {
		clientId: new URLSearchParams(request.body).get('client_id') ?? '',
		tenant: segment,
	};
	const spec =
		fault.kind === 'aadsts'
			? entraSpec(fault.code, details, { error: fault.error, status: fault.status })
			: fault.status >= 500 || fault.status === 429
				? entraSpec(90033, details, { status: fault.status })
				: entraSpec(90014, details, {
						status: fault.status,
						message: `Simulated HTTP ${fault.status} from the token endpoint.`,
					});
	const response = entraErrorResponse(ctx.origin, spec, clientRequestIdOf(request));
	if (fault.kind === 'status' && fault.retryAfterSeconds !== undefined)
		response.headers['retry-after'] = String(fault.retryAfterSeconds);
	record.requestId = response.traceId;
	return respond(response);
}

/**
 * client_secret_basic (RFC 6749 2.3.1), which Entra accepts too and n8n's generic OAuth2
 * credential sends by default: `Authorization: Basic base64(urlencoded id ":" urlencoded secret)`.
 * Fills client_id / client_secret when the form does not carry them.
 */
function addBasicAuth(form: URLSearchParams, authorization: string | undefined): void {
	const match = /^basic\s+(\S+)$/i.exec(authorization ?? '');
	if (!match) return;
	const decoded = Buffer.from(match[1] ?? '', 'base64').toString('utf8');
	const colon = decoded.indexOf(':');
	if (colon < 0) return;
	const unescape = (v: string): string => {
		try {
			return decodeURIComponent(v.replace(/\+/g, ' '));
		} catch {
			return v;
		}
	};
	if (!form.has('client_id')) form.set('client_id', unescape(decoded.slice(0, colon)));
	if (!form.has('client_secret') && !form.has('client_assertion'))
		form.set('client_secret', unescape(decoded.slice(colon + 1)));
}

export function handleTokenRequest(
	ctx: SimulatorContext,
	request: IncomingRequest,
	record: RecordedRequest,
	segment: string,
): HandlerResult {
	const fault = ctx.faults.nextTokenFaults.shift();
	if (fault) {
		record.fault = fault.kind;
		return injectedFault(ctx, fault, request, record, segment);
	}
	const clientRequestId = clientRequestIdOf(request);
	const form = new URLSearchParams(request.body);
	addBasicAuth(form, request.headers.authorization);
	const clientId = form.get('client_id') ?? '';
	try {
		if (request.method !== 'POST') throw new EntraRejection(900561, { clientId, tenant: segment });
		const tenantId = resolveTenant(ctx, segment, clientId);
		const details: EntraMessageDetails = { clientId, tenant: segment };
		const grantType = form.get('grant_type');
		if (!grantType) throw new EntraRejection(900144, { ...details, parameter: 'grant_type' });
		if (grantType !== 'client_credentials')
			throw new EntraRejection(70003, { ...details, grantType });
		if (!clientId) throw new EntraRejection(900144, { ...details, parameter: 'client_id' });
		const app = ctx.registry.findApp(tenantId, clientId);
		if (!app) throw new EntraRejection(700016, details);
		const appDetails = { ...details, appName: appDisplayName(app) };
		if (app.disabled) throw new EntraRejection(7000112, appDetails);
		const method = authenticateClient(ctx, form, app, tenantId, segment, appDetails);
		const audience = checkScope(ctx, form.get('scope'), appDetails);

		const accessToken = ctx.tokens.mint(
			{
				tenantId: app.tenantId,
				clientId: app.clientId,
				displayName: appDisplayName(app),
				roles: appRoles(app),
			},
			method,
			audience,
		);
		const traceId = newId();
		record.requestId = traceId;
		const expiresIn = ctx.tokens.expiresInSeconds;
		return respond({
			status: 200,
			headers: entraHeaders(traceId, clientRequestId),
			body: JSON.stringify({
				token_type: 'Bearer',
				expires_in: expiresIn,
				ext_expires_in: expiresIn,
				access_token: accessToken,
			}),
		});
	} catch (error) {
		if (!(error instanceof EntraRejection)) throw error;
		const overrides = error.text ? { message: error.text } : {};
		const response = entraErrorResponse(
			ctx.origin,
			entraSpec(error.code, error.details, overrides),
			clientRequestId,
		);
		record.requestId = response.traceId;
		return respond(response);
	}
}
