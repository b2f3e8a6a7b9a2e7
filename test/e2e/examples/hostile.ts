/**
 * The callback path in real n8n, while examples/page-and-acknowledge.json waits for a key:
 *
 * 1. A corpus of malformed and hostile requests (test/support/hostileCallbacks.ts: header types
 *    and encodings, token shapes, bodies, sizes, look-alike URLs, prompt links) against an active
 *    trigger's production URL and the waiting page's URL. None is answered 500, and n8n's
 *    execution list afterwards shows no new execution of any workflow and the page still waiting.
 * 2. A key outage: the simulator rotates its signing key while its key endpoint is down, and the
 *    on-call engineer presses 1. The genuine notification gets 503 with Retry-After; the
 *    simulator (standing for Graph) sends it again once the keys are back, and the page resumes
 *    once: "pressed" is posted once.
 */
import * as assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';

import type { N8nInstall } from '../harness/install';
import {
	DEFAULT_CLIENT_ID,
	DEFAULT_TENANT_ID,
	type GraphSimulator,
	type TokenOptions,
} from '../simulator';
import {
	hostilePageRequests,
	hostileRequests,
	type HostileRequest,
} from '../../support/hostileCallbacks';
import { Executions } from '../trigger/executions';
import { httpsRequest, type Rest } from '../harness/https';
import { playPagedPeople } from './page';

type Check = (name: string, body: () => Promise<void>) => Promise<void>;

export interface HostileWorld {
	inst: N8nInstall;
	sim: GraphSimulator;
	caPem: string;
	/** n8n's REST API, the owner signed in. */
	rest: Rest;
	/** An active trigger's production URL. */
	triggerUrl: string;
	/** Every workflow whose execution count must not change (the page's own included). */
	workflowIds: string[];
	pageWorkflowId: string;
	chat: { posts: Array<{ outcome?: string }> };
	/** Posts an alert that starts the page; resolves once n8n took it. */
	alert: (text: string) => Promise<void>;
	waitFor: (what: string, predicate: () => boolean) => Promise<void>;
	check: Check;
}

async function sendAll(corpus: HostileRequest[], caPem: string, where: string): Promise<string[]> {
	const problems: string[] = [];
	const statuses = new Map<number, number>();
	for (const hostile of corpus) {
		const answer = await httpsRequest(hostile.url, caPem, {
			method: hostile.method,
			headers: hostile.headers,
			...(hostile.body === undefined ? {} : { body: hostile.body }),
		});
		statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
		// n8n itself refuses some bodies before any node runs (e.g. malformed JSON): any 4xx.
		const n8nsOwn = hostile.n8nMayAnswer === true && answer.status >= 400 && answer.status < 500;
		if (!hostile.expect.includes(answer.status) && !n8nsOwn)
			problems.push(
				`${hostile.name}: ${answer.status} ${answer.text.slice(0, 160)} (expected ${hostile.expect.join(' or ')})`,
			);
	}
	console.log(
		`  ${corpus.length} requests at ${where}: ${[...statuses]
			.sort(([a], [b]) => a - b)
			.map(([status, n]) => `${status}×${n}`)
			.join(', ')}`,
	);
	return problems;
}

export async function hostileChecks(world: HostileWorld): Promise<void> {
	const { sim, caPem, check, waitFor } = world;
	const executions = new Executions(world.rest, world.inst);
	const counts = async () =>
		Object.fromEntries(
			await Promise.all(
				world.workflowIds.map(async (id) => [id, (await executions.list(id)).length] as const),
			),
		);
	const sign = (options?: TokenOptions) =>
		sim.callbacks.signToken(DEFAULT_CLIENT_ID, DEFAULT_TENANT_ID, {
			...options,
			claims: { jti: randomUUID(), ...options?.claims },
		});
	const from = sim.graphRequests().length;
	const posted = world.chat.posts.length;
	let callId = '';

	await check(
		'hostile requests at a trigger’s production URL and a waiting page: never 500, no execution, the page still waits',
		async () => {
			sim.callbacks.knobs.neverAnswer = [];
			sim.media.knobs.promptPlayMs = 120_000;
			sim.media.knobs.recordMs = 10_000;
			sim.media.knobs.tonesAfterSubscribe = [];
			// The engineer confirms the presence check; the alert then plays (long) and waits.
			const stopPeople = playPagedPeople(sim, { presenceKey: '5', afterMs: 700 });
			try {
				await world.alert('Hostile corpus');
				await waitFor('the page’s prompt', () =>
					sim
						.graphRequests()
						.slice(from)
						.some((r) => r.path.split('?')[0]?.endsWith('/playPrompt')),
				);
			} finally {
				stopPeople();
			}
			const create = sim
				.graphRequests()
				.slice(from)
				.find((r) => r.method === 'POST' && r.path === '/v1.0/communications/calls');
			const callbackUri = String(
				(JSON.parse(create?.body ?? '{}') as { callbackUri?: string }).callbackUri,
			);
			callId = String(
				sim
					.graphRequests()
					.slice(from)
					.find((r) => r.path.includes('/subscribeToTone'))
					?.path.split('/')[4],
			);
			const waitingBefore = (await executions.list(world.pageWorkflowId)).filter(
				(e) => e.status === 'waiting',
			);
			assert.equal(waitingBefore.length, 1, 'the page waits');
			const before = await counts();
			const actionsBefore = sim.graphRequests().length;
			const problems = [
				...(await sendAll(
					hostileRequests({ url: world.triggerUrl, sign, callId: randomUUID() }),
					caPem,
					'the trigger',
				)),
				...(await sendAll(
					[
						...hostileRequests({ url: callbackUri, sign, callId }),
						...hostilePageRequests({ callbackUri, sign, callId }),
					],
					caPem,
					'the waiting page',
				)),
			];
			assert.deepEqual(problems, [], 'every request got one of its expected answers');
			await new Promise((resolve) => setTimeout(resolve, 1_000));
			assert.deepEqual(await counts(), before, 'no execution started or ended');
			const waitingAfter = (await executions.list(world.pageWorkflowId)).filter(
				(e) => e.status === 'waiting',
			);
			assert.deepEqual(
				waitingAfter.map((e) => e.id),
				waitingBefore.map((e) => e.id),
				'the same execution still waits',
			);
			assert.deepEqual(
				sim
					.graphRequests()
					.slice(actionsBefore)
					.map((r) => `${r.method} ${r.path}`),
				[],
				'nothing was played, checked or hung up',
			);
			assert.equal(world.chat.posts.length, posted, 'nothing was posted');
		},
	);

	await check(
		'a key outage while the page waits: the genuine "1" gets 503 with Retry-After, is sent again once the keys are back, and resumes the page once',
		async () => {
			assert.ok(callId !== '', 'the page of the previous check');
			const calling = sim.callbacks.knobs;
			calling.maxRetryAfterMs = 30_000;
			sim.callbacks.rotateSigningKey();
			calling.keysUnavailable = true;
			const deliveriesBefore = sim.callbacks.deliveries.length;
			sim.media.pressKeys(callId, [{ tone: 'tone1', afterMs: 0 }]);
			const tone = () =>
				sim.callbacks.deliveries
					.slice(deliveriesBefore)
					.find((d) => d.callId === callId && JSON.stringify(d.body).includes('toneInfo'));
			await waitFor('the first answer to the "1"', () => (tone()?.attempts?.length ?? 0) >= 1);
			assert.deepEqual(tone()?.attempts, [503]);
			assert.equal(world.chat.posts.length, posted, 'not acted on while it cannot be checked');
			calling.keysUnavailable = false;
			await waitFor('the posted outcome', () => world.chat.posts.length > posted);
			await waitFor('the retry answered', () => (tone()?.attempts?.length ?? 0) >= 2);
			assert.deepEqual(tone()?.attempts, [503, 202], 'acted on when it came again');
			assert.equal(world.chat.posts[posted]?.outcome, 'pressed');
			await new Promise((resolve) => setTimeout(resolve, 1_500));
			assert.equal(world.chat.posts.length, posted + 1, 'posted once');
		},
	);
}
