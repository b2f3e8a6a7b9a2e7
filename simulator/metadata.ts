/**
 * Discovery documents msal-node (or any OIDC client) may fetch when it is not handed
 * authorityMetadata: tenant OpenID configuration, cloud instance discovery, and the JWKS with
 * the key that signs the simulator's access tokens.
 */
import type { SimulatorContext } from './context';
import { entraErrorResponse, entraSpec } from './entraErrors';
import { jsonResponse, type SimResponse } from './responses';

export type MetadataRoute =
	{ kind: 'openid'; tenant: string } | { kind: 'instance' } | { kind: 'keys'; tenant: string };

const SPECIAL_TENANTS = new Set(['common', 'organizations', 'consumers']);

export function matchMetadataRoute(segments: string[]): MetadataRoute | undefined {
	const [tenant, ...rest] = segments;
	const tail = rest.join('/').toLowerCase();
	if (!tenant) return undefined;
	if (tail === 'v2.0/.well-known/openid-configuration') return { kind: 'openid', tenant };
	if (tenant.toLowerCase() === 'common' && tail === 'discovery/instance')
		return { kind: 'instance' };
	if (tail === 'discovery/v2.0/keys' || tail === 'discovery/keys') return { kind: 'keys', tenant };
	return undefined;
}

function hostAndPort(origin: string): string {
	return new URL(origin).host;
}

/** Real Entra documents: tenant-specific ones name the GUID, multi-tenant ones a {tenantid} placeholder. */
function openIdConfiguration(
	origin: string,
	tenantPath: string,
	tenantRegionScope: string | null,
): Record<string, unknown> {
	const base = `${origin}/${tenantPath}`;
	const host = hostAndPort(origin);
	return {
		token_endpoint: `${base}/oauth2/v2.0/token`,
		token_endpoint_auth_methods_supported: [
			'client_secret_post',
			'private_key_jwt',
			'client_secret_basic',
		],
		jwks_uri: `${base}/discovery/v2.0/keys`,
		response_modes_supported: ['query', 'fragment', 'form_post'],
		subject_types_supported: ['pairwise'],
		id_token_signing_alg_values_supported: ['RS256'],
		response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
		scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
		issuer: `${base}/v2.0`,
		request_uri_parameter_supported: false,
		userinfo_endpoint: `${origin}/oidc/userinfo`,
		authorization_endpoint: `${base}/oauth2/v2.0/authorize`,
		device_authorization_endpoint: `${base}/oauth2/v2.0/devicecode`,
		http_logout_supported: true,
		frontchannel_logout_supported: true,
		end_session_endpoint: `${base}/oauth2/v2.0/logout`,
		claims_supported: [
			'sub',
			'iss',
			'aud',
			'exp',
			'iat',
			'auth_time',
			'nonce',
			'tid',
			'ver',
			'oid',
		],
		kerberos_endpoint: `${base}/kerberos`,
		tenant_region_scope: tenantRegionScope,
		cloud_instance_name: host,
		cloud_graph_host_name: host,
		msgraph_host: host,
		rbac_url: origin,
	};
}

/** Answers like Entra's instance discovery, with the simulator as the only alias of itself. */
function instanceDiscovery(origin: string, query: URLSearchParams): Record<string, unknown> {
	const host = hostAndPort(origin);
	let tenant = 'common';
	const authorizeEndpoint = query.get('authorization_endpoint');
	if (authorizeEndpoint) {
		try {
			tenant = new URL(authorizeEndpoint).pathname.split('/').filter(Boolean)[0] ?? 'common';
		} catch {
			// Not a URL: Entra would still answer for 'common'.
		}
	}
	return {
		tenant_discovery_endpoint: `${origin}/${tenant}/v2.0/.well-known/openid-configuration`,
		'api-version': '1.1',
		metadata: [{ preferred_network: host, preferred_cache: host, aliases: [host] }],
	};
}

export function handleMetadataRequest(
	ctx: SimulatorContext,
	route: MetadataRoute,
	method: string,
	query: URLSearchParams,
	clientRequestId: string | undefined,
): SimResponse {
	if (method !== 'GET')
		return jsonResponse(
			405,
			{ error: 'invalid_request', error_description: 'Only GET is supported.' },
			{ allow: 'GET' },
		);
	if (route.kind === 'instance') return jsonResponse(200, instanceDiscovery(ctx.origin, query));
	if (route.kind === 'keys') return jsonResponse(200, ctx.tokens.jwks());

	if (SPECIAL_TENANTS.has(route.tenant.toLowerCase())) {
		return jsonResponse(200, openIdConfiguration(ctx.origin, '{tenantid}', null));
	}
	const tenantId = ctx.registry.resolveTenant(route.tenant);
	if (!tenantId) {
		const spec = entraSpec(
			90002,
			{ clientId: '', tenant: route.tenant },
			{ error: 'invalid_tenant' },
		);
		return entraErrorResponse(ctx.origin, spec, clientRequestId);
	}
	return jsonResponse(200, openIdConfiguration(ctx.origin, tenantId, 'NA'));
}
