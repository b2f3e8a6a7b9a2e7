/**
 * What failed on the network, read out of whatever an HTTP client threw: n8n's HTTP helper (axios
 * underneath, both n8n lines) or Node's fetch (undici). Used for the token endpoint
 * (lib/entra/tokenTransportError.ts) and for Graph (the node's transport/transportErrors.ts),
 * each of which puts it in its own words.
 */
type NetworkFailureKind =
	'refused' | 'dns' | 'tls' | 'timeout' | 'reset' | 'unreachable' | 'proxyAuth' | 'other';

export interface NetworkFailure {
	kind: NetworkFailureKind;
	/** Node's or undici's error code (ECONNREFUSED, ENOTFOUND, CERT_HAS_EXPIRED…), if any. */
	code?: string;
	/** `host:port` that refused or did not answer, when the error says (may be a proxy). */
	peer?: string;
	/** First line of the innermost message, for failures without a known code. */
	detail?: string;
}

const KIND_BY_CODE: Readonly<Record<string, NetworkFailureKind>> = {
	ECONNREFUSED: 'refused',
	ENOTFOUND: 'dns',
	EAI_AGAIN: 'dns',
	EAI_FAIL: 'dns',
	EAI_NODATA: 'dns',
	ETIMEDOUT: 'timeout',
	ECONNABORTED: 'timeout', // axios: "timeout of N ms exceeded"
	ESOCKETTIMEDOUT: 'timeout',
	UND_ERR_CONNECT_TIMEOUT: 'timeout',
	UND_ERR_HEADERS_TIMEOUT: 'timeout',
	UND_ERR_BODY_TIMEOUT: 'timeout',
	ECONNRESET: 'reset',
	EPIPE: 'reset',
	UND_ERR_SOCKET: 'reset',
	EHOSTUNREACH: 'unreachable',
	ENETUNREACH: 'unreachable',
	ENETDOWN: 'unreachable',
	EADDRNOTAVAIL: 'unreachable',
	SELF_SIGNED_CERT_IN_CHAIN: 'tls',
	DEPTH_ZERO_SELF_SIGNED_CERT: 'tls',
	UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'tls',
	UNABLE_TO_GET_ISSUER_CERT: 'tls',
	UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'tls',
	CERT_HAS_EXPIRED: 'tls',
	CERT_NOT_YET_VALID: 'tls',
	CERT_UNTRUSTED: 'tls',
	CERT_REVOKED: 'tls',
	CERT_SIGNATURE_FAILURE: 'tls',
	ERR_TLS_CERT_ALTNAME_INVALID: 'tls',
	PROXY_AUTH_REQUIRED: 'proxyAuth', // ours: a 407 answer (senders.ts)
};

function kindOfCode(code: string): NetworkFailureKind | undefined {
	if (KIND_BY_CODE[code]) return KIND_BY_CODE[code];
	if (code.startsWith('ERR_SSL_') || code.startsWith('ERR_TLS_')) return 'tls';
	return undefined;
}

type Loose = Record<string, unknown>;

/** The error, its `cause` chain and an AggregateError's members (dual-stack connects), in order. */
function chainOf(error: unknown): Loose[] {
	const out: Loose[] = [];
	const queue: unknown[] = [error];
	while (queue.length > 0 && out.length < 12) {
		const e = queue.shift();
		if (typeof e !== 'object' || e === null || out.includes(e as Loose)) continue;
		const loose = e as Loose;
		out.push(loose);
		queue.push(loose.cause);
		if (Array.isArray(loose.errors)) queue.push(...(loose.errors as unknown[]));
	}
	return out;
}

function peerOf(e: Loose): string | undefined {
	const host = typeof e.address === 'string' ? e.address : e.hostname;
	if (typeof host !== 'string' || host === '') return undefined;
	return typeof e.port === 'number' ? `${host}:${e.port}` : host;
}

/**
 * A proxy URL in an error message can carry the proxy's password
 * (HTTPS_PROXY=http://user:password@proxy:3128): drop any user-info part of a URL.
 */
function withoutUserInfo(text: string): string {
	return text.replace(/(\b[a-z][a-z0-9+.-]*:\/\/)[^/\s@]+@/gi, '$1');
}

/** Reads what failed out of any error a sender's HTTP client throws. */
export function classifyNetworkFailure(error: unknown): NetworkFailure {
	const chain = chainOf(error);
	// axios puts the code on its own error and the address on the socket error in `cause`.
	const peer = chain.map(peerOf).find((p) => p !== undefined);
	for (const e of chain) {
		const code = typeof e.code === 'string' ? e.code : undefined;
		const kind = code === undefined ? undefined : kindOfCode(code);
		if (kind) return { kind, code, peer };
	}
	// fetch's AbortSignal.timeout(): a DOMException named TimeoutError (its numeric code is 23).
	if (chain.some((e) => e.name === 'TimeoutError')) return { kind: 'timeout' };
	if (chain.some((e) => typeof e.message === 'string' && /socket hang up/i.test(e.message)))
		return { kind: 'reset' };
	const innermost = chain[chain.length - 1];
	const message = typeof innermost?.message === 'string' ? innermost.message : String(error);
	const code = chain.map((e) => e.code).find((c): c is string => typeof c === 'string');
	return { kind: 'other', code, detail: withoutUserInfo(message.split(/\r?\n/)[0]?.trim() ?? '') };
}

/**
 * Codes n8n rewrites: when a node error's message merely *contains* one of these (any case),
 * n8n-workflow's NodeApiError replaces the whole message with a generic sentence ("The service
 * refused the connection - perhaps it is offline"), on both n8n lines. A token failure reaches
 * the node through such an error, so these codes never appear in our message: the words say what
 * happened, and the code travels separately (TokenRequestError.networkCode) to where n8n does
 * not rewrite it (the credential test).
 */
export const N8N_REWRITTEN_CODES: readonly string[] = [
	'ECONNREFUSED',
	'ECONNRESET',
	'ENOTFOUND',
	'ETIMEDOUT',
	'ERRADDRINUSE',
	'EADDRNOTAVAIL',
	'ECONNABORTED',
	'EHOSTUNREACH',
	'EAI_AGAIN',
	'ENOENT',
	'EISDIR',
	'ENOTDIR',
	'EACCES',
	'EEXIST',
	'EPERM',
	'GETADDRINFO',
];

/** Would n8n replace a node error with this message by its own generic sentence? */
export function n8nWouldRewrite(message: string): boolean {
	const upper = message.toUpperCase();
	return N8N_REWRITTEN_CODES.some((code) => upper.includes(code));
}
