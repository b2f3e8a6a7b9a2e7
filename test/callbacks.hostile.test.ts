/**
 * Both callback receivers (the trigger's webhook, the keypress page's waiting webhook) against a
 * corpus of malformed and hostile requests (test/support/hostileCallbacks.ts), served by n8n-core's
 * real webhook context over https: every request gets an answer of its own (400, 401, 404, 503 or
 * 202 for something that decides nothing), never a throw (n8n's 500 with a failed execution);
 * nothing starts, nothing resumes, and afterwards the page still resumes on its own "1".
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';

import type { WaitingHarness } from './harness/runWaiting';
import { DEFAULT_CLIENT_ID, DEFAULT_TENANT_ID, makeWav, toneNotification } from '../simulator';
import { ENGINEER } from './support/calls';
import { httpsSend } from './support/https';
import {
	hostilePageRequests,
	hostileRequests,
	type HostileRequest,
	type Signer,
} from './support/hostileCallbacks';
import { actionRequests } from './support/media';
import { operationEnvelope, startTriggerFixture, type TriggerFixture } from './support/trigger';
import { startWaitingFixture, type WaitingFixture } from './support/waiting';

async function send(
	hostile: Pick<HostileRequest, 'method' | 'url' | 'headers' | 'body'>,
	ca: string,
): Promise<{ status: number; body: string }> {
	const answer = await httpsSend(hostile, ca);
	return { status: answer.status, body: answer.text };
}

/** Sends each request and checks its answer; returns "name: status" lines for the report. */
async function sendAll(
	corpus: HostileRequest[],
	ca: string,
	harnessAnswersBadJson: boolean,
): Promise<string[]> {
	const seen: string[] = [];
	for (const hostile of corpus) {
		const answer = await send(hostile, ca);
		const allowed =
			hostile.n8nMayAnswer && harnessAnswersBadJson ? [...hostile.expect, 400] : hostile.expect;
		assert.ok(
			allowed.includes(answer.status),
			`${hostile.name}: ${answer.status} ${answer.body.slice(0, 200)} (expected ${allowed.join(' or ')})`,
		);
		seen.push(`${hostile.name}: ${answer.status}`);
	}
	return seen;
}

describe('Callback receivers: malformed and hostile requests get an answer, start nothing, resume nothing', () => {
	describe("the trigger's production URL", () => {
		let fx: TriggerFixture;
		before(async () => {
			fx = await startTriggerFixture();
		});
		after(async () => await fx.close());

		it('every request of the corpus is answered (never 500); no execution; then a genuine notification still starts one', async () => {
			const sign: Signer = (options) => fx.token(options);
			const corpus = hostileRequests({ url: fx.trigger.url, sign, callId: randomUUID() });
			await sendAll(corpus, fx.sim.caCertPem, true);
			assert.deepEqual(fx.trigger.failures.map(String), [], 'the trigger never threw');
			assert.equal(fx.trigger.executions.length, 0, 'nothing started');
			const genuine = await fx.post(operationEnvelope(), { authorization: `Bearer ${fx.token()}` });
			assert.equal(genuine.status, 202);
			assert.equal(fx.trigger.executions.length, 1);
		});
	});

	describe('a waiting page (Call and Wait for Keypress)', () => {
		let fx: WaitingFixture;
		let waiting: WaitingHarness;
		before(async () => {
			fx = await startWaitingFixture();
			waiting = fx.waiting;
		});
		after(async () => await fx.close());

		it('every request of the corpus is answered (never 500); the page neither resumes nor acts; then its own "1" resumes it once', async () => {
			fx.sim.callbacks.knobs.answerDelayMs = 50;
			fx.sim.media.knobs.promptPlayMs = 60_000;
			const promptUrl = fx.sim.media.host('alert.wav', makeWav());
			const run = await waiting.start({
				resource: 'call',
				operation: 'callAndWaitForKeypress',
				keypressTarget: 'teamsUser',
				userId: ENGINEER,
				promptUrl,
				additionalFields: { acceptedKeys: '1', timeoutSeconds: 600 },
			});
			assert.ifError(run.error);
			const callId = String(run.output?.[0][0].json.callId);
			const deadline = Date.now() + 5_000;
			while (actionRequests(fx.sim, 'playPrompt').length === 0 && Date.now() < deadline)
				await new Promise((resolve) => setTimeout(resolve, 20));
			const create = fx.sim.graphRequests().find((r) => r.path === '/v1.0/communications/calls');
			const callbackUri = String(
				(JSON.parse(create?.body ?? '{}') as { callbackUri?: string }).callbackUri,
			);
			const sign: Signer = (options) =>
				fx.sim.callbacks.signToken(DEFAULT_CLIENT_ID, DEFAULT_TENANT_ID, {
					...options,
					claims: { jti: randomUUID(), ...options?.claims },
				});
			const before = fx.sim.graphRequests().length;
			const corpus = [
				...hostileRequests({ url: callbackUri, sign, callId }),
				...hostilePageRequests({ callbackUri, sign, callId }),
			];
			await sendAll(corpus, fx.sim.caCertPem, true);
			assert.deepEqual(waiting.failures.map(String), [], 'the webhook never threw');
			assert.equal(waiting.resumes.length, 0, 'the wait did not end');
			assert.deepEqual(
				fx.sim
					.graphRequests()
					.slice(before)
					.map((r) => `${r.method} ${r.path}`),
				[],
				'not one Graph request: nothing played, checked or hung up',
			);
			assert.equal(fx.sim.getCall(callId)?.state, 'established');

			const genuine = await send(
				{
					method: 'POST',
					url: callbackUri,
					headers: { 'content-type': 'application/json', authorization: `Bearer ${sign()}` },
					body: JSON.stringify({ value: [toneNotification(callId, 'tone1', 7)] }),
				},
				fx.sim.caCertPem,
			);
			assert.equal(genuine.status, 202);
			assert.equal(waiting.resumes.length, 1);
			assert.equal(waiting.resumes[0]?.[0]?.outcome, 'pressed');
		});
	});
});
