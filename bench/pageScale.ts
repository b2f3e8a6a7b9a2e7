/**
 * `npm run bench:page-scale`: many people paged at once in real n8n, each page decided exactly
 * once. Never part of npm test or CI (a benchmark: it prints figures and asserts nothing).
 *
 * Workflow: Webhook (POST, the Teams user in the body) → Microsoft Graph Calls v3, Call › Call and
 * Wait for Keypress (one Teams user from `{{ $json.body.user }}`, Prompt From › Text with the
 * default offline voice, Response Type › Approval, default options) → HTTP Request posting
 * `{execution, user, outcome, approved}` to a capture server in this process (the side effect a
 * decision has: counted per execution).
 *
 * The Graph simulator runs in this process over HTTPS (its own CA: n8n trusts it through
 * NODE_EXTRA_CA_CERTS; n8n is reached over https, as Call and Wait for Keypress requires). The
 * phones are the simulator's (manualPhones): every call rings until this bench answers it, so all
 * pages are seen waiting at once before anyone answers; then each call is answered at a seeded
 * random moment within --spread-ms and "1" is pressed --press-after-ms after the node subscribed
 * to the tones. For --dups of the calls the "1" notification is posted a second time, the same
 * bytes, as soon as the simulator sends the first (Graph's retry of a callback it thinks lost).
 *
 * Modes (per n8n line):
 * - regular: `n8n start` over https, SQLite;
 * - queue: main (`n8n start`) + 2 webhook processors (`n8n webhook`) + 1 worker (`n8n worker`,
 *   n8n's default concurrency 10), Redis and PostgreSQL (test/e2e/queue's helpers, imported), a
 *   TLS-terminating round-robin balancer in this process in front of the webhook processors
 *   (per request), WEBHOOK_URL = the balancer on every process. Queue settings n8n's defaults.
 * - throttled (in the regular n8n, after the main run): every binding GET
 *   (`GET /communications/calls/{id}`) answered 429 + Retry-After until each call's first one was
 *   throttled; Graph (the simulator) sends the refused notification again after the node's
 *   Retry-After (deliveryRetries, 3 by default).
 *
 * Each n8n process runs with a preload (--require, written below) that writes its RSS and heap
 * to a file and runs a full GC on SIGUSR2 (n8n runs with --expose-gc), so memory is compared
 * after a collection.
 *
 * Usage: npm run bench:page-scale [-- --pages N] [-- --throttle-pages N] [-- --dups N]
 *        [-- --spread-ms MS] [-- --press-after-ms MS] [-- --lines 1,2] [-- --modes regular,queue]
 *        [-- --no-write]
 */
import { createRequire } from 'node:module';
import { execFileSync, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer, request as httpRequest } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { cpus, loadavg, release, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';

import { ensureN8n, type Line, type N8nInstall } from '../test/e2e/harness/install';
import {
	freePort,
	importCredentials,
	importWorkflows,
	makeCtx,
	untilWebhookRegistered,
	type N8nCtx,
	type WorkflowImport,
} from '../test/e2e/harness/n8n';
import { installPackageInto, packRepo } from '../test/e2e/harness/package';
import { repoRoot } from '../test/e2e/harness/paths';
import { killTree, spawnTracked } from '../test/e2e/harness/proc';
import {
	httpsRequest,
	Rest,
	startHttpsServer,
	writeTlsFiles,
	type HttpsN8nServer,
} from '../test/e2e/harness/https';
import { importAll, queueEnv, startMain, startWorker } from '../test/e2e/queue/cluster';
import { ensureSystemTools, startPostgres, startRedis } from '../test/e2e/queue/system';
import {
	issueServerCertificate,
	startGraphSimulator,
	writeFreshCa,
	type GraphSimulator,
	type NotificationDelivery,
} from '../test/e2e/simulator';
import { CREDENTIAL_TYPE, secretCredentialData } from '../test/e2e/world';
import { RESULTS_FILE, writeResultsSection } from './results';

// ---------------------------------------------------------------------------------------------
// Options

type Mode = 'regular' | 'queue';

interface Options {
	pages: number;
	throttlePages: number;
	dups: number;
	spreadMs: number;
	pressAfterMs: number;
	lines: Line[];
	modes: Mode[];
	write: boolean;
}

function parseArgs(argv: string[]): Options {
	const o: Options = {
		pages: 200,
		throttlePages: 20,
		dups: 20,
		spreadMs: 10_000,
		pressAfterMs: 1_500,
		lines: ['1'],
		modes: ['regular', 'queue'],
		write: true,
	};
	for (let i = 0; i < argv.length; i++) {
		const a = argv[i];
		const value = (min = 1): number => {
			const v = Number(argv[++i]);
			if (!(v >= min)) throw new Error(`${a} needs a number of at least ${min}`);
			return Math.floor(v);
		};
		if (a === '--pages') o.pages = value();
		else if (a === '--throttle-pages') o.throttlePages = value(0);
		else if (a === '--dups') o.dups = value(0);
		else if (a === '--spread-ms') o.spreadMs = value(0);
		else if (a === '--press-after-ms') o.pressAfterMs = value(0);
		else if (a === '--lines')
			o.lines = String(argv[++i])
				.split(',')
				.map((l) => {
					if (l !== '1' && l !== '2') throw new Error(`--lines: 1 or 2, not ${l}`);
					return l;
				});
		else if (a === '--modes')
			o.modes = String(argv[++i])
				.split(',')
				.map((m) => {
					if (m !== 'regular' && m !== 'queue')
						throw new Error(`--modes: regular or queue, not ${m}`);
					return m;
				});
		else if (a === '--no-write') o.write = false;
		else throw new Error(`Unknown argument ${a} (see the comment at the top of this file)`);
	}
	return o;
}

const opts = parseArgs(process.argv.slice(2));
const started = Date.now();
const secs = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;
const log = (text: string): void =>
	console.log(`[bench:page-scale ${secs(Date.now() - started)}] ${text}`);
const pause = async (ms: number): Promise<void> =>
	await new Promise((resolve) => setTimeout(resolve, ms));
const load1 = (): number => loadavg()[0] ?? 0;

const ALERT = 'Production alert: checkout is failing for all customers.';
const NODE_TYPE = 'n8n-nodes-microsoft-graph-calls.microsoftGraphCalls';
const CREDENTIAL = { id: 'benchPageScale01', name: 'Graph simulator (page-scale bench)' };
const WORKFLOW_ID = 'benchPageScale01';
const HOOK_PATH = 'page-scale';
const PAGE_NODE = 'Page';
const RECORD_NODE = 'Record';
/** A page's decision must come within this (else it counts as not decided). */
const DECIDE_TIMEOUT_MS = 600_000;

// ---------------------------------------------------------------------------------------------
// Statistics

/** Nearest-rank percentile. */
function pct(values: number[], p: number): number {
	const s = [...values].sort((a, b) => a - b);
	if (s.length === 0) return NaN;
	return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))] ?? NaN;
}
const fmt = (ms: number): string =>
	Number.isNaN(ms) ? '—' : ms >= 10_000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms)} ms`;
const mb = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(0)} MB`;
const kb = (bytes: number): string => `${(bytes / 1024).toFixed(0)} KB`;

function table(head: string[], rows: (string | number)[][]): string {
	const cells = [head, ...rows.map((row) => row.map(String))];
	const widths = head.map((_, c) => Math.max(...cells.map((row) => (row[c] ?? '').length)));
	const line = (row: string[]): string =>
		`| ${row.map((cell, c) => (c === 0 ? cell.padEnd(widths[c] ?? 0) : cell.padStart(widths[c] ?? 0))).join(' | ')} |`;
	const rule = `| ${widths.map((w, c) => (c === 0 ? '-'.repeat(w) : `${'-'.repeat(Math.max(3, w) - 1)}:`)).join(' | ')} |`;
	return [line(head), rule, ...cells.slice(1).map(line)].join('\n');
}

function countBy<T>(values: readonly T[], key: (v: T) => string): Map<string, number> {
	const out = new Map<string, number>();
	for (const v of values) out.set(key(v), (out.get(key(v)) ?? 0) + 1);
	return out;
}
const counts = (m: Map<string, number>): string =>
	[...m]
		.sort((a, b) => b[1] - a[1])
		.map(([k, n]) => `${n}× ${k}`)
		.join(', ');

// ---------------------------------------------------------------------------------------------
// The preload: each n8n process's memory

interface ProcessStats {
	pid: number;
	rss: number;
	heapUsed: number;
	/** Bumped by every SIGUSR2 (after its GC). */
	gcs: number;
}

function writePreload(dir: string): string {
	const file = join(dir, 'memory-stats.cjs');
	writeFileSync(
		file,
		`'use strict';
const fs = require('fs');
const out = process.env.BENCH_PAGE_STATS;
// Only n8n's own process (not worker threads, not anything n8n spawns).
if (out && require('worker_threads').isMainThread && /[\\\\/]n8n[\\\\/]bin[\\\\/]n8n$/.test(process.argv[1] || '')) {
	const s = { pid: process.pid, rss: 0, heapUsed: 0, gcs: 0 };
	const write = () => {
		const m = process.memoryUsage();
		s.rss = m.rss;
		s.heapUsed = m.heapUsed;
		try { fs.writeFileSync(out + '.tmp', JSON.stringify(s)); fs.renameSync(out + '.tmp', out); } catch {}
	};
	process.on('SIGUSR2', () => {
		if (typeof global.gc === 'function') { global.gc(); global.gc(); }
		s.gcs++;
		write();
	});
	setInterval(write, 500).unref();
	write();
}
`,
	);
	return file;
}

interface Proc {
	name: string;
	statsFile: string;
}

function readStats(p: Proc): ProcessStats | undefined {
	try {
		return JSON.parse(readFileSync(p.statsFile, 'utf8')) as ProcessStats;
	} catch {
		return undefined;
	}
}

/** Each process collects its garbage (twice), then its RSS and heap are read. */
async function memory(procs: Proc[]): Promise<Map<string, ProcessStats>> {
	const before = new Map(procs.map((p) => [p.name, readStats(p)]));
	for (const p of procs) {
		const s = before.get(p.name);
		if (s) process.kill(s.pid, 'SIGUSR2');
	}
	const out = new Map<string, ProcessStats>();
	const deadline = Date.now() + 20_000;
	for (const p of procs) {
		for (;;) {
			const s = readStats(p);
			if (s && s.gcs > (before.get(p.name)?.gcs ?? -1)) {
				out.set(p.name, s);
				break;
			}
			if (Date.now() > deadline) {
				if (s) out.set(p.name, s);
				break;
			}
			await pause(100);
		}
	}
	return out;
}

// ---------------------------------------------------------------------------------------------
// The workflow

function workflow(captureUrl: string): WorkflowImport {
	return {
		id: WORKFLOW_ID,
		name: 'bench:page-scale',
		active: true,
		settings: { executionOrder: 'v1' },
		nodes: [
			{
				id: 'c5000000-0000-4000-8000-000000000001',
				name: 'Alert',
				type: 'n8n-nodes-base.webhook',
				typeVersion: 2,
				position: [0, 0],
				webhookId: 'c5000000-0000-4000-8000-0000000000a1',
				parameters: {
					httpMethod: 'POST',
					path: HOOK_PATH,
					responseMode: 'onReceived',
					options: {},
				},
			},
			{
				id: 'c5000000-0000-4000-8000-000000000002',
				name: PAGE_NODE,
				type: NODE_TYPE,
				typeVersion: 3,
				position: [220, 0],
				parameters: {
					resource: 'call',
					operation: 'callAndWaitForKeypress',
					people: { person: [{ type: 'teamsUser', id: '={{ $json.body.user }}' }] },
					// Prompt From › Text is the version's default (n8n stores no value equal to it).
					promptText: ALERT,
					responseType: 'approval',
					options: {},
				},
				credentials: { [CREDENTIAL_TYPE]: CREDENTIAL },
			},
			{
				id: 'c5000000-0000-4000-8000-000000000003',
				name: RECORD_NODE,
				type: 'n8n-nodes-base.httpRequest',
				typeVersion: 4.2,
				position: [440, 0],
				parameters: {
					method: 'POST',
					url: captureUrl,
					sendBody: true,
					specifyBody: 'json',
					jsonBody:
						"={{ JSON.stringify({ execution: $execution.id, user: $('Alert').first().json.body.user, outcome: $json.outcome, approved: $json.data ? $json.data.approved : null, callId: $json.callId }) }}",
					options: {},
				},
			},
		],
		connections: {
			Alert: { main: [[{ node: PAGE_NODE, type: 'main', index: 0 }]] },
			[PAGE_NODE]: { main: [[{ node: RECORD_NODE, type: 'main', index: 0 }]] },
		},
	};
}

interface Captured {
	execution: string;
	user: string;
	outcome: string;
	approved: boolean | null;
	at: number;
}

async function startCapture(): Promise<{ url: string; posts: Captured[]; close(): void }> {
	const posts: Captured[] = [];
	const server = createHttpServer((req, res) => {
		const chunks: Buffer[] = [];
		req.on('data', (c: Buffer) => chunks.push(c));
		req.on('end', () => {
			try {
				posts.push({
					...(JSON.parse(Buffer.concat(chunks).toString('utf8')) as Captured),
					at: Date.now(),
				});
			} catch {
				// not counted
			}
			res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const address = server.address();
	if (address === null || typeof address === 'string') throw new Error('no port');
	return {
		url: `http://127.0.0.1:${address.port}/record`,
		posts,
		close: () => server.close(),
	};
}

// ---------------------------------------------------------------------------------------------
// Queue mode: the balancer and the webhook processors

interface Balancer {
	url: string;
	/** Per backend, the waiting-webhook POSTs it got: path → backend index. */
	routed: Array<{ path: string; method: string; backend: number }>;
	close(): void;
}

/** TLS-terminating, round robin per request, to plain-http backends on 127.0.0.1. */
async function startBalancer(
	cert: { certPem: string; keyPem: string },
	backends: number[],
): Promise<Balancer> {
	const routed: Balancer['routed'] = [];
	let next = 0;
	const server = createHttpsServer({ cert: cert.certPem, key: cert.keyPem }, (req, res) => {
		const backend = next++ % backends.length;
		routed.push({ path: req.url ?? '', method: req.method ?? '', backend });
		const upstream = httpRequest(
			{
				host: '127.0.0.1',
				port: backends[backend],
				method: req.method,
				path: req.url,
				headers: { ...req.headers, 'x-forwarded-proto': 'https' },
			},
			(answer) => {
				res.writeHead(answer.statusCode ?? 502, answer.headers);
				answer.pipe(res);
			},
		);
		upstream.on('error', (e) => {
			if (!res.headersSent) res.writeHead(502).end(e.message);
			else res.destroy();
		});
		req.pipe(upstream);
	});
	server.keepAliveTimeout = 5_000;
	const port = await freePort();
	await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
	return { url: `https://127.0.0.1:${port}`, routed, close: () => server.close() };
}

interface WebhookProcess {
	port: number;
	child: ChildProcess;
	stop(): Promise<void>;
}

async function startWebhookProcess(
	ctx: N8nCtx,
	name: string,
	port: number,
): Promise<WebhookProcess> {
	const logFile = join(ctx.userFolder, `n8n-${name}.log`);
	const child = spawnTracked(ctx.inst.nodeBin, [ctx.inst.n8nBin, 'webhook'], {
		cwd: ctx.userFolder,
		env: { ...ctx.env, N8N_PORT: String(port) },
		logFile,
	});
	let output = '';
	child.stdout?.on('data', (b: Buffer) => (output += b.toString('utf8')));
	child.stderr?.on('data', (b: Buffer) => (output += b.toString('utf8')));
	const handle = { port, child, stop: async () => await killTree(child) };
	const deadline = Date.now() + 180_000;
	for (;;) {
		if (child.exitCode !== null || child.signalCode !== null)
			throw new Error(`${name} exited before ready; log ${logFile}:\n${output.slice(-2000)}`);
		if (output.includes('Webhook listener waiting for requests')) {
			try {
				const r = await fetch(`http://127.0.0.1:${port}/healthz`, {
					signal: AbortSignal.timeout(2_000),
				});
				if (r.ok) return handle;
			} catch {
				// not yet
			}
		}
		if (Date.now() > deadline) {
			await handle.stop();
			throw new Error(`${name} not ready; log ${logFile}`);
		}
		await pause(250);
	}
}

// ---------------------------------------------------------------------------------------------
// One run: N alerts at once, every call answered, "1" pressed

interface Flatted {
	parse(text: string): unknown;
}

interface ExecutionFacts {
	id: string;
	status: string;
	/** runData[Page].length and its last run's outcome. */
	pageRuns: number;
	outcome?: string;
	approved?: unknown;
	recordRuns: number;
}

/** How this mode lists its executions. */
interface Env {
	mode: Mode;
	line: Line;
	version: string;
	/** https base URL the alerts and Graph's callbacks reach. */
	url: string;
	procs: Proc[];
	waitingCount(): Promise<number>;
	facts(ids: string[]): Promise<ExecutionFacts[]>;
	/** Queue mode: which backend got each request. */
	balancer?: Balancer;
}

interface RunSettings {
	label: string;
	pages: number;
	dups: number;
	spreadMs: number;
	throttle: boolean;
}

interface Attempt {
	kind: string;
	status: number;
	ms: number;
	callId: string;
	retry: boolean;
	/** Sent before every page of the run was waiting (n8n may still be storing the execution). */
	early: boolean;
}

interface DupResult {
	callId: string;
	status: number;
	ms: number;
	/** The original's first answer status, and whether the duplicate was sent before it came. */
	originalStatus?: number;
	beforeOriginal: boolean;
	original: NotificationDelivery;
}

interface RunResult {
	settings: RunSettings;
	env: Pick<Env, 'mode' | 'line' | 'version'>;
	alertsAccepted: number;
	alertStatuses: string;
	creates: number;
	waiting: number;
	/** From the first alert to all waiting, and from the first answer to the last capture. */
	toWaitingMs: number;
	decideWallMs: number;
	decided: number;
	captures: number;
	executionsOnce: number;
	capturesPerExecution: string;
	facts: { status: string; pageRuns: string; outcome: string; recordRuns: string };
	getsPerCall: string;
	maxGetsPerCall: number;
	callsOverBound: number;
	/** Queue mode: calls whose callbacks reached both webhook processors. */
	callsOnBoth?: number;
	attempts: Attempt[];
	dups: DupResult[];
	throttled: number;
	memory: Array<{ name: string; before: ProcessStats; waiting: ProcessStats; after: ProcessStats }>;
	loads: number[];
	notDecided: string[];
	/** Executions with more than one decision posted: the outcomes posted, and whether "1" was duplicated. */
	doubles: Array<{ execution: string; outcomes: string[]; duplicated: boolean; trail: string }>;
}

function notificationKind(body: unknown): string {
	const first = (body as { value?: Array<Record<string, unknown>> }).value?.[0] ?? {};
	const data = (first.resourceData ?? {}) as Record<string, unknown>;
	const url = String(first.resourceUrl ?? '');
	if (data.toneInfo) return 'tone';
	if (/\/operations\//i.test(url)) return 'operation';
	if (/\/participants/i.test(url)) return 'roster';
	return `call ${String(data.state ?? first.changeType ?? '?').toLowerCase()}`;
}

const isWaitingUrl = (d: NotificationDelivery): boolean => d.url.includes('/webhook-waiting/');

let runSeq = 0;

async function runPages(
	env: Env,
	sim: GraphSimulator,
	capture: { posts: Captured[] },
	caPem: string,
	s: RunSettings,
): Promise<RunResult> {
	runSeq++;
	const loads = [load1()];
	const users = Array.from(
		{ length: s.pages },
		(_, i) =>
			`5c${String(runSeq).padStart(6, '0')}-0000-4000-8000-${(i + 1).toString(16).padStart(12, '0')}`,
	);
	const userSet = new Set(users);
	const fromRequest = sim.graphRequests().length;
	const fromDelivery = sim.callbacks.deliveries.length;
	const fromCapture = capture.posts.length;
	const fromRouted = env.balancer?.routed.length ?? 0;
	sim.faults.throttledCount = 0;

	const memBefore = await memory(env.procs);
	log(`${s.label}: firing ${s.pages} alerts at once (load ${load1().toFixed(1)})`);
	const t0 = Date.now();
	const alerts = await Promise.all(
		users.map(async (user) => {
			try {
				return (
					await httpsRequest(`${env.url}/webhook/${HOOK_PATH}`, caPem, {
						method: 'POST',
						headers: { 'content-type': 'application/json' },
						body: JSON.stringify({ user }),
						timeoutMs: 120_000,
					})
				).status;
			} catch (e) {
				return `error ${(e as Error).message}`;
			}
		}),
	);
	const alertStatuses = countBy(alerts, String);
	log(`${s.label}: alerts answered ${counts(alertStatuses)}`);

	// Every call rings (manualPhones) until answered below: wait for all the pages to wait.
	const ringing = (): ReturnType<GraphSimulator['phones']['legs']> =>
		sim.phones
			.legs()
			.filter((l) => l.state === 'ringing' && userSet.has(l.person.id.toLowerCase()));
	const deadline = Date.now() + 300_000;
	let waiting = 0;
	for (;;) {
		const legs = ringing().length;
		waiting = legs === s.pages ? await env.waitingCount() : 0;
		if (legs === s.pages && waiting >= s.pages) break;
		if (Date.now() > deadline) {
			log(`${s.label}: only ${legs} calls ringing, ${waiting} executions waiting; going on`);
			break;
		}
		await pause(500);
	}
	const allWaitingAt = Date.now();
	const toWaitingMs = allWaitingAt - t0;
	loads.push(load1());
	log(`${s.label}: ${waiting} executions waiting after ${secs(toWaitingMs)}`);
	const memWaiting = await memory(env.procs);

	// Creates: execution ID and call of every page.
	const creates = sim
		.graphRequests()
		.slice(fromRequest)
		.filter((r) => r.method === 'POST' && r.path === '/v1.0/communications/calls');
	const execOfUser = new Map<string, string>();
	for (const c of creates) {
		const body = JSON.parse(c.body) as {
			callbackUri?: string;
			targets?: Array<{ identity?: { user?: { id?: string } } }>;
		};
		const user = body.targets?.[0]?.identity?.user?.id?.toLowerCase();
		const exec = /\/webhook-waiting\/(\d+)\//.exec(body.callbackUri ?? '')?.[1];
		if (user && exec && userSet.has(user)) execOfUser.set(user, exec);
	}

	// Throttling: every binding GET answered 429 until each call's first one was.
	const throttledCalls = new Set<string>();
	if (s.throttle) {
		sim.faults.throttleOnly = /^GET \/v1\.0\/communications\/calls\/[^/]+$/;
		sim.faults.throttleRate = 1;
		sim.faults.throttleRetryAfterSeconds = 5;
	}
	const watchThrottle = setInterval(() => {
		if (!s.throttle || sim.faults.throttleRate === 0) return;
		for (const r of sim.graphRequests().slice(fromRequest))
			if (r.method === 'GET' && r.status === 429) throttledCalls.add(r.path);
		if (throttledCalls.size >= s.pages) {
			sim.faults.throttleRate = 0;
			sim.faults.throttleOnly = undefined;
			log(`${s.label}: every call's binding GET was throttled once; throttling off`);
		}
	}, 50);

	// Duplicates: the first --dups calls' "1" posted again, the same bytes, at once.
	const dupCalls = new Set<string>();
	const dupResults: Array<Promise<DupResult>> = [];
	let scanned = fromDelivery;
	const watchTones = setInterval(() => {
		const deliveries = sim.callbacks.deliveries;
		for (; scanned < deliveries.length; scanned++) {
			const d = deliveries[scanned];
			if (!d || !isWaitingUrl(d) || notificationKind(d.body) !== 'tone') continue;
			if (dupCalls.has(d.callId) || dupCalls.size >= s.dups) continue;
			dupCalls.add(d.callId);
			const t = performance.now();
			const original = d;
			dupResults.push(
				(async (): Promise<DupResult> => {
					const beforeOriginal = original.status === undefined;
					let status = 0;
					try {
						status = (
							await httpsRequest(original.url, caPem, {
								method: 'POST',
								headers: {
									'content-type': 'application/json',
									authorization: `Bearer ${original.token}`,
								},
								body: JSON.stringify(original.body),
								timeoutMs: 60_000,
							})
						).status;
					} catch {
						status = 0;
					}
					return {
						callId: original.callId,
						status,
						ms: performance.now() - t,
						beforeOriginal,
						original,
					};
				})(),
			);
		}
	}, 5);

	// Everyone answers within the spread (seeded), and presses 1 after the subscription.
	sim.media.knobs.tonesAfterSubscribe = [{ tone: 'tone1', afterMs: opts.pressAfterMs }];
	const t1 = Date.now();
	const legs = ringing();
	for (const leg of legs) {
		const draw =
			createHash('sha256').update(`${runSeq}/${leg.person.id}`).digest().readUInt32BE(0) / 2 ** 32;
		setTimeout(() => sim.phones.answer(leg.id), Math.round(draw * s.spreadMs));
	}
	const until = Date.now() + DECIDE_TIMEOUT_MS;
	const ours = (): Captured[] =>
		capture.posts.slice(fromCapture).filter((p) => userSet.has(String(p.user).toLowerCase()));
	let lastLog = 0;
	while (new Set(ours().map((p) => p.user)).size < legs.length && Date.now() < until) {
		if (Date.now() - lastLog > 15_000) {
			lastLog = Date.now();
			log(`${s.label}: ${new Set(ours().map((p) => p.user)).size}/${legs.length} decided`);
		}
		await pause(200);
	}
	const lastCapture = Math.max(...ours().map((p) => p.at));
	const decideWallMs = lastCapture - t1;
	loads.push(load1());
	log(`${s.label}: ${new Set(ours().map((p) => p.user)).size} decided in ${secs(decideWallMs)}`);
	// Late notifications (hang-ups, duplicates, Graph's retries) still arrive: let them settle.
	await pause(8_000);
	clearInterval(watchTones);
	clearInterval(watchThrottle);
	sim.faults.throttleRate = 0;
	sim.faults.throttleOnly = undefined;
	sim.media.knobs.tonesAfterSubscribe = [];
	const dups = await Promise.all(dupResults);
	await sim.callbacks.settled();
	for (const d of dups) d.originalStatus = d.original.attempts?.[0] ?? d.original.status;
	const memAfter = await memory(env.procs);

	// What n8n stored.
	const execIds = [...new Set(execOfUser.values())];
	const facts = await env.facts(execIds);
	const posts = ours();
	const perExecution = countBy(posts, (p) => String(p.execution));
	const capturesPerExecution = countBy(execIds, (id) => `${perExecution.get(id) ?? 0}`);
	const once = execIds.filter((id) => perExecution.get(id) === 1).length;
	const notDecided = users.filter((u) => !posts.some((p) => String(p.user).toLowerCase() === u));

	// Binding GETs per call (n8n's, not this bench's).
	const ourCalls = new Set(
		sim.callbacks.deliveries
			.slice(fromDelivery)
			.filter(isWaitingUrl)
			.map((d) => d.callId),
	);
	const gets = sim
		.graphRequests()
		.slice(fromRequest)
		.filter((r) => r.method === 'GET' && /^\/v1\.0\/communications\/calls\/[^/]+$/.test(r.path))
		.filter((r) => r.status !== 429);
	const getsOf = countBy(gets, (r) => r.path.split('/').pop() ?? '');
	const perCall = [...ourCalls].map((id) => getsOf.get(id) ?? 0);
	// Queue mode: per call, how many webhook processors got its callbacks (each may GET once).
	let callsOnBoth: number | undefined;
	let bound = (_callId: string): number => 1;
	if (env.balancer) {
		const byExecution = new Map<string, Set<number>>();
		for (const r of env.balancer.routed.slice(fromRouted)) {
			const exec = /^\/webhook-waiting\/(\d+)\//.exec(r.path)?.[1];
			if (!exec || r.method !== 'POST') continue;
			byExecution.set(exec, (byExecution.get(exec) ?? new Set()).add(r.backend));
		}
		const execOfCall = new Map<string, string>();
		for (const d of sim.callbacks.deliveries.slice(fromDelivery)) {
			const exec = /\/webhook-waiting\/(\d+)\//.exec(d.url)?.[1];
			if (exec) execOfCall.set(d.callId, exec);
		}
		bound = (callId) => byExecution.get(execOfCall.get(callId) ?? '')?.size ?? 1;
		callsOnBoth = [...ourCalls].filter((id) => bound(id) > 1).length;
	}
	const callsOverBound = [...ourCalls].filter((id) => (getsOf.get(id) ?? 0) > bound(id)).length;

	// Every attempt of every callback to a waiting URL of this run.
	const attempts: Attempt[] = [];
	for (const d of sim.callbacks.deliveries.slice(fromDelivery)) {
		if (!isWaitingUrl(d) || !ourCalls.has(d.callId)) continue;
		const kind = notificationKind(d.body);
		(d.attemptMs ?? []).forEach((ms, i) =>
			attempts.push({
				kind,
				status: d.attempts?.[i] ?? 0,
				ms,
				callId: d.callId,
				retry: i > 0,
				early: d.at < allWaitingAt,
			}),
		);
	}

	return {
		settings: s,
		env: { mode: env.mode, line: env.line, version: env.version },
		alertsAccepted: alerts.filter((a) => a === 200).length,
		alertStatuses: counts(alertStatuses),
		creates: creates.length,
		waiting,
		toWaitingMs,
		decideWallMs,
		decided: new Set(posts.map((p) => p.user)).size,
		captures: posts.length,
		executionsOnce: once,
		capturesPerExecution: counts(capturesPerExecution),
		facts: {
			status: counts(countBy(facts, (f) => f.status)),
			pageRuns: counts(countBy(facts, (f) => String(f.pageRuns))),
			outcome: counts(countBy(facts, (f) => `${f.outcome ?? '—'}/${String(f.approved ?? '—')}`)),
			recordRuns: counts(countBy(facts, (f) => String(f.recordRuns))),
		},
		getsPerCall: counts(countBy(perCall, String)),
		maxGetsPerCall: Math.max(0, ...perCall),
		callsOverBound,
		...(callsOnBoth === undefined ? {} : { callsOnBoth }),
		attempts,
		dups,
		throttled: sim.faults.throttledCount ?? 0,
		memory: env.procs.map((p) => ({
			name: p.name,
			before: memBefore.get(p.name) as ProcessStats,
			waiting: memWaiting.get(p.name) as ProcessStats,
			after: memAfter.get(p.name) as ProcessStats,
		})),
		loads,
		notDecided,
		doubles: [...perExecution]
			.filter(([, n]) => n > 1)
			.map(([execution]) => ({
				execution,
				outcomes: posts.filter((p) => String(p.execution) === execution).map((p) => p.outcome),
				trail: sim.callbacks.deliveries
					.slice(fromDelivery)
					.filter((d) => d.url.includes(`/webhook-waiting/${execution}/`))
					.map((d) => `${notificationKind(d.body)} ${(d.attempts ?? []).join('/')}`)
					.join(', '),
				duplicated: [...dupCalls].some((callId) =>
					sim.callbacks.deliveries.some(
						(d) => d.callId === callId && d.url.includes(`/webhook-waiting/${execution}/`),
					),
				),
			})),
	};
}

function factsFrom(
	flatted: Flatted,
	id: string,
	status: string,
	data: string | undefined,
): ExecutionFacts {
	type Run = { data?: { main?: Array<Array<{ json?: Record<string, unknown> }>> } };
	let runData: Record<string, Run[]> = {};
	try {
		runData =
			(flatted.parse(data ?? '') as { resultData?: { runData?: Record<string, Run[]> } }).resultData
				?.runData ?? {};
	} catch {
		// no data
	}
	const page = runData[PAGE_NODE] ?? [];
	const json = page[page.length - 1]?.data?.main?.[0]?.[0]?.json;
	return {
		id,
		status,
		pageRuns: page.length,
		...(json ? { outcome: String(json.outcome) } : {}),
		...(json ? { approved: (json.data as { approved?: unknown } | undefined)?.approved } : {}),
		recordRuns: (runData[RECORD_NODE] ?? []).length,
	};
}

// ---------------------------------------------------------------------------------------------
// Setting up the modes

interface Common {
	inst: N8nInstall;
	flatted: Flatted;
	tarball: string;
	sim: GraphSimulator;
	ca: ReturnType<typeof writeFreshCa>;
	captureUrl: string;
	preload: string;
	workDir: string;
}

function credential(sim: GraphSimulator): {
	id: string;
	name: string;
	type: string;
	data: Record<string, unknown>;
} {
	return {
		...CREDENTIAL,
		type: CREDENTIAL_TYPE,
		data: {
			...secretCredentialData(sim),
			notificationOpenIdConfigurationUrl: sim.callbacks.openIdConfigurationUrl,
		},
	};
}

async function regularMode(
	c: Common,
): Promise<{ env: Env; stop(): Promise<void>; server: HttpsN8nServer }> {
	const userFolder = join(c.workDir, `regular-${c.inst.line}`);
	const statsFile = join(c.workDir, `regular-${c.inst.line}-stats.json`);
	const ctx = makeCtx(c.inst, {
		userFolder,
		env: {
			NODE_EXTRA_CA_CERTS: c.ca.certPath,
			NODE_OPTIONS: `--expose-gc --require ${c.preload}`,
			BENCH_PAGE_STATS: statsFile,
		},
	});
	await installPackageInto(userFolder, c.tarball);
	await importCredentials(ctx, [credential(c.sim)]);
	await importWorkflows(ctx, [workflow(c.captureUrl)]);
	const tls = writeTlsFiles(join(c.workDir, `tls-${c.inst.line}`), issueServerCertificate(c.ca.ca));
	const server = await startHttpsServer(ctx, { ...tls, caPem: c.ca.ca.certPem });
	const rest = new Rest(server.url, c.ca.ca.certPem);
	await rest.setupOwner();
	await rest.activate(WORKFLOW_ID);
	await untilWebhookRegistered(`${server.url}/webhook/${HOOK_PATH}`, 60_000, async (url) => {
		// A POST without a user: the page node refuses it before calling anyone.
		return (await httpsRequest(url, c.ca.ca.certPem, { method: 'POST', body: '{}' })).status;
	});
	/** The waiting executions, page by page: n8n's list answers at most 100 at a time. */
	const waitingCount = async (): Promise<number> => {
		const filter = encodeURIComponent(
			JSON.stringify({ workflowId: WORKFLOW_ID, status: ['waiting'] }),
		);
		let total = 0;
		let lastId: number | undefined;
		for (;;) {
			const got = await rest.get<{ data?: { results?: Array<{ id: string; status: string }> } }>(
				`/rest/executions?filter=${filter}&limit=100${lastId === undefined ? '' : `&lastId=${lastId}`}`,
			);
			const results = got.body.data?.results ?? [];
			total += results.filter((e) => e.status === 'waiting').length;
			if (results.length < 100) return total;
			lastId = Math.min(...results.map((e) => Number(e.id)));
		}
	};
	const env: Env = {
		mode: 'regular',
		line: c.inst.line,
		version: c.inst.version,
		url: server.url,
		procs: [{ name: 'n8n start', statsFile }],
		waitingCount,
		facts: async (ids) => {
			const out: ExecutionFacts[] = [];
			for (const id of ids) {
				const got = await rest.get<{ data?: { status?: string; data?: string } }>(
					`/rest/executions/${id}`,
				);
				out.push(factsFrom(c.flatted, id, String(got.body.data?.status), got.body.data?.data));
			}
			return out;
		},
	};
	return { env, server, stop: async () => await server.stop() };
}

async function queueMode(c: Common): Promise<{ env: Env; stop(): Promise<void> }> {
	const tools = await ensureSystemTools();
	const base = join(c.workDir, `queue-${c.inst.line}`);
	const [redisPort, pgPort] = [await freePort(), await freePort()];
	const stops: Array<() => Promise<void> | void> = [];
	const stop = async (): Promise<void> => {
		for (const s of stops.reverse()) await s();
	};
	try {
		execFileSync('mkdir', ['-p', base]);
		const redis = await startRedis(tools, redisPort, base);
		stops.push(async () => await redis.stop());
		const pg = await startPostgres(tools, pgPort, base);
		stops.push(() => pg.stop());
		const backends = {
			redisPort,
			pgPort,
			pgDatabase: pg.database,
			pgUser: pg.user,
			caFile: c.ca.certPath,
		};
		const ports = [await freePort(), await freePort()];
		const balancer = await startBalancer(issueServerCertificate(c.ca.ca), ports);
		stops.push(() => balancer.close());
		const names = ['main', 'webhook-1', 'webhook-2', 'worker'] as const;
		const ctxs = new Map<string, N8nCtx>();
		const procs: Proc[] = [];
		for (const name of names) {
			const env = queueEnv(backends, name);
			// n8n's own queue settings: the queue suite shortens stall detection for its kill test.
			for (const k of [
				'QUEUE_WORKER_LOCK_DURATION',
				'QUEUE_WORKER_LOCK_RENEW_TIME',
				'QUEUE_WORKER_STALLED_INTERVAL',
				'N8N_EXECUTIONS_QUEUE_RECOVERY_INTERVAL',
			])
				delete env[k];
			const statsFile = join(base, `${name}-stats.json`);
			const ctx = makeCtx(c.inst, {
				userFolder: join(base, name),
				env: {
					...env,
					WEBHOOK_URL: `${balancer.url}/`,
					NODE_OPTIONS: `--expose-gc --require ${c.preload}`,
					BENCH_PAGE_STATS: statsFile,
				},
			});
			await installPackageInto(ctx.userFolder, c.tarball);
			ctxs.set(name, ctx);
			procs.push({ name, statsFile });
		}
		const ctxOf = (name: string): N8nCtx => ctxs.get(name) as N8nCtx;
		await importAll(ctxOf('main'), [credential(c.sim)], [workflow(c.captureUrl)]);
		const main = await startMain(ctxOf('main'));
		stops.push(async () => await main.stop());
		const [hooks, worker] = await Promise.all([
			Promise.all(
				['webhook-1', 'webhook-2'].map(
					async (name, i) => await startWebhookProcess(ctxOf(name), name, ports[i] as number),
				),
			),
			// n8n's default worker concurrency (10).
			startWorker(ctxOf('worker'), 'worker', 10),
		]);
		for (const h of hooks) stops.push(async () => await h.stop());
		stops.push(async () => await worker.stop());
		await untilWebhookRegistered(`${balancer.url}/webhook/${HOOK_PATH}`, 60_000, async (url) => {
			return (await httpsRequest(url, c.ca.ca.certPem, { method: 'POST', body: '{}' })).status;
		});
		const env: Env = {
			mode: 'queue',
			line: c.inst.line,
			version: c.inst.version,
			url: balancer.url,
			procs,
			balancer,
			waitingCount: async () =>
				Number(
					pg
						.query(
							`SELECT count(*) FROM execution_entity WHERE "workflowId" = '${WORKFLOW_ID}' AND status = 'waiting'`,
						)
						.trim(),
				),
			facts: async (ids) => {
				if (ids.length === 0) return [];
				const sql = `SELECT coalesce(json_agg(json_build_object('id', e.id, 'status', e.status, 'data', d.data)), '[]')
					FROM execution_entity e LEFT JOIN execution_data d ON d."executionId" = e.id
					WHERE e.id IN (${ids.map(Number).join(',')})`;
				const rows = JSON.parse(pg.query(sql)) as Array<{
					id: number;
					status: string;
					data: string | null;
				}>;
				return rows.map((r) => factsFrom(c.flatted, String(r.id), r.status, r.data ?? undefined));
			},
		};
		return { env, stop };
	} catch (e) {
		await stop();
		throw e;
	}
}

// ---------------------------------------------------------------------------------------------
// Report

function callbackRow(label: string, a: Attempt[]): (string | number)[] {
	const ms = a.map((x) => x.ms);
	return [
		label,
		a.length,
		counts(countBy(a, (x) => String(x.status || 'no answer'))),
		fmt(pct(ms, 50)),
		fmt(pct(ms, 95)),
		fmt(pct(ms, 99)),
		fmt(Math.max(...ms)),
	];
}

const KIND_ORDER = ['call establishing', 'call established', 'tone', 'operation', 'roster'];

/** Executions resumed more than once, grouped by what was posted; three examples with their callbacks. */
function doublesText(runs: RunResult[]): string {
	const lines = runs.flatMap((r) => {
		if (r.doubles.length === 0) return [];
		const groups = countBy(
			r.doubles,
			(d) =>
				`${d.outcomes.join(' then ')}, "1" ${d.duplicated ? 'duplicated' : 'not duplicated'} for the call`,
		);
		return [
			`- ${runLabel(r)}: ${r.doubles.length} executions: ${counts(groups)}. E.g. ${r.doubles
				.slice(0, 3)
				.map((d) => `execution ${d.execution}: ${d.trail}`)
				.join('; ')}`,
		];
	});
	return lines.length === 0
		? ''
		: `Executions resumed more than once (decisions posted, in order; Graph's callbacks to the execution and n8n's answers):\n\n${lines.join('\n')}\n\n`;
}

function runLabel(r: RunResult): string {
	return `${r.settings.label}, n8n ${r.env.version}`;
}

function perPage(r: RunResult, m: RunResult['memory'][number]): string {
	const rss = (m.waiting.rss - m.before.rss) / r.settings.pages;
	const heap = (m.waiting.heapUsed - m.before.heapUsed) / r.settings.pages;
	return `${kb(rss)} / ${kb(heap)}`;
}

interface Report {
	runs: RunResult[];
	commit: string;
	totalMs: number;
	loads: number[];
}

function markdown(rep: Report): string {
	const cpu = cpus();
	const date = new Date().toISOString().slice(0, 16).replace('T', ' ');
	const versions = [...new Set(rep.runs.map((r) => r.env.version))].join(', ');
	const main = rep.runs.filter((r) => !r.settings.throttle);
	const throttled = rep.runs.filter((r) => r.settings.throttle);
	const decidedRows = rep.runs.map((r) => {
		const ms = r.attempts.filter((a) => !a.early).map((a) => a.ms);
		return [
			runLabel(r),
			r.settings.pages,
			`${r.alertsAccepted}`,
			`${r.waiting}`,
			`${r.decided}`,
			`${r.executionsOnce}`,
			r.facts.status,
			r.facts.pageRuns,
			r.facts.outcome,
			`${r.getsPerCall}`,
			ms.length,
			fmt(pct(ms, 50)),
			fmt(pct(ms, 95)),
			fmt(pct(ms, 99)),
			fmt(Math.max(...ms)),
			fmt(r.toWaitingMs),
			fmt(r.decideWallMs),
			r.loads.map((l) => l.toFixed(1)).join(' → '),
		];
	});
	const memoryRows = main.flatMap((r) =>
		r.memory.map((m) => [
			`${runLabel(r)}: ${m.name}`,
			`${mb(m.before.rss)} / ${mb(m.before.heapUsed)}`,
			`${mb(m.waiting.rss)} / ${mb(m.waiting.heapUsed)}`,
			`${mb(m.after.rss)} / ${mb(m.after.heapUsed)}`,
			perPage(r, m),
		]),
	);
	const kindRows = rep.runs.flatMap((r) => {
		const kinds = [...new Set(r.attempts.map((a) => a.kind))].sort(
			(a, b) =>
				((KIND_ORDER.indexOf(a) + 99) % 99) - ((KIND_ORDER.indexOf(b) + 99) % 99) ||
				a.localeCompare(b),
		);
		return [
			callbackRow(`${runLabel(r)}: all`, r.attempts),
			callbackRow(
				`${runLabel(r)}: sent before all were waiting`,
				r.attempts.filter((a) => a.early),
			),
			callbackRow(
				`${runLabel(r)}: sent once all were waiting`,
				r.attempts.filter((a) => !a.early),
			),
			...kinds.map((k) =>
				callbackRow(
					`${runLabel(r)}: ${k}`,
					r.attempts.filter((a) => a.kind === k),
				),
			),
		];
	});
	const dupLines = main
		.filter((r) => r.dups.length > 0)
		.map(
			(r) =>
				`- ${runLabel(r)}: ${r.dups.length} duplicates of "1" (${r.dups.filter((d) => d.beforeOriginal).length} sent before n8n had answered the original); n8n answered the duplicates ${counts(countBy(r.dups, (d) => String(d.status || 'no answer')))}, the originals ${counts(countBy(r.dups, (d) => String(d.originalStatus ?? '?')))}; decisions posted per execution: ${r.capturesPerExecution}; runs of the page node per execution: ${r.facts.pageRuns}; of the next node: ${r.facts.recordRuns}`,
		);
	const throttleLines = throttled.map((r) => {
		const refused = r.attempts.filter((a) => a.status === 503);
		const retried = r.attempts.filter((a) => a.retry);
		return `- ${runLabel(r)}: ${r.throttled} binding GETs answered 429 (Retry-After 5 s); n8n answered those callbacks ${counts(countBy(refused, () => '503'))} in p50 ${fmt(
			pct(
				refused.map((a) => a.ms),
				50,
			),
		)}, max ${fmt(Math.max(...refused.map((a) => a.ms)))} (the hold); Graph's retries of them: ${counts(countBy(retried, (a) => String(a.status || 'no answer')))}; ${r.decided}/${r.settings.pages} decided, ${r.executionsOnce} exactly once, in ${fmt(r.decideWallMs)}; GETs per call (not counting the 429s): ${r.getsPerCall}`;
	});
	const allOnce = main.every(
		(r) =>
			r.decided === r.settings.pages &&
			r.executionsOnce === r.settings.pages &&
			r.captures === r.settings.pages,
	);
	const getsOk = rep.runs.every((r) => r.callsOverBound === 0);
	const p99s = main.map((r) => ({
		r,
		p99: pct(
			r.attempts.filter((a) => !a.early).map((a) => a.ms),
			99,
		),
		all: pct(
			r.attempts.map((a) => a.ms),
			99,
		),
	}));
	const holdMax = Math.max(
		0,
		...throttled.flatMap((r) => r.attempts.filter((a) => a.status === 503).map((a) => a.ms)),
	);
	const throttleDecided = throttled.every((r) => r.decided === r.settings.pages);
	const verdict = (ok: boolean): string => (ok ? '**met**' : '**not met**');
	const targets = [
		`- every page decided exactly once (one decision posted per execution, all ${main.map((r) => r.settings.pages).join('/')} decided, no second resume, duplicates included): ${main.map((r) => `${runLabel(r)} ${r.executionsOnce}/${r.settings.pages} once, ${r.decided} decided`).join('; ')} → ${verdict(allOnce)}`,
		`- at most one binding GET per call and process (queue mode: per webhook processor that got the call's callbacks): ${rep.runs.map((r) => `${runLabel(r)} max ${r.maxGetsPerCall}${r.callsOnBoth === undefined ? '' : ` (${r.callsOnBoth} calls reached both processors)`}, ${r.callsOverBound} over`).join('; ')} → ${verdict(getsOk)}`,
		`- callbacks answered with p99 ≤ 1 s, those sent once the pages waited (the node's callbacks): ${p99s.map(({ r, p99 }) => `${runLabel(r)} ${fmt(p99)}`).join('; ')} → ${verdict(p99s.every((x) => x.p99 <= 1000))}`,
		`- the same over every callback, those that reached n8n while it was still starting the executions included (n8n's own answers, see above): ${p99s.map(({ r, all }) => `${runLabel(r)} ${fmt(all)}`).join('; ')} → ${verdict(p99s.every((x) => x.all <= 1000))}`,
		`- memory per waiting page: ${main.map((r) => `${runLabel(r)}: ${r.memory.map((m) => `${m.name} ${perPage(r, m)}`).join(', ')}`).join('; ')} (RSS / heap, after a full GC) → stated`,
		throttled.length > 0
			? `- a throttled binding GET holds a callback only briefly (one attempt, Retry-After not waited out: hold < the 5 s Retry-After), and Graph's retries get the pages decided: longest hold ${fmt(holdMax)}, all decided: ${throttleDecided ? 'yes' : 'no'} → ${verdict(holdMax < 5000 && throttleDecided)}; within 1 s (the callbacks' target): ${verdict(holdMax <= 1000)}`
			: '- throttled binding GET: not run',
	];
	return `## Paging at scale, exactly once (issue: "At scale, exactly once")

Measured with \`npm run bench:page-scale\` on ${date} UTC, whole run ${secs(rep.totalMs)} (n8n already installed in
\`.e2e/\`). **Machine:** ${cpu.length} x ${cpu[0]?.model.trim() ?? 'CPU'}, ${(totalmem() / 1024 ** 3).toFixed(1)} GiB RAM, Linux ${release()};
load average (1 min) ${rep.loads.map((l) => l.toFixed(1)).join(' → ')} over the run: **the machine was shared with other
sessions' tests (above ${cpu.length}, other work competed for the CPU), so the times are contended, not clean figures.**
**Versions:** n8n ${versions} (Node.js ${process.version}; regular mode SQLite, \`N8N_RUNNERS_ENABLED=false\`; queue mode
Redis and PostgreSQL from Debian's packages), this package packed from the working tree at ${rep.commit} and installed
into each process's user folder as the README says.

**Setup.** Workflow: Webhook (POST, respond at once) → Microsoft Graph Calls v3, Call › Call and Wait for Keypress
(People to Call: one Teams user, \`{{ $json.body.user }}\`; Prompt From › Text, the default offline voice, the same
${ALERT.length}-character text for every page, so it is rendered once per process and cached; Response Type › Approval;
default options) → HTTP Request posting \`{execution, user, outcome, approved}\` to a capture server in the bench (the
decision's side effect, counted per execution). The Graph simulator runs in the bench's process over HTTPS (its own
CA; n8n trusts it through \`NODE_EXTRA_CA_CERTS\`; n8n or the balancer serves https with a certificate of that CA).
All alerts are posted at once; every call rings (the simulator's phones) until **all** executions are waiting, then
each call is answered at a seeded random moment within ${opts.spreadMs / 1000} s, and "1" is pressed ${opts.pressAfterMs} ms after the
node subscribed to the tones (the prompt "plays" 5 s). For the first ${opts.dups} calls of a run, the "1" notification is
posted a second time (same bytes and token) the moment the simulator sends it: Graph's retry of a callback it
thinks lost, near-concurrent with the original.
**Regular mode:** one \`n8n start\` over https. **Queue mode:** main (\`n8n start\`), 2 webhook processors
(\`n8n webhook\`), 1 worker (\`n8n worker\`, concurrency 10, n8n's default), n8n's default queue settings; a
TLS-terminating balancer in the bench's process sends each request to the next webhook processor in turn (round robin
per request, no stickiness), and \`WEBHOOK_URL\` is the balancer on every process. Alerts, Graph's callbacks and
Graph's prompt downloads all go through it. **Throttled:** in the regular n8n after its main run, ${opts.throttlePages} pages;
every \`GET /communications/calls/{id}\` (the node's binding check) answered 429 + \`Retry-After: 5\` until each call's
first one had been (the simulator's \`faults.throttleOnly\`); the simulator, as Graph, sends a callback answered 503 with
Retry-After again after that many seconds, up to 3 times (\`deliveryRetries\`, its default).

**Columns.** _alerts 200_: alert POSTs answered 200; _waiting_: executions n8n listed as waiting at once, before anyone
answered; _decided_: pages whose decision reached the capture server; _once_: executions with exactly one decision
posted; _status_, _page runs_, _outcome_: from n8n's stored executions (REST in regular mode, PostgreSQL in queue
mode): the execution's status, the length of the page node's run data, and its output's \`outcome\`/\`data.approved\`;
_GETs per call_: Graph \`GET /communications/calls/{id}\` the simulator answered (429s not counted), per call, as
"N× value"; _callbacks_: every POST of a call notification to n8n's waiting URL and its retries (the duplicates of "1"
not included) sent once every page of the run was waiting, timed by the simulator from sending to the end of n8n's
answer (those sent earlier, the calls' "establishing" while n8n was still starting executions, are in the next
table); _to waiting_: from the first alert
until every execution was waiting; _decided in_: from the first answer to the last decision posted; _load_: 1-minute
load average at the start, at all waiting, at all decided.

${table(['run', 'pages', 'alerts 200', 'waiting', 'decided', 'once', 'status', 'page runs', 'outcome', 'GETs per call', 'callbacks', 'p50', 'p95', 'p99', 'max', 'to waiting', 'decided in', 'load'], decidedRows)}

Callbacks by notification (every attempt, its answer from n8n and its time):

${table(['run: notification', 'attempts', "n8n's answers", 'p50', 'p95', 'p99', 'max'], kindRows)}

Memory of each n8n process (RSS / V8 heap used, each after a full GC: \`--expose-gc\` and a preload that collects on
SIGUSR2): before the alerts, with every page waiting, after all were decided; _per page_ = (waiting − before) / pages.

${table(['run: process', 'before', 'all waiting', 'after', 'per page (RSS / heap)'], memoryRows)}

Duplicates of "1":

${dupLines.join('\n') || '- none sent'}

${doublesText(rep.runs)}Throttled binding GET:

${throttleLines.join('\n') || '- not run'}
${rep.runs.some((r) => r.notDecided.length) ? `\nNot decided: ${rep.runs.map((r) => `${runLabel(r)}: ${r.notDecided.length}`).join('; ')}\n` : ''}
### Targets

${targets.join('\n')}

What the misses mean and their likely causes: [docs/running-at-scale.md](../docs/running-at-scale.md#measured-npm-run-benchpage-scale).
`;
}

// ---------------------------------------------------------------------------------------------

async function main(): Promise<void> {
	const workDir = mkdtempSync(join(tmpdir(), 'bench-page-scale-'));
	const loads = [load1()];
	let sim: GraphSimulator | undefined;
	let capture: Awaited<ReturnType<typeof startCapture>> | undefined;
	const runs: RunResult[] = [];
	try {
		log(
			`${opts.pages} pages, ${opts.throttlePages} throttled, ${opts.dups} duplicates, lines ${opts.lines.join(', ')}, modes ${opts.modes.join(', ')}`,
		);
		const commit = execFileSync('git', ['rev-parse', '--short=10', 'HEAD'], {
			cwd: repoRoot,
			encoding: 'utf8',
		}).trim();
		const tarball = await packRepo({ build: true });
		log(`packed ${tarball}`);
		const ca = writeFreshCa(join(workDir, 'ca'));
		sim = await startGraphSimulator({ ca: ca.ca });
		sim.callbacks.knobs.manualPhones = true;
		sim.callbacks.knobs.noAnswerTimeoutMs = 30 * 60_000;
		sim.phones.knobs.maxLegs = 100_000;
		sim.media.knobs.promptPlayMs = 5_000;
		capture = await startCapture();
		const preload = writePreload(workDir);
		for (const line of opts.lines) {
			const inst = await ensureN8n(line);
			const flatted = createRequire(join(inst.dir, 'node_modules', 'n8n', 'package.json'))(
				'flatted',
			) as Flatted;
			const common: Common = {
				inst,
				flatted,
				tarball,
				sim,
				ca,
				captureUrl: capture.url,
				preload,
				workDir,
			};
			for (const mode of opts.modes) {
				log(`n8n ${inst.version}, ${mode} mode: setting up`);
				const setup = mode === 'regular' ? await regularMode(common) : await queueMode(common);
				try {
					log(`n8n ${inst.version}, ${mode} mode: ready at ${setup.env.url}`);
					const run = await runPages(setup.env, sim, capture, ca.ca.certPem, {
						label: mode,
						pages: opts.pages,
						dups: opts.dups,
						spreadMs: opts.spreadMs,
						throttle: false,
					});
					runs.push(run);
					log(
						`${mode}: ${run.decided}/${opts.pages} decided, ${run.executionsOnce} once, GETs per call ${run.getsPerCall}, callbacks p99 ${fmt(
							pct(
								run.attempts.map((a) => a.ms),
								99,
							),
						)}`,
					);
					if (mode === 'regular' && opts.throttlePages > 0) {
						const t = await runPages(setup.env, sim, capture, ca.ca.certPem, {
							label: 'regular, throttled binding GET',
							pages: opts.throttlePages,
							dups: 0,
							spreadMs: 0,
							throttle: true,
						});
						runs.push(t);
						log(`throttled: ${t.decided}/${opts.throttlePages} decided`);
					}
				} finally {
					await setup.stop();
				}
				loads.push(load1());
			}
		}
		const md = markdown({ runs, commit, totalMs: Date.now() - started, loads });
		console.log(`\n${md}`);
		if (opts.write) {
			writeResultsSection('page-scale', md);
			log(`wrote ${RESULTS_FILE}`);
		}
		log(`done in ${secs(Date.now() - started)}`);
	} finally {
		capture?.close();
		await sim?.close();
		if (process.env.BENCH_KEEP === undefined && existsSync(workDir))
			rmSync(workDir, { recursive: true, force: true });
		else log(`kept ${workDir}`);
	}
}

main().then(
	() => process.exit(0),
	(error: unknown) => {
		console.error(error);
		process.exit(1);
	},
);
