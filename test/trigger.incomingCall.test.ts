/**
 * The trigger's Incoming Call event: the simulator calls the app, signed, in Graph's
 * format and in the legacy (Skype Bot Platform) format that Teams' "Incoming call notifications"
 * page says must be answered 204 No Content before Graph's follows. Version 1 of the trigger keeps
 * reporting incoming calls as call state changes.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, it } from 'node:test';

import type { INodeParameters } from 'n8n-workflow';

import { isLegacyCallNotification, readLegacyCall } from '../lib/notifications/legacyNotification';
import { placeIncomingCall, TEST_CALLER } from '../simulator/incomingCalls';
import { DEFAULT_CLIENT_ID } from './support/calls';
import { outputJson } from './support/fixture';
import { startTriggerFixture, type TriggerFixture } from './support/trigger';

interface LegacyExample {
	name: string;
	source: string;
	body: Record<string, unknown>;
	status: number;
}
const legacyExamples = (
	JSON.parse(readFileSync(join(__dirname, 'fixtures', 'graph-notifications.json'), 'utf8')) as {
		legacyExamples: LegacyExample[];
	}
).legacyExamples;

describe('Trigger › Incoming Call', () => {
	let fx: TriggerFixture | undefined;
	afterEach(async () => {
		await fx?.close();
		fx = undefined;
	});
	const start = async (parameters: INodeParameters = {}, typeVersion = 2) => {
		fx = await startTriggerFixture(parameters, { typeVersion });
		return fx;
	};

	it('version 2: one item with caller, callee, call ID and the deadline; Call › Answer with that ID establishes the call', async () => {
		const t = await start();
		const placed = await placeIncomingCall(t.sim, { callbackUri: t.trigger.url });
		assert.deepEqual(
			placed.posts.map((p) => p.status),
			[202],
		);
		assert.equal(t.trigger.executions.length, 1);
		const [item] = t.trigger.executions[0];
		const json = item.json;
		assert.equal(json.event, 'incomingCall');
		assert.equal(json.callId, placed.callId);
		assert.deepEqual(json.caller, {
			kind: 'user',
			id: TEST_CALLER.id,
			displayName: TEST_CALLER.displayName,
			tenantId: null,
		});
		assert.equal((json.callee as Record<string, unknown>).id, DEFAULT_CLIENT_ID);
		assert.deepEqual(json.requestedModalities, ['audio']);
		assert.equal(json.answerWithinSeconds, 15);
		const left = Date.parse(String(json.answerBy)) - Date.now();
		assert.ok(left > 10_000 && left <= 15_000, `answerBy is ${left} ms away`);

		const [answered] = outputJson(
			await t.run(
				{
					resource: 'call',
					operation: 'answer',
					callId: json.callId as string,
					acceptedModalities: json.requestedModalities as string[],
				},
				undefined,
				false,
				2,
			),
		);
		assert.equal(answered.status, 202);
		assert.equal(t.sim.getCall(placed.callId)?.state, 'established');
	});

	it('legacy format first: answered 204 and nothing starts; the Graph-format call that follows starts one execution', async () => {
		const t = await start();
		const placed = await placeIncomingCall(t.sim, { callbackUri: t.trigger.url, format: 'legacy' });
		assert.deepEqual(
			placed.posts.map((p) => [p.format, p.status]),
			[
				['legacy', 204],
				['graph', 202],
			],
		);
		assert.equal(t.trigger.executions.length, 1);
		assert.equal(t.trigger.executions[0][0].json.event, 'incomingCall');
	});

	it('legacy format with a forged token: 401, not 204 (the token is checked first), and the platform drops the call', async () => {
		const t = await start();
		const placed = await placeIncomingCall(t.sim, {
			callbackUri: t.trigger.url,
			format: 'legacy',
			tokenClaims: { aud: '00000000-0000-0000-0000-000000000001' },
		});
		assert.deepEqual(
			placed.posts.map((p) => p.status),
			[401],
		);
		assert.equal(placed.call.state, 'terminated');
		assert.equal(t.trigger.executions.length, 0);
	});

	it('the documented legacy Conversation body: detected, read, answered 204, starts nothing', async () => {
		const t = await start();
		for (const example of legacyExamples) {
			assert.ok(isLegacyCallNotification(example.body), example.name);
			assert.deepEqual(readLegacyCall(example.body), {
				callId: '11111111-2222-3333-4444-555555555555',
				caller: '8:skype.user',
				callState: 'incoming',
				modalities: ['audio'],
			});
			const answer = await t.post(example.body, { authorization: `Bearer ${t.token()}` });
			assert.equal(answer.status, example.status, example.name);
		}
		assert.equal(t.trigger.executions.length, 0);
	});

	it('a Graph envelope is never taken for the legacy format; an unknown body still gets 400', async () => {
		assert.equal(
			isLegacyCallNotification({ value: [], callState: 'incoming', participants: [] }),
			false,
		);
		assert.equal(isLegacyCallNotification({ callState: 'incoming' }), false);
		const t = await start();
		const answer = await t.post({ hello: 'world' }, { authorization: `Bearer ${t.token()}` });
		assert.equal(answer.status, 400);
	});

	it('version 2 with only Call State Changes chosen: incoming calls still start it (saved selections keep them)', async () => {
		const t = await start({ events: ['callStateChanged'] });
		await placeIncomingCall(t.sim, { callbackUri: t.trigger.url });
		assert.equal(t.trigger.executions.length, 1);
		assert.equal(t.trigger.executions[0][0].json.event, 'incomingCall');
	});

	it('version 2 with only Roster Updates chosen: an incoming call starts nothing', async () => {
		const t = await start({ events: ['rosterUpdated'] });
		const placed = await placeIncomingCall(t.sim, { callbackUri: t.trigger.url });
		assert.equal(placed.posts[0].status, 202);
		assert.equal(t.trigger.executions.length, 0);
	});

	it('version 1 keeps its items: an incoming call is a callStateChanged item without the new fields', async () => {
		const t = await start({}, 1);
		const placed = await placeIncomingCall(t.sim, { callbackUri: t.trigger.url });
		assert.equal(t.trigger.executions.length, 1);
		const json = t.trigger.executions[0][0].json;
		assert.equal(json.event, 'callStateChanged');
		assert.equal(json.status, 'incoming');
		assert.equal(json.callId, placed.callId);
		for (const key of ['caller', 'callee', 'answerBy', 'answerWithinSeconds'])
			assert.equal(key in json, false, key);
	});
});
