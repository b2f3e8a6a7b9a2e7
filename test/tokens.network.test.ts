/**
 * Issue 14, finding 5 (token side): when the token endpoint cannot be reached, the error says
 * what failed and what to check, instead of msal's "See https://aka.ms/msal.js.errors#network_error".
 * One test per kind of failure, each over real sockets on loopback (a closed port, an
 * unresolvable `.invalid` name, a TLS server whose certificate nobody trusts, a server that never
 * answers, a proxy that is down or wants credentials), through both ways n8n sends token
 * requests: n8n's own HTTP helper (executions) and fetch (the credential test).
 */
import assert from 'node:assert/strict';
import * as http from 'node:http';
import * as https from 'node:https';
import * as net from 'node:net';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';

import { httpRequest } from 'n8n-core/dist/execution-engine/node-execution-context/utils/request-helper-functions';
import type { IHttpRequestOptions } from 'n8n-workflow';

import { checkEntraAppCredential } from '../lib/entra/credentialCheck';
import { classifyNetworkFailure, n8nWouldRewrite } from '../lib/network/networkFailure';
import { senderFromFetch, senderFromHttpRequest } from '../lib/entra/tokenSenders';
import { readEntraAppSettings } from '../lib/entra/settings';
import { clearTokenClients, mintAccessToken, TokenRequestError } from '../lib/entra/tokenMinter';
import type { TokenHttpSender } from '../lib/entra/tokenHttp';
import { createCertificateAuthority, issueServerCertificate } from '../simulator/certificates';

const TENANT = '6babcaad-604b-40ac-a9d7-9fd97c0b779f';
const SECRET = 'network-test-secret-Qz93';
const SHORT_TIMEOUT_MS = 700;

type Route = 'n8n helper' | 'fetch';
const ROUTES: Record<Route, (timeoutMs: number) => TokenHttpSender> = {
	'n8n helper': (timeoutMs) =>
		senderFromHttpRequest(async (options: IHttpRequestOptions) => await httpRequest(options), {
			timeoutMs,
		}),
	fetch: (timeoutMs) => senderFromFetch({ timeoutMs }),
};

function credentialFields(authorityHost: string): Record<string, string> {
	return {
		cloud: 'custom',
		authorityHost,
		graphEndpoint: 'https://graph.example.invalid',
		tenantId: TENANT,
		clientId: '11111111-2222-4333-8444-555555555555',
		authentication: 'clientSecret',
		clientSecret: SECRET,
	};
}

interface TokenFailure {
	message: string;
	networkCode?: string;
}

/** The token request of a Custom-cloud credential whose authority is `authorityHost`. */
async function tokenError(
	authorityHost: string,
	route: Route,
	timeoutMs = SHORT_TIMEOUT_MS,
): Promise<TokenFailure> {
	clearTokenClients();
	const settings = readEntraAppSettings(credentialFields(authorityHost));
	const error = await mintAccessToken(settings, ROUTES[route](timeoutMs), {
		forceRefresh: true,
	}).then(
		() => assert.fail('a token came back'),
		(e: unknown) => e,
	);
	assert.ok(error instanceof TokenRequestError, `not our error: ${String(error)}`);
	const message = error.message;
	assert.ok(
		message.startsWith(
			`Could not get an access token from ${authorityHost}/${TENANT}/oauth2/v2.0/token: `,
		),
		message,
	);
	assert.doesNotMatch(message, /aka\.ms|network_error/, 'msal words leak through');
	assert.ok(!message.includes(SECRET), 'the message repeats the secret');
	// In an execution n8n would swap such a message for its own generic sentence.
	assert.ok(!n8nWouldRewrite(message), `n8n would rewrite: ${message}`);
	return { message, networkCode: error.networkCode };
}

async function listen(server: net.Server): Promise<number> {
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	return (server.address() as AddressInfo).port;
}

async function closedPort(): Promise<number> {
	const server = net.createServer();
	const port = await listen(server);
	await new Promise<void>((resolve) => server.close(() => resolve()));
	return port;
}

async function withProxyEnv<T>(proxy: string, fn: () => Promise<T>): Promise<T> {
	const saved = { HTTPS_PROXY: process.env.HTTPS_PROXY, NO_PROXY: process.env.NO_PROXY };
	process.env.HTTPS_PROXY = proxy;
	delete process.env.NO_PROXY;
	try {
		return await fn();
	} finally {
		for (const [k, v] of Object.entries(saved)) {
			if (v === undefined) delete process.env[k];
			else process.env[k] = v;
		}
	}
}

describe('Token endpoint unreachable: the error says what failed and what to check', () => {
	let untrusted: https.Server;
	let untrustedOrigin: string;
	let silent: net.Server;
	let silentOrigin: string;
	const held: net.Socket[] = [];
	let proxy407: http.Server;
	let proxy407Url: string;

	before(async () => {
		// Signed by a CA made here and trusted nowhere (npm test trusts only its own run's CA).
		const leaf = issueServerCertificate(createCertificateAuthority('Untrusted test CA'));
		untrusted = https.createServer({ cert: leaf.certPem, key: leaf.keyPem }, (_req, res) =>
			res.end('{}'),
		);
		untrustedOrigin = `https://127.0.0.1:${await listen(untrusted)}`;
		// Accepts the connection and never says a word (not even the TLS handshake).
		silent = net.createServer((socket) => held.push(socket));
		silentOrigin = `https://127.0.0.1:${await listen(silent)}`;
		// A proxy that wants credentials for every CONNECT.
		proxy407 = http.createServer((_req, res) => {
			res.writeHead(407, { 'proxy-authenticate': 'Basic realm="corp"' });
			res.end();
		});
		proxy407.on('connect', (_req, socket: net.Socket) => {
			socket.end(
				'HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm="corp"\r\nContent-Length: 0\r\n\r\n',
			);
		});
		proxy407Url = `http://127.0.0.1:${await listen(proxy407)}`;
	});

	after(async () => {
		for (const s of held) s.destroy();
		await Promise.all(
			[untrusted, silent, proxy407].map(
				(s) => new Promise<void>((resolve) => s.close(() => resolve())),
			),
		);
	});

	for (const route of Object.keys(ROUTES) as Route[]) {
		describe(`through ${route}`, () => {
			it('connection refused (nothing listens on the port)', async () => {
				const port = await closedPort();
				const { message, networkCode } = await tokenError(`https://127.0.0.1:${port}`, route);
				assert.match(
					message,
					new RegExp(
						`the connection to 127\\.0\\.0\\.1:${port} was refused: nothing accepts connections there`,
					),
				);
				assert.match(message, /Check the credential's Cloud \(or its Authority Host\)/);
				assert.equal(networkCode, 'ECONNREFUSED');
			});

			it('host name that does not resolve (.invalid)', async () => {
				const { message, networkCode } = await tokenError(
					'https://login.graph-calls-test.invalid',
					route,
				);
				assert.match(
					message,
					/the host name login\.graph-calls-test\.invalid (does not exist in DNS \(no such host\)|could not be resolved: DNS did not answer)/,
				);
				assert.match(message, /this machine's DNS/);
				assert.match(String(networkCode), /^(ENOTFOUND|EAI_AGAIN)$/);
			});

			it('TLS certificate from an authority n8n does not trust', async () => {
				const { message } = await tokenError(untrustedOrigin, route);
				assert.match(
					message,
					/the TLS certificate of 127\.0\.0\.1:\d+ was not accepted \((UNABLE_TO_VERIFY_LEAF_SIGNATURE|SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_GET_ISSUER_CERT_LOCALLY)\)/,
				);
				assert.match(message, /NODE_EXTRA_CA_CERTS/);
			});

			it('a server that never answers, with a short timeout', async () => {
				const t0 = Date.now();
				const { message } = await tokenError(silentOrigin, route);
				assert.match(message, /no answer from 127\.0\.0\.1:\d+ within 0\.7 s/);
				assert.ok(Date.now() - t0 < 10_000, 'the timeout was not honoured');
			});
		});
	}

	// Only n8n's helper honours HTTP(S)_PROXY (fetch, used by the credential test, does not).
	it('through n8n helper: the proxy is down (HTTPS_PROXY names a closed port)', async () => {
		const proxyPort = await closedPort();
		const { message } = await withProxyEnv(`http://127.0.0.2:${proxyPort}`, () =>
			tokenError('https://login.graph-calls-test.invalid', 'n8n helper'),
		);
		assert.match(
			message,
			new RegExp(
				`the connection to 127\\.0\\.0\\.2:${proxyPort} was refused: .* is the proxy n8n is configured to use \\(HTTP_PROXY / HTTPS_PROXY\\)`,
			),
		);
	});

	it('through n8n helper: the proxy wants credentials (407)', async () => {
		const { message, networkCode } = await withProxyEnv(proxy407Url, () =>
			tokenError('https://login.graph-calls-test.invalid', 'n8n helper'),
		);
		assert.equal(networkCode, undefined, 'no made-up code for a 407');
		assert.match(
			message,
			/the proxy asked for credentials \(HTTP 407 Proxy Authentication Required\)/,
		);
	});
});

describe("The credential test's message names the code (n8n shows it as it is)", () => {
	it('refused: the words, then "(error code ECONNREFUSED)"', async () => {
		const port = await closedPort();
		clearTokenClients();
		const result = await checkEntraAppCredential(
			credentialFields(`https://127.0.0.1:${port}`),
			senderFromFetch({ timeoutMs: SHORT_TIMEOUT_MS }),
			[{ operation: 'Call Participant › Invite', roles: ['Calls.InitiateGroupCall.All'] }],
		);
		assert.equal(result.status, 'Error');
		assert.match(
			result.message,
			/was refused: nothing accepts connections there\..*\(error code ECONNREFUSED\)$/s,
		);
	});
});

describe('An unknown failure is quoted without credentials', () => {
	it("a proxy URL's user and password are dropped from the quoted message", () => {
		const failure = classifyNetworkFailure(
			new Error('Failed to connect through http://alice:S3cret-pw@proxy.corp:3128 (bad gateway)'),
		);
		assert.equal(failure.kind, 'other');
		assert.equal(failure.detail, 'Failed to connect through http://proxy.corp:3128 (bad gateway)');
	});
});
