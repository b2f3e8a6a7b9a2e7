/**
 * Verifies a certificate credential (RFC 7523 client assertion) the way Entra does: the header
 * names the registered certificate by thumbprint, the signature verifies with that certificate's
 * key, and the claims bind the assertion to this client and this token endpoint.
 */
import { X509Certificate } from 'node:crypto';

import { certificateThumbprints } from './certificates';
import { decodeJwt, isJwtAlgorithm, nowSeconds, numericClaim, verifyJwtSignature } from './jwt';
import type { SimulatedApp } from './types';

export const JWT_BEARER_ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

/** Entra tolerates five minutes of clock skew on assertions; so do we. */
const CLOCK_SKEW_SECONDS = 300;

export type AssertionCheck = { ok: true } | { ok: false; message: string };

function fail(message: string): AssertionCheck {
	return { ok: false, message };
}

function thumbprintHexFromHeader(value: unknown): string | undefined {
	if (typeof value !== 'string' || !/^[A-Za-z0-9_-]+$/.test(value)) return undefined;
	return Buffer.from(value, 'base64url').toString('hex').toUpperCase();
}

function notRegistered(thumbprintHex: string): AssertionCheck {
	return fail(
		'The certificate with identifier used to sign the client assertion is not registered on application. ' +
			`[Reason - The key was not found., Thumbprint of key used by client: '${thumbprintHex}']`,
	);
}

/**
 * @param audiences every token endpoint URL that names this tenant (GUID or domain); compared case-insensitively.
 */
export function verifyClientAssertion(
	assertion: string,
	app: SimulatedApp,
	audiences: string[],
): AssertionCheck {
	const jwt = decodeJwt(assertion);
	if (!jwt) return fail('Client assertion is not a well-formed JWT.');
	const alg = jwt.header.alg;
	if (!isJwtAlgorithm(alg))
		return fail(
			`Client assertion algorithm '${String(alg)}' is not supported; use PS256 or RS256.`,
		);

	// x5t#S256 is the current form (msal-node thumbprintSha256); x5t (SHA-1) the older one.
	const sha256 = thumbprintHexFromHeader(jwt.header['x5t#S256']);
	const sha1 = thumbprintHexFromHeader(jwt.header.x5t);
	if (!sha256 && !sha1)
		return fail(
			"Client assertion header must carry 'x5t#S256' or 'x5t' naming the registered certificate.",
		);
	const presented = sha256 ?? sha1 ?? '';
	if (!app.certificatePem) return notRegistered(presented);
	const registered = certificateThumbprints(app.certificatePem);
	const matches = sha256 ? sha256 === registered.sha256Hex : sha1 === registered.sha1Hex;
	if (!matches) return notRegistered(presented);

	if (!verifyJwtSignature(jwt, new X509Certificate(app.certificatePem).publicKey, alg)) {
		return fail('Client assertion failed signature validation.');
	}

	const { payload } = jwt;
	const clientId = app.clientId.toLowerCase();
	if (typeof payload.iss !== 'string' || payload.iss.toLowerCase() !== clientId) {
		return fail(
			`Client assertion issuer '${String(payload.iss)}' does not match client_id '${app.clientId}'.`,
		);
	}
	if (typeof payload.sub !== 'string' || payload.sub.toLowerCase() !== clientId) {
		return fail(
			`Client assertion subject '${String(payload.sub)}' does not match client_id '${app.clientId}'.`,
		);
	}
	const aud = typeof payload.aud === 'string' ? payload.aud.toLowerCase() : '';
	if (!audiences.some((expected) => expected.toLowerCase() === aud)) {
		return fail(
			`Client assertion audience '${String(payload.aud)}' is not this token endpoint (expected ${audiences[0]}).`,
		);
	}
	const now = nowSeconds();
	const exp = numericClaim(payload, 'exp');
	const nbf = numericClaim(payload, 'nbf');
	if (
		exp === undefined ||
		exp + CLOCK_SKEW_SECONDS <= now ||
		(nbf !== undefined && nbf - CLOCK_SKEW_SECONDS > now)
	) {
		return fail(
			`Client assertion is not within its valid time range. Current time: ${new Date(now * 1000).toISOString()}, ` +
				`expiry time of assertion: ${exp === undefined ? 'missing' : new Date(exp * 1000).toISOString()}.`,
		);
	}
	return { ok: true };
}
