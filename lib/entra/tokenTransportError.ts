/**
 * What went wrong on the way to the token endpoint, in a person's words.
 *
 * msal-node turns any failure of its network client into `network_error` ("See
 * https://aka.ms/msal.js.errors#network_error for details") and drops the cause. So the senders
 * (tokenSenders.ts) classify the failure themselves (lib/network/networkFailure.ts) and throw a
 * TokenTransportError: it extends msal's AuthError, which msal passes through unchanged.
 */
import { AuthError } from '@azure/msal-node';

import {
	classifyNetworkFailure,
	N8N_REWRITTEN_CODES,
	n8nWouldRewrite,
	type NetworkFailure,
} from '../network/networkFailure';

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
