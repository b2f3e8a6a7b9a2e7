/**
 * Issue 15, trigger side: keys pressed and media operation results, posted signed by the
 * simulator to the trigger (the call's callback URL) after the action node asked for them, and
 * the Events filter of version 2 next to version 1's unchanged items.
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';

import { DEFAULT_CALL_ID, makeWav } from '../simulator';
import { mediaParameters, promptsParameter } from './support/media';
import { outputJson } from './support/fixture';
import { startTriggerFixture, type TriggerFixture } from './support/trigger';

const TONE_ENVELOPE = {
	'@odata.type': '#microsoft.graph.commsNotifications',
	value: [
		{
			'@odata.type': '#microsoft.graph.commsNotification',
			changeType: 'updated',
			resourceUrl: '/communications/calls/57dab8b1-894c-409a-b240-bd8beae78896',
			resourceData: {
				'@odata.type': '#microsoft.graph.call',
				state: 'established',
				toneInfo: { '@odata.type': '#microsoft.graph.toneInfo', sequenceId: 1, tone: 'pound' },
			},
		},
	],
};

/** Points the default call's notifications at the trigger. */
function callbackToTrigger(fx: TriggerFixture): void {
	const call = fx.sim.getCall(DEFAULT_CALL_ID);
	assert.ok(call);
	call.callbackUri = fx.trigger.url;
}

async function until(check: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (!check()) {
		if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
		await new Promise((resolve) => setTimeout(resolve, 20));
	}
}

describe('Trigger version 2: Tone and media operation results, end to end', () => {
	let fx: TriggerFixture;
	before(async () => {
		fx = await startTriggerFixture({ events: ['tone', 'operationResult'] }, { typeVersion: 2 });
	});
	after(async () => await fx.close());
	beforeEach(() => {
		fx.sim.reset();
		fx.trigger.executions.length = 0;
		callbackToTrigger(fx);
	});

	it('Subscribe to Tone, then keys pressed: one tone item each, with the tone, the key and the call ID', async () => {
		outputJson(await fx.run(mediaParameters('subscribeToTone'), undefined, false, 2));
		fx.sim.media.pressKeys(DEFAULT_CALL_ID, [
			{ tone: 'tone1', afterMs: 10 },
			{ tone: 'star', afterMs: 10 },
		]);
		await until(() => fx.trigger.executions.length >= 2, 'two tone executions');
		const items = fx.trigger.executions.map((execution) => execution[0].json);
		assert.deepEqual(
			items.map((item) => [item.event, item.tone, item.key, item.sequenceId, item.callId]),
			[
				['tone', 'tone1', '1', 1, DEFAULT_CALL_ID],
				['tone', 'star', '*', 2, DEFAULT_CALL_ID],
			],
		);
	});

	it('Play Prompt: its result arrives as an operationResult item of type playPromptOperation', async () => {
		const url = fx.sim.media.host('alert.wav', makeWav());
		const [operation] = outputJson(
			await fx.run(mediaParameters('playPrompt', promptsParameter(url)), undefined, false, 2),
		);
		await until(() => fx.trigger.executions.length >= 1, 'the operation result');
		const [item] = fx.trigger.executions[0].map((entry) => entry.json);
		assert.equal(item.event, 'operationResult');
		assert.equal(item.operationType, 'playPromptOperation');
		assert.equal(item.status, 'completed');
		assert.equal(
			String(item.operationId),
			String(operation.id).toLowerCase(),
			"Graph's notification writes it upper case without dashes; the item has the answer's GUID",
		);
		assert.equal(
			String(item.resourceUrl).split('/').at(-1),
			String(operation.id).replace(/-/g, '').toUpperCase(),
			'the resource URL stays as Graph wrote it',
		);
	});

	it('Record Response: the result item carries the recording location and its access token', async () => {
		await fx.run(mediaParameters('recordResponse'), undefined, false, 2);
		await until(() => fx.trigger.executions.length >= 1, 'the record result');
		const [item] = fx.trigger.executions[0].map((entry) => entry.json);
		assert.equal(item.operationType, 'recordOperation');
		const download = await fetch(String(item.recordingLocation), {
			headers: { authorization: `Bearer ${String(item.recordingAccessToken)}` },
		});
		assert.equal(download.status, 200);
	});
});

describe('Trigger Events filter and version 1', () => {
	const cases: Array<[string, Record<string, unknown>, number, string | undefined]> = [
		['version 2, Events = Tone', { events: ['tone'] }, 2, 'tone'],
		[
			'version 2, Events = Call State Changes (saved selections keep getting keys)',
			{ events: ['callStateChanged'] },
			2,
			'tone',
		],
		['version 2, Events = Operation Results', { events: ['operationResult'] }, 2, undefined],
		['version 1, default events', {}, 1, 'callStateChanged'],
		['version 1, Only Operation Results', { onlyOperationResults: true }, 1, undefined],
	];
	for (const [label, parameters, typeVersion, expected] of cases) {
		it(`${label}: a key pressed gives ${expected ?? 'no execution'}`, async () => {
			const fx = await startTriggerFixture(parameters as never, { typeVersion });
			try {
				const answer = await fx.post(TONE_ENVELOPE, { authorization: `Bearer ${fx.token()}` });
				assert.equal(answer.status, 202);
				if (expected === undefined) {
					assert.equal(fx.trigger.executions.length, 0);
					return;
				}
				const [item] = (fx.trigger.executions[0] ?? []).map((entry) => entry.json);
				assert.equal(item?.event, expected);
				if (typeVersion === 1) {
					assert.equal(item.tone, undefined, 'version 1 items stay as they were');
					assert.equal(item.status, 'established');
				} else assert.equal(item.key, '#');
			} finally {
				await fx.close();
			}
		});
	}
});
