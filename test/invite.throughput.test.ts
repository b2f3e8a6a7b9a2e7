import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { startFixture, type Fixture } from './support/fixture';
import {
	assertEveryItemEndedOnce,
	failed,
	manyInviteParameters,
	userId,
	userItems,
} from './support/throughput';

describe(
	'Invite throughput: concurrency, JSON batching, order and pairing',
	{ timeout: 60_000 },
	() => {
		let fx: Fixture;
		before(async () => {
			fx = await startFixture();
		});
		after(async () => await fx.close());

		const batchRequests = (): number =>
			fx.sim.graphRequests().filter((r) => r.path.endsWith('/$batch')).length;

		for (const concurrency of [1, 3, 10]) {
			it(`concurrency ${concurrency}: 45 items, output in input order, each invited once, one request each`, async () => {
				fx.sim.reset();
				fx.sim.faults.latencyMs = 5;
				const result = await fx.run(manyInviteParameters({ concurrency }), userItems(45), true);
				const outcomes = assertEveryItemEndedOnce(result, fx.sim, 45);
				assert.equal(failed(outcomes).length, 0);
				assert.equal(fx.invites().length, 45);
			});
		}

		it('default concurrency (no option set) invites every item once', async () => {
			fx.sim.reset();
			const result = await fx.run(manyInviteParameters(), userItems(25));
			assert.equal(failed(assertEveryItemEndedOnce(result, fx.sim, 25)).length, 0);
		});

		it('JSON batching: 45 items go as ceil(45 / 20) = 3 $batch requests, each item gets its own result', async () => {
			fx.sim.reset();
			const result = await fx.run(
				manyInviteParameters({ useJsonBatching: true, concurrency: 2 }),
				userItems(45),
			);
			assert.equal(failed(assertEveryItemEndedOnce(result, fx.sim, 45)).length, 0);
			assert.equal(batchRequests(), 3);
			assert.equal(fx.invites().length, 0, 'no invite went outside a batch');
			assert.equal(fx.sim.invitations.filter((i) => i.batchStepId !== undefined).length, 45);
		});

		it("JSON batching: every step is the item's own invite (URL relative to the version, JSON body, headers)", async () => {
			fx.sim.reset();
			const result = await fx.run(
				manyInviteParameters({
					useJsonBatching: true,
					customHeaders: { header: [{ name: 'x-test', value: 'yes' }] },
				}),
				userItems(3),
			);
			assert.equal(failed(assertEveryItemEndedOnce(result, fx.sim, 3)).length, 0);
			const [batch] = fx.sim.graphRequests();
			assert.match(batch.path, /^\/v1\.0\/\$batch$/);
			const body = JSON.parse(batch.body) as {
				requests: Array<{
					id: string;
					method: string;
					url: string;
					headers: Record<string, string>;
					body: { participants: Array<{ identity: { user: { id: string } } }> };
				}>;
			};
			assert.equal(body.requests.length, 3);
			body.requests.forEach((step, n) => {
				assert.equal(step.method, 'POST');
				assert.match(step.url, /^\/communications\/calls\/[^/]+\/participants\/invite$/);
				assert.equal(step.headers['x-test'], 'yes');
				assert.equal(step.body.participants[0].identity.user.id, userId(n));
			});
			assert.equal(
				batch.headers.authorization?.startsWith('Bearer '),
				true,
				'the envelope carries the token',
			);
		});

		it('JSON batching on beta posts to /beta/$batch', async () => {
			fx.sim.reset();
			const result = await fx.run(
				manyInviteParameters({ useJsonBatching: true, apiVersion: 'beta' }),
				userItems(2),
			);
			assert.equal(failed(assertEveryItemEndedOnce(result, fx.sim, 2)).length, 0);
			assert.match(fx.sim.graphRequests()[0].path, /^\/beta\/\$batch$/);
		});

		it('JSON batching with Include Response Metadata: each item gets its step status and the request-id', async () => {
			fx.sim.reset();
			const result = await fx.run(
				manyInviteParameters({ useJsonBatching: true, includeResponseMetadata: true }),
				userItems(2),
			);
			const outcomes = assertEveryItemEndedOnce(result, fx.sim, 2);
			for (const { json } of outcomes) {
				const meta = json.responseMetadata as { status: number; requestId?: string };
				assert.equal(meta.status, 200);
				assert.ok(meta.requestId);
			}
		});

		it('without continue-on-fail, a failing item fails the execution with its own error and later items are not started', async () => {
			fx.sim.reset();
			const items = userItems(60);
			items[4] = { json: { userId: 'not-a-guid' } };
			const result = await fx.run(manyInviteParameters({ concurrency: 5 }), items);
			assert.ok(result.error);
			assert.match(result.error.message, /item 4/);
			assert.ok(
				fx.invites().length < 60,
				`items after the failure were not started (${fx.invites().length} sent)`,
			);
			for (const [key, times] of new Map(
				fx.sim.invitations.map((i) => [
					i.identityId,
					fx.sim.invitations.filter((j) => j.identityId === i.identityId).length,
				]),
			)) {
				assert.equal(times, 1, `${key} once`);
			}
		});

		it('without continue-on-fail, the lowest failing item is reported even if a later one failed first', async () => {
			fx.sim.reset();
			fx.sim.faults.latencyMs = 5;
			const items = userItems(10);
			items[2] = { json: { userId: 'bad-2' } };
			items[1] = { json: { userId: 'bad-1' } };
			const result = await fx.run(manyInviteParameters({ concurrency: 10 }), items);
			assert.match(result.error?.message ?? '', /item 1\b/);
		});

		it('continue-on-fail: bad input becomes its own error item in place, the others are sent', async () => {
			fx.sim.reset();
			const items = userItems(30);
			items[7] = { json: { userId: 'not-a-guid' } };
			const result = await fx.run(
				manyInviteParameters({ concurrency: 10, useJsonBatching: true }),
				items,
				true,
			);
			const output = result.output?.[0] ?? [];
			assert.equal(output.length, 30);
			assert.deepEqual(
				output.map((o) => o.pairedItem),
				Array.from({ length: 30 }, (_, item) => ({ item })),
			);
			assert.ok(output[7].json.error);
			assert.equal(fx.sim.invitations.length, 29);
		});

		it('a Concurrency outside 1..500 is refused, naming the option, and nothing is sent', async () => {
			fx.sim.reset();
			const result = await fx.run(manyInviteParameters({ concurrency: 0 }), userItems(3));
			assert.match(result.error?.message ?? '', /Options › Concurrency/);
			assert.equal(fx.sim.graphRequests().length + fx.sim.tokenRequests().length, 0);
		});

		it('one token request for a concurrent, batched run (fresh credential store)', async () => {
			const fresh = await startFixture();
			try {
				const result = await fresh.run(
					manyInviteParameters({ concurrency: 10, useJsonBatching: true }),
					userItems(100),
				);
				assert.equal(failed(assertEveryItemEndedOnce(result, fresh.sim, 100)).length, 0);
				assert.equal(fresh.sim.tokenRequests().length, 1);
			} finally {
				await fresh.close();
			}
		});
	},
);
