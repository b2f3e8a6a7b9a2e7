import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';

import type { ICredentialDataDecryptedObject, ICredentialTestFunctions } from 'n8n-workflow';

import { readEntraAppSettings } from '../lib/entra/settings';
import { clearTokenClients } from '../lib/entra/tokenMinter';
import { MicrosoftGraphCalls } from '../nodes/MicrosoftGraphCalls/MicrosoftGraphCalls.node.ts';
import {
	DEFAULT_TENANT_ID,
	defaultApp,
	startGraphSimulator,
	type GraphSimulator,
} from '../simulator';
import { simulatorCredential } from './support/fixture';

const node = new MicrosoftGraphCalls();

async function credentialTest(data: ICredentialDataDecryptedObject) {
	clearTokenClients();
	return await node.methods.credentialTest.microsoftGraphCallsApiTest.call(
		{} as ICredentialTestFunctions,
		{
			id: 'c1',
			name: 'Graph app',
			type: 'microsoftGraphCallsApi',
			data,
		},
	);
}

describe('Credential test: plain words for what happened', () => {
	let sim: GraphSimulator;
	const limitedClientId = '5a1d7c3e-0000-4000-8000-00000000cafe';
	const expiredClientId = '5a1d7c3e-0000-4000-8000-00000000dead';
	const disabledClientId = '5a1d7c3e-0000-4000-8000-00000000beef';
	const noCallsClientId = '5a1d7c3e-0000-4000-8000-00000000f00d';
	before(async () => {
		sim = await startGraphSimulator({
			apps: [
				defaultApp(),
				{
					tenantId: DEFAULT_TENANT_ID,
					clientId: limitedClientId,
					clientSecret: 'limited-secret',
					roles: ['Calls.JoinGroupCall.All'],
				},
				{
					tenantId: DEFAULT_TENANT_ID,
					clientId: noCallsClientId,
					clientSecret: 'no-calls-secret',
					roles: ['User.Read.All'],
				},
				{
					tenantId: DEFAULT_TENANT_ID,
					clientId: expiredClientId,
					clientSecret: 'expired-secret',
					secretExpired: true,
				},
				{
					tenantId: DEFAULT_TENANT_ID,
					clientId: disabledClientId,
					clientSecret: 'disabled-secret',
					disabled: true,
				},
			],
		});
	});
	after(async () => await sim.close());
	beforeEach(() => sim.reset());

	it('success: says which app, which tenant and which roles the token carries', async () => {
		const result = await credentialTest(simulatorCredential(sim));
		assert.equal(result.status, 'OK');
		assert.match(
			result.message,
			new RegExp(
				`as app [0-9a-f-]+ in tenant ${DEFAULT_TENANT_ID}\\. Application roles: .*Calls\\.InitiateGroupCall\\.All`,
			),
		);
		assert.equal(sim.tokenRequests().length, 1, 'the test mints a fresh token');
	});

	it('a token with some of the roles passes, and says which operations it can and cannot run', async () => {
		const result = await credentialTest(
			simulatorCredential(sim, { clientId: limitedClientId, clientSecret: 'limited-secret' }),
		);
		assert.equal(result.status, 'OK');
		assert.match(result.message, /Application roles: Calls\.JoinGroupCall\.All\./);
		assert.match(result.message, /Ready: [^.]*Call › Create \(Join a Teams Meeting\)/);
		assert.match(result.message, /Ready: [^.]*Call Participant › Mute/);
		assert.match(
			result.message,
			/Not ready: [^]*Call Participant › Invite \(needs Calls\.InitiateGroupCall\.All\)/,
		);
		// Graph checks the call's roles when it is created or joined, none of Hang Up's own.
		assert.match(result.message, /Ready: [^.]*Call › Hang Up/);
		assert.doesNotMatch(result.message, /Not ready: [^]*Call › Hang Up/);
		// Joining is what Answer's table names: every call, not only peer-to-peer ones.
		assert.match(result.message, /Ready: [^.]*Call › Answer(,|\.)/);
	});

	it('a token with none of the calls roles fails, listing what each operation needs and how to grant it', async () => {
		const result = await credentialTest(
			simulatorCredential(sim, { clientId: noCallsClientId, clientSecret: 'no-calls-secret' }),
		);
		assert.equal(result.status, 'Error');
		assert.match(result.message, /Application roles: User\.Read\.All\./);
		assert.match(
			result.message,
			/Call Participant › Invite \(needs Calls\.InitiateGroupCall\.All\)/,
		);
		assert.match(
			result.message,
			/Call › Create \(Join a Teams Meeting\) \(needs Calls\.JoinGroupCall\.All or Calls\.JoinGroupCallAsGuest\.All\)/,
		);
		assert.match(result.message, /Grant admin consent/);
		// What Graph allows without any role is not called "not ready".
		assert.match(
			result.message,
			/Without any, Graph allows only: [^.]*Call › Answer \(peer-to-peer calls to the bot only\)[^.]*Call › Reject/,
		);
		assert.doesNotMatch(result.message, /Call › Reject \(needs/);
		assert.doesNotMatch(result.message, /Call › Answer \(needs/);
	});

	const entraCases: { name: string; fields: ICredentialDataDecryptedObject; expect: RegExp }[] = [
		{
			name: 'wrong secret',
			fields: { clientSecret: 'not-the-secret' },
			expect:
				/AADSTS7000215\): The client secret is wrong\. Copy the secret's Value \(not its Secret ID\)/,
		},
		{
			name: 'expired secret',
			fields: { clientId: expiredClientId, clientSecret: 'expired-secret' },
			expect: /AADSTS7000222\): The client secret has expired/,
		},
		{
			name: 'app not in tenant',
			fields: { clientId: '5a1d7c3e-0000-4000-8000-0000000000aa' },
			expect: /AADSTS700016\): No app with this Client ID exists in this tenant/,
		},
		{
			name: 'tenant not found (wrong cloud)',
			fields: { tenantId: '11111111-2222-4333-8444-555555555555' },
			expect: /AADSTS90002\): The tenant was not found\. Check the Tenant ID, and the Cloud/,
		},
		{
			name: 'disabled app',
			fields: { clientId: disabledClientId, clientSecret: 'disabled-secret' },
			expect: /AADSTS7000112\): The application is disabled/,
		},
	];
	for (const entra of entraCases) {
		it(`${entra.name}: the AADSTS code and what to fix`, async () => {
			const result = await credentialTest(simulatorCredential(sim, entra.fields));
			assert.equal(result.status, 'Error');
			assert.match(result.message, /^Microsoft Entra ID refused the token request/);
			assert.match(result.message, entra.expect);
			assert.match(result.message, /Correlation ID: /);
			for (const secret of ['not-the-secret', 'expired-secret', 'disabled-secret'])
				assert.ok(!result.message.includes(secret));
		});
	}

	it('the token endpoint unreachable: says where it tried', async () => {
		sim.faults.nextTokenFaults.push({ kind: 'reset' });
		const result = await credentialTest(simulatorCredential(sim));
		assert.equal(result.status, 'Error');
		assert.match(
			result.message,
			new RegExp(
				`Could not get an access token from ${sim.origin}/${DEFAULT_TENANT_ID}/oauth2/v2\\.0/token`,
			),
		);
	});

	const configCases: { name: string; fields: ICredentialDataDecryptedObject; expect: RegExp }[] = [
		{
			name: '"common" tenant',
			fields: { tenantId: 'common' },
			expect: /Tenant ID "common" only works for user sign-in/,
		},
		{
			name: 'tenant with spaces',
			fields: { tenantId: 'my tenant' },
			expect: /Tenant ID "my tenant" is neither a GUID nor a domain name/,
		},
		{
			name: 'http authority',
			fields: { authorityHost: 'http://127.0.0.1:1' },
			expect: /"Authority Host" must use https/,
		},
		{
			name: 'Graph endpoint with a path',
			fields: { graphEndpoint: 'https://127.0.0.1:1/v1.0' },
			expect: /"Graph Endpoint" must be an origin only/,
		},
		{
			name: 'empty client secret',
			fields: { clientSecret: '' },
			expect: /"Client Secret" is empty/,
		},
		{
			name: 'unreadable private key',
			fields: {
				authentication: 'certificate',
				privateKey: 'not a key',
				certificateThumbprintSha256: 'A'.repeat(64),
			},
			expect: /"Private Key" is not a readable PEM private key/,
		},
	];
	for (const config of configCases) {
		it(`${config.name}: refused before any request`, async () => {
			const result = await credentialTest(simulatorCredential(sim, config.fields));
			assert.equal(result.status, 'Error');
			assert.match(result.message, config.expect);
			assert.equal(sim.requests.length, 0);
		});
	}
});

describe('Credential settings', () => {
	const base = { tenantId: 'contoso.onmicrosoft.com', clientId: 'c', clientSecret: 's' };
	for (const [cloud, authority, graph] of [
		['global', 'https://login.microsoftonline.com', 'https://graph.microsoft.com'],
		['usGovL4', 'https://login.microsoftonline.us', 'https://graph.microsoft.us'],
		['usGovL5', 'https://login.microsoftonline.us', 'https://dod-graph.microsoft.us'],
		['china', 'https://login.chinacloudapi.cn', 'https://microsoftgraph.chinacloudapi.cn'],
	]) {
		it(`${cloud}: authority ${authority}, Graph ${graph}`, () => {
			const settings = readEntraAppSettings({ ...base, cloud });
			assert.equal(settings.cloud.authorityHost, authority);
			assert.equal(settings.cloud.graphEndpoint, graph);
		});
	}

	it('normalises a SHA-256 thumbprint written with colons', () => {
		const thumbprint = Array.from({ length: 32 }, () => 'ab').join(':');
		const key =
			'-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEIHW3bNgkJ7Ck1mKvLoAknDz7Xg8bGpd6bNo4r4q0Zy3P\n-----END PRIVATE KEY-----';
		const settings = readEntraAppSettings({
			...base,
			authentication: 'certificate',
			privateKey: key,
			certificateThumbprintSha256: thumbprint,
		});
		assert.equal(settings.authentication.kind, 'certificate');
		assert.equal(
			settings.authentication.kind === 'certificate' && settings.authentication.thumbprintSha256,
			'AB'.repeat(32),
		);
	});

	it('refuses a SHA-1 thumbprint with a clear message', () => {
		const key =
			'-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEIHW3bNgkJ7Ck1mKvLoAknDz7Xg8bGpd6bNo4r4q0Zy3P\n-----END PRIVATE KEY-----';
		assert.throws(
			() =>
				readEntraAppSettings({
					...base,
					authentication: 'certificate',
					privateKey: key,
					certificateThumbprintSha256: 'A'.repeat(40),
				}),
			/not the 40-character SHA-1 one/,
		);
	});
});
