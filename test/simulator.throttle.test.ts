/**
 * The simulator's throttling knob: each attempt (a Graph request, or one $batch step)
 * is answered 429 + Retry-After independently with the given probability, reproducibly when
 * seeded; a throttled invite is not processed. Settable in process, through the control API and
 * from the CLI / environment.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { Agent, request } from 'node:https';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';

import {
	DEFAULT_CALL_ID,
	DEFAULT_CLIENT_ID,
	DEFAULT_CLIENT_SECRET,
	DEFAULT_TENANT_ID,
	startGraphSimulator,
	type ControlState,
	type GraphSimulator,
} from '../simulator';

interface Answer {
	status: number;
	headers: Record<string, string | string[] | undefined>;
	text: string;
}

const N = 1000;
const P = 0.2;

/** Within 5 standard deviations of a binomial(n, p) count. */
function assertRatio(count: number, n: number, p: number, what: string): void {
	const spread = 5 * Math.sqrt(n * p * (1 - p));
	assert.ok(
		Math.abs(count - n * p) <= spread,
		`${what}: ${count} of ${n} throttled, expected ${n * p} ± ${spread.toFixed(0)}`,
	);
}

function userId(n: number): string {
	return `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;
}

function inviteBody(n: number): Record<string, unknown> {
	return {
		participants: [
			{
				'@odata.type': '#microsoft.graph.invitationParticipantInfo',
				identity: { '@odata.type': '#microsoft.graph.identitySet', user: { id: userId(n) } },
			},
		],
		clientContext: `knob-${n}`,
	};
}

const INVITE_PATH = `/v1.0/communications/calls/${DEFAULT_CALL_ID}/participants/invite`;

describe('Simulator throttling knob: each attempt independently', { timeout: 120_000 }, () => {
	let sim: GraphSimulator;
	let agent: Agent;
	let token: string;

	function send(method: string, path: string, body?: unknown, auth = true): Promise<Answer> {
		const payload = body === undefined ? undefined : JSON.stringify(body);
		return new Promise((resolve, reject) => {
			const req = request(
				`${sim.origin}${path}`,
				{
					method,
					agent,
					ca: sim.caCertPem,
					headers: {
						...(auth ? { authorization: `Bearer ${token}` } : {}),
						...(payload !== undefined ? { 'content-type': 'application/json' } : {}),
					},
					timeout: 10_000,
				},
				(res) => {
					const chunks: Buffer[] = [];
					res.on('data', (c: Buffer) => chunks.push(c));
					res.on('end', () =>
						resolve({
							status: res.statusCode ?? 0,
							headers: res.headers,
							text: Buffer.concat(chunks).toString('utf8'),
						}),
					);
				},
			);
			req.on('timeout', () => req.destroy(new Error('timeout')));
			req.on('error', reject);
			req.end(payload);
		});
	}

	/** Sends invites for the numbers given, 20 at a time; returns the status per number. */
	async function inviteAll(numbers: number[]): Promise<Map<number, Answer>> {
		const answers = new Map<number, Answer>();
		let next = 0;
		const worker = async (): Promise<void> => {
			while (next < numbers.length) {
				const n = numbers[next++];
				answers.set(n, await send('POST', INVITE_PATH, inviteBody(n)));
			}
		};
		await Promise.all(Array.from({ length: 20 }, worker));
		return answers;
	}

	function throttled(answers: Map<number, Answer>): number[] {
		return [...answers].filter(([, a]) => a.status === 429).map(([n]) => n);
	}

	function invited(): Set<string> {
		return new Set(sim.invitations.map((i) => i.identityId));
	}

	before(async () => {
		sim = await startGraphSimulator({ controlApi: true });
		agent = new Agent({ keepAlive: true, maxSockets: 20 });
		const form = new URLSearchParams({
			grant_type: 'client_credentials',
			client_id: DEFAULT_CLIENT_ID,
			client_secret: DEFAULT_CLIENT_SECRET,
			scope: `${sim.origin}/.default`,
		});
		const answer = await new Promise<Answer>((resolve, reject) => {
			const req = request(
				`${sim.origin}/${DEFAULT_TENANT_ID}/oauth2/v2.0/token`,
				{
					method: 'POST',
					agent,
					ca: sim.caCertPem,
					headers: { 'content-type': 'application/x-www-form-urlencoded' },
				},
				(res) => {
					let text = '';
					res.on('data', (c: Buffer) => (text += c.toString('utf8')));
					res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text }));
				},
			);
			req.on('error', reject);
			req.end(form.toString());
		});
		assert.equal(answer.status, 200, answer.text);
		token = (JSON.parse(answer.text) as { access_token: string }).access_token;
	});

	after(async () => {
		agent?.destroy();
		await sim?.close();
	});

	it(`${P * 100}% over ${N} attempts: ratio within bounds, every 429 carries Retry-After, throttled invites are not delivered`, async () => {
		sim.reset();
		sim.faults.throttleRate = P;
		sim.faults.throttleRetryAfterSeconds = 1;
		sim.faults.throttleSeed = 42;
		const numbers = Array.from({ length: N }, (_, i) => i);
		const answers = await inviteAll(numbers);
		const refused = throttled(answers);
		assertRatio(refused.length, N, P, 'first attempts');
		assert.equal(sim.faults.throttledCount, refused.length);
		for (const n of refused) {
			const a = answers.get(n)!;
			assert.equal(a.headers['retry-after'], '1', `429 for ${n} carries Retry-After: 1`);
			assert.equal(
				(JSON.parse(a.text) as { error: { code: string } }).error.code,
				'TooManyRequests',
			);
		}
		for (const [n, a] of answers)
			if (a.status !== 429) assert.equal(a.status, 200, `${n}: ${a.text}`);
		const delivered = invited();
		assert.equal(sim.invitations.length, N - refused.length, 'one invitation per accepted attempt');
		for (const n of refused) assert.ok(!delivered.has(userId(n)), `throttled ${n} was not invited`);

		// Attempts are independent: trying the throttled ones again is throttled at the same rate
		// (not "sticky"), and each retry that passes is delivered exactly once.
		const second = await inviteAll(refused);
		const refusedAgain = throttled(second);
		assertRatio(refusedAgain.length, refused.length, P, 'second attempts of the throttled');
		assert.equal(sim.invitations.length, N - refusedAgain.length);
		assert.equal(invited().size, sim.invitations.length, 'nobody invited twice');
	});

	it('a seed makes the draws reproducible whatever the arrival order', async () => {
		const run = async (order: number[], seed: number): Promise<number[]> => {
			sim.reset();
			sim.faults.throttleRate = P;
			sim.faults.throttleSeed = seed;
			return throttled(await inviteAll(order)).sort((a, b) => a - b);
		};
		const numbers = Array.from({ length: 300 }, (_, i) => i);
		const forward = await run(numbers, 7);
		const backward = await run([...numbers].reverse(), 7);
		assert.deepEqual(backward, forward);
		const otherSeed = await run(numbers, 8);
		assert.notDeepEqual(otherSeed, forward);
	});

	it('$batch: each step is throttled independently, with Retry-After on the step', async () => {
		sim.reset();
		sim.faults.throttleRate = P;
		sim.faults.throttleRetryAfterSeconds = 1;
		sim.faults.throttleSeed = 1;
		let steps429 = 0;
		let mixedBatches = 0;
		const refusedIds: string[] = [];
		for (let b = 0; b < N / 20; b++) {
			const requests = Array.from({ length: 20 }, (_, s) => ({
				id: String(s),
				method: 'POST',
				url: `/communications/calls/${DEFAULT_CALL_ID}/participants/invite`,
				headers: { 'content-type': 'application/json' },
				body: inviteBody(b * 20 + s),
			}));
			const answer = await send('POST', '/v1.0/$batch', { requests });
			assert.equal(answer.status, 200, 'the envelope itself is never throttled');
			const { responses } = JSON.parse(answer.text) as {
				responses: Array<{ id: string; status: number; headers: Record<string, string> }>;
			};
			const statuses = new Set(responses.map((r) => r.status));
			if (statuses.has(429) && statuses.size > 1) mixedBatches++;
			for (const r of responses) {
				if (r.status !== 429) continue;
				steps429++;
				assert.equal(r.headers['retry-after'], '1');
				refusedIds.push(userId(b * 20 + Number(r.id)));
			}
		}
		assertRatio(steps429, N, P, 'batch steps');
		assert.ok(mixedBatches > N / 20 / 2, 'most batches mix throttled and processed steps');
		assert.equal(sim.graphRequests().length, N / 20);
		assert.equal(sim.invitations.length, N - steps429);
		const delivered = invited();
		for (const id of refusedIds) assert.ok(!delivered.has(id), `throttled step ${id} not invited`);
	});

	it('probability 1 throttles every attempt, 0 none', async () => {
		sim.reset();
		sim.faults.throttleRate = 1;
		assert.equal(throttled(await inviteAll([1, 2, 3, 4, 5])).length, 5);
		sim.faults.throttleRate = 0;
		assert.equal(throttled(await inviteAll([1, 2, 3, 4, 5])).length, 0);
		assert.equal(sim.invitations.length, 5);
	});

	it('control API: knobs, counters and reset over HTTPS, not recorded', async () => {
		sim.reset();
		const set = await send(
			'POST',
			'/_simulator/knobs',
			{ latencyMs: 0, throttleProbability: P, retryAfterSeconds: 2, seed: 5 },
			false,
		);
		assert.equal(set.status, 200, set.text);
		assert.equal(sim.faults.throttleRate, P);
		assert.equal(sim.faults.throttleRetryAfterSeconds, 2);
		assert.equal(sim.faults.throttleSeed, 5);
		const answers = await inviteAll(Array.from({ length: 200 }, (_, i) => i));
		const state = JSON.parse(
			(await send('GET', '/_simulator/state', undefined, false)).text,
		) as ControlState;
		assert.equal(state.counts.graphRequests, 200, 'control requests are not recorded');
		assert.equal(state.counts.throttled, throttled(answers).length);
		assert.equal(state.counts.graphStatuses['429'], throttled(answers).length);
		assert.equal(state.counts.invitations, 200 - throttled(answers).length);
		assert.equal(state.counts.duplicates, 0);
		for (const n of throttled(answers)) assert.equal(answers.get(n)!.headers['retry-after'], '2');
		const bad = await send('POST', '/_simulator/knobs', { throttleProbability: 1.5 }, false);
		assert.equal(bad.status, 400);
		const reset = JSON.parse(
			(await send('POST', '/_simulator/reset', undefined, false)).text,
		) as ControlState;
		assert.equal(reset.counts.graphRequests, 0);
		assert.equal(reset.knobs.throttleProbability, 0);
	});

	it('CLI: knobs from flags and environment', { timeout: 30_000 }, async () => {
		const cli = join(__dirname, '..', 'simulator', 'cli.ts');
		const dir = mkdtempSync(join(tmpdir(), 'sim-cli-'));
		const child = spawn(
			process.execPath,
			[
				'--import',
				'tsx',
				cli,
				'--quiet',
				'--ca-out',
				join(dir, 'ca.pem'),
				'--throttle-probability',
				'0.2',
				'--retry-after',
				'3',
			],
			{
				env: { ...process.env, GRAPH_SIM_THROTTLE_SEED: '11', GRAPH_SIM_LATENCY_MS: '25' },
				stdio: ['ignore', 'pipe', 'pipe'],
			},
		);
		try {
			let out = '';
			const banner = await new Promise<string>((resolve, reject) => {
				child.stdout.on('data', (c: Buffer) => {
					out += c.toString('utf8');
					if (out.includes('Press Ctrl+C')) resolve(out);
				});
				child.once('exit', (code) => reject(new Error(`cli exited ${code}: ${out}`)));
			});
			assert.match(banner, /latency 25 ms, throttle probability 0\.2, Retry-After 3 s, seed 11/);
		} finally {
			child.kill('SIGTERM');
			rmSync(dir, { recursive: true, force: true });
		}
	});
});

describe('Simulator token endpoint: client_secret_basic (what n8n generic OAuth2 sends by default)', () => {
	it('accepts client id and secret in an Authorization: Basic header, refuses a wrong secret', async () => {
		const sim = await startGraphSimulator();
		try {
			const post = (basic: string): Promise<Answer> =>
				new Promise((resolve, reject) => {
					const req = request(
						`${sim.origin}/${DEFAULT_TENANT_ID}/oauth2/v2.0/token`,
						{
							method: 'POST',
							ca: sim.caCertPem,
							headers: {
								'content-type': 'application/x-www-form-urlencoded',
								authorization: `Basic ${Buffer.from(basic).toString('base64')}`,
							},
						},
						(res) => {
							let text = '';
							res.on('data', (c: Buffer) => (text += c.toString('utf8')));
							res.on('end', () =>
								resolve({ status: res.statusCode ?? 0, headers: res.headers, text }),
							);
						},
					);
					req.on('error', reject);
					req.end(
						new URLSearchParams({
							grant_type: 'client_credentials',
							scope: `${sim.origin}/.default`,
						}).toString(),
					);
				});
			const ok = await post(`${DEFAULT_CLIENT_ID}:${encodeURIComponent(DEFAULT_CLIENT_SECRET)}`);
			assert.equal(ok.status, 200, ok.text);
			assert.ok((JSON.parse(ok.text) as { access_token?: string }).access_token);
			const wrong = await post(`${DEFAULT_CLIENT_ID}:not-the-secret`);
			assert.equal(wrong.status, 401, wrong.text);
			assert.match(wrong.text, /AADSTS7000215/);
		} finally {
			await sim.close();
		}
	});
});
