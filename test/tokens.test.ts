import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import type { IHttpRequestOptions } from 'n8n-workflow';

import { MicrosoftGraphCallsApi } from '../credentials/MicrosoftGraphCallsApi.credentials';
import { DEFAULT_CALL_ID, DEFAULT_CLIENT_ID, DEFAULT_TENANT_ID, defaultApp } from '../simulator';
import { createClientCertificate } from '../simulator/certificates';
import { createCredentialStore, runNode } from '../harness/runNode';
import {
	inviteParameters,
	items,
	outputJson,
	simulatorCredential,
	startFixture,
	type Fixture,
} from './support/fixture';

const invitePhone = inviteParameters([
	{ type: 'phone', id: '={{ "+1425555" + String(1000 + $json.n) }}' },
]);

describe('Tokens: minted once, stored by n8n, re-minted after a 401', () => {
	let fx: Fixture;
	before(async () => {
		fx = await startFixture();
	});
	after(async () => await fx.close());

	it('50 items mint exactly one token', async () => {
		fx.sim.reset();
		const result = await fx.run(
			invitePhone,
			items(50, (n) => ({ n })),
		);
		assert.equal(outputJson(result).length, 50);
		assert.equal(fx.sim.tokenRequests().length, 1);
		assert.equal(fx.invites().length, 50);
		assert.equal(
			new Set(fx.invites().map((r) => r.headers.authorization)).size,
			1,
			'every request carried the same token',
		);
	});

	it('a second execution reuses the stored token: no token request', async () => {
		fx.sim.reset();
		outputJson(
			await fx.run(
				invitePhone,
				items(5, (n) => ({ n: 100 + n })),
			),
		);
		assert.equal(fx.sim.tokenRequests().length, 0);
		assert.equal(fx.invites().length, 5);
	});

	it('a token expired mid-run is re-minted exactly once and no item fails', async () => {
		fx.sim.reset();
		const expiredBefore = fx.credentials.counters.expiredPreAuthenticationCalls;
		fx.sim.faults.latencyMs = 0;
		const first = await fx.run(
			invitePhone,
			items(5, (n) => ({ n: 200 + n })),
		);
		outputJson(first);
		fx.sim.expireTokens();
		const second = await fx.run(
			invitePhone,
			items(5, (n) => ({ n: 300 + n })),
		);
		assert.equal(outputJson(second).length, 5);
		assert.equal(fx.sim.tokenRequests().length, 1);
		assert.equal(fx.credentials.counters.expiredPreAuthenticationCalls - expiredBefore, 1);
		for (let n = 300; n < 305; n++)
			assert.equal(fx.sim.inviteCount(DEFAULT_CALL_ID, `phone:+1425555${1000 + n}`), 1);
		const stored = fx.credentials.stored('cred-1');
		assert.equal(stored?.accessToken, fx.sim.issuedTokens.at(-1), 'n8n stored the new token');
	});
});

describe('Tokens: certificate authentication', () => {
	const certificate = createClientCertificate('n8n-graph-calls-test');
	let fx: Fixture;
	before(async () => {
		fx = await startFixture({
			simulator: {
				apps: [
					{ ...defaultApp(), clientSecret: undefined, certificatePem: certificate.certificatePem },
				],
			},
			credential: {
				authentication: 'certificate',
				privateKey: certificate.privateKeyPem,
				certificate: certificate.certificatePem,
				clientSecret: '',
			},
		});
	});
	after(async () => await fx.close());

	it('mints with a client assertion signed by the certificate and invites', async () => {
		outputJson(
			await fx.run(
				invitePhone,
				items(1, () => ({ n: 1 })),
			),
		);
		const [tokenRequest] = fx.sim.tokenRequests();
		const form = new URLSearchParams(tokenRequest.body);
		assert.equal(
			form.get('client_assertion_type'),
			'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
		);
		assert.ok(form.get('client_assertion'));
		assert.equal(form.get('client_secret'), null);
		assert.equal(form.get('scope'), `${fx.sim.origin}/.default`);
		assert.equal(fx.invites().length, 1);
	});

	it('works with the SHA-256 thumbprint instead of the certificate', async () => {
		const store = createCredentialStore(
			simulatorCredential(fx.sim, {
				authentication: 'certificate',
				privateKey: certificate.privateKeyPem,
				certificateThumbprintSha256: certificate.thumbprintSha256Hex,
			}),
		);
		fx.sim.reset();
		const result = await runNode({
			parameters: invitePhone,
			items: items(1, () => ({ n: 2 })),
			credentials: store,
		});
		outputJson(result);
		assert.equal(fx.invites().length, 1);
	});

	it('a key that does not belong to the certificate is refused before any request', async () => {
		const other = createClientCertificate('other');
		const store = createCredentialStore(
			simulatorCredential(fx.sim, {
				authentication: 'certificate',
				privateKey: other.privateKeyPem,
				certificate: certificate.certificatePem,
			}),
		);
		fx.sim.reset();
		const result = await runNode({
			parameters: invitePhone,
			items: items(1, () => ({ n: 3 })),
			credentials: store,
		});
		assert.match(String(result.error?.message), /"Private Key" does not belong to "Certificate"/);
		assert.equal(fx.sim.requests.length, 0);
	});

	it('an unregistered certificate gets AADSTS700027 explained', async () => {
		const stranger = createClientCertificate('stranger');
		const store = createCredentialStore(
			simulatorCredential(fx.sim, {
				authentication: 'certificate',
				privateKey: stranger.privateKeyPem,
				certificate: stranger.certificatePem,
			}),
		);
		const result = await runNode({
			parameters: invitePhone,
			items: items(1, () => ({ n: 4 })),
			credentials: store,
		});
		assert.match(
			String(result.error?.message),
			/AADSTS700027\): The certificate assertion was rejected\. Upload this certificate/,
		);
	});
});

describe('Tokens: Entra errors during an execution', () => {
	let fx: Fixture;
	before(async () => {
		fx = await startFixture({ credential: { clientSecret: 'wrong-secret-value' } });
	});
	after(async () => await fx.close());

	it('a wrong secret fails the item with AADSTS7000215 and what to fix; nothing reaches Graph', async () => {
		const result = await fx.run(
			invitePhone,
			items(1, () => ({ n: 1 })),
		);
		assert.equal(result.error?.name, 'NodeApiError');
		assert.match(
			String(result.error?.message),
			/Microsoft Entra ID refused the token request \(AADSTS7000215\): The client secret is wrong/,
		);
		assert.equal(fx.sim.graphRequests().length, 0);
		assert.ok(!String(result.error?.message).includes('wrong-secret-value'));
	});
});

describe('Tokens: the token only goes to the configured Graph origin', () => {
	const credential = new MicrosoftGraphCallsApi();
	const fields = {
		cloud: 'custom',
		authorityHost: 'https://127.0.0.1:9',
		graphEndpoint: 'https://127.0.0.1:8443',
		tenantId: DEFAULT_TENANT_ID,
		clientId: DEFAULT_CLIENT_ID,
		accessToken: 'token-value',
	};

	it('adds the bearer header for the Graph origin, and forbids following redirects with it', async () => {
		const options = await credential.authenticate(fields, {
			url: 'https://127.0.0.1:8443/v1.0/communications/calls/x/participants/invite',
		} as IHttpRequestOptions);
		assert.equal((options.headers as Record<string, string>).Authorization, 'Bearer token-value');
		assert.equal(options.sendCredentialsOnCrossOriginRedirect, false);
		assert.equal(options.disableFollowRedirect, true);
	});

	for (const url of [
		'https://127.0.0.1:8444/v1.0/x',
		'https://localhost:8443/v1.0/x',
		'http://127.0.0.1:8443/v1.0/x',
		'https://127.0.0.1:8443.evil.example/v1.0/x',
	]) {
		it(`refuses ${url}`, async () => {
			await assert.rejects(
				credential.authenticate(fields, { url } as IHttpRequestOptions),
				/Refusing to send the Microsoft Graph token/,
			);
		});
	}
});
