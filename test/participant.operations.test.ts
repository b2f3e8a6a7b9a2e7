import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';

import { inviteParameters, outputJson, startFixture, type Fixture } from './support/fixture';
import { DEFAULT_CALL_ID, ENGINEER, MANAGER, participantParameters } from './support/calls';

describe('Call Participant › Get Many, Get, Mute, Remove', () => {
	let fx: Fixture;
	let engineerId: string;
	before(async () => {
		fx = await startFixture();
	});
	after(async () => await fx.close());
	beforeEach(async () => {
		fx.sim.reset();
		outputJson(
			await fx.run(
				inviteParameters([
					{ type: 'user', id: ENGINEER },
					{ type: 'user', id: MANAGER },
				]),
			),
		);
		const engineer = fx.sim
			.getCall(DEFAULT_CALL_ID)
			?.participants.find((p) => p.identityKey === `user:${ENGINEER}`);
		assert.ok(engineer);
		engineerId = engineer.id;
		fx.sim.requests.length = 0;
	});

	it("List: one item per participant, each paired with the input item, in Graph's participant shape", async () => {
		const result = await fx.run(participantParameters('list', DEFAULT_CALL_ID));
		const output = result.output?.[0] ?? [];
		assert.equal(output.length, 3);
		for (const item of output) {
			assert.deepEqual(item.pairedItem, { item: 0 });
			assert.equal(item.json['@odata.type'], '#microsoft.graph.participant');
			assert.equal(typeof item.json.isMuted, 'boolean');
		}
		assert.equal(
			output[0].json.id,
			fx.sim.getCall(DEFAULT_CALL_ID)?.myParticipantId,
			'the bot is listed first',
		);
	});

	it('List with response metadata: every item carries it', async () => {
		const output = outputJson(
			await fx.run(
				participantParameters('list', DEFAULT_CALL_ID, undefined, {
					options: { includeResponseMetadata: true },
				}),
			),
		);
		assert.ok(output.every((p) => (p.responseMetadata as Record<string, unknown>).status === 200));
	});

	it('Get: one participant by its ID', async () => {
		const [participant] = outputJson(
			await fx.run(participantParameters('get', DEFAULT_CALL_ID, engineerId)),
		);
		assert.equal(participant.id, engineerId);
		assert.equal(
			(participant.info as Record<string, Record<string, Record<string, unknown>>>).identity.user
				.id,
			ENGINEER,
		);
		assert.equal(
			fx.sim.graphRequests()[0].path,
			`/v1.0/communications/calls/${DEFAULT_CALL_ID}/participants/${engineerId}`,
		);
	});

	it('Mute: POST …/mute with clientContext; the operation comes back and the roster shows the mute', async () => {
		const [operation] = outputJson(
			await fx.run(
				participantParameters('mute', DEFAULT_CALL_ID, engineerId, {
					clientContext: 'quiet please',
				}),
			),
		);
		assert.deepEqual(
			{
				type: operation['@odata.type'],
				status: operation.status,
				clientContext: operation.clientContext,
			},
			{
				type: '#microsoft.graph.muteParticipantOperation',
				status: 'completed',
				clientContext: 'quiet please',
			},
		);
		const [request] = fx.sim.graphRequests();
		assert.equal(
			request.path,
			`/v1.0/communications/calls/${DEFAULT_CALL_ID}/participants/${engineerId}/mute`,
		);
		assert.deepEqual(JSON.parse(request.body), { clientContext: 'quiet please' });
		assert.equal(request.headers['content-type'], 'application/json');
		const listed = outputJson(await fx.run(participantParameters('list', DEFAULT_CALL_ID)));
		assert.deepEqual(
			listed.filter((p) => p.isMuted).map((p) => p.id),
			[engineerId],
		);
	});

	it('Mute without client context sends an empty object', async () => {
		outputJson(await fx.run(participantParameters('mute', DEFAULT_CALL_ID, engineerId)));
		assert.equal(fx.sim.graphRequests()[0].body, '{}');
	});

	it('Remove: DELETE; the 204 becomes a success item, and the roster loses exactly that participant', async () => {
		const [item] = outputJson(
			await fx.run(participantParameters('remove', DEFAULT_CALL_ID, engineerId)),
		);
		assert.deepEqual(
			{
				success: item.success,
				status: item.status,
				operation: item.operation,
				callId: item.callId,
				participantId: item.participantId,
			},
			{
				success: true,
				status: 204,
				operation: 'remove',
				callId: DEFAULT_CALL_ID,
				participantId: engineerId,
			},
		);
		const roster = fx.sim.getCall(DEFAULT_CALL_ID)?.participants.map((p) => p.identityKey) ?? [];
		assert.equal(roster.length, 2);
		assert.ok(!roster.includes(`user:${ENGINEER}`));
		assert.ok(roster.includes(`user:${MANAGER}`));
	});

	it("Remove the app's own participant: Graph says to hang up instead", async () => {
		const result = await fx.run(
			participantParameters(
				'remove',
				DEFAULT_CALL_ID,
				fx.sim.getCall(DEFAULT_CALL_ID)?.myParticipantId,
			),
		);
		assert.ok(result.error);
		assert.match(
			result.error.message,
			/^Graph answered 400 \(BadRequest\) to the remove participant request: The application cannot remove its own participant/,
		);
	});

	for (const [name, parameters, expect] of [
		[
			'participant ID with a slash',
			participantParameters('get', DEFAULT_CALL_ID, 'a/b'),
			/^Participant ID \(item 0\): contains "\/"/,
		],
		[
			'empty participant ID',
			participantParameters('remove', DEFAULT_CALL_ID, ''),
			/^Participant ID \(item 0\): is empty/,
		],
		[
			'participant ID with ..',
			participantParameters('mute', DEFAULT_CALL_ID, '..'),
			/^Participant ID \(item 0\): contains "\.\."/,
		],
		[
			'mute client context over 256 characters',
			participantParameters('mute', DEFAULT_CALL_ID, 'abc', { clientContext: 'x'.repeat(257) }),
			/^Client Context \(item 0\): is 257 characters long; Graph accepts at most 256/,
		],
		[
			'list with a bad call ID',
			participantParameters('list', 'abc def'),
			/^Call ID \(item 0\): contains whitespace/,
		],
	] as const) {
		it(`refuses bad input before sending: ${name}`, async () => {
			const result = await fx.run(parameters);
			assert.ok(result.error);
			assert.equal(result.error.name, 'NodeOperationError');
			assert.match(result.error.message, expect);
			assert.equal(fx.sim.requests.length, 0);
		});
	}
});
