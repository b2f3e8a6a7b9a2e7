/**
 * Checks the `Authorization: Bearer` JWT that Microsoft Graph's calling platform puts on every
 * notification it posts to a call's callback URL ("Authenticating calls from Microsoft Graph to
 * bots"): signature with a key from the platform's OpenID configuration (its `jwks_uri`, read at
 * run time), issuer, audience (the app's client ID), expiry, and a tenant claim.
 *
 * All cryptography is jose's. This module only fetches and caches the keys, with a bounded
 * refresh: a token naming an unknown key may trigger one refetch, at most once per interval.
 */
import {
	decodeProtectedHeader,
	importJWK,
	jwtVerify,
	type JWK,
	type JWTPayload,
	type KeyLike,
	type ProtectedHeaderParameters,
} from 'jose';

import { tryParseUrl } from '../safeParse';

/** The Microsoft clouds' calling platform publishes its signing keys here. */
export const MICROSOFT_NOTIFICATION_OPENID_CONFIGURATION =
	'https://api.aps.skype.com/v1/.well-known/OpenIdConfiguration';
/** Issuers Graph's calling notifications are signed as. */
export const NOTIFICATION_ISSUERS = ['https://api.botframework.com', 'https://graph.microsoft.com'];
/** Bot Framework's allowed signing algorithms; anything else (including `none`) is refused. */
export const NOTIFICATION_ALGORITHMS = ['RS256', 'RS384', 'RS512'];
/** The industry-standard clock skew the Bot Framework documentation allows. */
export const CLOCK_TOLERANCE_SECONDS = 300;
/** Keys older than this are fetched again before use. */
export const KEYS_MAX_AGE_MS = 24 * 60 * 60 * 1000;
/** An unknown `kid` triggers a refetch at most this often (per OpenID configuration URL). */
export const UNKNOWN_KEY_REFRESH_INTERVAL_MS = 5 * 60 * 1000;
/** Tokens longer than this are not even parsed. */
const MAX_TOKEN_LENGTH = 16 * 1024;
/** How many OpenID configurations are cached at once (one per cloud in practice). */
const MAX_CACHED_KEY_SETS = 16;

/** GET a URL and return its JSON body (the caller decides how: n8n's helper in the node). */
export type FetchJson = (url: string) => Promise<unknown>;

export interface VerifierSettings {
	openIdConfigurationUrl: string;
	/** The app's client ID: the token's `aud` must be exactly this. */
	audience: string;
	/** Accepted `tid` values (compared case-insensitively); empty: any present tenant claim. */
	tenantIds: string[];
	fetchJson: FetchJson;
	/** Tests only: how often an unknown key may cause a refetch. */
	unknownKeyRefreshIntervalMs?: number;
}

export interface NotificationClaims {
	issuer: string;
	audience: string;
	tenantId: string;
	expiresAt: string;
	keyId?: string;
}

export type Verification = { ok: true; claims: NotificationClaims } | { ok: false; reason: string };

interface KeySet {
	jwks: Map<string, JWK>;
	fetchedAt: number;
	lastRefreshAt: number;
	refreshing?: Promise<void>;
	imported: Map<string, KeyLike | Uint8Array>;
}

const keySets = new Map<string, KeySet>();

/** Forget every cached key (tests). */
export function clearNotificationKeyCache(): void {
	keySets.clear();
}

function isRecord(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function httpsUrl(value: unknown, what: string): string {
	const url = typeof value === 'string' ? tryParseUrl(value) : undefined;
	if (!url || url.protocol !== 'https:') throw new KeyFetchProblem(`${what} is not an https URL.`);
	return url.href;
}

class KeyFetchProblem {
	constructor(readonly message: string) {}
}

async function fetchKeys(settings: VerifierSettings): Promise<Map<string, JWK>> {
	const configuration = await settings.fetchJson(
		httpsUrl(settings.openIdConfigurationUrl, 'The OpenID configuration URL'),
	);
	if (!isRecord(configuration))
		throw new KeyFetchProblem('The OpenID configuration is not a JSON object.');
	const jwks = await settings.fetchJson(
		httpsUrl(configuration.jwks_uri, "The OpenID configuration's jwks_uri"),
	);
	if (!isRecord(jwks) || !Array.isArray(jwks.keys))
		throw new KeyFetchProblem('The JWKS has no "keys" list.');
	const keys = new Map<string, JWK>();
	for (const key of jwks.keys) {
		if (
			isRecord(key) &&
			key.kty === 'RSA' &&
			typeof key.kid === 'string' &&
			(key.use === undefined || key.use === 'sig')
		) {
			keys.set(key.kid, key as unknown as JWK);
		}
	}
	return keys;
}

async function refresh(set: KeySet, settings: VerifierSettings): Promise<void> {
	// One refetch at a time per configuration; concurrent requests wait for the same one.
	set.refreshing ??= (async () => {
		set.lastRefreshAt = Date.now();
		try {
			const keys = await fetchKeys(settings);
			set.jwks = keys;
			set.imported.clear();
			set.fetchedAt = Date.now();
		} finally {
			set.refreshing = undefined;
		}
	})();
	await set.refreshing;
}

function keySetFor(url: string): KeySet {
	let set = keySets.get(url);
	if (!set) {
		if (keySets.size >= MAX_CACHED_KEY_SETS) keySets.delete(keySets.keys().next().value as string);
		set = { jwks: new Map(), fetchedAt: 0, lastRefreshAt: 0, imported: new Map() };
		keySets.set(url, set);
	}
	return set;
}

async function keyFor(
	header: ProtectedHeaderParameters,
	settings: VerifierSettings,
): Promise<KeyLike | Uint8Array> {
	const kid = header.kid;
	const alg = header.alg ?? '';
	if (!kid) throw new KeyFetchProblem('The token names no signing key (kid).');
	const set = keySetFor(settings.openIdConfigurationUrl);
	if (set.fetchedAt === 0 || Date.now() - set.fetchedAt > KEYS_MAX_AGE_MS)
		await refresh(set, settings);
	if (!set.jwks.has(kid)) {
		const interval = settings.unknownKeyRefreshIntervalMs ?? UNKNOWN_KEY_REFRESH_INTERVAL_MS;
		if (Date.now() - set.lastRefreshAt >= interval) await refresh(set, settings);
	}
	const jwk = set.jwks.get(kid);
	if (!jwk)
		throw new KeyFetchProblem(
			`The signing key "${kid.slice(0, 64)}" is not published in the platform's JWKS.`,
		);
	const cacheKey = `${kid}\u0000${alg}`;
	let key = set.imported.get(cacheKey);
	if (!key) {
		key = await importJWK({ ...jwk, alg }, alg);
		set.imported.set(cacheKey, key);
	}
	return key;
}

/** The token of an `Authorization: Bearer <token>` header, or a reason why there is none. */
export function bearerToken(header: unknown): { token: string } | { reason: string } {
	const value = Array.isArray(header) ? header[0] : header;
	if (typeof value !== 'string' || value.trim() === '')
		return { reason: 'no Authorization header' };
	const match = /^Bearer\s+(\S+)\s*$/i.exec(value.trim());
	if (!match) return { reason: 'the Authorization header is not "Bearer <token>"' };
	if (match[1].length > MAX_TOKEN_LENGTH) return { reason: 'the token is too long' };
	return { token: match[1] };
}

function describeFailure(error: unknown): string {
	if (error instanceof KeyFetchProblem) return error.message;
	if (isRecord(error) && typeof error.code === 'string') {
		const claim = typeof error.claim === 'string' ? ` (${error.claim})` : '';
		return `${error.code}${claim}: ${typeof error.message === 'string' ? error.message : 'rejected'}`;
	}
	return error instanceof Error ? error.message : 'the token was rejected';
}

/** Verifies one request's Authorization header. Never throws: every failure is a reason. */
export async function verifyNotificationToken(
	authorization: unknown,
	settings: VerifierSettings,
): Promise<Verification> {
	const bearer = bearerToken(authorization);
	if ('reason' in bearer) return { ok: false, reason: bearer.reason };
	let header: ProtectedHeaderParameters;
	try {
		header = decodeProtectedHeader(bearer.token);
	} catch {
		return { ok: false, reason: 'the token is not a JWT' };
	}
	if (typeof header.alg !== 'string' || !NOTIFICATION_ALGORITHMS.includes(header.alg)) {
		return {
			ok: false,
			reason: `the token's algorithm "${String(header.alg).slice(0, 16)}" is not allowed`,
		};
	}
	let payload: JWTPayload;
	try {
		({ payload } = await jwtVerify(
			bearer.token,
			async (protectedHeader) => await keyFor(protectedHeader, settings),
			{
				issuer: NOTIFICATION_ISSUERS,
				audience: settings.audience,
				algorithms: NOTIFICATION_ALGORITHMS,
				clockTolerance: CLOCK_TOLERANCE_SECONDS,
				requiredClaims: ['exp', 'iss', 'aud'],
			},
		));
	} catch (error) {
		return { ok: false, reason: describeFailure(error) };
	}
	const tid = payload.tid;
	if (typeof tid !== 'string' || tid.trim() === '')
		return { ok: false, reason: 'the token has no tenant claim (tid)' };
	const allowed = settings.tenantIds.map((id) => id.toLowerCase());
	if (allowed.length > 0 && !allowed.includes(tid.toLowerCase())) {
		return {
			ok: false,
			reason: `the token's tenant "${tid.slice(0, 64)}" is not an accepted tenant`,
		};
	}
	return {
		ok: true,
		claims: {
			issuer: String(payload.iss),
			audience: settings.audience,
			tenantId: tid,
			expiresAt: new Date((payload.exp ?? 0) * 1000).toISOString(),
			...(header.kid ? { keyId: header.kid } : {}),
		},
	};
}
