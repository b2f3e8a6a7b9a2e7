/**
 * Call and Wait for Keypress, the pure parts: what one notification item decides (keypressSteps.ts)
 * and whether a callbackUri names this waiting URL (waitingUrls.ts).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { readCallEnd } from '../lib/notifications/callEndReasons';
import {
	keypressStep,
	normalizeCallId,
	promptContext,
	reportsEndOfCall,
	resumeFields,
} from '../nodes/MicrosoftGraphCalls/actions/keypress/keypressSteps';
import { namesThisWaitingUrl } from '../nodes/MicrosoftGraphCalls/actions/keypress/waitingUrls';

const settings = { acceptedKeys: ['1', '#'], repeatPrompt: 2 };

describe('Call and Wait for Keypress: one notification, one decision', () => {
	it('an accepted key resumes with pressed; another key keeps waiting', () => {
		assert.deepEqual(keypressStep({ event: 'tone', tone: 'pound', key: '#' }, settings), {
			kind: 'resume',
			outcome: 'pressed',
			tone: 'pound',
			key: '#',
		});
		assert.deepEqual(keypressStep({ event: 'tone', tone: 'tone2', key: '2' }, settings), {
			kind: 'wait',
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
			assert.equal(step.kind, 'resume');
			assert.ok(step.kind === 'resume');
			assert.equal(step.outcome, outcome);
			assert.equal(reportsEndOfCall(step), true, 'the call is over: the node does not hang up');
			assert.deepEqual(resumeFields(step).endReason, readCallEnd(resultInfo));
		});
	}

	it('a finished prompt plays the next repetition until Repeat Prompt; foreign prompts are ignored', () => {
		const done = (clientContext: string) => ({
			event: 'operationResult',
			operationType: 'playPromptOperation',
			status: 'completed',
			clientContext,
		});
		assert.deepEqual(keypressStep(done(promptContext(1)), settings), {
			kind: 'replay',
			repetition: 2,
		});
		assert.deepEqual(keypressStep(done('my-own-prompt'), settings), { kind: 'wait' });
	});

	it('the last repetition ends without an accepted key: resume with timeout', () => {
		const done = {
			event: 'operationResult',
			operationType: 'playPromptOperation',
			status: 'completed',
			clientContext: promptContext(settings.repeatPrompt),
		};
		assert.deepEqual(keypressStep(done, settings), {
			kind: 'resume',
			outcome: 'timeout',
			tone: null,
			key: null,
		});
	});

	it('a prompt Graph could not play resumes with failed and why; a foreign failed prompt is ignored', () => {
		const failed = (clientContext: string) => ({
			event: 'operationResult',
			operationType: 'playPromptOperation',
			status: 'failed',
			clientContext,
			resultInfo: {
				code: 400,
				subcode: 8536,
				message: 'Action failed, file could not be downloaded.',
			},
		});
		assert.deepEqual(keypressStep(failed(promptContext(1)), settings), {
			kind: 'resume',
			outcome: 'failed',
			tone: null,
			key: null,
			error:
				'Graph could not play the prompt: Action failed, file could not be downloaded. (code 400/8536)',
		});
		assert.deepEqual(keypressStep(failed('my-own-prompt'), settings), { kind: 'wait' });
	});

	it("Graph's upper-case dashless call IDs become GUIDs again; other IDs stay as they are", () => {
		assert.equal(
			normalizeCallId('57DAB8B1894C409AB240BD8BEAE78896'),
			'57dab8b1-894c-409a-b240-bd8beae78896',
		);
		assert.equal(
			normalizeCallId('421f4c00-4436-4c3a-9d9a-c4924cf98e67'),
			'421f4c00-4436-4c3a-9d9a-c4924cf98e67',
		);
		assert.equal(normalizeCallId('not-a-guid'), 'not-a-guid');
	});
});

describe('Call and Wait for Keypress: does a callbackUri name this waiting URL?', () => {
	const here = '/webhook-waiting/42/node-1?startedAt=1700000000000&signature=tok';
	it('the same execution, node and start time: yes, whatever the host or a proxy prefix', () => {
		assert.equal(
			namesThisWaitingUrl(
				'https://n8n.example.com/webhook-waiting/42/node-1?startedAt=1700000000000',
				here,
			),
			true,
		);
		assert.equal(
			namesThisWaitingUrl(
				'https://example.com/n8n/webhook-waiting/42/node-1?startedAt=1700000000000',
				here,
			),
			true,
		);
	});
	it('without its query (what Graph echoes of it is not documented): the path decides', () => {
		assert.equal(
			namesThisWaitingUrl('https://n8n.example.com/webhook-waiting/42/node-1', here),
			true,
		);
	});
	it('another execution, node or start time, or not a URL: no', () => {
		for (const other of [
			'https://n8n.example.com/webhook-waiting/43/node-1?startedAt=1700000000000',
			'https://n8n.example.com/webhook-waiting/42/node-2?startedAt=1700000000000',
			'https://n8n.example.com/webhook-waiting/42/node-1?startedAt=1700000000001',
			'https://bot.contoso.com/api/calls',
			'not a url',
		])
			assert.equal(namesThisWaitingUrl(other, here), false, other);
	});
});
