import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';

import type { IDataObject } from 'n8n-workflow';

import { inviteParameters, outputJson } from './support/fixture';
import {
	callParameters,
	createParameters,
	ENGINEER,
	joinUrl,
	MANAGER,
	targets,
} from './support/calls';
import { startTriggerFixture, type TriggerFixture } from './support/trigger';

const ORGANIZER_GUEST = '1f7a2f0e-3c55-4a4b-9d7e-6a1f0c8e2b44';

/** The simulator posts the call's notifications to the trigger; this waits for the executions they start. */
async function executionsAfter(
	fx: TriggerFixture,
	count: number,
	action: () => Promise<void>,
): Promise<IDataObject[]> {
	const before = fx.trigger.executions.length;
	await action();
	await fx.sim.callbacks.waitForDeliveries(
		(deliveries) => deliveries.filter((d) => d.status !== undefined).length >= count,
	);
	assert.deepEqual(
		fx.sim.callbacks.deliveries.map((d) => d.status),
		Array(fx.sim.callbacks.deliveries.length).fill(202),
		'every signed notification was accepted',
	);
	return fx.trigger.executions
		.slice(before)
		.flat()
		.map((item) => item.json);
}

async function createMeetingCall(fx: TriggerFixture): Promise<string> {
	const [call] = outputJson(
		await fx.run(
			createParameters('joinMeeting', { joinUrl: joinUrl(), callbackUrl: fx.trigger.url }),
		),
	);
	return String(call.id);
}

describe("Trigger outputs: the simulator's signed notifications, one readable item each", () => {
	let fx: TriggerFixture;
	before(async () => {
		fx = await startTriggerFixture();
	});
	after(async () => await fx.close());
	beforeEach(() => fx.sim.reset());

	it("call created with the trigger's URL as callback: callStateChanged (established) and rosterUpdated", async () => {
		let callId = '';
		const items = await executionsAfter(fx, 1, async () => {
			callId = await createMeetingCall(fx);
		});
		const state = items.find((item) => item.event === 'callStateChanged');
		assert.ok(state, 'a call state item');
		assert.equal(state.callId, callId);
		assert.equal(state.status, 'established');
		assert.equal(state.changeType, 'updated');
		const roster = items.find((item) => item.event === 'rosterUpdated');
		assert.ok(roster, 'a roster item');
		assert.equal(roster.callId, callId);
		assert.ok(Array.isArray(roster.participants) && roster.participants.length >= 1);
		for (const item of items) {
			assert.ok(
				item.notification && typeof item.notification === 'object',
				'the raw notification is kept',
			);
			assert.equal(item.tenantId, fx.sim.getCall(callId)?.tenantId);
		}
	});

	it('invite answered: operationResult completed (operation ID, clientContext, resultInfo) and the roster with the invitee', async () => {
		const callId = await createMeetingCall(fx);
		await fx.sim.callbacks.settled();
		fx.sim.callbacks.deliveries.length = 0;
		let operationId = '';
		const items = await executionsAfter(fx, 1, async () => {
			const [operation] = outputJson(
				await fx.run({
					...inviteParameters([{ type: 'user', id: ENGINEER, displayName: 'Alex' }]),
					callId,
					clientContext: 'page-42',
				}),
			);
			operationId = String(operation.id);
		});
		const result = items.find((item) => item.event === 'operationResult');
		assert.ok(result);
		assert.equal(result.callId, callId);
		assert.equal(result.operationId, operationId);
		assert.equal(result.clientContext, 'page-42');
		assert.equal(result.status, 'completed');
		assert.equal(
			result.resultInfo,
			null,
			"a completed invite carries no resultInfo in Graph's examples",
		);
		assert.equal(result.operationType, 'inviteParticipantsOperation');
		const roster = items.find((item) => item.event === 'rosterUpdated');
		assert.ok(roster);
		assert.ok(
			(roster.participants as IDataObject[]).some(
				(p) => p.identityKind === 'user' && p.identityId === ENGINEER && p.displayName === 'Alex',
			),
		);
	});

	it('several people invited at once: posted on …/operations/participants with a null id (participant-invite.md example 2); the item names no operation ID and keeps the clientContext', async () => {
		const callId = await createMeetingCall(fx);
		await fx.sim.callbacks.settled();
		fx.sim.callbacks.deliveries.length = 0;
		let operationId = '';
		const items = await executionsAfter(fx, 1, async () => {
			const [operation] = outputJson(
				await fx.run({
					...inviteParameters([
						{ type: 'user', id: ENGINEER },
						{ type: 'user', id: MANAGER },
					]),
					callId,
					clientContext: 'both-at-once',
				}),
			);
			operationId = String(operation.id);
		});
		const result = items.find((item) => item.event === 'operationResult');
		assert.ok(result);
		assert.ok(operationId, 'the answer named the operation');
		assert.equal(
			((result.notification as IDataObject).resourceData as IDataObject).id,
			null,
			'the simulator sends the null-ID shape',
		);
		assert.match(String(result.resourceUrl), /\/operations\/participants$/);
		assert.equal(result.operationId, null, "not 'participants'");
		assert.equal(result.clientContext, 'both-at-once');
		assert.equal((result.participants as IDataObject[]).length, 2);
	});

	it('invite not answered: operationResult failed with resultInfo, and no roster update', async () => {
		const callId = await createMeetingCall(fx);
		await fx.sim.callbacks.settled();
		fx.sim.callbacks.deliveries.length = 0;
		fx.sim.callbacks.knobs.neverAnswer = [`user:${ORGANIZER_GUEST}`];
		fx.sim.callbacks.knobs.noAnswerTimeoutMs = 200;
		const items = await executionsAfter(fx, 1, async () => {
			await fx.run({ ...inviteParameters([{ type: 'user', id: ORGANIZER_GUEST }]), callId });
		});
		assert.deepEqual(
			items.map((item) => item.event),
			['operationResult'],
		);
		assert.equal(items[0].status, 'failed');
		assert.equal((items[0].resultInfo as IDataObject).code, 408);
		assert.equal(typeof (items[0].resultInfo as IDataObject).message, 'string');
	});

	it('hang up: callStateChanged terminated (changeType deleted) with resultInfo', async () => {
		const callId = await createMeetingCall(fx);
		await fx.sim.callbacks.settled();
		fx.sim.callbacks.deliveries.length = 0;
		const items = await executionsAfter(fx, 1, async () => {
			outputJson(await fx.run(callParameters('hangUp', callId)));
		});
		assert.equal(items.length, 1);
		assert.equal(items[0].event, 'callStateChanged');
		assert.equal(items[0].status, 'terminated');
		assert.equal(items[0].changeType, 'deleted');
		assert.ok(items[0].resultInfo);
	});

	it('a peer-to-peer call whose target answers later: establishing, then established with the target in the roster', async () => {
		fx.sim.callbacks.knobs.answerDelayMs = 150;
		const items = await executionsAfter(fx, 2, async () => {
			outputJson(
				await fx.run(
					createParameters('peerToPeer', {
						callbackUrl: fx.trigger.url,
						...targets({ type: 'user', id: ENGINEER }),
					}),
				),
			);
		});
		assert.deepEqual(
			items.filter((item) => item.event === 'callStateChanged').map((item) => item.status),
			['establishing', 'established'],
		);
		const roster = items.find((item) => item.event === 'rosterUpdated');
		assert.ok((roster?.participants as IDataObject[]).some((p) => p.identityId === ENGINEER));
	});
});

describe('Trigger filters', () => {
	it('Only Operation Results: roster and call state notifications start nothing', async () => {
		const fx = await startTriggerFixture({ onlyOperationResults: true });
		try {
			const callId = await createMeetingCall(fx);
			await fx.sim.callbacks.settled();
			assert.equal(
				fx.trigger.executions.length,
				0,
				'call state and roster notifications were accepted (202) but emitted nothing',
			);
			assert.ok(fx.sim.callbacks.deliveries.every((d) => d.status === 202));
			await fx.run({ ...inviteParameters([{ type: 'user', id: ENGINEER }]), callId });
			await fx.sim.callbacks.settled();
			const emitted = fx.trigger.executions.flat().map((item) => item.json.event);
			assert.deepEqual(emitted, ['operationResult']);
		} finally {
			await fx.close();
		}
	});

	it('Events = roster updates only', async () => {
		const fx = await startTriggerFixture({ events: ['rosterUpdated'] });
		try {
			const callId = await createMeetingCall(fx);
			await fx.run({ ...inviteParameters([{ type: 'user', id: ENGINEER }]), callId });
			await fx.run(callParameters('hangUp', callId));
			await fx.sim.callbacks.settled();
			const emitted = fx.trigger.executions.flat().map((item) => item.json.event);
			assert.ok(emitted.length >= 2);
			assert.ok(
				emitted.every((event) => event === 'rosterUpdated'),
				emitted.join(),
			);
		} finally {
			await fx.close();
		}
	});
});
