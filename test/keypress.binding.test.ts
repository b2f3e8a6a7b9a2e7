/**
 * Call and Wait for Keypress acts only on the call it placed, decides each step once, and fails
 * closed: in process, the node's waiting webhook (test/harness/runWaiting.ts) against the
 * simulator, with calls the same app places to look-alike callback URLs, Graph's call checks that
 * cannot be completed, envelopes listing many calls, the same notification spelled differently,
 * and a key outage.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, beforeEach, describe, it } from 'node:test';

import { clearKeyCache } from '../lib/notifications/keySource';
import { notificationReplays } from '../lib/notifications/replayGuard';
import { clearBindings } from '../nodes/MicrosoftGraphCalls/features/keypress/callBinding';
import {
	clearStepsTaken,
	MAX_CALLS_PER_POST,
} from '../nodes/MicrosoftGraphCalls/features/keypress/keypressWebhook';
import type { WaitingHarness } from './harness/runWaiting';
import {
	DEFAULT_CLIENT_ID,
	DEFAULT_TENANT_ID,
	makeWav,
	notificationId,
	toneNotification,
} from '../simulator';
import { createParameters, ENGINEER, targets } from './support/calls';
import { postJson } from './support/https';
import { actionRequests } from './support/media';
import { startWaitingFixture, type WaitingFixture } from './support/waiting';

const OTHER_PERSON = '5810cede-f3cc-42eb-b2c1-e9bd5d53ec96';

async function until(check: () => boolean, what: string, timeoutMs = 5_000): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (!check()) {
		if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
		await new Promise((resolve) => setTimeout(resolve, 20));
	}
}

async function post(url: string, body: string, ca: string, authorization: string) {
	const answer = await postJson(url, body, ca, authorization);
	const retryAfter = answer.headers['retry-after'];
	return { status: answer.status, retryAfter, ms: answer.ms };
}

const envelope = (...notifications: unknown[]) =>
	JSON.stringify({ '@odata.type': '#microsoft.graph.commsNotifications', value: notifications });

describe('Call and Wait for Keypress: only its own call, each step once, fail closed', () => {
	let fx: WaitingFixture;
	let waiting: WaitingHarness;
	before(async () => {
		fx = await startWaitingFixture();
		waiting = fx.waiting;
	});
	after(async () => await fx.close());
	beforeEach(() => {
		clearKeyCache();
		notificationReplays.clear();
		clearBindings();
		clearStepsTaken();
		fx.sim.reset();
		waiting.resumes.length = 0;
		waiting.answers.length = 0;
		waiting.resumeLagMs = 0;
		fx.sim.callbacks.knobs.answerDelayMs = 50;
		fx.sim.media.knobs.promptPlayMs = 60_000;
	});

	const signed = () =>
		`Bearer ${fx.sim.callbacks.signToken(DEFAULT_CLIENT_ID, DEFAULT_TENANT_ID, { claims: { jti: randomUUID() } })}`;

	/** Starts a page and waits until its prompt plays; returns its call and callback URL. */
	async function page(): Promise<{ callId: string; callbackUri: string }> {
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
		await until(() => actionRequests(fx.sim, 'playPrompt').length === 1, 'the prompt');
		const create = fx.sim.graphRequests().find((r) => r.path === '/v1.0/communications/calls');
		const callbackUri = String(
			(JSON.parse(create?.body ?? '{}') as { callbackUri?: string }).callbackUri,
		);
		return { callId, callbackUri };
	}

	/** A call the same app places to another person, with this callback URL. */
	async function placeCall(callbackUrl: string): Promise<string> {
		const run = await fx.run(
			createParameters('peerToPeer', {
				...targets({ type: 'user', id: OTHER_PERSON }),
				callbackUrl,
			}),
		);
		assert.ifError(run.error);
		return String(run.output?.[0][0].json.id);
	}

	it('a copy of the waiting URL on another n8n (another host): its genuine notifications re-posted here are not acted on', async () => {
		const mine = await page();
		const copy = new URL(mine.callbackUri);
		copy.host = 'n8n-staging.example.com';
		const theirs = await placeCall(copy.toString());
		const gets = () => fx.sim.graphRequests().filter((r) => r.method === 'GET').length;
		const before = gets();
		for (const notification of [
			{ ...toneNotification(theirs, 'tone1', 1) },
			toneNotification(notificationId(theirs), 'tone1', 2),
		]) {
			const answer = await post(
				mine.callbackUri,
				envelope(notification),
				fx.sim.caCertPem,
				signed(),
			);
			assert.equal(answer.status, 202);
		}
		assert.equal(gets() - before, 1, 'one GET for their call, kept for its second spelling');
		assert.equal(waiting.resumes.length, 0, 'their "1" does not acknowledge this page');
		assert.equal(actionRequests(fx.sim, 'playPrompt').length, 1, 'nothing played into their call');
		assert.notEqual(fx.sim.getCall(theirs)?.state, 'terminated', 'their call was not hung up');
	});

	it('look-alike URLs on this n8n (no binding token, another token, another start time, a path prefix): Graph delivers their notifications here and they get 404; nothing is played into them', async () => {
		const mine = await page();
		const lookAlikes = [
			(u: URL) => u.searchParams.delete('binding'),
			(u: URL) => u.searchParams.set('binding', 'A'.repeat(43)),
			(u: URL) => u.searchParams.set('startedAt', '1700000000000'),
			(u: URL) => {
				u.pathname = `/prefix${u.pathname}`;
			},
		];
		const theirs: string[] = [];
		const urls: string[] = [];
		for (const edit of lookAlikes) {
			const url = new URL(mine.callbackUri);
			edit(url);
			urls.push(url.toString());
			theirs.push(await placeCall(url.toString()));
		}
		await fx.sim.callbacks.waitForDeliveries(
			(deliveries) =>
				theirs.every((id) =>
					deliveries.some((d) => d.callId === id && /"established"/i.test(JSON.stringify(d.body))),
				),
			5_000,
		);
		for (const id of theirs) {
			const statuses = fx.sim.callbacks.deliveries
				.filter((d) => d.callId === id)
				.map((d) => d.status);
			assert.ok(
				statuses.length > 0 && statuses.every((s) => s === 404),
				`${id}: ${statuses.join(', ')}`,
			);
		}
		// A key in each of them, as Graph would post it to its look-alike URL: 404, nothing resumes.
		for (const [index, id] of theirs.entries()) {
			const answer = await post(
				urls[index] ?? '',
				envelope(toneNotification(id, 'tone1', 1)),
				fx.sim.caCertPem,
				signed(),
			);
			assert.equal(answer.status, 404, urls[index]);
		}
		assert.equal(waiting.resumes.length, 0);
		assert.equal(actionRequests(fx.sim, 'playPrompt').length, 1, 'only this page’s own prompt');
		assert.equal(actionRequests(fx.sim, 'subscribeToTone').length, 1);
	});

	it('a check Graph cannot complete (400, 414, 429 beyond the budget, 503) is not a yes: 503 with Retry-After, nothing acted on, and at once', async () => {
		const mine = await page();
		const unknown = randomUUID();
		for (const fault of [
			{ kind: 'status' as const, status: 400 },
			{ kind: 'status' as const, status: 414 },
			{ kind: 'status' as const, status: 429, retryAfterSeconds: 120 },
			{ kind: 'status' as const, status: 503, retryAfterSeconds: 120 },
		]) {
			fx.sim.faults.nextGraphFaults.push(fault);
			const answer = await post(
				mine.callbackUri,
				envelope(toneNotification(unknown, 'tone1', 1)),
				fx.sim.caCertPem,
				signed(),
			);
			assert.equal(answer.status, 503, `GET answered ${fault.status}`);
			assert.equal(answer.retryAfter, '10');
			assert.ok(answer.ms < 3_000, `answered after ${answer.ms} ms (Graph asked for 120 s)`);
		}
		assert.equal(waiting.resumes.length, 0, 'a made-up call ID never resumes the page');
		// Checked: Graph does not know the call (404): a key in it is not acted on.
		const answer = await post(
			mine.callbackUri,
			envelope(toneNotification(unknown, 'tone1', 1)),
			fx.sim.caCertPem,
			signed(),
		);
		assert.equal(answer.status, 202);
		assert.equal(waiting.resumes.length, 0);
		// Not Graph's form: not even asked about.
		const before = fx.sim.graphRequests().length;
		for (const id of ['.', '..', '%2e', `{${mine.callId}}`]) {
			const ignored = await post(
				mine.callbackUri,
				envelope(toneNotification(id, 'tone1', 1)),
				fx.sim.caCertPem,
				signed(),
			);
			assert.equal(ignored.status, 202, id);
		}
		assert.equal(fx.sim.graphRequests().length, before, 'no request for IDs not of Graph’s form');
		assert.equal(waiting.resumes.length, 0);
	});

	it(`bounded work per POST: 10,000 notifications are refused (400); 100 about made-up calls cost at most ${MAX_CALLS_PER_POST} GETs`, async () => {
		const mine = await page();
		const many = (n: number) =>
			envelope(...Array.from({ length: n }, () => toneNotification(randomUUID(), 'tone1', 1)));
		const huge = await post(mine.callbackUri, many(10_000), fx.sim.caCertPem, signed());
		assert.equal(huge.status, 400);
		const before = fx.sim.graphRequests().length;
		const hundred = await post(mine.callbackUri, many(100), fx.sim.caCertPem, signed());
		assert.equal(hundred.status, 202);
		assert.ok(hundred.ms < 3_000, `answered after ${hundred.ms} ms`);
		assert.equal(fx.sim.graphRequests().length - before, MAX_CALLS_PER_POST);
		assert.equal(waiting.resumes.length, 0);
	});

	it('decided once whatever the spelling: "1" resumes; the same tone as GUID, upper-case dashless or braced, and another call’s "terminated", while n8n still resumes, do not resume again', async () => {
		waiting.resumeLagMs = 1_000;
		const mine = await page();
		const other = await placeCall('https://bot.contoso.com/api/calls');
		const first = await post(
			mine.callbackUri,
			envelope(toneNotification(mine.callId, 'tone1', 1)),
			fx.sim.caCertPem,
			signed(),
		);
		assert.equal(first.status, 202);
		assert.equal(waiting.resumes.length, 1);
		for (const notification of [
			toneNotification(mine.callId.toUpperCase(), 'tone1', 2),
			toneNotification(notificationId(mine.callId), 'tone1', 3),
			toneNotification(`{${mine.callId}}`, 'tone1', 4),
			{
				'@odata.type': '#microsoft.graph.commsNotification',
				changeType: 'deleted',
				resourceUrl: `/communications/calls/${other}`,
				resourceData: { '@odata.type': '#microsoft.graph.call', state: 'terminated' },
			},
		]) {
			const answer = await post(
				mine.callbackUri,
				envelope(notification),
				fx.sim.caCertPem,
				signed(),
			);
			assert.equal(answer.status, 202);
		}
		assert.equal(waiting.resumes.length, 1, 'resumed once');
		assert.equal(waiting.resumes[0]?.[0]?.outcome, 'pressed');
	});

	it('a genuine "established" posted again with other whitespace: the prompt is started once (one subscription, one playing)', async () => {
		const mine = await page();
		const established = {
			'@odata.type': '#microsoft.graph.commsNotification',
			changeType: 'updated',
			resourceUrl: `/communications/calls/${mine.callId}`,
			resourceData: { '@odata.type': '#microsoft.graph.call', state: 'established' },
		};
		for (const spacing of [0, 1, 2, 4]) {
			const answer = await post(
				mine.callbackUri,
				JSON.stringify({ value: [established] }, null, spacing),
				fx.sim.caCertPem,
				signed(),
			);
			assert.equal(answer.status, 202);
		}
		assert.equal(actionRequests(fx.sim, 'subscribeToTone').length, 1);
		assert.equal(actionRequests(fx.sim, 'playPrompt').length, 1);
	});

	it('a key outage: the genuine "1", signed with a new key that cannot be fetched, gets 503 with Retry-After; Graph retries once the keys are back, and the page resumes once', async () => {
		fx.sim.callbacks.knobs.maxRetryAfterMs = 15_000;
		const mine = await page();
		fx.sim.callbacks.rotateSigningKey();
		fx.sim.callbacks.knobs.keysUnavailable = true;
		fx.sim.media.pressKeys(mine.callId, [{ tone: 'tone1', afterMs: 0 }]);
		const delivery = () =>
			fx.sim.callbacks.deliveries.find(
				(d) => d.callId === mine.callId && JSON.stringify(d.body).includes('tone1'),
			);
		await until(() => (delivery()?.attempts?.length ?? 0) >= 1, 'the first attempt');
		assert.deepEqual(delivery()?.attempts, [503]);
		assert.equal(waiting.resumes.length, 0, 'not acted on while it cannot be checked');
		fx.sim.callbacks.knobs.keysUnavailable = false;
		await until(() => waiting.resumes.length === 1, 'the resume after the retry', 15_000);
		await until(() => (delivery()?.attempts?.length ?? 0) >= 2, 'the retry answered');
		assert.deepEqual(delivery()?.attempts, [503, 202]);
		assert.equal(waiting.resumes[0]?.[0]?.outcome, 'pressed');
		await new Promise((resolve) => setTimeout(resolve, 200));
		assert.equal(waiting.resumes.length, 1, 'once');
	});
});
