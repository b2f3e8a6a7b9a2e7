/**
 * Call and Wait for Keypress, the pure parts: what one notification item decides (keypressSteps.ts),
 * which call IDs are Graph's (callIds.ts), and whether a callbackUri is the one the node gave
 * Graph (waitingUrls.ts).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { readCallEnd } from '../lib/notifications/callEndReasons';
import { graphCallId } from '../lib/notifications/callIds';
import {
	keypressStep,
	overFields,
	presenceContext,
	promptContext,
	reportsEndOfCall,
	type KeypressSettings,
} from '../nodes/MicrosoftGraphCalls/features/keypress/keypressSteps';
import { readPageMenu } from '../nodes/MicrosoftGraphCalls/features/keypress/pageMenu';
import { isSameCallbackUrl } from '../nodes/MicrosoftGraphCalls/features/keypress/waitingUrls';

/** Version 2: Accepted Keys 1 and #, each finishing; other keys ignored. */
const settings: KeypressSettings = {
	menu: readPageMenu(2, (name) =>
		name === 'additionalFields' ? { acceptedKeys: '1#' } : undefined,
	),
	repeatPrompt: 2,
	presenceTries: 2,
	answersKeys: false,
};
/** Version 3: a menu (1 acknowledge, 2 join the bridge); wrong keys answered, * repeats. */
const menuSettings: KeypressSettings = {
	menu: readPageMenu(3, (name, fallback) =>
		name === 'responseType'
			? 'menu'
			: name === 'menu'
				? {
						choice: [
							{ key: '1', label: 'acknowledge', does: 'finish' },
							{
								key: '2',
								label: 'join the bridge',
								does: 'moveIntoCall',
								callId: '2f1a0b00-8e3c-4d5f-9a6b-7c8d9e0f1a2b',
							},
						],
					}
				: fallback,
	),
	repeatPrompt: 2,
	presenceTries: 2,
	answersKeys: true,
};

const tone = (key: string, sequenceId = 1) => ({
	event: 'tone',
	tone: key === '#' ? 'pound' : key === '*' ? 'star' : `tone${key}`,
	key,
	sequenceId,
});

describe('Call and Wait for Keypress: one notification, one decision', () => {
	it('version 2: an accepted key chooses; another key keeps waiting', () => {
		const step = keypressStep(tone('#'), settings);
		assert.equal(step.kind, 'choose');
		assert.ok(step.kind === 'choose');
		assert.equal(step.choice.key, '#');
		assert.equal(step.tone, 'pound');
		assert.deepEqual(keypressStep(tone('2'), settings), { kind: 'wait' });
	});

	it('version 3: a menu key chooses with its label and action; a wrong key and * play the menu again, counted from that key', () => {
		const bridge = keypressStep(tone('2'), menuSettings);
		assert.ok(bridge.kind === 'choose');
		assert.equal(bridge.choice.label, 'join the bridge');
		assert.equal(bridge.choice.action, 'moveIntoCall');
		assert.deepEqual(keypressStep(tone('7', 3), menuSettings), {
			kind: 'again',
			wrong: true,
			sequence: 3,
			key: '7',
		});
		assert.deepEqual(keypressStep(tone('*', 4), menuSettings), {
			kind: 'again',
			wrong: false,
			sequence: 4,
			key: '*',
		});
	});

	it('established starts; establishing waits', () => {
		assert.equal(
			keypressStep({ event: 'callStateChanged', status: 'established' }, settings).kind,
			'start',
		);
		assert.equal(
			keypressStep({ event: 'callStateChanged', status: 'establishing' }, settings).kind,
			'wait',
		);
	});

	for (const [resultInfo, outcome] of [
		[{ code: 408, subcode: 10057 }, 'unanswered'],
		[{ code: 480, subcode: 10076 }, 'unanswered'],
		[{ code: 480, subcode: 10199 }, 'declined'],
		[{ code: 200, subcode: 4521 }, 'hungUp'],
		[{ code: '200', subcode: '5001' }, 'hungUp'],
		[{ code: 603, subcode: 0, message: 'The call was declined.' }, 'ended'],
		[{ code: 486, subcode: 0 }, 'ended'],
		[null, 'ended'],
	] as const) {
		it(`the call ended with resultInfo ${JSON.stringify(resultInfo)}: ${outcome}, with how Graph said it ended`, () => {
			const step = keypressStep(
				{ event: 'callStateChanged', status: 'terminated', changeType: 'deleted', resultInfo },
				settings,
			);
			assert.ok(step.kind === 'over');
			assert.equal(step.outcome, outcome);
			assert.equal(reportsEndOfCall(step), true, 'the call is over: the node does not hang up');
			assert.deepEqual(overFields(step).endReason, readCallEnd(resultInfo));
		});
	}

	const done = (clientContext: string, status = 'completed', more: object = {}) => ({
		event: 'operationResult',
		operationType: 'playPromptOperation',
		status,
		clientContext,
		...more,
	});

	it('a finished menu plays the next repetition until Repeat Prompt, also when counted from a key; foreign prompts are ignored', () => {
		assert.deepEqual(keypressStep(done(promptContext(1)), settings), {
			kind: 'replay',
			repetition: 2,
			after: 0,
		});
		assert.deepEqual(keypressStep(done(promptContext(1, 7)), menuSettings), {
			kind: 'replay',
			repetition: 2,
			after: 7,
		});
		assert.deepEqual(keypressStep(done('my-own-prompt'), settings), { kind: 'wait' });
	});

	it('the last repetition ends without a key: this call is over with timeout', () => {
		assert.deepEqual(keypressStep(done(promptContext(settings.repeatPrompt)), settings), {
			kind: 'over',
			outcome: 'timeout',
		});
	});

	it('a prompt Graph could not play is over with failed and why; one the node cancelled for a key, or a foreign one, is ignored', () => {
		const resultInfo = {
			code: 400,
			subcode: 8536,
			message: 'Action failed, file could not be downloaded.',
		};
		assert.deepEqual(keypressStep(done(promptContext(1), 'failed', { resultInfo }), settings), {
			kind: 'over',
			outcome: 'failed',
			error:
				'Graph could not play the prompt: Action failed, file could not be downloaded. (code 400/8536)',
		});
		const cancelled = { resultInfo: { code: 400, subcode: 8508, message: 'Operation canceled.' } };
		assert.deepEqual(keypressStep(done(promptContext(1), 'failed', cancelled), menuSettings), {
			kind: 'wait',
		});
		assert.deepEqual(keypressStep(done('my-own-prompt', 'failed', { resultInfo }), settings), {
			kind: 'wait',
		});
	});

	it('"press any key": a key stopped the check (a person), silence asks again, twice silence is noConfirmation (a voicemail box)', () => {
		const record = (repetition: number, completionReason?: string) => ({
			event: 'operationResult',
			operationType: 'recordOperation',
			status: 'completed',
			clientContext: presenceContext(repetition),
			...(completionReason ? { completionReason } : {}),
		});
		assert.deepEqual(keypressStep(record(1, 'stopToneDetected'), menuSettings), {
			kind: 'present',
		});
		assert.deepEqual(keypressStep(record(1, 'initialSilenceTimeout'), menuSettings), {
			kind: 'askPresence',
			repetition: 2,
		});
		assert.deepEqual(keypressStep(record(2), menuSettings), {
			kind: 'over',
			outcome: 'noConfirmation',
		});
	});
});

describe("Graph's call IDs: one form, whatever the spelling", () => {
	it('upper-case dashless and dashed GUIDs become the lower-case dashed GUID', () => {
		for (const spelling of [
			'57DAB8B1894C409AB240BD8BEAE78896',
			'57dab8b1-894c-409a-b240-bd8beae78896',
			'57DAB8B1-894C-409A-B240-BD8BEAE78896',
		])
			assert.equal(graphCallId(spelling), '57dab8b1-894c-409a-b240-bd8beae78896', spelling);
	});
	it('anything else is not a call ID of Graph: braces, spaces, other lengths, non-hex, non-strings', () => {
		for (const other of [
			'{57dab8b1-894c-409a-b240-bd8beae78896}',
			' 57dab8b1-894c-409a-b240-bd8beae78896',
			'57dab8b1-894c-409a-b240-bd8beae7889',
			'57dab8b1894c409ab240bd8beae7889g',
			'.',
			'',
			'not-a-guid',
			42,
			null,
			['57dab8b1-894c-409a-b240-bd8beae78896'],
		])
			assert.equal(graphCallId(other), undefined, JSON.stringify(other));
	});
});

describe('Call and Wait for Keypress: is a callbackUri the one the node gave Graph?', () => {
	const given =
		'https://n8n.example.com/webhook-waiting/42/node-1?signature=tok&startedAt=1700000000000&binding=b1nd';
	it('the same URL, spelled as URLs allow (host case, default port, parameter order, more parameters): yes', () => {
		for (const same of [
			given,
			'https://N8N.Example.COM:443/webhook-waiting/42/node-1?startedAt=1700000000000&binding=b1nd&signature=tok',
			`${given}&extra=1`,
		])
			assert.equal(isSameCallbackUrl(same, given), true, same);
	});
	it('another host, port, scheme, proxy prefix, path, start time, token or a missing parameter: no', () => {
		for (const other of [
			'https://staging.example.com/webhook-waiting/42/node-1?signature=tok&startedAt=1700000000000&binding=b1nd',
			'https://n8n.example.com:8443/webhook-waiting/42/node-1?signature=tok&startedAt=1700000000000&binding=b1nd',
			'http://n8n.example.com/webhook-waiting/42/node-1?signature=tok&startedAt=1700000000000&binding=b1nd',
			'https://n8n.example.com/n8n/webhook-waiting/42/node-1?signature=tok&startedAt=1700000000000&binding=b1nd',
			'https://n8n.example.com/webhook-waiting/43/node-1?signature=tok&startedAt=1700000000000&binding=b1nd',
			'https://n8n.example.com/webhook-waiting/42/node-1/?signature=tok&startedAt=1700000000000&binding=b1nd',
			'https://n8n.example.com/webhook-waiting/42/node-1?signature=tok&startedAt=1700000000001&binding=b1nd',
			'https://n8n.example.com/webhook-waiting/42/node-1?signature=tok&startedAt=1700000000000&binding=other',
			'https://n8n.example.com/webhook-waiting/42/node-1?signature=tok&startedAt=1700000000000',
			'https://n8n.example.com/webhook-waiting/42/node-1?signature=tok&startedAt=1700000000000&binding=b1nd&binding=b1nd',
			'https://n8n.example.com/webhook-waiting/42/node-1',
			'https://user:pw@n8n.example.com/webhook-waiting/42/node-1?signature=tok&startedAt=1700000000000&binding=b1nd',
			'https://bot.contoso.com/api/calls',
			'not a url',
		])
			assert.equal(isSameCallbackUrl(other, given), false, other);
	});
});
