/**
 * Invite with default options: throttling is bounded by time rather than by a small
 * count, the number of requests in flight adapts, a stop names what was already done, and
 * Skip People Already in the Call makes a rerun safe.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import type { INodeParameters } from 'n8n-workflow';

import { ThrottleGate } from '../nodes/MicrosoftGraphCalls/transport/throttleGate.ts';
import { DEFAULT_CALL_ID, type GraphFault } from '../simulator';
import { inviteParameters, outputJson, startFixture, type Fixture } from './support/fixture';
import { invitationCounts, manyInviteParameters, userId, userItems } from './support/throughput';

const throttled = (retryAfterSeconds: number): GraphFault => ({
	kind: 'status',
	status: 429,
	retryAfterSeconds,
});

/** Most Graph requests the simulator had received and not yet answered at once. */
function peakInFlight(fx: Fixture): number {
	const events: Array<[number, number]> = [];
	for (const r of fx.sim.graphRequests()) {
		events.push([r.at, 1], [r.answeredAt ?? Date.now(), -1]);
	}
	events.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
	let current = 0;
	let peak = 0;
	for (const [, delta] of events) peak = Math.max(peak, (current += delta));
	return peak;
}

describe('Invite with default options', { timeout: 180_000 }, () => {
	let fx: Fixture;
	before(async () => {
		fx = await startFixture();
	});
	after(async () => await fx.close());

	describe('throttling is bounded by time, not by a small count', () => {
		it('an invite throttled six times in a row (twice the old Max Retries) goes through', async () => {
			fx.sim.reset();
			fx.sim.faults.nextGraphFaults.push(...Array.from({ length: 6 }, () => throttled(0.1)));
			const json = outputJson(await fx.run(manyInviteParameters(), userItems(1)));
			assert.equal(json[0]?.['@odata.type'], '#microsoft.graph.inviteParticipantsOperation');
			assert.equal(fx.sim.invitations.length, 1);
			assert.equal(fx.sim.graphRequests().length, 7, 'six 429s, then the invite');
		});

		it('Max Total Retry Wait ends the retrying: the next wait would pass it', async () => {
			fx.sim.reset();
			fx.sim.faults.nextGraphFaults.push(...Array.from({ length: 20 }, () => throttled(0.4)));
			const result = await fx.run(manyInviteParameters({ maxRetryWaitSeconds: 1 }), userItems(1));
			assert.ok(result.error, 'the item fails once the budget is spent');
			assert.match(result.error.message, /Graph answered 429/);
			// 0.4 s + 0.4 s fit in 1 s; a third wait (1.2 s in all) does not.
			assert.equal(fx.sim.graphRequests().length, 3);
			assert.equal(fx.sim.invitations.length, 0);
		});

		it('20% of attempts throttled independently: 200 items, defaults, all invited once, the execution succeeds', async () => {
			fx.sim.reset();
			fx.sim.faults.throttleRate = 0.2;
			fx.sim.faults.throttleRetryAfterSeconds = 0.2;
			fx.sim.faults.throttleSeed = 12;
			const json = outputJson(await fx.run(manyInviteParameters(), userItems(200)));
			assert.equal(json.length, 200);
			assert.ok(
				(fx.sim.faults.throttledCount ?? 0) > 20,
				`Graph throttled (${fx.sim.faults.throttledCount} times)`,
			);
			const counts = invitationCounts(fx.sim);
			assert.equal(counts.size, 200);
			for (const [key, times] of counts) assert.equal(times, 1, `${key} invited once`);
		});
	});

	describe('adaptive concurrency', () => {
		it('by default far more than the old fixed 10 requests are in flight once Graph keeps answering (200 ms latency)', async () => {
			fx.sim.reset();
			fx.sim.faults.latencyMs = 200;
			outputJson(await fx.run(manyInviteParameters(), userItems(300)));
			const peak = peakInFlight(fx);
			assert.ok(peak > 30, `peak in flight ${peak}`);
			assert.ok(peak <= 200, `peak in flight ${peak} stays under the default ceiling`);
		});

		it('Concurrency is the ceiling: 5 means never more than 5 in flight', async () => {
			fx.sim.reset();
			fx.sim.faults.latencyMs = 20;
			outputJson(await fx.run(manyInviteParameters({ concurrency: 5 }), userItems(60)));
			const peak = peakInFlight(fx);
			assert.ok(peak <= 5 && peak >= 2, `peak in flight ${peak}`);
		});

		it('the gate starts at 10, grows by one per unthrottled answer, halves once per throttling pause', async () => {
			const gate = new ThrottleGate();
			gate.setCeiling(64);
			/** How many more attempts the gate admits right now. */
			const admitted = async (): Promise<number> => {
				let entered = 0;
				for (;;) {
					const entry = gate.enter().then(() => true);
					const result = await Promise.race([
						entry,
						new Promise<false>((r) => setImmediate(() => r(false))),
					]);
					if (!result) {
						// Release the one still waiting as soon as it gets in, then stop counting.
						void entry.then(() => gate.leave());
						return entered;
					}
					entered++;
				}
			};
			const release = (count: number): void => {
				for (let i = 0; i < count; i++) gate.leave();
			};
			assert.equal(await admitted(), 10);
			for (let i = 0; i < 30; i++) gate.recordSuccess();
			assert.equal(await admitted(), 30, 'limit 40: the 10 held and 30 more');
			release(40);
			gate.pauseFor(30);
			gate.pauseFor(30); // the same throttling window: no second halving
			await new Promise((resolve) => setTimeout(resolve, 40));
			assert.equal(await admitted(), 20, 'halved once: 40 -> 20');
			release(20);
			for (let i = 0; i < 100; i++) gate.recordSuccess();
			assert.equal(await admitted(), 64, 'never above the ceiling');
			release(64);
		});
	});

	describe('a failure in the middle loses no track', () => {
		it('without continue-on-fail the error names every item already invited, with its client context', async () => {
			fx.sim.reset();
			fx.sim.faults.latencyMs = 30;
			const items = userItems(40).map((item, n) => ({
				json: { ...item.json, n, userId: n === 25 ? 'not-a-guid' : item.json.userId },
			}));
			const parameters: INodeParameters = {
				...manyInviteParameters(),
				clientContext: "={{ 'incident-7/' + $json.n }}",
			};
			const result = await fx.run(parameters, items);
			assert.ok(result.error);
			assert.match(result.error.message, /\(item 25\)/);
			const description = String((result.error as { description?: string }).description);
			const listed = [...description.matchAll(/item (\d+) \(clientContext "incident-7\/(\d+)"\)/g)];
			assert.ok(listed.length > 0, description);
			for (const [, index, context] of listed) assert.equal(index, context);
			const invited = [...invitationCounts(fx.sim).keys()];
			assert.equal(listed.length, invited.length, 'every invited item is listed, and only those');
			const count = /(\d+) of 40 items had already succeeded/.exec(description);
			assert.equal(Number(count?.[1]), invited.length);
			for (const [, index] of listed) assert.ok(invited.includes(`user:${userId(Number(index))}`));
			assert.ok(!invited.some((key) => key.includes('not-a-guid')));
		});
	});

	describe('Skip People Already in the Call', () => {
		it('a rerun leaves out who is already in the roster, reading it once per call', async () => {
			fx.sim.reset();
			outputJson(await fx.run(manyInviteParameters(), userItems(10)));
			const before = fx.sim.graphRequests().length;
			const json = outputJson(
				await fx.run(manyInviteParameters({ skipPeopleAlreadyInCall: true }), userItems(20)),
			);
			const rosterReads = fx.sim
				.graphRequests()
				.slice(before)
				.filter(
					(r) => r.method === 'GET' && r.path.endsWith(`/calls/${DEFAULT_CALL_ID}/participants`),
				);
			assert.equal(rosterReads.length, 1, 'one roster read for the whole execution');
			for (let n = 0; n < 20; n++) {
				if (n < 10) {
					assert.equal(json[n]?.skipped, 'already in the call', `item ${n}`);
					assert.deepEqual(
						(json[n]?.alreadyInCall as Array<{ identityId: string }>)[0]?.identityId,
						userId(n),
					);
				} else
					assert.equal(json[n]?.['@odata.type'], '#microsoft.graph.inviteParticipantsOperation');
			}
			for (const [key, times] of invitationCounts(fx.sim))
				assert.equal(times, 1, `${key} invited once`);
			assert.equal(invitationCounts(fx.sim).size, 20);
		});

		it('one invite with two people, one already in the call: only the other is invited', async () => {
			fx.sim.reset();
			outputJson(await fx.run(inviteParameters([{ type: 'user', id: userId(1) }]), userItems(1)));
			const json = outputJson(
				await fx.run(
					inviteParameters(
						[
							{ type: 'user', id: userId(1) },
							{ type: 'user', id: userId(2) },
						],
						{ options: { skipPeopleAlreadyInCall: true } },
					),
				),
			);
			assert.equal(json[0]?.['@odata.type'], '#microsoft.graph.inviteParticipantsOperation');
			assert.deepEqual(
				(json[0]?.alreadyInCall as Array<{ identityId: string }>).map((p) => p.identityId),
				[userId(1)],
			);
			const counts = invitationCounts(fx.sim);
			assert.equal(counts.get(`user:${userId(1)}`), 1);
			assert.equal(counts.get(`user:${userId(2)}`), 1);
		});
	});
});
