import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { DEFAULT_CALL_ID } from '../simulator';
import {
	assertRefusedBeforeSending,
	inviteParameters,
	items,
	simulatorCredential,
	startFixture,
	type BadInputCase,
	type Fixture,
} from './support/fixture';
import { createCredentialStore, runNode } from '../harness/runNode';

const USER = '278405a3-f568-4b3e-b684-009193463064';
const OTHER_USER = '7e1b4346-85a6-4bdd-abe3-d11c5d420efe';
const user = (extra: Record<string, unknown> = {}) => ({ type: 'user', id: USER, ...extra });

const cases: BadInputCase[] = [
	{
		name: 'empty call ID',
		parameters: inviteParameters([user()], { callId: '' }),
		expect: /^Call ID \(item 0\): is empty/,
	},
	{
		name: 'call ID with a slash',
		parameters: inviteParameters([user()], { callId: 'abc/def' }),
		expect: /^Call ID \(item 0\): contains "\/"/,
	},
	{
		name: 'call ID with a query',
		parameters: inviteParameters([user()], { callId: 'abc?x=1' }),
		expect: /^Call ID \(item 0\): contains "\?"/,
	},
	{
		name: 'call ID with a fragment',
		parameters: inviteParameters([user()], { callId: 'abc#x' }),
		expect: /^Call ID \(item 0\): contains "#"/,
	},
	{
		name: 'call ID with whitespace',
		parameters: inviteParameters([user()], { callId: 'abc def' }),
		expect: /^Call ID \(item 0\): contains whitespace/,
	},
	{
		name: 'call ID with ..',
		parameters: inviteParameters([user()], { callId: '..' }),
		expect: /^Call ID \(item 0\): contains ".."/,
	},
	{
		name: 'call ID with an encoded slash',
		parameters: inviteParameters([user()], { callId: 'abc%2Fdef' }),
		expect: /^Call ID \(item 0\): contains an encoded slash/,
	},
	{
		name: 'a URL that is not a call URL',
		parameters: inviteParameters([user()], {
			callId: `https://graph.microsoft.com/v1.0/communications/calls/${DEFAULT_CALL_ID}/participants`,
		}),
		expect:
			/^Call ID \(item 0\): is a URL, but not one that ends in \/communications\/calls\/\{id\}/,
	},
	{
		name: 'a call ID that is a number (from an expression)',
		parameters: inviteParameters([user()], { callId: '={{ 42 }}' }),
		expect: /^Call ID \(item 0\): must be text, but the value is a number/,
	},
	{
		name: 'no participants',
		parameters: inviteParameters([]),
		expect: /^Participants \(item 0\): is empty/,
	},
	{
		name: 'participant without ID',
		parameters: inviteParameters([{ type: 'user', id: '' }]),
		expect: /^Participant 1 › ID \(Teams \/ Entra user\) \(item 0\): is empty/,
	},
	{
		name: 'user ID that is not a GUID',
		parameters: inviteParameters([{ type: 'user', id: 'alex@contoso.com' }]),
		expect:
			/^Participant 1 › ID \(Teams \/ Entra user\) \(item 0\): "alex@contoso\.com" is not a GUID/,
	},
	{
		name: 'phone number without +',
		parameters: inviteParameters([{ type: 'phone', id: '12345678901' }]),
		expect:
			/^Participant 1 › ID \(phone number\) \(item 0\): "12345678901" is not an E\.164 phone number/,
	},
	{
		name: 'phone number with spaces',
		parameters: inviteParameters([{ type: 'phone', id: '+1 234 567 8901' }]),
		expect: /ID \(phone number\) \(item 0\): .*not an E\.164/,
	},
	{
		name: 'phone number too short',
		parameters: inviteParameters([{ type: 'phone', id: '+1234' }]),
		expect: /ID \(phone number\) \(item 0\): .*not an E\.164/,
	},
	{
		name: 'tenant ID that is neither GUID nor domain',
		parameters: inviteParameters([user({ tenantId: 'not a tenant!' })]),
		expect:
			/Participant 1 › Tenant ID \(item 0\): "not a tenant!" is neither a tenant GUID nor a domain/,
	},
	{
		name: 'client context over 256 characters',
		parameters: inviteParameters([user()], { clientContext: 'x'.repeat(257) }),
		expect: /^Client Context \(item 0\): is 257 characters long; Graph accepts at most 256/,
	},
	{
		name: 'two participants with participantId',
		parameters: inviteParameters([
			user({
				participantId: '7d501bf1-5ee4-4605-ba92-0ae4513c611c',
				replacesCallId: 'a7ebfb2d-871e-419c-87af-27290b22e8db',
			}),
			{ type: 'user', id: OTHER_USER },
		]),
		expect:
			/^Participants \(item 0\): 2 participants with .*only the first participant.*silently ignores/,
	},
	{
		name: 'endpoint type with v1.0',
		parameters: inviteParameters([user({ endpointType: 'voicemail' })]),
		expect: /^Participant 1 › Endpoint Type \(item 0\): exists only in Graph's beta API/,
	},
	{
		name: 'more than five participants',
		parameters: inviteParameters(Array.from({ length: 6 }, () => user())),
		expect: /^Participants \(item 0\): has 6 entries; Graph accepts at most 5/,
	},
	{
		name: 'JSON that does not parse',
		parameters: {
			...inviteParameters([]),
			participantsMode: 'json',
			participantsJson: '[{"identity": ',
		},
		expect: /^Participants \(JSON\) \(item 0\): is not valid JSON/,
	},
	{
		name: 'JSON without participants',
		parameters: {
			...inviteParameters([]),
			participantsMode: 'json',
			participantsJson: '{"clientContext": "x"}',
		},
		expect:
			/^Participants \(JSON\) \(item 0\): must be a participants list .* an object without "participants"/,
	},
	{
		name: 'JSON participant without identity',
		parameters: {
			...inviteParameters([]),
			participantsMode: 'json',
			participantsJson: '[{"hidden": true}]',
		},
		expect: /^Participant 1 › identity \(item 0\): is missing/,
	},
	{
		name: 'JSON participant with an identity that has no id',
		parameters: {
			...inviteParameters([]),
			participantsMode: 'json',
			participantsJson: '[{"identity": {"user": {"displayName": "x"}}}]',
		},
		expect: /^Participant 1 › identity\.user\.id \(item 0\): is missing/,
	},
	{
		name: 'JSON with a __proto__ key',
		parameters: {
			...inviteParameters([]),
			participantsMode: 'json',
			participantsJson: `[{"identity": {"user": {"id": "${USER}"}}, "__proto__": {"polluted": true}}]`,
		},
		expect: /^Participants \(JSON\) \(item 0\): contains the key "__proto__"/,
	},
	{
		name: 'custom Authorization header',
		parameters: inviteParameters([user()], {
			options: { customHeaders: { header: [{ name: 'Authorization', value: 'Bearer x' }] } },
		}),
		expect:
			/^Custom Headers › Header 1 › Name \(item 0\): "Authorization" is set by the node itself/,
	},
	{
		name: 'custom header value with CR/LF',
		parameters: inviteParameters([user()], {
			options: {
				customHeaders: { header: [{ name: 'X-Test', value: 'a\r\nHost: evil.example' }] },
			},
		}),
		expect: /^Custom Headers › Header 1 › Value \(item 0\): contains a line break/,
	},
	{
		name: 'additional body properties that are a list',
		parameters: inviteParameters([user()], { options: { additionalBodyProperties: '[1,2]' } }),
		expect: /^Options › Additional Body Properties \(item 0\): must be a JSON object/,
	},
	{
		name: 'additional body properties that try to replace participants',
		parameters: inviteParameters([user()], {
			options: { additionalBodyProperties: '{"participants": []}' },
		}),
		expect: /^Options › Additional Body Properties \(item 0\): may not set "participants"/,
	},
];

describe('Invite: bad input is refused before anything is sent', () => {
	let fx: Fixture;
	before(async () => {
		fx = await startFixture();
	});
	after(async () => await fx.close());

	for (const bad of cases) {
		it(bad.name, async () => await assertRefusedBeforeSending(fx, bad.parameters, bad.expect));
	}

	it('names the failing item when an expression gives one item bad data', async () => {
		fx.sim.reset();
		const result = await fx.run(
			inviteParameters([{ type: 'phone', id: '={{ $json.phone }}' }]),
			items(3, (i) => ({ phone: i === 2 ? '0044 20 7946 0000' : `+1555000000${i}` })),
		);
		assert.ok(result.error);
		assert.match(
			result.error.message,
			/ID \(phone number\) \(item 2\): "0044 20 7946 0000" is not an E\.164/,
		);
		assert.equal(fx.invites().length, 2, 'items 0 and 1 went out; item 2 did not');
	});

	it('refuses the China cloud, where Graph offers no invite', async () => {
		const store = createCredentialStore({ ...simulatorCredential(fx.sim), cloud: 'china' });
		fx.sim.reset();
		const result = await runNode({ parameters: inviteParameters([user()]), credentials: store });
		assert.ok(result.error);
		assert.match(
			result.error.message,
			/Credential › Cloud \(item 0\): the Microsoft Graph calls API is not available in the China \(21Vianet\) cloud/,
		);
		assert.equal(fx.sim.requests.length, 0);
	});

	it('refuses beta in a cloud without beta', async () => {
		const store = createCredentialStore({ ...simulatorCredential(fx.sim), cloud: 'usGovL4' });
		const result = await runNode({
			parameters: inviteParameters([user()], { options: { apiVersion: 'beta' } }),
			credentials: store,
		});
		assert.ok(result.error);
		assert.match(
			result.error.message,
			/Options › API Version \(item 0\): beta is not offered in the US Government L4 \(GCC High\) cloud/,
		);
	});

	for (const tenantId of ['common', 'organizations', 'consumers']) {
		it(`refuses the multi-tenant alias "${tenantId}" as the credential's tenant`, async () => {
			const store = createCredentialStore({ ...simulatorCredential(fx.sim), tenantId });
			fx.sim.reset();
			const result = await runNode({ parameters: inviteParameters([user()]), credentials: store });
			assert.ok(result.error);
			assert.match(
				result.error.message,
				new RegExp(`Credential \\(item 0\\): Tenant ID "${tenantId}" only works for user sign-in`),
			);
			assert.equal(fx.sim.requests.length, 0);
		});
	}

	it('refuses a Custom Graph endpoint over plain http', async () => {
		const store = createCredentialStore({
			...simulatorCredential(fx.sim),
			graphEndpoint: fx.sim.origin.replace('https:', 'http:'),
		});
		fx.sim.reset();
		const result = await runNode({ parameters: inviteParameters([user()]), credentials: store });
		assert.ok(result.error);
		assert.match(result.error.message, /"Graph Endpoint" must use https/);
		assert.equal(fx.sim.requests.length, 0);
	});
});
