/**
 * The benchmark, in one process, on one simulator: the node (sequential, concurrent,
 * JSON-batched) against a raw baseline, case by case. Started by bench/run.ts.
 *
 * - Node path: the node's execute() inside n8n-core's real ExecuteContext (harness/runNode.ts):
 *   expressions per item, n8n's credential helper (token via preAuthentication), the Graph client
 *   middleware chain, n8n's httpRequestWithAuthentication.
 * - Raw baseline: n8n-core's own `httpRequest` (the same axios-based HTTPS client the node ends
 *   in) posting the very same bodies with one fixed token at the same concurrency, with no
 *   n8n context, no Graph client, no retries except honouring Retry-After on 429. It is the floor.
 *
 * Usage: npm run bench [-- --full]   (--full adds the 10,000-item non-batched cases; slow here)
 */
import { cpus, totalmem, release, platform, arch } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';

import { httpRequest } from 'n8n-core/dist/execution-engine/node-execution-context/utils/request-helper-functions';
import type { IDataObject } from 'n8n-workflow';

import { clearTokenClients } from '../lib/entra/tokenMinter';
import { writeResultsSection } from './results';
import { createCredentialStore, runNode } from '../harness/runNode';
import {
	DEFAULT_CALL_ID,
	DEFAULT_CLIENT_ID,
	DEFAULT_CLIENT_SECRET,
	DEFAULT_TENANT_ID,
	startGraphSimulator,
	type GraphSimulator,
} from '../simulator';
import { simulatorCredential } from '../simulator/credentialData';
import {
	invitationCounts,
	manyInviteParameters,
	userId,
	userItems,
} from '../test/support/throughput';

type Mode = 'sequential' | 'concurrent' | 'batched';

interface Case {
	items: number;
	latencyMs: number;
	throttleRate: number;
	mode: Mode;
	concurrency: number;
}

interface Row extends Case {
	who: 'node' | 'raw';
	wallMs: number;
	httpRequests: number;
	tokenRequests: number;
	invitesCounted: number;
	duplicates: number;
	failedItems: number;
	peakRssGrowthMb: number;
	ratio?: number;
}

const CONCURRENCY = 10;
const full = process.argv.includes('--full');
/** BENCH_SCALE=50 divides every item count by 50: a quick smoke run of the benchmark itself. */
const scale = Number(process.env.BENCH_SCALE ?? '1') || 1;

function gc(): void {
	(globalThis as { gc?: () => void }).gc?.();
}

/** Peak RSS above the level at the start, sampled every 20 ms while `work` runs. */
async function measured<T>(
	work: () => Promise<T>,
): Promise<{ value: T; wallMs: number; peakRssGrowthMb: number }> {
	gc();
	const startRss = process.memoryUsage.rss();
	let peak = startRss;
	const timer = setInterval(() => {
		peak = Math.max(peak, process.memoryUsage.rss());
	}, 20);
	const started = performance.now();
	try {
		const value = await work();
		peak = Math.max(peak, process.memoryUsage.rss());
		return {
			value,
			wallMs: performance.now() - started,
			peakRssGrowthMb: (peak - startRss) / 1024 / 1024,
		};
	} finally {
		clearInterval(timer);
	}
}

function prepare(sim: GraphSimulator, c: Case): void {
	sim.reset();
	sim.faults.latencyMs = c.latencyMs;
	sim.faults.throttleRate = c.throttleRate;
	sim.faults.throttleRetryAfterSeconds = 1;
}

function tally(
	sim: GraphSimulator,
): Pick<Row, 'httpRequests' | 'tokenRequests' | 'invitesCounted' | 'duplicates'> {
	const counts = invitationCounts(sim);
	return {
		httpRequests: sim.graphRequests().length,
		tokenRequests: sim.tokenRequests().length,
		invitesCounted: sim.invitations.length,
		duplicates: [...counts.values()].filter((n) => n > 1).length,
	};
}

async function runNodeCase(sim: GraphSimulator, c: Case): Promise<Row> {
	prepare(sim, c);
	// A fresh credential store and msal cache: every run starts without a token.
	clearTokenClients();
	const credentials = createCredentialStore(simulatorCredential(sim));
	const options: IDataObject = {
		concurrency: c.concurrency,
		useJsonBatching: c.mode === 'batched',
		maxRetries: 10,
		maxRetryWaitSeconds: 600,
	};
	const input = userItems(c.items);
	const { value, wallMs, peakRssGrowthMb } = await measured(
		async () =>
			await runNode({
				parameters: manyInviteParameters(options),
				items: input,
				credentials,
				continueOnFail: true,
			}),
	);
	const output = value.output?.[0] ?? [];
	const failedItems = value.error ? c.items : output.filter((o) => o.json.error).length;
	return { ...c, who: 'node', wallMs, peakRssGrowthMb, failedItems, ...tally(sim) };
}

/** The exact body the node sends for one person, taken from its dry run. */
async function nodeBodyTemplate(sim: GraphSimulator): Promise<string> {
	const credentials = createCredentialStore(simulatorCredential(sim));
	const result = await runNode({
		parameters: manyInviteParameters({ dryRun: true }),
		items: userItems(1),
		credentials,
	});
	return JSON.stringify(result.output?.[0][0].json.body);
}

interface RawAnswer {
	statusCode: number;
	headers: Record<string, string>;
	body: unknown;
}

async function rawPost(url: string, token: string, body: string): Promise<RawAnswer> {
	return (await httpRequest({
		url,
		method: 'POST',
		headers: {
			Authorization: `Bearer ${token}`,
			'Content-Type': 'application/json',
			Accept: 'application/json',
		},
		body,
		json: false,
		encoding: 'text',
		returnFullResponse: true,
		ignoreHttpStatusErrors: true,
		disableFollowRedirect: true,
		timeout: 60_000,
	})) as RawAnswer;
}

async function rawToken(sim: GraphSimulator): Promise<string> {
	const answer = await httpRequest({
		url: `${sim.origin}/${DEFAULT_TENANT_ID}/oauth2/v2.0/token`,
		method: 'POST',
		headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
		body: new URLSearchParams({
			grant_type: 'client_credentials',
			client_id: DEFAULT_CLIENT_ID,
			client_secret: DEFAULT_CLIENT_SECRET,
			scope: `${sim.origin}/.default`,
		}).toString(),
		json: true,
	});
	return (answer as { access_token: string }).access_token;
}

async function lanes(
	count: number,
	width: number,
	work: (index: number) => Promise<void>,
): Promise<void> {
	let next = 0;
	await Promise.all(
		Array.from({ length: Math.min(width, count) }, async () => {
			while (next < count) await work(next++);
		}),
	);
}

/** Posts until Graph stops answering 429 (honouring Retry-After, as a careful script would). */
async function rawPostHonouringRetryAfter(
	url: string,
	token: string,
	body: string,
): Promise<RawAnswer> {
	for (let attempt = 0; ; attempt++) {
		const answer = await rawPost(url, token, body);
		if (answer.statusCode !== 429 || attempt >= 10) return answer;
		await sleep(Number(answer.headers['retry-after'] ?? '1') * 1000);
	}
}

async function runRawCase(sim: GraphSimulator, c: Case, template: string): Promise<Row> {
	prepare(sim, c);
	const invite = `/communications/calls/${DEFAULT_CALL_ID}/participants/invite`;
	const bodies = Array.from({ length: c.items }, (_, n) => template.replace(userId(0), userId(n)));
	let failedItems = 0;
	const { wallMs, peakRssGrowthMb } = await measured(async () => {
		const token = await rawToken(sim);
		if (c.mode !== 'batched') {
			await lanes(c.items, c.concurrency, async (n) => {
				const answer = await rawPostHonouringRetryAfter(
					`${sim.origin}/v1.0${invite}`,
					token,
					bodies[n],
				);
				if (answer.statusCode !== 200) failedItems++;
			});
			return;
		}
		const batches = Math.ceil(c.items / 20);
		await lanes(batches, c.concurrency, async (b) => {
			let pending = bodies
				.slice(b * 20, b * 20 + 20)
				.map((body, i) => ({ id: String(i + 1), body }));
			for (let attempt = 0; pending.length > 0 && attempt <= 10; attempt++) {
				const requests = pending.map((p) => ({
					id: p.id,
					method: 'POST',
					url: invite,
					headers: { 'content-type': 'application/json' },
					body: JSON.parse(p.body) as unknown,
				}));
				const answer = await rawPost(
					`${sim.origin}/v1.0/$batch`,
					token,
					JSON.stringify({ requests }),
				);
				const responses = (
					JSON.parse(String(answer.body)) as {
						responses: Array<{ id: string; status: number; headers?: Record<string, string> }>;
					}
				).responses;
				const throttled = responses.filter((r) => r.status === 429);
				failedItems += responses.filter((r) => r.status !== 429 && r.status !== 200).length;
				pending = pending.filter((p) => throttled.some((t) => t.id === p.id));
				if (pending.length > 0)
					await sleep(Number(throttled[0]?.headers?.['retry-after'] ?? '1') * 1000);
			}
			failedItems += pending.length;
		});
	});
	return { ...c, who: 'raw', wallMs, peakRssGrowthMb, failedItems, ...tally(sim) };
}

function casesToRun(): Array<{ c: Case; raw: boolean }> {
	const list: Array<{ c: Case; raw: boolean }> = [];
	const add = (
		items: number,
		latencyMs: number,
		mode: Mode,
		raw: boolean,
		throttleRate = 0,
	): void => {
		list.push({
			c: {
				items: Math.max(20, Math.round(items / scale)),
				latencyMs,
				throttleRate,
				mode,
				concurrency: mode === 'sequential' ? 1 : CONCURRENCY,
			},
			raw,
		});
	};
	// 1,000 items, 0 ms: everything side by side.
	add(1000, 0, 'sequential', true);
	add(1000, 0, 'concurrent', true);
	add(1000, 0, 'batched', true);
	// 1,000 items, 50 ms: the sequential baseline is N x 50 ms by construction; the node's is measured.
	add(1000, 50, 'sequential', false);
	add(1000, 50, 'concurrent', true);
	add(1000, 50, 'batched', true);
	// 10,000 items: batched always; the single-request modes only with --full (they take minutes here).
	add(10000, 0, 'batched', true);
	add(10000, 50, 'batched', true);
	if (full) {
		add(10000, 0, 'concurrent', true);
		add(10000, 50, 'concurrent', true);
		add(10000, 0, 'sequential', true);
	}
	// 20% of Graph requests (steps) answered 429 with Retry-After: 1.
	add(1000, 0, 'concurrent', true, 0.2);
	add(1000, 0, 'batched', true, 0.2);
	return list;
}

function fmt(ms: number): string {
	return ms >= 10_000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms)} ms`;
}

function tableOf(rows: Row[]): string {
	const head =
		'| items | latency | 429s | mode | conc. | who | wall | node/raw | HTTP req. | token req. | invites counted | dup. | failed | peak RSS growth |';
	const rule = '|---:|---:|---:|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|';
	const lines = rows.map(
		(r) =>
			`| ${r.items.toLocaleString('en-US')} | ${r.latencyMs} ms | ${Math.round(r.throttleRate * 100)}% | ${r.mode} | ${r.concurrency} | ${r.who} | ${fmt(r.wallMs)} | ${r.ratio !== undefined ? r.ratio.toFixed(2) : ''} | ${r.httpRequests} | ${r.tokenRequests} | ${r.invitesCounted} | ${r.duplicates} | ${r.failedItems} | ${r.peakRssGrowthMb.toFixed(1)} MB |`,
	);
	return [head, rule, ...lines].join('\n');
}

function machine(): string {
	const cpu = cpus();
	return `${cpu.length} x ${cpu[0]?.model ?? 'unknown CPU'}, ${(totalmem() / 1024 ** 3).toFixed(1)} GiB RAM, ${platform()} ${release()} ${arch()}, Node.js ${process.version}`;
}

async function main(): Promise<void> {
	const started = performance.now();
	const sim = await startGraphSimulator();
	// No callback notifications: the simulator would build one roster update per invite listing
	// the whole roster (O(N^2) work and memory at 10,000 invitees), which is not the client's cost.
	sim.callbacks.close();
	const template = await nodeBodyTemplate(sim);
	// Warm-up: loads every module and JITs the hot paths, so the first case is not penalised.
	await runNodeCase(sim, {
		items: 50,
		latencyMs: 0,
		throttleRate: 0,
		mode: 'concurrent',
		concurrency: CONCURRENCY,
	});
	await runRawCase(
		sim,
		{ items: 50, latencyMs: 0, throttleRate: 0, mode: 'concurrent', concurrency: CONCURRENCY },
		template,
	);

	const rows: Row[] = [];
	for (const { c, raw } of casesToRun()) {
		const node = await runNodeCase(sim, c);
		rows.push(node);
		if (raw) {
			const baseline = await runRawCase(sim, c, template);
			node.ratio = node.wallMs / baseline.wallMs;
			rows.push(baseline);
		}
		const last = rows.slice(raw ? -2 : -1);
		console.log(tableOf(last).split('\n').slice(2).join('\n'));
	}
	await sim.close();

	const table = tableOf(rows);
	const seq50 = rows.find(
		(r) => r.who === 'node' && r.items === 1000 && r.latencyMs === 50 && r.mode === 'sequential',
	);
	const conc50 = rows.find(
		(r) => r.who === 'node' && r.items === 1000 && r.latencyMs === 50 && r.mode === 'concurrent',
	);
	const batch50 = rows.find(
		(r) => r.who === 'node' && r.items === 1000 && r.latencyMs === 50 && r.mode === 'batched',
	);
	const ratios = rows.filter(
		(r) => r.who === 'node' && r.latencyMs === 0 && r.throttleRate === 0 && r.ratio !== undefined,
	);
	const verdicts = [
		`- node / raw at the same concurrency, 0 ms latency (target <= 1.15): ${ratios.map((r) => `${r.items} ${r.mode} ${r.ratio?.toFixed(2)}`).join('; ')}`,
		`- token requests per node run (target 1): ${[...new Set(rows.filter((r) => r.who === 'node').map((r) => r.tokenRequests))].join(', ')}`,
		`- batched HTTP requests vs ceil(N / 20), no 429s: ${rows
			.filter((r) => r.who === 'node' && r.mode === 'batched' && r.throttleRate === 0)
			.map((r) => `${r.items}: ${r.httpRequests} vs ${Math.ceil(r.items / 20)}`)
			.join('; ')}`,
		seq50 && conc50 && batch50
			? `- 1,000 items at 50 ms (target < 1/10 of sequential = ${fmt(seq50.wallMs / 10)}): concurrent ${fmt(conc50.wallMs)} (${(seq50.wallMs / conc50.wallMs).toFixed(1)}x faster), batched ${fmt(batch50.wallMs)} (${(seq50.wallMs / batch50.wallMs).toFixed(1)}x faster)`
			: '',
		`- 10,000 items, peak RSS growth of the node run (target < 150 MB): ${rows
			.filter((r) => r.who === 'node' && r.items === 10000)
			.map((r) => `${r.mode} ${r.latencyMs} ms ${r.peakRssGrowthMb.toFixed(1)} MB`)
			.join('; ')}`,
		`- 20% 429s, invites counted / duplicates / failed items: ${rows
			.filter((r) => r.throttleRate > 0)
			.map((r) => `${r.who} ${r.mode}: ${r.invitesCounted} / ${r.duplicates} / ${r.failedItems}`)
			.join('; ')}`,
	].filter(Boolean);

	const markdown = `# Performance

Measured with \`npm run bench\`${full ? ' -- --full' : ''} on ${new Date().toISOString().slice(0, 10)}, total ${fmt(performance.now() - started)}.

**Machine:** ${machine()}.

Everything runs in one process: the Graph simulator (HTTPS on 127.0.0.1, signing its own TLS),
the node inside n8n-core's real ExecuteContext (\`harness/runNode.ts\`), and the raw baseline.
The raw baseline is n8n-core's own \`httpRequest\` (axios, the client the node's requests end in)
posting the same bodies with one fixed token at the same concurrency, with no n8n context, no Graph
client and no retries beyond honouring Retry-After on 429. n8n's client opens a new HTTPS
connection (new agent, full TLS handshake) for every request, and client and simulator share
the CPU, so the figures are CPU-bound at 0 ms latency. Concurrency is ${CONCURRENCY} except in the
sequential mode; with batching it counts batches in flight. Peak RSS growth is sampled every
20 ms over the level at the start of the case (after a GC) and includes the simulator's own
request log. Call notifications (the simulator's callback deliveries) are switched off, as
their roster updates grow with the square of the roster. "HTTP req." counts Graph requests the simulator saw ($batch envelopes count once).

${table}

## Targets

${verdicts.join('\n')}
`;
	writeResultsSection('in-process', markdown);
	console.log(
		`\n${verdicts.join('\n')}\n\nWrote bench/RESULTS.md in ${fmt(performance.now() - started)}.`,
	);
	process.exit(0);
}

main().catch((error: unknown) => {
	console.error(error);
	process.exit(1);
});
