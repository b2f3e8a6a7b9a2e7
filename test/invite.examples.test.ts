import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import examples from './fixtures/documented-examples.json';
import { inviteParameters, outputJson, startFixture, type Fixture } from './support/fixture';

const CONTEXT = 'f2fa86af-3c51-4bc2-8fc0-475452d9764f';
const OTHER_CALL = 'a7ebfb2d-871e-419c-87af-27290b22e8db';

describe('Invite: the documented request bodies (cmdlet help, examples 1-5)', () => {
	let fx: Fixture;
	before(async () => {
		fx = await startFixture();
	});
	after(async () => await fx.close());

	async function sentBodyFor(parameters: Parameters<Fixture['run']>[0]): Promise<unknown> {
		fx.sim.reset();
		const result = await fx.run(parameters);
		const [operation] = outputJson(result);
		assert.equal(operation['@odata.type'], '#microsoft.graph.inviteParticipantsOperation');
		const invites = fx.invites();
		assert.equal(invites.length, 1, 'exactly one invite request');
		return JSON.parse(invites[0].body);
	}

	it('example 1: one Teams user, replacing a call, from the panel', async () => {
		const body = await sentBodyFor(
			inviteParameters(
				[
					{
						type: 'user',
						id: '278405a3-f568-4b3e-b684-009193463064',
						displayName: 'string',
						replacesCallId: OTHER_CALL,
					},
				],
				{ clientContext: CONTEXT },
			),
		);
		assert.deepEqual(body, examples.example1);
	});

	it('example 2 as printed (two participants with replacesCallId) is refused, and nothing is sent', async () => {
		fx.sim.reset();
		const result = await fx.run({
			...inviteParameters([]),
			participantsMode: 'json',
			participantsJson: JSON.stringify(examples.example2),
		});
		assert.ok(result.error, 'the node must refuse');
		assert.match(
			result.error.message,
			/Participants \(item 0\): 2 participants with Replaces Call ID/,
		);
		assert.match(result.error.message, /only the first participant/);
		assert.match(result.error.message, /one invite per person/);
		assert.equal(fx.sim.graphRequests().length, 0);
		assert.equal(fx.sim.tokenRequests().length, 0, 'not even a token is requested for bad input');
	});

	it('example 2 without replacesCallId: both users invited in one request', async () => {
		const body = await sentBodyFor(
			inviteParameters(
				[
					{ type: 'user', id: '7e1b4346-85a6-4bdd-abe3-d11c5d420efe', displayName: 'string' },
					{ type: 'user', id: '1e126418-44a0-4a94-a6f8-0efe1ad71acb', displayName: 'string' },
				],
				{ clientContext: CONTEXT },
			),
		);
		const expected = structuredClone(examples.example2) as {
			participants: Record<string, unknown>[];
		};
		for (const participant of expected.participants) delete participant.replacesCallId;
		assert.deepEqual(body, expected);
		const callId = fx.sim.invitations[0].callId;
		assert.equal(fx.sim.inviteCount(callId, 'user:7e1b4346-85a6-4bdd-abe3-d11c5d420efe'), 1);
		assert.equal(fx.sim.inviteCount(callId, 'user:1e126418-44a0-4a94-a6f8-0efe1ad71acb'), 1);
	});

	it('example 3: replacing a peer-to-peer call', async () => {
		const body = await sentBodyFor(
			inviteParameters(
				[
					{
						type: 'user',
						id: '7e1b4346-85a6-4bdd-abe3-d11c5d420efe',
						displayName: 'string',
						replacesCallId: OTHER_CALL,
					},
				],
				{ clientContext: CONTEXT },
			),
		);
		assert.deepEqual(body, examples.example3);
	});

	it('example 4: a PSTN phone number', async () => {
		const body = await sentBodyFor(
			inviteParameters([{ type: 'phone', id: '+12345678901' }], { clientContext: CONTEXT }),
		);
		assert.deepEqual(body, examples.example4);
		assert.equal(fx.sim.invitations[0].identityKind, 'phone');
	});

	it('example 5: moving a participant from another meeting (participantId, identityProvider AAD)', async () => {
		const body = await sentBodyFor(
			inviteParameters(
				[
					{
						type: 'user',
						id: '682b6c37-0729-4fab-ace6-d730d5d9137e',
						identityProvider: 'AAD',
						replacesCallId: OTHER_CALL,
						participantId: '7d501bf1-5ee4-4605-ba92-0ae4513c611c',
					},
				],
				{ clientContext: CONTEXT },
			),
		);
		assert.deepEqual(body, examples.example5);
	});

	for (const name of ['example1', 'example3', 'example4', 'example5'] as const) {
		it(`${name} given verbatim as a whole body in JSON mode (the cmdlet's -BodyParameter) is sent unchanged`, async () => {
			const body = await sentBodyFor({
				...inviteParameters([]),
				participantsMode: 'json',
				participantsJson: JSON.stringify(examples[name]),
			});
			assert.deepEqual(body, examples[name]);
		});
	}
});
