import { X509Certificate, createPrivateKey, type KeyObject } from 'crypto';

/**
 * Parsers that answer "no" instead of throwing, so callers can report the problem in their own
 * words: the parsers' own messages may quote the input, which can be key material.
 */
export function tryParseUrl(value: string, base?: string): URL | undefined {
	try {
		return new URL(value, base);
	} catch {
		return undefined;
	}
}

export type JsonParseResult = { ok: true; value: unknown } | { ok: false; reason: string };

export function tryParseJson(text: string): JsonParseResult {
	try {
		return { ok: true, value: JSON.parse(text) as unknown };
	} catch (error) {
		return { ok: false, reason: (error as Error).message };
	}
}

export function tryReadPrivateKey(pem: string): KeyObject | undefined {
	try {
		return createPrivateKey(pem);
	} catch {
		return undefined;
	}
}

export function tryReadCertificate(pem: string): X509Certificate | undefined {
	try {
		return new X509Certificate(pem);
	} catch {
		return undefined;
	}
}
