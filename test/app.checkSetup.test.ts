import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { DEFAULT_TENANT_ID, defaultApp } from '../simulator';
import { outputJson, startFixture, type Fixture } from './support/fixture';

const LIMITED_CLIENT_ID = '5a1d7c3e-0000-4000-8000-0000000c0ffe';

interface Row {
	operation: string;
	permission: string;
	ready: boolean;
}

describe('App › Check Setup: what the credential allows, shown as an item', () => {
	let fx: Fixture;
	before(async () => {
		fx = await startFixture({
			simulator: {
				apps: [
					defaultApp(),
					{
						tenantId: DEFAULT_TENANT_ID,
						clientId: LIMITED_CLIENT_ID,
						clientSecret: 'limited-secret',
						roles: ['Calls.Initiate.All'],
					},
				],
			},
			credential: { clientId: LIMITED_CLIENT_ID, clientSecret: 'limited-secret' },
		});
	});
	after(async () => await fx.close());

	it('lists cloud, tenant, app, roles and each operation with its permission and readiness', async () => {
		fx.sim.reset();
		const [json] = outputJson(await fx.run({ resource: 'app', operation: 'checkSetup' }));
		assert.ok(json);
		assert.equal(json.clientId, LIMITED_CLIENT_ID);
		assert.equal(json.tenantId, DEFAULT_TENANT_ID);
		assert.deepEqual(json.roles, ['Calls.Initiate.All']);
		const rows = json.operations as Row[];
		const row = (name: string) => rows.find((r) => r.operation === name);
		// Graph checks the roles when the call is created or joined, none of Hang Up's own.
		assert.deepEqual(row('Call › Hang Up'), {
			operation: 'Call › Hang Up',
			permission:
				'none of its own (Graph checks the roles when the app creates, joins or answers the call)',
			ready: true,
		});
		// The join roles are not held, and hold music needs none of its own either.
		assert.equal(row('Call Participant › Start Hold Music')?.ready, true);
		// Answer: no role needed for a peer-to-peer call to the bot; group calls need a join role.
		assert.deepEqual(row('Call › Answer'), {
			operation: 'Call › Answer',
			permission:
				'Calls.JoinGroupCall.All or Calls.JoinGroupCallAsGuest.All (none for peer-to-peer calls to the bot)',
			ready: true,
			only: 'peer-to-peer calls to the bot',
		});
		// Reject: Graph names no permission.
		assert.equal(row('Call › Reject')?.ready, true);
		assert.match(String(row('Call › Reject')?.permission), /^none/);
		assert.equal(row('Call › Create (Peer-to-Peer)')?.ready, true);
		assert.equal(row('Call Participant › Invite')?.ready, false);
		assert.equal(row('Call Participant › Invite')?.permission, 'Calls.InitiateGroupCall.All');
		assert.equal(row('Call Participant › Mute')?.ready, false);
		// Two requests, two roles: the call (Calls.Initiate.All, held) and its tones (not held).
		assert.deepEqual(row('Call › Call and Wait for Keypress'), {
			operation: 'Call › Call and Wait for Keypress',
			permission: 'Calls.Initiate.All and Calls.AccessMedia.All',
			ready: false,
		});
		const ready = rows.filter((r) => r.ready).length;
		assert.equal(json.summary, `${ready} of ${rows.length} operations are ready.`);
		assert.equal(fx.sim.tokenRequests().length, 1, 'a fresh token was minted');
		assert.equal(fx.sim.graphRequests().length, 0, 'nothing was sent to Graph');
	});
});
