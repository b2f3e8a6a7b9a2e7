/**
 * Fault tests for many items at once: every item ends exactly once (its invite or a
 * clear error of its own), the simulator sees nobody invited twice, and nothing hangs (each
 * suite has a timeout). Each fault runs with concurrent single requests and with JSON batching.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import type { GraphFault } from '../simulator';
import { startFixture, type Fixture } from './support/fixture';
import {
	assertEveryItemEndedOnce,
	failed,
	manyInviteParameters,
	userItems,
	type ItemOutcome,
} from './support/throughput';

const MODES = [
	{ label: 'concurrent', options: { concurrency: 10 } },
	{ label: '$batch', options: { concurrency: 3, useJsonBatching: true } },
] as const;

/** The fault queue is consumed in arrival order; with batching one entry per step. */
function queue(fx: Fixture, ...faults: GraphFault[]): void {
	fx.sim.faults.nextGraphFaults.push(...faults);
}

function codes(outcomes: ItemOutcome[]): string[] {
	return failed(outcomes).map((o) => String(o.error?.code ?? o.error?.status));
}

for (const mode of MODES) {
	describe(
		`Faults, ${mode.label}: every item ends once, nobody is invited twice`,
		{ timeout: 120_000 },
		() => {
			let fx: Fixture;
			before(async () => {
				fx = await startFixture();
			});
			after(async () => await fx.close());

			async function run(
				count: number,
				options: Record<string, unknown> = {},
			): Promise<ItemOutcome[]> {
				const result = await fx.run(
					manyInviteParameters({ ...mode.options, ...options }),
					userItems(count),
					true,
				);
				return assertEveryItemEndedOnce(result, fx.sim, count);
			}

			it('429 storm, 20% of requests: all invited exactly once after waiting Retry-After', async () => {
				fx.sim.reset();
				fx.sim.faults.throttleRate = 0.2;
				fx.sim.faults.throttleRetryAfterSeconds = 1;
				const outcomes = await run(40, { maxRetries: 10, maxRetryWaitSeconds: 120 });
				assert.deepEqual(codes(outcomes), []);
				assert.equal(fx.sim.invitations.length, 40);
				assert.ok(
					fx.sim.graphRequests().some((r) => r.fault === 'throttle'),
					'Graph did throttle',
				);
			});

			it('429 storm, 100% of requests: every item fails with its own 429 error after Max Retries, nobody invited', async () => {
				fx.sim.reset();
				fx.sim.faults.throttleRate = 1;
				fx.sim.faults.throttleRetryAfterSeconds = 1;
				const outcomes = await run(20, { maxRetries: 2, maxRetryWaitSeconds: 30 });
				assert.equal(failed(outcomes).length, 20);
				for (const o of outcomes) {
					assert.equal(o.error?.status, 429);
					assert.match(o.error?.description ?? '', /throttling/);
				}
				assert.equal(fx.sim.invitations.length, 0);
			});

			it('503 with Retry-After: retried, all invited exactly once', async () => {
				fx.sim.reset();
				queue(fx, ...Array(3).fill({ kind: 'status', status: 503, retryAfterSeconds: 1 }));
				const outcomes = await run(25);
				assert.deepEqual(codes(outcomes), []);
				assert.equal(fx.sim.invitations.length, 25);
			});

			for (const fault of [
				{
					label: '503 without Retry-After',
					fault: { kind: 'status', status: 503 } as GraphFault,
					status: 503,
				},
				{ label: '504', fault: { kind: 'status', status: 504 } as GraphFault, status: 504 },
			]) {
				it(`${fault.label}: never retried, those items fail with their own ${fault.status}, the rest are invited`, async () => {
					fx.sim.reset();
					queue(fx, fault.fault, fault.fault);
					const outcomes = await run(25);
					const bad = failed(outcomes);
					assert.equal(bad.length, 2);
					for (const o of bad) {
						assert.equal(o.error?.status, fault.status);
						assert.match(o.error?.description ?? '', /not retried/);
					}
					assert.equal(fx.sim.invitations.length, 23);
					if (mode.label === 'concurrent')
						assert.equal(fx.invites().length, 25, 'no request was repeated');
				});
			}

			it('a connection reset before the answer: not retried, a connection error, nobody invited twice', async () => {
				fx.sim.reset();
				queue(fx, { kind: 'reset' });
				const outcomes = await run(25);
				const bad = failed(outcomes);
				assert.ok(bad.length >= 1);
				for (const o of bad) assert.equal(o.error?.code, 'connection');
				// Single requests: only the reset one fails. In a batch the whole answer is lost.
				if (mode.label === 'concurrent') assert.equal(bad.length, 1);
				else assert.ok(bad.length <= 20);
				assert.equal(fx.sim.invitations.length + bad.length >= 25, true);
			});

			it('a reset after Graph processed the invite: reported as a connection error, invited exactly once (not retried)', async () => {
				fx.sim.reset();
				queue(fx, { kind: 'resetAfterProcessing' });
				const outcomes = await run(25);
				const bad = failed(outcomes);
				assert.ok(bad.length >= 1);
				for (const o of bad) assert.equal(o.error?.code, 'connection');
				assert.equal(fx.sim.invitations.length, 25, 'every invite was processed once, none twice');
			});

			it('a server that never answers: the item(s) fail with a timeout error, the rest go on', async () => {
				fx.sim.reset();
				queue(fx, { kind: 'hang' });
				const outcomes = await run(25, { timeoutSeconds: 1 });
				const bad = failed(outcomes);
				assert.ok(bad.length >= 1);
				for (const o of bad) {
					assert.equal(o.error?.code, 'timeout');
					assert.match(o.error?.message ?? '', /did not answer within 1 s/);
				}
				if (mode.label === 'concurrent') assert.equal(bad.length, 1);
			});

			it('a malformed JSON answer: the item(s) fail as malformed, nothing repeated', async () => {
				fx.sim.reset();
				queue(fx, { kind: 'malformed' });
				const outcomes = await run(25);
				const bad = failed(outcomes);
				assert.ok(bad.length >= 1);
				for (const o of bad) {
					assert.equal(o.error?.code, 'malformedResponse');
					assert.match(o.error?.description ?? '', /not repeated/);
				}
				if (mode.label === 'concurrent') {
					assert.equal(bad.length, 1);
					assert.equal(fx.invites().length, 25);
				}
			});

			it('one throttled request (or batch step) is retried alone; the others are not repeated', async () => {
				fx.sim.reset();
				queue(fx, { kind: 'status', status: 429, retryAfterSeconds: 1 });
				const outcomes = await run(25);
				assert.deepEqual(codes(outcomes), []);
				assert.equal(fx.sim.invitations.length, 25);
				if (mode.label === '$batch') {
					const batches = fx.sim.graphRequests().filter((r) => r.path.endsWith('/$batch'));
					const stepsSent = batches.reduce(
						(sum, b) => sum + (JSON.parse(b.body) as { requests: unknown[] }).requests.length,
						0,
					);
					assert.equal(stepsSent, 26, '25 steps plus the one throttled step again');
				} else {
					assert.equal(fx.invites().length, 26);
				}
			});
		},
	);

	describe(`Token faults, ${mode.label}`, { timeout: 120_000 }, () => {
		it('the token endpoint answering an AADSTS error: every item fails with it, Entra is asked once', async () => {
			const fx = await startFixture();
			try {
				fx.sim.faults.nextTokenFaults.push({ kind: 'aadsts', code: 7000215 });
				const result = await fx.run(manyInviteParameters({ ...mode.options }), userItems(30), true);
				const outcomes = assertEveryItemEndedOnce(result, fx.sim, 30);
				assert.equal(failed(outcomes).length, 30);
				for (const o of outcomes) assert.match(o.error?.message ?? '', /AADSTS7000215/);
				assert.equal(fx.sim.tokenRequests().length, 1);
				assert.equal(fx.sim.graphRequests().length, 0);
			} finally {
				await fx.close();
			}
		});

		it('the token endpoint down (503): every item fails with a clear error, nothing hangs, nobody invited', async () => {
			const fx = await startFixture();
			try {
				fx.sim.faults.nextTokenFaults.push({ kind: 'status', status: 503, retryAfterSeconds: 1 });
				const result = await fx.run(manyInviteParameters({ ...mode.options }), userItems(30), true);
				const outcomes = assertEveryItemEndedOnce(result, fx.sim, 30);
				assert.equal(failed(outcomes).length, 30);
				for (const o of outcomes) assert.equal(o.error?.code, 'authentication');
				assert.equal(fx.sim.tokenRequests().length, 1);
				assert.equal(fx.sim.invitations.length, 0);
			} finally {
				await fx.close();
			}
		});

		it('the token expiring mid-run: one re-mint, every item invited exactly once', async () => {
			const fx = await startFixture();
			try {
				fx.sim.faults.latencyMs = 50;
				const running = fx.run(manyInviteParameters({ ...mode.options }), userItems(120), true);
				while (fx.sim.invitations.length < 30)
					await new Promise((resolve) => setTimeout(resolve, 5));
				fx.sim.expireTokens();
				const outcomes = assertEveryItemEndedOnce(await running, fx.sim, 120);
				assert.deepEqual(codes(outcomes), []);
				assert.equal(fx.sim.invitations.length, 120);
				assert.equal(fx.sim.tokenRequests().length, 2, 'the first token and one re-mint');
			} finally {
				await fx.close();
			}
		});
	});
}
