/**
 * Checks the `Authorization: Bearer` JWT that Microsoft Graph's calling platform puts on every
 * notification it posts to a call's callback URL ("Authenticating calls from Microsoft Graph to
 * bots"): signature with a key from the platform's OpenID configuration (keySource.ts), issuer,
 * audience (the app's client ID), expiry, a bounded age (tokenAge.ts) and the tenant claim.
 *
 * All cryptography is jose's. Every reason returned is safe to log (printable()).
 */
import {
	decodeJwt,
	decodeProtectedHeader,
	importJWK,
	jwtVerify,
	type JWK,
	type JWTPayload,
	type KeyLike,
	type ProtectedHeaderParameters,
} from 'jose';

import { isJsonObject } from '../jsonObject';
import { jwkFor, KeyFetchProblem, KeysUnavailable, type KeySourceSettings } from './keySource';
import { printable } from './logText';
import { tokenAgeProblem } from './tokenAge';

/** The Microsoft clouds' calling platform publishes its signing keys here. */
export const MICROSOFT_NOTIFICATION_OPENID_CONFIGURATION =
	'https://api.aps.skype.com/v1/.well-known/OpenIdConfiguration';
/** Issuers Graph's calling notifications are signed as. */
const NOTIFICATION_ISSUERS = ['https://api.botframework.com', 'https://graph.microsoft.com'];
/** Bot Framework's allowed signing algorithms; anything else (including `none`) is refused. */
const NOTIFICATION_ALGORITHMS = ['RS256', 'RS384', 'RS512'];
/** The industry-standard clock skew the Bot Framework documentation allows. */
const CLOCK_TOLERANCE_SECONDS = 300;
/** Tokens longer than this are not even parsed. */
const MAX_TOKEN_LENGTH = 16 * 1024;
/** Key IDs are short hashes; anything longer is not one. */
const MAX_KID_LENGTH = 256;

export interface VerifierSettings extends KeySourceSettings {
	/** The app's client ID: the token's `aud` must be exactly this. */
	audience: string;
	/** Accepted `tid` values (GUIDs, compared case-insensitively). Never empty in the trigger. */
	tenantIds: string[];
}

export interface NotificationClaims {
	issuer: string;
	audience: string;
	tenantId: string;
	expiresAt: string;
	keyId: string;
}

/**
 * ok: the token is genuine. `keysUnavailable`: nothing could be checked because no signing key
 * could be had (the platform's side or the network is down), not because the token is wrong.
 */
export type Verification =
	| { ok: true; claims: NotificationClaims; token: string; expiresAtMs: number }
	| { ok: false; reason: string; keysUnavailable?: { retryAfterMs: number } };

/** Imported keys, per published JWK object (a refresh brings new objects) and algorithm. */
const imported = new WeakMap<JWK, Map<string, KeyLike | Uint8Array>>();

async function importedKey(jwk: JWK, alg: string): Promise<KeyLike | Uint8Array> {
	let byAlg = imported.get(jwk);
	if (!byAlg) {
		byAlg = new Map();
		imported.set(jwk, byAlg);
	}
	let key = byAlg.get(alg);
	if (!key) {
		key = await importJWK({ ...jwk, alg }, alg);
		byAlg.set(alg, key);
	}
	return key;
}

/** The token of an `Authorization: Bearer <token>` header, or a reason why there is none. */
function bearerToken(header: unknown): { token: string } | { reason: string } {
	const value = Array.isArray(header) ? header[0] : header;
	if (typeof value !== 'string' || value.trim() === '')
		return { reason: 'no Authorization header' };
	const match = /^Bearer\s+(\S+)\s*$/i.exec(value.trim());
	if (!match) return { reason: 'the Authorization header is not "Bearer <token>"' };
	if (match[1].length > MAX_TOKEN_LENGTH) return { reason: 'the token is too long' };
	return { token: match[1] };
}

/** The header's kid if it is a usable string, else the reason. */
function keyIdOf(header: ProtectedHeaderParameters): { kid: string } | { reason: string } {
	const kid: unknown = header.kid;
	if (kid === undefined) return { reason: 'the token names no signing key (kid)' };
	if (typeof kid !== 'string')
		return { reason: `the token's kid is a ${typeof kid}, not a string` };
	if (kid === '' || kid.length > MAX_KID_LENGTH)
		return { reason: "the token's kid is empty or too long" };
	return { kid };
}

function describeFailure(error: unknown): string {
	if (error instanceof KeyFetchProblem || error instanceof KeysUnavailable)
		return printable(error.message, 300);
	if (isJsonObject(error) && typeof error.code === 'string') {
		const claim = typeof error.claim === 'string' ? ` (${error.claim})` : '';
		const message = typeof error.message === 'string' ? error.message : 'rejected';
		return printable(`${error.code}${claim}: ${message}`, 300);
	}
	return 'the token was rejected';
}

/**
 * What the token claims, read before its signature is checked: a token that could not be accepted
 * even if genuine (not for this app or tenant, expired, not JSON) is refused without looking up
 * its key, so that it cannot make the receiver fetch keys or answer "try again". Everything read
 * here is checked again, signed, by jwtVerify.
 */
function claimsProblem(token: string, settings: VerifierSettings): string | undefined {
	let claims: JWTPayload;
	try {
		claims = decodeJwt(token);
	} catch {
		return "the token's claims are not a JSON object";
	}
	if (
		claims.aud !== settings.audience &&
		!(Array.isArray(claims.aud) && claims.aud.includes(settings.audience))
	)
		return 'the token is not for this app (aud)';
	if (typeof claims.iss !== 'string' || !NOTIFICATION_ISSUERS.includes(claims.iss))
		return "the token's issuer is not Microsoft's calling platform (iss)";
	const now = Math.floor(Date.now() / 1000);
	if (typeof claims.exp !== 'number' || claims.exp + CLOCK_TOLERANCE_SECONDS < now)
		return 'the token has expired or has no expiry (exp)';
	const tid = claims.tid;
	if (typeof tid !== 'string' || tid.trim() === '') return 'the token has no tenant claim (tid)';
	if (!settings.tenantIds.some((id) => id.toLowerCase() === tid.toLowerCase()))
		return `the token's tenant "${printable(tid, 64)}" is not an accepted tenant`;
	return undefined;
}

/**
 * Verifies one request's Authorization header. Never throws: every failure is a reason, and
 * whatever escapes the checks below (a header shaped to break a library) is a refusal too.
 */
export async function verifyNotificationToken(
	authorization: unknown,
	settings: VerifierSettings,
): Promise<Verification> {
	try {
		return await verify(authorization, settings);
	} catch (error) {
		return {
			ok: false,
			reason: `the token could not be checked (${error instanceof Error ? printable(error.name, 40) : 'not an error'})`,
		};
	}
}

async function verify(authorization: unknown, settings: VerifierSettings): Promise<Verification> {
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
			reason: `the token's algorithm "${printable(header.alg, 16)}" is not allowed`,
		};
	}
	const alg = header.alg;
	const keyId = keyIdOf(header);
	if ('reason' in keyId) return { ok: false, reason: keyId.reason };
	const unverified = claimsProblem(bearer.token, settings);
	if (unverified) return { ok: false, reason: unverified };
	let payload: JWTPayload;
	try {
		({ payload } = await jwtVerify(
			bearer.token,
			async () => await importedKey(await jwkFor(keyId.kid, settings), alg),
			{
				issuer: NOTIFICATION_ISSUERS,
				audience: settings.audience,
				algorithms: NOTIFICATION_ALGORITHMS,
				clockTolerance: CLOCK_TOLERANCE_SECONDS,
				requiredClaims: ['exp', 'iss', 'aud'],
			},
		));
	} catch (error) {
		return {
			ok: false,
			reason: describeFailure(error),
			...(error instanceof KeysUnavailable
				? { keysUnavailable: { retryAfterMs: error.retryAfterMs } }
				: {}),
		};
	}
	const ageProblem = tokenAgeProblem(
		payload,
		Math.floor(Date.now() / 1000),
		CLOCK_TOLERANCE_SECONDS,
	);
	if (ageProblem) return { ok: false, reason: ageProblem };
	const tid = payload.tid;
	if (typeof tid !== 'string' || tid.trim() === '')
		return { ok: false, reason: 'the token has no tenant claim (tid)' };
	const allowed = settings.tenantIds.map((id) => id.toLowerCase());
	if (!allowed.includes(tid.toLowerCase())) {
		return {
			ok: false,
			reason: `the token's tenant "${printable(tid, 64)}" is not an accepted tenant`,
		};
	}
	const expiresAtMs = (payload.exp ?? 0) * 1000;
	return {
		ok: true,
		token: bearer.token,
		expiresAtMs,
		claims: {
			issuer: String(payload.iss),
			audience: settings.audience,
			tenantId: tid,
			expiresAt: new Date(expiresAtMs).toISOString(),
			keyId: keyId.kid,
		},
	};
}
