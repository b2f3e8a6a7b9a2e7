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
	promptContext,
	reportsEndOfCall,
	resumeFields,
} from '../nodes/MicrosoftGraphCalls/features/keypress/keypressSteps';
import { isSameCallbackUrl } from '../nodes/MicrosoftGraphCalls/features/keypress/waitingUrls';

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
