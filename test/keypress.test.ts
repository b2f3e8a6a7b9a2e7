/**
 * Call › Call and Wait for Keypress in process: execute() places the call with this execution's
 * waiting URL as its callbackUri and puts the execution to wait; the simulator then posts the
 * call's signed notifications to the node's waiting webhook (test/harness/runWaiting.ts), which
 * plays the prompt, listens for keys and resumes the execution with the outcome.
 */
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { after, before, beforeEach, describe, it } from 'node:test';

import type { WaitingHarness } from './harness/runWaiting';
import {
	DEFAULT_CALL_ID,
	DEFAULT_CLIENT_ID,
	DEFAULT_TENANT_ID,
	defaultApp,
	makeWav,
	toneNotification,
} from '../simulator';
import { ENGINEER, RESOURCE_ACCOUNT } from './support/calls';
import type { Fixture } from './support/fixture';
import { httpsSend, postJson } from './support/https';
import { actionRequests } from './support/media';
import { startWaitingFixture, type WaitingFixture } from './support/waiting';

/** The body of the call the node placed in this test (POST /communications/calls). */
function placedCall<T = Record<string, unknown>>(fx: Fixture): T {
	const create = fx.sim.graphRequests().find((r) => r.path === '/v1.0/communications/calls');
	return JSON.parse(create?.body ?? '{}') as T;
}

async function until(
	check: () => boolean,
	what: string | (() => string),
	timeoutMs = 5000,
): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (!check()) {
		if (Date.now() > deadline)
			throw new Error(`timed out waiting for ${typeof what === 'string' ? what : what()}`);
		await new Promise((resolve) => setTimeout(resolve, 20));
	}
}

describe('Call › Call and Wait for Keypress', () => {
	let fx: WaitingFixture;
	let waiting: WaitingHarness;
	let promptUrl: string;
	before(async () => {
		fx = await startWaitingFixture({
			apps: [
				{
					...defaultApp(),
					resourceAccounts: [{ id: RESOURCE_ACCOUNT, phoneNumber: '+14255550100' }],
				},
			],
		});
		waiting = fx.waiting;
	});
	after(async () => await fx.close());
	beforeEach(() => {
		fx.sim.reset();
		waiting.resumes.length = 0;
		waiting.answers.length = 0;
		waiting.resumeLagMs = 0;
		promptUrl = fx.sim.media.host('alert.wav', makeWav());
		fx.sim.callbacks.knobs.answerDelayMs = 50;
	});

	const parameters = (extra: Record<string, unknown> = {}) => ({
		resource: 'call',
		operation: 'callAndWaitForKeypress',
		keypressTarget: 'teamsUser',
		userId: ENGINEER,
		promptUrl,
		additionalFields: { acceptedKeys: '1', timeoutSeconds: 60, ...extra },
	});

	it('pressed: the call carries the waiting URL, the prompt plays, a wrong key is ignored, "1" resumes and the call is hung up', async () => {
		fx.sim.media.knobs.tonesAfterSubscribe = [
			{ tone: 'tone5', afterMs: 30 },
			{ tone: 'tone1', afterMs: 30 },
		];
		const before = Date.now();
		const run = await waiting.start(parameters());
		assert.ifError(run.error);
		const waitingItem = run.output?.[0][0].json;
		assert.equal(waitingItem?.outcome, 'waiting', 'what the editor shows while it waits');
		const callId = String(waitingItem?.callId);
		assert.ok(run.waitTill && Math.abs(run.waitTill.getTime() - (before + 60_000)) < 2000);
		const create = placedCall(fx);
		assert.match(
			String(create.callbackUri),
			new RegExp(
				`^${waiting.waitingBaseUrl}/${waiting.executionId}/node-1\\?startedAt=\\d+&binding=[A-Za-z0-9_-]{43}$`,
			),
		);
		await until(
			() => waiting.resumes.length === 1,
			() =>
				`the resume; deliveries ${JSON.stringify(fx.sim.callbacks.deliveries.map((d) => [d.status, d.error, JSON.stringify(d.body).slice(0, 200)]))}; answers ${JSON.stringify(waiting.answers)}; failures ${String(waiting.failures)}`,
		);
		await new Promise((resolve) => setTimeout(resolve, 100));
		assert.equal(
			waiting.resumes.length,
			1,
			'resumed once; later callbacks find no waiting execution',
		);
		assert.ok(
			waiting.answers.some((a) => a.status === 404),
			"the hang-up's notification came too late",
		);
		const [resumed] = waiting.resumes[0];
		assert.equal(resumed.outcome, 'pressed');
		assert.equal(resumed.key, '1');
		assert.equal(resumed.tone, 'tone1');
		assert.equal(resumed.callId, callId);
		assert.equal(typeof resumed.durationSeconds, 'number');
		assert.equal(resumed.hungUpByNode, true);
		assert.equal(fx.sim.getCall(callId)?.state, 'terminated');
		assert.equal(actionRequests(fx.sim, 'subscribeToTone').length, 1);
		assert.ok(actionRequests(fx.sim, 'playPrompt').length >= 1);
		assert.deepEqual(waiting.failures, []);
	});

	it('nobody presses: the prompt is played Repeat Prompt times, then the execution resumes with timeout and the call is hung up', async () => {
		fx.sim.media.knobs.tonesAfterSubscribe = [{ tone: 'tone5', afterMs: 10 }];
		const run = await waiting.start(parameters({ repeatPrompt: 3 }));
		assert.ifError(run.error);
		const callId = String(run.output?.[0][0].json.callId);
		await until(() => waiting.resumes.length === 1, 'the resume');
		const contexts = actionRequests(fx.sim, 'playPrompt').map(
			(r) => (JSON.parse(r.body) as { clientContext: string }).clientContext,
		);
		assert.deepEqual(contexts, ['keypress-prompt-1', 'keypress-prompt-2', 'keypress-prompt-3']);
		const [resumed] = waiting.resumes[0];
		assert.equal(resumed.outcome, 'timeout');
		assert.equal(resumed.key, null, 'the wrong key did not count');
		assert.equal(resumed.hungUpByNode, true);
		assert.equal(fx.sim.getCall(callId)?.state, 'terminated');
	});

	it('Hang Up When Done off: the call stays up after the last prompt', async () => {
		const run = await waiting.start(parameters({ repeatPrompt: 1, hangUpWhenDone: false }));
		const callId = String(run.output?.[0][0].json.callId);
		await until(() => waiting.resumes.length === 1, 'the resume');
		assert.equal(waiting.resumes[0][0].outcome, 'timeout');
		assert.equal(waiting.resumes[0][0].hungUpByNode, undefined);
		assert.equal(fx.sim.getCall(callId)?.state, 'established');
	});

	it('a prompt Graph cannot fetch: resumes with failed and why, the call is hung up', async () => {
		promptUrl = 'https://127.0.0.1:9/missing.wav';
		const failing = await waiting.start(parameters({ checkPromptFormat: false }));
		assert.ifError(failing.error);
		await until(() => waiting.resumes.length >= 1, 'the resume');
		const resumed = waiting.resumes.at(-1)?.[0];
		assert.equal(resumed?.outcome, 'failed');
		assert.match(String(resumed?.error), /^Graph could not play the prompt: .*8536/);
		assert.equal(resumed?.hungUpByNode, true);
	});

	it("n8n 2.x's resume token: the callback URL keeps ?signature= and the node ID in the path; a request without it is refused", async () => {
		fx.sim.media.knobs.tonesAfterSubscribe = [{ tone: 'tone1', afterMs: 20 }];
		const run = await waiting.start(parameters(), undefined, 'tok3n');
		assert.ifError(run.error);
		const create = placedCall<{ callbackUri?: string }>(fx);
		const url = new URL(String(create.callbackUri));
		assert.equal(url.pathname, `/webhook-waiting/${waiting.executionId}/node-1`);
		assert.equal(url.searchParams.get('signature'), 'tok3n');
		assert.match(String(url.searchParams.get('startedAt')), /^\d+$/);
		await until(() => waiting.resumes.length === 1, 'the resume');
		assert.equal(waiting.resumes[0][0].outcome, 'pressed');
		const status = await post(
			`${waiting.waitingBaseUrl}/${waiting.executionId}/node-1`,
			{ value: [] },
			fx.sim.caCertPem,
			undefined,
		);
		assert.ok([401, 404].includes(status));
	});

	it('unanswered: the call ends unanswered (408) and the execution resumes with that outcome', async () => {
		fx.sim.callbacks.knobs.neverAnswer = [`user:${ENGINEER}`];
		fx.sim.callbacks.knobs.noAnswerTimeoutMs = 150;
		const run = await waiting.start(parameters());
		assert.ifError(run.error);
		await until(() => waiting.resumes.length === 1, 'the resume');
		assert.equal(waiting.resumes[0][0].outcome, 'unanswered');
		assert.equal(actionRequests(fx.sim, 'playPrompt').length, 0, 'nothing played to nobody');
	});

	it("declined: the call is rejected on the callee's side with Graph's documented 480/10199, the execution resumes with that outcome, nothing played", async () => {
		fx.sim.callbacks.knobs.decline = [`user:${ENGINEER}`];
		fx.sim.callbacks.knobs.declineWith = {
			'@odata.type': '#microsoft.graph.resultInfo',
			code: 480,
			subcode: 10199,
			message: 'Call rejected as private calling is disabled for the user.',
		};
		const run = await waiting.start(parameters());
		assert.ifError(run.error);
		await until(() => waiting.resumes.length === 1, 'the resume');
		assert.equal(waiting.resumes[0][0].outcome, 'declined');
		assert.equal(waiting.resumes[0][0].hungUpByNode, undefined, 'the call had ended already');
		assert.equal(actionRequests(fx.sim, 'playPrompt').length, 0);
	});

	it("a code Graph does not document (SIP's 603 Decline): not called declined, the execution resumes with ended", async () => {
		fx.sim.callbacks.knobs.decline = [`user:${ENGINEER}`];
		const run = await waiting.start(parameters());
		assert.ifError(run.error);
		await until(() => waiting.resumes.length === 1, 'the resume');
		assert.equal(waiting.resumes[0][0].outcome, 'ended');
		assert.equal(waiting.resumes[0][0].hungUpByNode, undefined, 'the call had ended already');
		assert.equal(actionRequests(fx.sim, 'playPrompt').length, 0);
	});

	it('hung up: the call ends after it was up, before any key: outcome hungUp', async () => {
		const run = await waiting.start(parameters());
		const callId = String(run.output?.[0][0].json.callId);
		await until(() => actionRequests(fx.sim, 'playPrompt').length === 1, 'the prompt');
		await fx.run({ resource: 'call', operation: 'hangUp', callId }, undefined, false, 2);
		await until(() => waiting.resumes.length === 1, 'the resume');
		assert.equal(waiting.resumes[0][0].outcome, 'hungUp');
	});

	it('Graph refuses the tone subscription (403): the execution resumes with outcome failed and why, not at the timeout', async () => {
		fx.sim.callbacks.knobs.answerDelayMs = 300;
		fx.sim.callbacks.knobs.maxRetryAfterMs = 100;
		const run = await waiting.start(parameters());
		assert.ifError(run.error);
		// The next Graph requests are the webhook's, once the call is up. First its check that the
		// call is the one it placed (GET the call): a 500 leaves it unchecked, so the webhook answers
		// 503 and Graph posts the notification again; the check then succeeds, and subscribeToTone
		// gets 403.
		fx.sim.faults.nextGraphFaults.push(
			{ kind: 'status', status: 500 },
			{ kind: 'pass' },
			{ kind: 'status', status: 403, code: '7504' },
		);
		await until(() => waiting.resumes.length === 1, 'the resume');
		// The notification that was answered 503 (the call's "established", in whichever of Graph's
		// documented spellings the simulator chose).
		const established = fx.sim.callbacks.deliveries.find((d) => d.attempts?.[0] === 503);
		assert.match(JSON.stringify(established?.body), /"state":"established"/i);
		await until(() => (established?.attempts?.length ?? 0) >= 2, 'the retry answered');
		assert.deepEqual(established?.attempts, [503, 202], 'answered 503, then acted on the retry');
		const [resumed] = waiting.resumes[0];
		assert.equal(resumed.outcome, 'failed');
		assert.match(String(resumed.error), /Graph answered 403.*subscribe to tone/);
		assert.match(String(resumed.errorDescription), /Calls\.AccessMedia\.All/);
		assert.equal(actionRequests(fx.sim, 'playPrompt').length, 0);
	});

	it('forged or unsigned callbacks never resume the execution', async () => {
		// The real prompt plays long enough that only a forged key could end the wait in time.
		fx.sim.media.knobs.promptPlayMs = 5_000;
		const run = await waiting.start(parameters());
		const callId = String(run.output?.[0][0].json.callId);
		const tone = {
			'@odata.type': '#microsoft.graph.commsNotifications',
			value: [toneNotification(callId, 'tone1', 9)],
		};
		const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
		const forged = fx.sim.callbacks.signToken(DEFAULT_CLIENT_ID, DEFAULT_TENANT_ID, { privateKey });
		const otherApp = fx.sim.callbacks.signToken(
			'0b0b0b0b-0000-4000-8000-000000000000',
			DEFAULT_TENANT_ID,
		);
		for (const authorization of [undefined, `Bearer ${forged}`, `Bearer ${otherApp}`]) {
			const status = await post(
				`${waiting.waitingBaseUrl}/${waiting.executionId}/node-1`,
				tone,
				fx.sim.caCertPem,
				authorization,
			);
			assert.equal(status, 401);
		}
		await new Promise((resolve) => setTimeout(resolve, 100));
		assert.equal(waiting.resumes.length, 0);
	});

	it('"1", then the "terminated" of the node\'s own hang-up while n8n is still resuming: the execution resumes once, with pressed', async () => {
		// The webhook answers 202 and hands n8n the outcome; until n8n has started the resumed
		// execution it still reads as waiting, and the hang-up's notification reaches the webhook.
		waiting.resumeLagMs = 400;
		fx.sim.media.knobs.tonesAfterSubscribe = [{ tone: 'tone1', afterMs: 30 }];
		const run = await waiting.start(parameters());
		const callId = String(run.output?.[0][0].json.callId);
		await until(() => waiting.resumes.length === 1, 'the resume');
		const ended = () =>
			fx.sim.callbacks.deliveries.find(
				(d) =>
					d.callId === callId &&
					JSON.stringify(d.body).includes('"changeType":"deleted"') &&
					JSON.stringify(d.body).includes('"state":"terminated"'),
			);
		await until(() => ended()?.status !== undefined, 'the terminated notification answered');
		await new Promise((resolve) => setTimeout(resolve, 200));
		assert.equal(ended()?.status, 202, 'it reached the webhook while the execution was waiting');
		assert.equal(waiting.resumes.length, 1, 'resumed once');
		assert.equal(waiting.resumes[0][0].outcome, 'pressed');
		assert.equal(waiting.resumes[0][0].hungUpByNode, true);
		assert.deepEqual(waiting.failures, []);
	});

	it('signed notifications about another call of this app are not acted on: no prompt, no hang-up, no resume', async () => {
		fx.sim.media.knobs.promptPlayMs = 5_000;
		const run = await waiting.start(parameters());
		assert.ifError(run.error);
		await until(() => actionRequests(fx.sim, 'playPrompt').length === 1, 'the prompt');
		// DEFAULT_CALL_ID is a live call of the same app whose callbackUri is another bot's.
		const other = DEFAULT_CALL_ID;
		const stateNotification = (callId: string, state: string, changeType: string) => ({
			'@odata.type': '#microsoft.graph.commsNotification',
			changeType,
			resourceUrl: `/communications/calls/${callId}`,
			resourceData: {
				'@odata.type': '#microsoft.graph.call',
				state,
				...(state === 'terminated' ? { resultInfo: { code: 408, subcode: 10004 } } : {}),
			},
		});
		const envelopes = [
			toneNotification(other, 'tone1', 1),
			stateNotification(other, 'established', 'updated'),
			stateNotification(other, 'terminated', 'deleted'),
			// A call Graph does not know: a key cannot be pressed in it now.
			toneNotification('5b7c3d2e-0000-4000-8000-0000000000aa', 'tone1', 2),
			// The end of a call Graph no longer knows, stating its own (another bot's) callback URL,
			// as Graph's call notifications do: turned away without asking Graph.
			{
				...stateNotification('5b7c3d2e-0000-4000-8000-0000000000bb', 'terminated', 'deleted'),
				resourceData: {
					'@odata.type': '#microsoft.graph.call',
					state: 'terminated',
					callbackUri: 'https://bot.contoso.com/api/calls',
					resultInfo: { code: 200, subcode: 5001, message: 'The conversation has ended.' },
				},
			},
		];
		const from = fx.sim.graphRequests().length;
		for (const notification of envelopes) {
			const signed = fx.sim.callbacks.signToken(DEFAULT_CLIENT_ID, DEFAULT_TENANT_ID);
			const status = await post(
				String(placedCall(fx).callbackUri),
				{ '@odata.type': '#microsoft.graph.commsNotifications', value: [notification] },
				fx.sim.caCertPem,
				`Bearer ${signed}`,
			);
			assert.equal(status, 202);
		}
		await new Promise((resolve) => setTimeout(resolve, 150));
		assert.equal(waiting.resumes.length, 0, 'nothing resumed');
		const sent = fx.sim.graphRequests().slice(from);
		assert.deepEqual(
			sent.filter((r) => r.method !== 'GET').map((r) => `${r.method} ${r.path}`),
			[],
			'nothing played, subscribed or hung up',
		);
		assert.deepEqual(
			sent.filter((r) => r.method === 'GET').map((r) => r.path.split('/').pop()),
			[other, '5b7c3d2e-0000-4000-8000-0000000000aa'],
			'each call without a callbackUri of its own was checked with Graph once (GET the call, kept)',
		);
		assert.equal(fx.sim.getCall(other)?.state, 'established');
		assert.deepEqual(waiting.failures, []);
	});

	const binaryPrompt = (bytes: Buffer) => [
		{
			json: {},
			binary: {
				speech: { data: bytes.toString('base64'), mimeType: 'audio/wav', fileName: 'alert.wav' },
			},
		},
	];
	const fromBinary = (extra: Record<string, unknown> = {}) => ({
		...parameters(extra),
		promptSource: 'binary',
		promptBinaryField: 'speech',
		promptUrl: undefined,
	});

	it('prompt from a binary field: served by the waiting webhook at a credential-made link, played, "1" resumes', async () => {
		fx.sim.media.knobs.promptPlayMs = 300;
		fx.sim.media.knobs.tonesAfterSubscribe = [{ tone: 'tone1', afterMs: 450 }];
		const wav = makeWav({ durationMs: 400 });
		const run = await waiting.start(fromBinary({ repeatPrompt: 3 }), binaryPrompt(wav));
		assert.ifError(run.error);
		assert.deepEqual(run.output?.[0][0].json.promptChecks, [
			{
				url: 'binary field "speech"',
				checked: true,
				format: 'PCM, 1 channel(s), 16-bit, 16000 Hz',
				bytes: wav.length,
			},
		]);
		await until(() => waiting.resumes.length === 1, 'the resume');
		assert.equal(
			waiting.resumes[0][0].outcome,
			'pressed',
			JSON.stringify([waiting.resumes[0][0], waiting.failures.map(String)]),
		);
		const [first] = actionRequests(fx.sim, 'playPrompt').map(
			(r) =>
				(JSON.parse(r.body) as { prompts: Array<{ mediaInfo: { uri: string } }> }).prompts[0]
					.mediaInfo.uri,
		);
		const link = new URL(String(first));
		assert.equal(
			link.origin + link.pathname,
			`${waiting.waitingBaseUrl}/${waiting.executionId}/node-1`,
		);
		assert.match(String(link.searchParams.get('prompt')), /^[A-Za-z0-9_-]{43}$/);
		assert.ok(
			fx.sim.media.fetched.filter((uri) => uri === first).length >= 2,
			'Graph downloaded it for the first and the second playing',
		);
	});

	it('the prompt link: the right token gets the exact bytes as audio/wav; a wrong or missing token gets 404', async () => {
		fx.sim.media.knobs.promptPlayMs = 5_000;
		const wav = makeWav({ durationMs: 250, frequencyHz: 880 });
		const run = await waiting.start(fromBinary(), binaryPrompt(wav));
		assert.ifError(run.error);
		await until(() => actionRequests(fx.sim, 'playPrompt').length === 1, 'the prompt');
		const uri = (
			JSON.parse(actionRequests(fx.sim, 'playPrompt')[0]?.body ?? '{}') as {
				prompts: Array<{ mediaInfo: { uri: string } }>;
			}
		).prompts[0].mediaInfo.uri;
		const good = await get(uri, fx.sim.caCertPem);
		assert.equal(good.status, 200);
		assert.equal(good.contentType, 'audio/wav');
		assert.ok(good.body.equals(wav), 'the same bytes as the binary field');
		const wrong = new URL(uri);
		wrong.searchParams.set('prompt', 'A'.repeat(43));
		assert.equal((await get(wrong.toString(), fx.sim.caCertPem)).status, 404);
		wrong.searchParams.delete('prompt');
		assert.equal((await get(wrong.toString(), fx.sim.caCertPem)).status, 404);
		assert.equal(waiting.resumes.length, 0, 'a GET never resumes the execution');
	});

	it('prompt from a binary field: a missing field or a file Graph cannot play is refused before anyone is called', async () => {
		const missing = await waiting.start(fromBinary(), [{ json: {} }]);
		assert.match(
			missing.error?.message ?? '',
			/Input Binary Field.*"speech": the input item has no binary field of that name \(it has no binary data at all\)/,
		);
		const stereo = await waiting.start(fromBinary(), binaryPrompt(makeWav({ channels: 2 })));
		assert.match(
			stereo.error?.message ?? '',
			/Input Binary Field.*Graph plays only WAV \(PCM\), mono/,
		);
		const mp3 = await waiting.start(
			fromBinary(),
			binaryPrompt(Buffer.from('ID3\u0004\u0000 not a wav file at all')),
		);
		assert.match(mp3.error?.message ?? '', /Input Binary Field.*Graph plays only/);
		assert.equal(
			fx.sim.graphRequests().filter((r) => r.path === '/v1.0/communications/calls').length,
			0,
			'nobody was called',
		);
	});

	const TOOL_TYPE = 'n8n-nodes-microsoft-graph-calls.microsoftGraphCallsTool';

	it("as an AI agent tool run inside another node's step (older agents): refused before anyone is called, saying what to do instead", async () => {
		const run = await waiting.start(parameters(), undefined, undefined, { type: TOOL_TYPE });
		assert.match(run.error?.message ?? '', /only under the AI Agent node \(version 3 or later\)/);
		assert.match(
			String((run.error as { description?: string } | undefined)?.description),
			/in the workflow after the agent/,
		);
		assert.equal(run.waitTill, undefined, 'nothing waits');
		assert.equal(fx.sim.graphRequests().length, 0, 'nobody was called');
	});

	it("as the AI Agent's tool (version 3: n8n's engine runs the tool node): the number comes from $fromAI, the execution waits, the outcome is the tool's answer", async () => {
		fx.sim.media.knobs.tonesAfterSubscribe = [{ tone: 'tone1', afterMs: 30 }];
		const run = await waiting.start(
			{
				...parameters(),
				keypressTarget: 'phoneNumber',
				userId: undefined,
				applicationInstanceId: RESOURCE_ACCOUNT,
				phoneNumber:
					"={{ $fromAI('phoneNumber', 'The approver\\'s phone number in E.164 form', 'string') }}",
				descriptionType: 'manual',
				toolDescription: 'Phones a person and waits until they press 1.',
			},
			[{ json: { chatInput: 'Approve the change? Approver: +14255550103' } }],
			undefined,
			{ type: TOOL_TYPE, engine: { args: { phoneNumber: '+14255550103' } } },
		);
		assert.ifError(run.error);
		assert.ok(run.waitTill, 'the execution waits at the tool node');
		const create = placedCall<{ targets?: Array<{ identity?: { phone?: { id?: string } } }> }>(fx);
		assert.equal(create.targets?.[0]?.identity?.phone?.id, '+14255550103', "the model's number");
		await until(() => waiting.resumes.length === 1, 'the resume');
		assert.equal(waiting.resumes[0][0].outcome, 'pressed', 'what goes back to the agent');
		assert.equal(waiting.resumes[0][0].key, '1');
	});

	it('refused before calling anyone: an http waiting URL (Graph posts only to https), bad keys, several items', async () => {
		const http = await fx.run(parameters(), undefined, false, 2);
		assert.match(http.error?.message ?? '', /needs n8n at a public https URL/);
		const keys = await waiting.start(parameters({ acceptedKeys: '1x' }));
		assert.match(keys.error?.message ?? '', /Accepted Keys.*"x" is not a phone key/);
		const many = await waiting.start(parameters(), [{ json: {} }, { json: {} }]);
		assert.match(many.error?.message ?? '', /one page per execution/);
		assert.equal(
			fx.sim.graphRequests().filter((r) => r.path === '/v1.0/communications/calls').length,
			0,
		);
	});
});

async function post(url: string, body: unknown, ca: string, authorization?: string) {
	return (await postJson(url, body, ca, authorization)).status;
}

async function get(url: string, ca: string) {
	const answer = await httpsSend({ url }, ca);
	return {
		status: answer.status,
		contentType: answer.headers['content-type'],
		body: answer.body,
	};
}
