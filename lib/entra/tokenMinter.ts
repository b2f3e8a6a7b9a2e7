import { createHash } from 'crypto';

import { ConfidentialClientApplication, type Configuration, LogLevel } from '@azure/msal-node';

import { graphScopeFor } from './clouds';
import { AADSTS_HINTS, firstLineOf } from './aadstsHints';
import type { EntraAppSettings } from './settings';
import { TokenTransportError } from './tokenTransportError';
import { rememberOwnFailure } from './ownFailures';
import { TokenNetworkClient, type TokenHttpSender } from './tokenHttp';

/** A token request that Entra (or the way to it) refused, explained for a person. */
export class TokenRequestError extends Error {
	constructor(
		message: string,
		readonly aadstsCode?: string,
		readonly correlationId?: string,
		/** The network error's code (ECONNREFUSED…), kept out of the message: see lib/network/networkFailure.ts. */
		readonly networkCode?: string,
	) {
		super(message);
		this.name = 'TokenRequestError';
	}
}

interface CachedClient {
	app: ConfidentialClientApplication;
	network: DelegatingSender;
}

/**
 * msal keeps its token cache inside the application instance, so one instance per credential
 * set lets a fresh process reuse a still-valid token. The helper that carries the HTTP differs
 * per call; every one of n8n's helpers is equivalent, so the last one given is used.
 */
class DelegatingSender {
	current?: TokenHttpSender;
	/**
	 * The last transport failure, explained by the sender. msal passes a TokenTransportError
	 * through as it is today; should a later msal wrap it into its generic network_error again,
	 * the explanation is still here.
	 */
	lastTransportFailure?: TokenTransportError;
	readonly send: TokenHttpSender = async (request) => {
		if (!this.current) throw new Error('No HTTP helper was given for the token request.');
		const attempt = this.current(request);
		// A side branch that only records; the caller still gets the rejection through `attempt`.
		attempt.catch((error: unknown) => {
			if (error instanceof TokenTransportError) this.lastTransportFailure = error;
		});
		return await attempt;
	};
}

const clients = new Map<string, CachedClient>();
const MAX_CACHED_CLIENTS = 50;

/** Never a secret in the key: only a digest of the whole settings object. */
function cacheKey(settings: EntraAppSettings): string {
	return createHash('sha256').update(JSON.stringify(settings)).digest('hex');
}

/** The tenant's authority, `{authority host}/{tenant}`: every Entra URL below starts with it. */
function authorityOf(settings: EntraAppSettings): string {
	return `${settings.cloud.authorityHost}/${settings.tenantId}`;
}

/** Where the token is requested (what msal posts to, and what failures name). */
function tokenEndpointOf(settings: EntraAppSettings): string {
	return `${authorityOf(settings)}/oauth2/v2.0/token`;
}

function authorityMetadata(settings: EntraAppSettings): string {
	const base = authorityOf(settings);
	return JSON.stringify({
		token_endpoint: tokenEndpointOf(settings),
		authorization_endpoint: `${base}/oauth2/v2.0/authorize`,
		end_session_endpoint: `${base}/oauth2/v2.0/logout`,
		issuer: `${base}/v2.0`,
		jwks_uri: `${base}/discovery/v2.0/keys`,
	});
}

function buildConfiguration(settings: EntraAppSettings, network: DelegatingSender): Configuration {
	const auth: Configuration['auth'] = {
		clientId: settings.clientId,
		authority: authorityOf(settings),
	};
	if (settings.authentication.kind === 'clientSecret') {
		auth.clientSecret = settings.authentication.clientSecret;
	} else {
		auth.clientCertificate = {
			thumbprintSha256: settings.authentication.thumbprintSha256,
			privateKey: settings.authentication.privateKeyPem,
			...(settings.authentication.certificatePem
				? { x5c: settings.authentication.certificatePem }
				: {}),
		};
	}
	if (!settings.cloud.authorityKnownToMsal) {
		// Without these msal asks Microsoft's public instance-discovery endpoint about the host.
		auth.knownAuthorities = [new URL(settings.cloud.authorityHost).host];
		auth.authorityMetadata = authorityMetadata(settings);
	}
	return {
		auth,
		system: {
			networkClient: new TokenNetworkClient(network.send),
			// msal's logs can hold request details: keep them out of n8n's logs.
			loggerOptions: {
				piiLoggingEnabled: false,
				logLevel: LogLevel.Error,
				loggerCallback: () => undefined,
			},
		},
	};
}

function clientFor(settings: EntraAppSettings): CachedClient {
	const key = cacheKey(settings);
	let cached = clients.get(key);
	if (!cached) {
		if (clients.size >= MAX_CACHED_CLIENTS) clients.delete(clients.keys().next().value as string);
		const network = new DelegatingSender();
		cached = {
			app: new ConfidentialClientApplication(buildConfiguration(settings, network)),
			network,
		};
		clients.set(key, cached);
	}
	return cached;
}

interface MsalLikeError {
	errorCode?: string;
	errorMessage?: string;
	errorNo?: string;
	correlationId?: string;
	message?: string;
}

/** Turns msal's failure into a message that says what to fix, with no secret in it. */
function explainTokenFailure(
	error: unknown,
	settings: EntraAppSettings,
	transportFailure?: TokenTransportError,
): TokenRequestError {
	const tokenEndpointUrl = tokenEndpointOf(settings);
	const transport =
		error instanceof TokenTransportError
			? error
			: (error as MsalLikeError | undefined)?.errorCode === 'network_error'
				? transportFailure
				: undefined;
	if (transport) {
		return new TokenRequestError(
			`Could not get an access token from ${tokenEndpointUrl}: ${transport.explanation}`,
			undefined,
			undefined,
			transport.failure.kind === 'proxyAuth' ? undefined : transport.failure.code,
		);
	}
	const failure = (error ?? {}) as MsalLikeError;
	const code =
		failure.errorNo ?? /AADSTS(\d+)/.exec(failure.errorMessage ?? failure.message ?? '')?.[1];
	const tokenEndpoint = tokenEndpointOf(settings);
	if (code) {
		const what = firstLineOf(failure.errorMessage ?? failure.message ?? '');
		const hint = AADSTS_HINTS[code] ?? "Look the code up in Microsoft's AADSTS error reference.";
		const correlation = failure.correlationId ? ` Correlation ID: ${failure.correlationId}.` : '';
		return new TokenRequestError(
			`Microsoft Entra ID refused the token request (AADSTS${code}): ${hint} Entra said: "${what}".${correlation}`,
			code,
			failure.correlationId,
		);
	}
	const detail = failure.errorMessage ?? failure.message ?? String(error);
	return new TokenRequestError(
		`Could not get an access token from ${tokenEndpoint}: ${firstLineOf(detail)}`,
	);
}

interface MintOptions {
	/** Bypass msal's cache: n8n asks for this when Graph rejected the stored token. */
	forceRefresh: boolean;
	/**
	 * The resource's `.default` scope; default: the cloud's Graph. Azure AI Speech asks for
	 * Azure AI services' scope with the same app (lib/speech/azure/entraToken.ts).
	 */
	scope?: string;
}

/**
 * Requests already on their way, by settings digest and kind: items that start together with no
 * stored token (or that all met the same 401) then share one token request instead of racing.
 */
const inFlight = new Map<string, Promise<string>>();

/** Mints (or reuses from msal's cache) an app-only Graph token for these settings. */
export async function mintAccessToken(
	settings: EntraAppSettings,
	send: TokenHttpSender,
	options: MintOptions,
): Promise<string> {
	const key = `${cacheKey(settings)}:${options.scope ?? 'graph'}:${options.forceRefresh ? 'fresh' : 'cached'}`;
	const pending = inFlight.get(key);
	if (pending) return await pending;
	const request = acquire(settings, send, options).finally(() => inFlight.delete(key));
	inFlight.set(key, request);
	return await request;
}

async function acquire(
	settings: EntraAppSettings,
	send: TokenHttpSender,
	options: MintOptions,
): Promise<string> {
	const client = clientFor(settings);
	client.network.current = send;
	client.network.lastTransportFailure = undefined;
	try {
		const result = await client.app.acquireTokenByClientCredential({
			scopes: [options.scope ?? graphScopeFor(settings.cloud.graphEndpoint)],
			skipCache: options.forceRefresh,
		});
		if (!result?.accessToken)
			throw new Error('The token endpoint answered without an access token.');
		return result.accessToken;
	} catch (error) {
		throw rememberOwnFailure(
			explainTokenFailure(error, settings, client.network.lastTransportFailure),
			'authentication',
		);
	}
}

/** For tests: forget every cached msal instance. */
export function clearTokenClients(): void {
	clients.clear();
}
