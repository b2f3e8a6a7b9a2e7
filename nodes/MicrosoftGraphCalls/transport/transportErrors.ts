import { GraphClientError } from '@microsoft/microsoft-graph-client';
import { classifyNetworkFailure } from '../../../lib/network/networkFailure';

/**
 * Failures that happen without an HTTP answer from Graph. They extend GraphClientError because
 * the Graph client passes those through untouched instead of re-wrapping them.
 * Their messages are built here from known parts only: never from an error that could hold
 * request headers (and so the token).
 */
type TransportFailureKind =
	'authentication' | 'connection' | 'timeout' | 'refused' | 'cancelled' | 'tooLarge';

export class TransportError extends GraphClientError {
	constructor(
		readonly kind: TransportFailureKind,
		message: string,
		/** What to check, for the error's description (before the general advice of its kind). */
		readonly advice?: string,
	) {
		super(message);
		// GraphClientError (compiled to ES5) resets the prototype to its own: restore ours.
		Object.setPrototypeOf(this, new.target.prototype);
		this.name = 'TransportError';
	}
}

const PROXY =
	'and, if n8n reaches the internet through a proxy, its HTTP_PROXY / HTTPS_PROXY settings';

/**
 * n8n's request helper hands over a NodeApiError whose `httpCode` holds the socket's code
 * (ECONNREFUSED, ENOTFOUND, UNABLE_TO_VERIFY_LEAF_SIGNATURE…) and whose message is n8n's generic
 * sentence; the original error is gone. The code is what tells the cases apart.
 */
function socketCodeOf(chain: unknown[]): string | undefined {
	for (const link of chain) {
		const loose = link as { code?: unknown; httpCode?: unknown } | undefined;
		if (typeof loose?.code === 'string') return loose.code;
		if (typeof loose?.httpCode === 'string' && !/^\d+$/.test(loose.httpCode)) return loose.httpCode;
	}
	return undefined;
}

/**
 * Codes go into the description, never the message: n8n replaces a whole error message that
 * contains one of them by its own generic sentence (lib/network/networkFailure.ts).
 */
function codeNote(code: string | undefined): string {
	return code ? ` (code ${code})` : '';
}

/**
 * A failure without an answer from Graph, in a person's words: what failed and what to check.
 * Only `connection` failures get here; timeouts and cancellations are told apart before.
 */
export function describeConnectionFailure(chain: unknown[], url: string): TransportError {
	const code = socketCodeOf(chain);
	const failure = classifyNetworkFailure(code ? { code } : chain[0]);
	const { host, hostname } = new URL(url);
	const where = `the credential's Cloud (or its Graph Endpoint)`;
	const say = (message: string, advice: string) =>
		new TransportError('connection', message, `${advice}${codeNote(failure.code ?? code)}`);
	switch (failure.kind) {
		case 'refused':
			return say(
				`The connection to Graph at ${host} was refused: nothing accepts connections there.`,
				`Check ${where}, any firewall between n8n and Graph, ${PROXY}.`,
			);
		case 'dns':
			return say(
				`The host name ${hostname} of Graph could not be resolved${failure.code === 'ENOTFOUND' ? ': it does not exist in DNS' : ''}.`,
				`Check ${where} for typos, this machine's DNS, ${PROXY}.`,
			);
		case 'tls':
			return say(
				`The TLS certificate of ${host} was not accepted: n8n does not trust it (expired, for another host, or from an unknown authority).`,
				'If a TLS-inspecting proxy or a private authority sits in between, give n8n the certificate authority that issued its certificate with NODE_EXTRA_CA_CERTS (do not turn certificate checks off).',
			);
		case 'reset':
			return say(
				`The connection to Graph at ${host} was closed before an answer came.`,
				`A firewall or proxy may be cutting connections to ${host}: check it ${PROXY}.`,
			);
		case 'unreachable':
			return say(
				`This machine has no network route to Graph at ${host}.`,
				`Check the network connection of the n8n host ${PROXY}.`,
			);
		case 'proxyAuth':
			return say(
				'The proxy asked for credentials (407 Proxy Authentication Required).',
				"Put the proxy's user name and password into n8n's proxy setting, e.g. HTTPS_PROXY=http://user:password@proxy:3128.",
			);
		default:
			return say(
				`The connection to Graph at ${host} failed before an answer arrived.`,
				`Check the network between n8n and ${host} ${PROXY}.`,
			);
	}
}
