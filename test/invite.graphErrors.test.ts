import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import type { NodeApiError } from 'n8n-workflow';

import { DEFAULT_CALL_ID, DEFAULT_TENANT_ID } from '../simulator';
import { inviteParameters, items, outputJson, startFixture, type Fixture } from './support/fixture';

const USER = '278405a3-f568-4b3e-b684-009193463064';
const invite = (extra = {}) => inviteParameters([{ type: 'user', id: USER }], extra);

describe('Invite: Graph errors become NodeApiErrors with status, code, request-id and a hint', () => {
	let fx: Fixture;
	before(async () => {
		fx = await startFixture();
	});
	after(async () => await fx.close());

	it('404 8522: a call this app does not own, with the bot-scope hint', async () => {
		fx.sim.reset();
		const result = await fx.run(invite({ callId: '9d0c7a52-0000-4000-8000-000000000404' }));
		const error = result.error as NodeApiError;
		assert.ok(error);
		assert.equal(error.name, 'NodeApiError');
		assert.equal(error.httpCode, '404');
		assert.match(error.message, /^Graph answered 404 \(8522\) to the invite request/);
		assert.match(
			String(error.description),
			/only invite in calls that the same app \(client ID [0-9a-f-]+\) created, answered or joined/,
		);
		const [answered] = fx.invites();
		assert.match(String(error.description), new RegExp(`request-id: ${answered.requestId}`));
	});

	it('404 8522 also for a call owned by another app', async () => {
		fx.sim.reset();
		fx.sim.addCall({
			id: 'c0ffee00-1111-4222-8333-444455556666',
			ownerClientId: '00000000-aaaa-4bbb-8ccc-000000000001',
			tenantId: DEFAULT_TENANT_ID,
		});
		const result = await fx.run(invite({ callId: 'c0ffee00-1111-4222-8333-444455556666' }));
		assert.match(String(result.error?.message), /404 \(8522\)/);
	});

	it('403 7504: the token lacks Calls.InitiateGroupCall.All, with the permission hint', async () => {
		const limited = await startFixture({
			simulator: {
				apps: [
					{ ...(await import('../simulator')).defaultApp(), roles: ['Calls.JoinGroupCall.All'] },
				],
			},
		});
		try {
			const result = await limited.run(invite());
			const error = result.error as NodeApiError;
			assert.equal(error.httpCode, '403');
			assert.match(error.message, /403 \(7504\)/);
			assert.match(String(error.description), /Calls\.InitiateGroupCall\.All with admin consent/);
		} finally {
			await limited.close();
		}
	});

	it('400 from Graph: the body hint', async () => {
		fx.sim.reset();
		fx.sim.faults.nextGraphFaults.push({
			kind: 'status',
			status: 400,
			code: 'BadRequest',
			message: 'Invalid participant.',
		});
		const error = (await fx.run(invite())).error as NodeApiError;
		assert.equal(error.httpCode, '400');
		assert.match(error.message, /400 \(BadRequest\) to the invite request: Invalid participant\./);
		assert.match(String(error.description), /check the participants/);
	});

	it('401 that persists: n8n re-mints once, then the 401 hint', async () => {
		fx.sim.reset();
		const before = fx.credentials.counters.expiredPreAuthenticationCalls;
		const unauthorized = {
			kind: 'status' as const,
			status: 401,
			code: 'InvalidAuthenticationToken',
		};
		fx.sim.faults.nextGraphFaults.push(unauthorized, unauthorized, unauthorized);
		const error = (await fx.run(invite())).error as NodeApiError;
		assert.equal(error.httpCode, '401');
		assert.match(
			String(error.description),
			/rejected the access token even after a fresh one was minted/,
		);
		assert.equal(fx.credentials.counters.expiredPreAuthenticationCalls - before, 1);
		// The request, its repeat through n8n's own 401 handling, and n8n's retry with the new token.
		assert.equal(fx.invites().length, 3);
		assert.equal(fx.sim.invitations.length, 0);
	});

	it('429 then success: waits Retry-After and invites exactly once', async () => {
		fx.sim.reset();
		fx.sim.faults.nextGraphFaults.push({
			kind: 'status',
			status: 429,
			retryAfterSeconds: 1,
			code: 'TooManyRequests',
		});
		const [operation] = outputJson(await fx.run(invite()));
		assert.equal(operation.status, 'Running', "participant-invite.md's answers write Running");
		assert.equal(fx.invites().length, 2);
		assert.ok(fx.invites()[1].at - fx.invites()[0].at >= 950, 'the retry waited for Retry-After');
		assert.equal(fx.sim.inviteCount(DEFAULT_CALL_ID, `user:${USER}`), 1);
	});

	it('429 beyond Max Retries: fails with the throttling hint', async () => {
		fx.sim.reset();
		fx.sim.faults.nextGraphFaults.push(
			...[1, 2].map(() => ({
				kind: 'status' as const,
				status: 429,
				retryAfterSeconds: 1,
				code: 'TooManyRequests',
			})),
		);
		const error = (await fx.run(invite({ options: { maxRetries: 1 } }))).error as NodeApiError;
		assert.equal(error.httpCode, '429');
		assert.match(String(error.description), /throttling this app.*up to 1 retries/);
		assert.equal(fx.invites().length, 2);
		assert.equal(fx.sim.invitations.length, 0);
	});

	it('429 whose Retry-After exceeds Max Total Retry Wait: no retry at all', async () => {
		fx.sim.reset();
		fx.sim.faults.nextGraphFaults.push({ kind: 'status', status: 429, retryAfterSeconds: 30 });
		const error = (await fx.run(invite({ options: { maxRetryWaitSeconds: 5 } })))
			.error as NodeApiError;
		assert.equal(error.httpCode, '429');
		assert.equal(fx.invites().length, 1);
	});

	it('503 with Retry-After is retried', async () => {
		fx.sim.reset();
		fx.sim.faults.nextGraphFaults.push({ kind: 'status', status: 503, retryAfterSeconds: 1 });
		outputJson(await fx.run(invite()));
		assert.equal(fx.invites().length, 2);
		assert.equal(fx.sim.inviteCount(DEFAULT_CALL_ID, `user:${USER}`), 1);
	});

	for (const fault of [
		{ status: 503, label: '503 without Retry-After' },
		{ status: 500, label: '500' },
		{ status: 504, label: '504' },
	]) {
		it(`${fault.label} is never retried: an invite could ring twice`, async () => {
			fx.sim.reset();
			fx.sim.faults.nextGraphFaults.push({ kind: 'status', status: fault.status });
			const error = (await fx.run(invite())).error as NodeApiError;
			assert.equal(error.httpCode, String(fault.status));
			assert.match(
				String(error.description),
				/not retried, because Graph may already have acted on it/,
			);
			assert.equal(fx.invites().length, 1);
		});
	}

	it('a dropped connection is not retried and says so', async () => {
		fx.sim.reset();
		fx.sim.faults.nextGraphFaults.push({ kind: 'resetAfterProcessing' });
		const error = (await fx.run(invite())).error as NodeApiError;
		assert.match(
			error.message,
			/The connection to Graph at 127\.0\.0\.1:\d+ was closed before an answer came/,
		);
		assert.match(String(error.description), /may or may not have acted/);
		assert.equal(fx.invites().length, 1);
		assert.equal(
			fx.sim.inviteCount(DEFAULT_CALL_ID, `user:${USER}`),
			1,
			'Graph did invite; the node did not invite again',
		);
	});

	it('continue on fail: the failed item carries message, status, code and request-id; the others go on', async () => {
		fx.sim.reset();
		const result = await fx.run(
			inviteParameters([{ type: 'user', id: USER }], { callId: '={{ $json.call }}' }),
			items(3, (i) => ({
				call: i === 1 ? '9d0c7a52-0000-4000-8000-000000000404' : DEFAULT_CALL_ID,
			})),
			true,
		);
		const output = result.output?.[0] ?? [];
		assert.equal(output.length, 3);
		assert.equal(output[0].json.status, 'Running');
		assert.equal(output[2].json.status, 'Running');
		assert.deepEqual(output[1].pairedItem, { item: 1 });
		const failure = output[1].json.error as Record<string, unknown>;
		assert.equal(failure.status, 404);
		assert.equal(failure.code, '8522');
		assert.equal(failure.requestId, fx.invites()[1].requestId);
		assert.match(String(failure.message), /Graph answered 404/);
	});

	it('continue on fail also covers bad input, naming the field', async () => {
		fx.sim.reset();
		const result = await fx.run(
			inviteParameters([{ type: 'phone', id: '={{ $json.phone }}' }]),
			items(2, (i) => ({ phone: i === 0 ? '555-0100' : '+14255550100' })),
			true,
		);
		const output = result.output?.[0] ?? [];
		assert.match(
			String((output[0].json.error as Record<string, unknown>).message),
			/ID \(phone number\) \(item 0\)/,
		);
		assert.equal(output[1].json.status, 'Running');
		assert.equal(fx.invites().length, 1);
	});
});
