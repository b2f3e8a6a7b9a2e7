import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';

import type { IDataObject } from 'n8n-workflow';

import { inviteParameters, outputJson, startFixture, type Fixture } from './support/fixture';
import {
	createParameters,
	DEFAULT_CALL_ID,
	ENGINEER,
	joinUrl,
	MANAGER,
	targets,
} from './support/calls';

const BACKUP = '1f7a2f0e-3c55-4a4b-9d7e-6a1f0c8e2b44';
const wait = (timeoutSeconds: number, pollIntervalSeconds = 0.1) => ({
	options: { waitForOutcome: true, waitTimeoutSeconds: timeoutSeconds, pollIntervalSeconds },
});

/** Runs and measures; asserts the wait did not exceed its timeout (plus one second of slack for the run itself). */
async function timed(
	fx: Fixture,
	parameters: IDataObject,
	timeoutSeconds: number,
): Promise<IDataObject> {
	const started = Date.now();
	const [item] = outputJson(await fx.run(parameters as never));
	const elapsed = Date.now() - started;
	assert.ok(
		elapsed < timeoutSeconds * 1000 + 1000,
		`the run took ${elapsed} ms, beyond its ${timeoutSeconds} s timeout`,
	);
	const outcome = item.outcome as IDataObject;
	assert.ok(outcome, 'the item has an outcome');
	assert.ok(
		Number(outcome.waitedMs) <= timeoutSeconds * 1000 + 250,
		`waited ${String(outcome.waitedMs)} ms`,
	);
	return item;
}

describe('Wait for Outcome (polling documented reads)', () => {
	let fx: Fixture;
	before(async () => {
		fx = await startFixture();
	});
	after(async () => await fx.close());
	beforeEach(() => fx.sim.reset());

	it('Invite → joined: the invitee answers after a delay; the roster is polled until they are listed', async () => {
		fx.sim.callbacks.knobs.answerDelayMs = 400;
		const item = await timed(fx, inviteParameters([{ type: 'user', id: ENGINEER }], wait(10)), 10);
		assert.equal(
			item['@odata.type'],
			'#microsoft.graph.inviteParticipantsOperation',
			'the operation is kept',
		);
		const outcome = item.outcome as IDataObject;
		assert.equal(outcome.status, 'joined');
		assert.deepEqual(
			(outcome.joined as IDataObject[]).map((p) => p.identityId),
			[ENGINEER],
		);
		assert.deepEqual(outcome.missing, []);
		assert.ok(Number(outcome.polls) >= 2, 'it polled more than once');
		const polls = fx.sim
			.graphRequests()
			.filter(
				(r) => r.method === 'GET' && r.path.endsWith(`/calls/${DEFAULT_CALL_ID}/participants`),
			);
		assert.equal(polls.length, outcome.polls);
	});

	it('Invite → notJoined at the timeout, naming who is missing (one of two answered)', async () => {
		fx.sim.callbacks.knobs.neverAnswer = [`user:${BACKUP}`];
		const item = await timed(
			fx,
			inviteParameters(
				[
					{ type: 'user', id: ENGINEER },
					{ type: 'user', id: BACKUP, displayName: 'Backup' },
				],
				wait(1, 0.2),
			),
			1,
		);
		const outcome = item.outcome as IDataObject;
		assert.equal(outcome.status, 'notJoined');
		assert.deepEqual(
			(outcome.missing as IDataObject[]).map((p) => [p.identityId, p.displayName]),
			[[BACKUP, 'Backup']],
		);
		assert.deepEqual(
			(outcome.joined as IDataObject[]).map((p) => p.identityId),
			[ENGINEER],
		);
		assert.ok(Number(outcome.waitedMs) >= 700, 'it waited until (about) the timeout');
	});

	it('Invite: polling honours a 429 with Retry-After (same transport, same limits) and still finds the invitee', async () => {
		fx.sim.callbacks.knobs.answerDelayMs = 600;
		const run = timed(fx, inviteParameters([{ type: 'user', id: ENGINEER }], wait(10, 0.1)), 10);
		// Once the invite is processed, the next Graph request (a poll) is throttled.
		while (fx.sim.invitations.length === 0) await new Promise((resolve) => setTimeout(resolve, 1));
		fx.sim.faults.nextGraphFaults.push({ kind: 'status', status: 429, retryAfterSeconds: 1 });
		const item = await run;
		assert.equal((item.outcome as IDataObject).status, 'joined');
		const gets = fx.sim.graphRequests().filter((r) => r.method === 'GET');
		const throttled = gets.findIndex((r) => r.status === 429);
		assert.ok(throttled >= 0, 'a poll was throttled');
		assert.ok(
			gets[throttled + 1].at - gets[throttled].at >= 900,
			'the next poll waited for Retry-After',
		);
	});

	it('Create → established: a group call stays establishing for a while, then is established', async () => {
		fx.sim.callbacks.knobs.establishDelayMs = 400;
		const item = await timed(
			fx,
			createParameters('groupCall', {
				...targets({ type: 'user', id: ENGINEER }, { type: 'user', id: MANAGER }),
				...wait(10),
			}),
			10,
		);
		assert.equal(item.state, 'establishing', 'the created call as Graph answered it');
		const outcome = item.outcome as IDataObject;
		assert.equal(outcome.status, 'established');
		assert.equal(outcome.state, 'established');
	});

	it('Create → terminated with resultInfo: a peer-to-peer call nobody answers', async () => {
		fx.sim.callbacks.knobs.neverAnswer = [`user:${BACKUP}`];
		fx.sim.callbacks.knobs.noAnswerTimeoutMs = 300;
		const item = await timed(
			fx,
			createParameters('peerToPeer', { ...targets({ type: 'user', id: BACKUP }), ...wait(10) }),
			10,
		);
		const outcome = item.outcome as IDataObject;
		assert.equal(outcome.status, 'terminated');
		assert.equal((outcome.resultInfo as IDataObject).code, 408);
		assert.match(
			String((outcome.resultInfo as IDataObject).message),
			/no signaling from callee endpoints/,
		);
	});

	it('Create → timeout: still establishing when the timeout passes; the node returns by then', async () => {
		fx.sim.callbacks.knobs.establishDelayMs = 30_000;
		const item = await timed(
			fx,
			createParameters('joinMeeting', { joinUrl: joinUrl(), ...wait(1, 0.3) }),
			1,
		);
		const outcome = item.outcome as IDataObject;
		assert.equal(outcome.status, 'timeout');
		assert.equal(outcome.state, 'establishing');
	});

	it('off by default: no polling, no outcome', async () => {
		fx.sim.callbacks.knobs.answerDelayMs = 400;
		const [item] = outputJson(await fx.run(inviteParameters([{ type: 'user', id: ENGINEER }])));
		assert.equal(item.outcome, undefined);
		assert.equal(fx.sim.graphRequests().filter((r) => r.method === 'GET').length, 0);
	});

	it('bad wait options are refused before anything is sent', async () => {
		const result = await fx.run(
			inviteParameters([{ type: 'user', id: ENGINEER }], {
				options: { waitForOutcome: true, waitTimeoutSeconds: 99999 },
			}),
		);
		assert.match(String(result.error?.message), /Wait Timeout/);
		assert.equal(fx.sim.graphRequests().length, 0);
	});
});
