/**
 * Compact JWS (JWT) signing and verification with RS256 and PS256, on node:crypto only.
 * Small on purpose: the simulator must check exactly what Entra checks, and a library would
 * hide which checks happen.
 */
import {
	constants,
	createPrivateKey,
	createPublicKey,
	sign,
	verify,
	type KeyObject,
} from 'node:crypto';

import { isJsonObject, parseJson, type JsonObject } from './json';

export type JwtAlgorithm = 'RS256' | 'PS256';

export interface DecodedJwt {
	header: JsonObject;
	payload: JsonObject;
	/** `${header}.${payload}` as received: the bytes the signature covers. */
	signingInput: string;
	signature: Buffer;
}

const BASE64URL = /^[A-Za-z0-9_-]*$/;

export function base64UrlEncode(data: Buffer | string): string {
	return Buffer.from(data).toString('base64url');
}

export function isJwtAlgorithm(value: unknown): value is JwtAlgorithm {
	return value === 'RS256' || value === 'PS256';
}

/** RS256 is PKCS#1 v1.5; PS256 is PSS with MGF1-SHA256 and a salt as long as the digest (RFC 7518 3.5). */
function paddingOptions(alg: JwtAlgorithm): { padding: number; saltLength?: number } {
	return alg === 'PS256'
		? { padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_DIGEST }
		: { padding: constants.RSA_PKCS1_PADDING };
}

/** privateKey: a KeyObject or a PEM string. */
export function signJwt(
	header: JsonObject,
	payload: JsonObject,
	privateKey: KeyObject | string,
	alg: JwtAlgorithm,
): string {
	const fullHeader: JsonObject = { ...header, alg };
	const signingInput = `${base64UrlEncode(JSON.stringify(fullHeader))}.${base64UrlEncode(JSON.stringify(payload))}`;
	const key = typeof privateKey === 'string' ? createPrivateKey(privateKey) : privateKey;
	const signature = sign('sha256', Buffer.from(signingInput), { key, ...paddingOptions(alg) });
	return `${signingInput}.${base64UrlEncode(signature)}`;
}

function decodeJsonPart(part: string): JsonObject | undefined {
	if (!BASE64URL.test(part)) return undefined;
	const parsed = parseJson(Buffer.from(part, 'base64url').toString('utf8'));
	return parsed.ok && isJsonObject(parsed.value) ? parsed.value : undefined;
}

/** Splits and parses a compact JWT without checking anything else; undefined when not well formed. */
export function decodeJwt(token: string): DecodedJwt | undefined {
	const parts = token.split('.');
	if (parts.length !== 3 || parts.some((part) => part.length === 0)) return undefined;
	const [headerPart = '', payloadPart = '', signaturePart = ''] = parts;
	if (!BASE64URL.test(signaturePart)) return undefined;
	const header = decodeJsonPart(headerPart);
	const payload = decodeJsonPart(payloadPart);
	if (!header || !payload) return undefined;
	return {
		header,
		payload,
		signingInput: `${headerPart}.${payloadPart}`,
		signature: Buffer.from(signaturePart, 'base64url'),
	};
}

/**
 * Verifies the signature with the algorithm named by the caller (never trust the header's
 * choice blindly). publicKey: a KeyObject, or a PEM public key or certificate.
 */
export function verifyJwtSignature(
	jwt: DecodedJwt,
	publicKey: KeyObject | string,
	alg: JwtAlgorithm,
): boolean {
	try {
		const key = typeof publicKey === 'string' ? createPublicKey(publicKey) : publicKey;
		return verify(
			'sha256',
			Buffer.from(jwt.signingInput),
			{ key, ...paddingOptions(alg) },
			jwt.signature,
		);
	} catch {
		// A malformed key or signature is simply "not valid" for the caller.
		return false;
	}
}

export function numericClaim(payload: JsonObject, name: string): number | undefined {
	const value = payload[name];
	return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

export function nowSeconds(): number {
	return Math.floor(Date.now() / 1000);
}
