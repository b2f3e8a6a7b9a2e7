import { AuthError } from '@azure/msal-node';

/**
 * What went wrong on the way to the token endpoint, in a person's words.
 *
 * msal-node turns any failure of its network client into `network_error` ("See
 * https://aka.ms/msal.js.errors#network_error for details") and drops the cause. So the senders
 * classify the failure themselves, from the error n8n's HTTP helper (axios underneath, both n8n
 * lines) or Node's fetch (undici) threw, and throw a TokenTransportError: it extends msal's
 * AuthError, which msal passes through unchanged.
 */
type NetworkFailureKind =
	'refused' | 'dns' | 'tls' | 'timeout' | 'reset' | 'unreachable' | 'proxyAuth' | 'other';

interface NetworkFailure {
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
const N8N_REWRITTEN_CODES: readonly string[] = [
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

function codeNote(code: string | undefined): string {
	return code !== undefined && !n8nWouldRewrite(code) ? ` (${code})` : '';
}

function withoutRewrittenCodes(text: string): string {
	let out = text;
	for (const code of N8N_REWRITTEN_CODES) out = out.replace(new RegExp(code, 'gi'), '…');
	return out;
}

/** One sentence on what happened and one on what to check. `url` is the token endpoint. */
function describeNetworkFailure(failure: NetworkFailure, url: string, timeoutMs: number): string {
	const host = new URL(url).host;
	const code = codeNote(failure.code);
	const proxyHint =
		'and, if n8n reaches the internet through a proxy, its HTTP_PROXY / HTTPS_PROXY settings';
	switch (failure.kind) {
		case 'refused': {
			const peer = failure.peer ?? host;
			const viaProxy =
				failure.peer !== undefined && !sameHost(failure.peer, host)
					? ` ${failure.peer} is not ${host}: it is the proxy n8n is configured to use (HTTP_PROXY / HTTPS_PROXY); check that it runs and that n8n may use it.`
					: ` Check the credential's Cloud (or its Authority Host), any firewall between n8n and Microsoft Entra ID, ${proxyHint}.`;
			return `the connection to ${peer} was refused${code}: nothing accepts connections there.${viaProxy}`;
		}
		case 'dns':
			return `the host name ${new URL(url).hostname} ${failure.code === 'EAI_AGAIN' ? 'could not be resolved: DNS did not answer (a temporary failure)' : failure.code === 'ENOTFOUND' ? 'does not exist in DNS (no such host)' : `could not be resolved${code}`}. Check the credential's Cloud (or the spelling of its Authority Host), this machine's DNS, ${proxyHint}.`;
		case 'tls':
			return `the TLS certificate of ${host} was not accepted${code}: ${tlsReason(failure.code)} If a TLS-inspecting proxy or a private authority sits in between, give n8n the certificate authority that issued its certificate with NODE_EXTRA_CA_CERTS (do not turn certificate checks off).`;
		case 'timeout':
			return `no answer from ${failure.peer ?? host} within ${Math.round(timeoutMs / 100) / 10} s${code}. Check that n8n can reach ${host} (a firewall, or, if n8n reaches the internet through a proxy, its HTTP_PROXY / HTTPS_PROXY settings), then try again.`;
		case 'reset':
			return `the connection to ${host} was closed before an answer came${code}. A firewall or proxy may be cutting connections to ${host}: check it, and n8n's HTTP_PROXY / HTTPS_PROXY settings if it uses one.`;
		case 'unreachable':
			return `this machine has no network route to ${failure.peer ?? host}${code}. Check the network connection of the n8n host ${proxyHint}.`;
		case 'proxyAuth':
			return "the proxy asked for credentials (HTTP 407 Proxy Authentication Required). Put the proxy's user name and password into n8n's proxy setting, e.g. HTTPS_PROXY=http://user:password@proxy:3128.";
		case 'other':
			return `the request failed${code}${failure.detail ? `: ${withoutRewrittenCodes(failure.detail)}` : ''}. Check the network between n8n and ${host} ${proxyHint}.`;
	}
}

function sameHost(peer: string, host: string): boolean {
	const strip = (h: string) => h.replace(/^\[|\](?=:|$)/g, '').toLowerCase();
	return strip(peer) === strip(host) || strip(peer).split(':')[0] === strip(host).split(':')[0];
}

function tlsReason(code: string | undefined): string {
	switch (code) {
		case 'CERT_HAS_EXPIRED':
			return 'it has expired.';
		case 'CERT_NOT_YET_VALID':
			return "it is not valid yet (check this machine's clock).";
		case 'ERR_TLS_CERT_ALTNAME_INVALID':
			return 'it was issued for another host name.';
		default:
			return 'n8n does not trust the authority that issued it.';
	}
}

/**
 * A failure on the way to the token endpoint, already explained. An msal AuthError so that msal
 * hands it back as it is instead of its generic network_error.
 */
export class TokenTransportError extends AuthError {
	constructor(
		readonly failure: NetworkFailure,
		readonly explanation: string,
	) {
		super('token_transport_error', explanation);
		this.name = 'TokenTransportError';
		Object.setPrototypeOf(this, TokenTransportError.prototype);
	}
}

/** Turns whatever a sender's HTTP client threw into a TokenTransportError. */
export function tokenTransportError(
	error: unknown,
	url: string,
	timeoutMs: number,
): TokenTransportError {
	if (error instanceof TokenTransportError) return error;
	const failure = classifyNetworkFailure(error);
	return new TokenTransportError(failure, describeNetworkFailure(failure, url, timeoutMs));
}
