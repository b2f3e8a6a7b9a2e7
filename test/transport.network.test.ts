/**
 * Network failures on the Graph side: the error says what failed (refused, DNS, TLS,
 * timeout) and what to check, over real sockets. The credential holds a stored token, so no
 * token request is made and the failure is Graph's alone.
 */
import assert from 'node:assert/strict';
import * as https from 'node:https';
import * as net from 'node:net';
import { after, describe, it } from 'node:test';

import type { ICredentialDataDecryptedObject, NodeApiError } from 'n8n-workflow';

import { clearTokenClients } from '../lib/entra/tokenMinter';
import { createCredentialStore, runNode } from '../harness/runNode';
import { DEFAULT_CLIENT_ID, DEFAULT_TENANT_ID } from '../simulator';
import { createCertificateAuthority, issueServerCertificate } from '../simulator/certificates';
import { inviteParameters } from './support/fixture';

const USER = { type: 'user', id: '278405a3-f568-4b3e-b684-009193463064' };

/** A credential whose Graph is `graphEndpoint`, with a token already stored (none is minted). */
function credentialFor(graphEndpoint: string): ICredentialDataDecryptedObject {
	return {
		cloud: 'custom',
		authorityHost: 'https://login.invalid',
		graphEndpoint,
		tenantId: DEFAULT_TENANT_ID,
		clientId: DEFAULT_CLIENT_ID,
		authentication: 'clientSecret',
		clientSecret: 'unused',
		accessToken: 'stored.token.value',
	};
}

async function fail(graphEndpoint: string, timeoutSeconds = 60): Promise<NodeApiError> {
	clearTokenClients();
	const result = await runNode({
		parameters: inviteParameters([USER], { options: { timeoutSeconds } }),
		credentials: createCredentialStore(credentialFor(graphEndpoint)),
	});
	assert.ok(result.error, 'the node fails');
	return result.error as NodeApiError;
}

async function listen(server: net.Server): Promise<number> {
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	return (server.address() as net.AddressInfo).port;
}

describe(
	'Graph unreachable: the error says what failed and what to check',
	{ timeout: 60_000 },
	() => {
		const servers: net.Server[] = [];
		const sockets = new Set<net.Socket>();
		after(async () => {
			for (const socket of sockets) socket.destroy();
			await Promise.all(servers.map(async (s) => await new Promise((r) => s.close(r))));
		});

		it('connection refused', async () => {
			const probe = net.createServer();
			const port = await listen(probe);
			await new Promise((r) => probe.close(r));
			const error = await fail(`https://127.0.0.1:${port}`);
			assert.match(
				error.message,
				new RegExp(`connection to Graph at 127\\.0\\.0\\.1:${port} was refused`),
			);
			assert.match(String(error.description), /Graph Endpoint|Cloud/);
			assert.match(String(error.description), /not retried/);
			assert.match(String(error.description), /\(code ECONNREFUSED\)/);
		});

		it('host name that does not resolve', async () => {
			const error = await fail('https://graph.invalid');
			assert.match(error.message, /graph\.invalid.*(does not exist in DNS|could not be resolved)/);
			assert.match(String(error.description), /DNS/);
			assert.match(String(error.description), /\(code ENOTFOUND\)/);
		});

		it('a certificate n8n does not trust', async () => {
			const untrusted = issueServerCertificate(createCertificateAuthority('Untrusted test CA'));
			const server = https.createServer(
				{ cert: untrusted.certPem, key: untrusted.keyPem },
				(_req, res) => res.end('{}'),
			);
			servers.push(server);
			const port = await listen(server);
			const error = await fail(`https://127.0.0.1:${port}`);
			assert.match(error.message, /TLS certificate of 127\.0\.0\.1:\d+ was not accepted/);
			assert.match(String(error.description), /NODE_EXTRA_CA_CERTS/);
			assert.match(String(error.description), /\(code UNABLE_TO_VERIFY_LEAF_SIGNATURE\)/);
		});

		it('no answer within the timeout', async () => {
			const server = net.createServer((socket) => sockets.add(socket));
			servers.push(server);
			const port = await listen(server);
			const started = Date.now();
			const error = await fail(`https://127.0.0.1:${port}`, 1);
			assert.ok(Date.now() - started < 10_000, 'the timeout ended the wait');
			assert.match(error.message, /did not answer within 1 s/);
			assert.match(String(error.description), /Timeout/);
		});
	},
);
