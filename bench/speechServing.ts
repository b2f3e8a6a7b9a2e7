/**
 * `npm run bench:speech:serving`: typed prompts in real n8n 1.123.50 (the e2e harness's install in
 * .e2e/n8n-1), against the Graph simulator. Never part of npm test or CI (about 8 minutes).
 *
 * 1. Time from the node's start (n8n's run data `startTime`) to Graph's create-call request (the
 *    simulator's recorded POST /communications/calls, `at`), Call and Wait for Keypress, default
 *    options, typed prompt (offline voice, default voice) against a URL prompt of the same audio:
 *    - cold: one `n8n execute --id` per run, so every typed run is the first render of a fresh
 *      process (Flite's WebAssembly compiled, its worker started);
 *    - warm: one `n8n start` (https), runs started through n8n's REST API as the editor does,
 *      typed text already rendered (cache) and new text every run (an expression with the
 *      execution's ID).
 * 2. The Microsoft Graph Calls Trigger's GET (a valid signed speech link) under concurrent
 *    requests: one text (one render expected: the cache shares a render in flight), the same once
 *    cached, and a different text per request (a render each); and the keypress node's waiting
 *    webhook GET (its prompt link) the same way.
 *
 * n8n runs with a preload (--require, written below) that counts the offline engine's renders and
 * the speech cache's lookups, samples the process's RSS every 20 ms and its event-loop delay, and
 * writes them to a file: what n8n's own process did, not what this client saw.
 *
 * Usage: npm run bench:speech:serving [-- --runs N] [-- --gets N] [-- --no-write]
 *   --runs N    runs per case of (1), default 20
 *   --gets N    concurrent GETs per case of (2), default 200
 *   --no-write  print only; by default the section of bench/RESULTS.md is replaced
 */
import { createRequire } from 'node:module';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { Agent, request as httpsGet } from 'node:https';
import { cpus, loadavg, release, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';

import { readEntraAppSettings } from '../lib/entra/settings';
import { linkToken } from '../lib/entra/linkTokens';
import { speechLink } from '../lib/speech/promptLinks';
import { closeSharedSpeechEngine, renderSpeech } from '../lib/speech/renderSpeech';
import { promptLinkUrl } from '../nodes/MicrosoftGraphCalls/features/keypress/waitingUrls';
import { ensureN8n, type N8nInstall } from '../test/e2e/harness/install';
import {
	executeWorkflow,
	freePort,
	importCredentials,
	importWorkflows,
	makeCtx,
	n8nCli,
	untilWebhookRegistered,
	type N8nCtx,
	type WorkflowImport,
	type WorkflowNode,
} from '../test/e2e/harness/n8n';
import { installPackageInto, packRepo } from '../test/e2e/harness/package';
import { repoRoot } from '../test/e2e/harness/paths';
import {
	httpsRequest,
	Rest,
	startHttpsServer,
	writeTlsFiles,
	type HttpsN8nServer,
} from '../test/e2e/harness/https';
import {
	issueServerCertificate,
	startGraphSimulator,
	writeFreshCa,
	type GraphSimulator,
	type RecordedRequest,
} from '../test/e2e/simulator';
import { CREDENTIAL_TYPE, secretCredentialData } from '../test/e2e/world';
import { RESULTS_FILE, writeResultsSection } from './results';

// ---------------------------------------------------------------------------------------------
// Options

interface Options {
	runs: number;
	gets: number;
	write: boolean;
}

function parseArgs(argv: string[]): Options {
	const o: Options = { runs: 20, gets: 200, write: true };
	for (let i = 0; i < argv.length; i++) {
		const a = argv[i];
		const value = (): number => {
			const v = Number(argv[++i]);
			if (!(v >= 1)) throw new Error(`${a} needs a number of at least 1`);
			return Math.floor(v);
		};
		if (a === '--runs') o.runs = value();
		else if (a === '--gets') o.gets = value();
		else if (a === '--no-write') o.write = false;
		else throw new Error(`Unknown argument ${a} (see the comment at the top of this file)`);
	}
	return o;
}

const opts = parseArgs(process.argv.slice(2));
const started = Date.now();
const secs = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;
const log = (text: string): void =>
	console.log(`[bench:speech:serving ${secs(Date.now() - started)}] ${text}`);

/** A page's prompt, 120-odd characters: what the examples say when someone is paged. */
const ALERT =
	'Production alert: checkout is failing for all customers since 14:02. Press 1 to acknowledge, or hang up to pass it on.';
const ENGINEER = '278405a3-f568-4b3e-b684-009193463064';
const NODE_TYPE = 'n8n-nodes-microsoft-graph-calls.microsoftGraphCalls';
const TRIGGER_TYPE = 'n8n-nodes-microsoft-graph-calls.microsoftGraphCallsTrigger';
const CREDENTIAL = { id: 'benchSpeechGraph', name: 'Graph simulator (typed prompts bench)' };
const PAGE_NODE = 'Page';
const PAGE_NODE_ID = 'b5000000-0000-4000-8000-000000000002';
const TRIGGER_WEBHOOK_ID = 'b5000000-0000-4000-8000-0000000000a1';
/** A GET that takes longer than this is counted as failed (a render queue of 200 is long). */
const GET_TIMEOUT_MS = 300_000;

// ---------------------------------------------------------------------------------------------
// Statistics

const sorted = (values: number[]): number[] => [...values].sort((a, b) => a - b);
/** Nearest-rank percentile. */
function pct(values: number[], p: number): number {
	const s = sorted(values);
	if (s.length === 0) return NaN;
	return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))] ?? NaN;
}
const median = (values: number[]): number => pct(values, 50);
const fmt = (ms: number): string =>
	Number.isNaN(ms) ? '—' : ms >= 10_000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms)} ms`;
const mb = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(0)} MB`;

function table(head: string[], rows: (string | number)[][]): string {
	const cells = [head, ...rows.map((row) => row.map(String))];
	const widths = head.map((_, c) => Math.max(...cells.map((row) => (row[c] ?? '').length)));
	// The first column is words (left-aligned), the others figures (right-aligned).
	const line = (row: string[]): string =>
		`| ${row.map((cell, c) => (c === 0 ? cell.padEnd(widths[c] ?? 0) : cell.padStart(widths[c] ?? 0))).join(' | ')} |`;
	const rule = `| ${widths.map((w, c) => (c === 0 ? '-'.repeat(w) : `${'-'.repeat(Math.max(3, w) - 1)}:`)).join(' | ')} |`;
	return [line(head), rule, ...cells.slice(1).map(line)].join('\n');
}

// ---------------------------------------------------------------------------------------------
// What n8n's process reports (the preload)

interface ProcessStats {
	pid: number;
	/** Offline engine renders started / running / most at once / their summed time. */
	renders: number;
	rendering: number;
	maxRendering: number;
	renderMs: number;
	/** Speech cache lookups: kept entry, joined a render in flight, made. */
	lookups: number;
	kept: number;
	joined: number;
	cacheEntries: number;
	/** RSS at the last reset (SIGUSR2), after a full GC of the main thread. */
	startRss: number;
	/** Since the last reset: RSS sampled every 20 ms, event-loop delay. */
	peakRss: number;
	loopMaxMs: number;
	loopP99Ms: number;
	/** getrusage ru_maxrss: the process's peak since it started. */
	maxRss: number;
	rss: number;
}

/**
 * The preload, plain CommonJS so n8n's own node runs it. It patches the installed package's
 * OfflineEngine and SpeechCache prototypes before n8n loads them (the same files: n8n requires
 * them by the same paths, so one module instance), and changes nothing they do.
 */
function writePreload(workDir: string): string {
	const file = join(workDir, 'speech-stats.cjs');
	writeFileSync(
		file,
		`'use strict';
const fs = require('fs');
const path = require('path');
const { monitorEventLoopDelay } = require('perf_hooks');
const dist = process.env.BENCH_SPEECH_DIST;
const out = process.env.BENCH_SPEECH_STATS;
// Worker threads inherit --require: only the main thread counts and writes.
if (require('worker_threads').isMainThread && dist && out && fs.existsSync(path.join(dist, 'lib/speech/speechCache.js'))) {
	const s = { pid: process.pid, renders: 0, rendering: 0, maxRendering: 0, renderMs: 0, lookups: 0, kept: 0, joined: 0, cacheEntries: 0, startRss: 0, peakRss: 0, loopMaxMs: 0, loopP99Ms: 0, maxRss: 0, rss: 0 };
	const { OfflineEngine } = require(path.join(dist, 'lib/speech/offline/offlineEngine.js'));
	const render = OfflineEngine.prototype.render;
	OfflineEngine.prototype.render = async function (...args) {
		s.renders++;
		s.maxRendering = Math.max(s.maxRendering, ++s.rendering);
		const t = performance.now();
		try { return await render.apply(this, args); } finally { s.rendering--; s.renderMs += performance.now() - t; }
	};
	const { SpeechCache } = require(path.join(dist, 'lib/speech/speechCache.js'));
	const getOrMake = SpeechCache.prototype.getOrMake;
	SpeechCache.prototype.getOrMake = function (key, make) {
		s.lookups++;
		if (this.entries.has(key)) s.kept++;
		else if (this.pending.has(key)) s.joined++;
		const result = getOrMake.call(this, key, make);
		result.then(() => { s.cacheEntries = this.size; }, () => {});
		return result;
	};
	const loop = monitorEventLoopDelay({ resolution: 10 });
	loop.enable();
	const write = () => {
		s.rss = process.memoryUsage.rss();
		s.peakRss = Math.max(s.peakRss, s.rss);
		s.loopMaxMs = loop.max / 1e6;
		s.loopP99Ms = loop.percentile(99) / 1e6;
		s.maxRss = process.resourceUsage().maxRSS * 1024;
		try { fs.writeFileSync(out + '.tmp', JSON.stringify(s)); fs.renameSync(out + '.tmp', out); } catch {}
	};
	setInterval(() => { s.peakRss = Math.max(s.peakRss, process.memoryUsage.rss()); }, 20).unref();
	setInterval(write, 100).unref();
	// A burst starts from a collected heap (--expose-gc), so its peak is what the burst added.
	process.on('SIGUSR2', () => {
		if (typeof global.gc === 'function') global.gc();
		s.startRss = s.peakRss = process.memoryUsage.rss();
		loop.reset();
		write();
	});
	process.on('exit', write);
	write();
}
`,
	);
	return file;
}

function readStats(file: string): ProcessStats {
	return JSON.parse(readFileSync(file, 'utf8')) as ProcessStats;
}

const pause = async (ms: number): Promise<void> =>
	await new Promise((resolve) => setTimeout(resolve, ms));

/** Peaks start again from now: the preload resets on SIGUSR2 and writes at once. */
async function resetPeaks(file: string): Promise<void> {
	process.kill(readStats(file).pid, 'SIGUSR2');
	await pause(300);
}

/** The counters after the preload's next write (every 100 ms). */
async function settledStats(file: string): Promise<ProcessStats> {
	await pause(250);
	return readStats(file);
}

// ---------------------------------------------------------------------------------------------
// Workflows

type PageCase = 'text' | 'newText' | 'url';

function pageWorkflow(kind: PageCase, promptUrl: string): WorkflowImport {
	const prompt: Record<string, unknown> =
		kind === 'url'
			? { promptSource: 'url', promptUrl }
			: // Prompt From › Text is version 3's default: n8n stores no value equal to the default.
				{ promptText: kind === 'text' ? ALERT : `=Page {{ $execution.id }}. ${ALERT}` };
	const page: WorkflowNode = {
		id: PAGE_NODE_ID,
		name: PAGE_NODE,
		type: NODE_TYPE,
		typeVersion: 3,
		position: [220, 0],
		parameters: {
			resource: 'call',
			operation: 'callAndWaitForKeypress',
			userId: ENGINEER,
			...prompt,
			additionalFields: {},
			options: {},
		},
		credentials: { [CREDENTIAL_TYPE]: CREDENTIAL },
	};
	return {
		id: `benchSpeech${kind === 'text' ? 'Text' : kind === 'newText' ? 'New' : 'Url'}`,
		name: `bench:speech:serving page, ${kind} prompt`,
		nodes: [
			{
				id: 'b5000000-0000-4000-8000-000000000001',
				name: 'Start',
				type: 'n8n-nodes-base.manualTrigger',
				typeVersion: 1,
				position: [0, 0],
				parameters: {},
			},
			page,
		],
		connections: { Start: { main: [[{ node: PAGE_NODE, type: 'main', index: 0 }]] } },
		settings: { executionOrder: 'v1' },
	};
}

function triggerWorkflow(): WorkflowImport {
	return {
		id: 'benchSpeechTrig',
		name: 'bench:speech:serving trigger',
		active: true,
		settings: { executionOrder: 'v1' },
		nodes: [
			{
				id: 'b5000000-0000-4000-8000-000000000003',
				name: 'Microsoft Graph Calls Trigger',
				type: TRIGGER_TYPE,
				typeVersion: 2,
				position: [0, 0],
				webhookId: TRIGGER_WEBHOOK_ID,
				parameters: {},
				credentials: { [CREDENTIAL_TYPE]: CREDENTIAL },
			},
		],
		connections: {},
	};
}

// ---------------------------------------------------------------------------------------------
// (1) Time to the create-call request

interface PageRun {
	kind: PageCase;
	phase: 'cold' | 'warm';
	/** The node's start (run data) to the simulator receiving POST /communications/calls. */
	toCreateMs: number;
	/** Time the offline engine spent rendering in n8n's process during the run. */
	renderMs: number;
	renders: number;
	/** Cold: wall time of the whole `n8n execute`; warm: REST request to the create. */
	wallMs: number;
	peakRss?: number;
}

interface RunData {
	startTime?: number;
	executionTime?: number;
	error?: { message?: string };
}

const isCreate = (r: RecordedRequest): boolean =>
	r.method === 'POST' && r.path === '/v1.0/communications/calls';
/** Creates since request number `from` whose callback is this execution's waiting URL. */
const createsFor = (sim: GraphSimulator, executionId: string, from: number): RecordedRequest[] =>
	sim
		.graphRequests()
		.slice(from)
		.filter((r) => isCreate(r) && r.body.includes(`/webhook-waiting/${executionId}/`));

function pageRunData(data: unknown): RunData | undefined {
	const runData = (data as { resultData?: { runData?: Record<string, RunData[]> } })?.resultData
		?.runData;
	return runData?.[PAGE_NODE]?.[0];
}

async function coldRun(
	ctx: N8nCtx,
	sim: GraphSimulator,
	kind: PageCase,
	statsFile: string,
): Promise<PageRun> {
	// `n8n execute` prints no execution ID: runs are one at a time, so the create is the one after `from`.
	const from = sim.graphRequests().length;
	const t0 = Date.now();
	const result = await executeWorkflow(ctx, pageWorkflow(kind, '').id, 120_000);
	const wallMs = Date.now() - t0;
	const json = result.json as { data?: unknown; status?: string } | undefined;
	const node = pageRunData(json?.data);
	const [create] = sim.graphRequests().slice(from).filter(isCreate);
	if (!node?.startTime || !create)
		throw new Error(
			`cold ${kind}: no run data or no create call (status ${json?.status}, exit ${result.exitCode}): ${result.stdout.slice(-600)}${result.stderr.slice(-600)}`,
		);
	const stats = readStats(statsFile);
	return {
		kind,
		phase: 'cold',
		toCreateMs: create.at - node.startTime,
		renderMs: stats.renderMs,
		renders: stats.renders,
		wallMs,
		peakRss: stats.maxRss,
	};
}

interface Flatted {
	parse(text: string): unknown;
}

async function until<T>(what: string, probe: () => Promise<T | undefined> | T | undefined) {
	const deadline = Date.now() + 60_000;
	for (;;) {
		const value = await probe();
		if (value !== undefined) return value;
		if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
		await pause(25);
	}
}

class WarmRunner {
	private readonly workflows = new Map<string, unknown>();

	constructor(
		private readonly rest: Rest,
		private readonly sim: GraphSimulator,
		private readonly flatted: Flatted,
		private readonly statsFile: string,
	) {}

	/** Starts the workflow as the editor's "Execute workflow" does; resolves with its create call. */
	async start(
		kind: PageCase,
	): Promise<{ executionId: string; create: RecordedRequest; t0: number }> {
		const id = pageWorkflow(kind, '').id;
		let workflowData = this.workflows.get(id);
		if (workflowData === undefined) {
			const got = await this.rest.get<{ data: unknown }>(`/rest/workflows/${id}`);
			workflowData = got.body.data;
			this.workflows.set(id, workflowData);
		}
		const from = this.sim.graphRequests().length;
		const t0 = Date.now();
		const answer = await this.rest.post<{ data?: { executionId?: string } }>(
			`/rest/workflows/${id}/run`,
			{ workflowData, triggerToStartFrom: { name: 'Start' } },
		);
		const executionId = answer.body.data?.executionId;
		if (answer.status !== 200 || executionId === undefined)
			throw new Error(`run ${id}: ${answer.status} ${JSON.stringify(answer.body).slice(0, 400)}`);
		const create = await until(
			`the create call of execution ${executionId}`,
			() => createsFor(this.sim, executionId, from)[0],
		);
		return { executionId, create, t0 };
	}

	/** The node's run data once the execution waits (n8n stores it then). */
	async waitingNode(executionId: string): Promise<RunData> {
		return await until(`execution ${executionId} waiting`, async () => {
			const got = await this.rest.get<{ data?: { status?: string; data?: string } }>(
				`/rest/executions/${executionId}`,
			);
			const execution = got.body.data;
			if (execution?.status === 'error' || execution?.status === 'crashed')
				throw new Error(`execution ${executionId}: ${execution.status}`);
			if (execution?.status !== 'waiting' || typeof execution.data !== 'string') return undefined;
			return pageRunData(this.flatted.parse(execution.data));
		});
	}

	async stop(executionId: string): Promise<void> {
		await this.rest.post(`/rest/executions/${executionId}/stop`, {});
	}

	async run(kind: PageCase): Promise<PageRun> {
		const before = readStats(this.statsFile);
		const { executionId, create, t0 } = await this.start(kind);
		const node = await this.waitingNode(executionId);
		await this.stop(executionId);
		const after = await settledStats(this.statsFile);
		if (!node.startTime) throw new Error(`execution ${executionId}: no start time`);
		return {
			kind,
			phase: 'warm',
			toCreateMs: create.at - node.startTime,
			renderMs: after.renderMs - before.renderMs,
			renders: after.renders - before.renders,
			wallMs: create.at - t0,
		};
	}
}

// ---------------------------------------------------------------------------------------------
// (2) Concurrent GETs

interface GetResult {
	status: number;
	/** Issue to last byte. */
	ms: number;
	validWav: boolean;
	bytes: number;
	error?: string;
}

/** A RIFF/WAVE file whose RIFF size matches its length, 16-bit mono PCM at 16 kHz. */
function isGraphWav(body: Buffer): boolean {
	return (
		body.length > 44 &&
		body.toString('latin1', 0, 4) === 'RIFF' &&
		body.toString('latin1', 8, 12) === 'WAVE' &&
		body.readUInt32LE(4) + 8 === body.length &&
		body.readUInt16LE(20) === 1 &&
		body.readUInt16LE(22) === 1 &&
		body.readUInt32LE(24) === 16_000 &&
		body.readUInt16LE(34) === 16
	);
}

function getOnce(url: string, ca: string, agent: Agent): Promise<GetResult> {
	const t0 = performance.now();
	return new Promise((resolve) => {
		const done = (r: Omit<GetResult, 'ms'>): void => resolve({ ...r, ms: performance.now() - t0 });
		const req = httpsGet(url, { ca, agent, timeout: GET_TIMEOUT_MS }, (res) => {
			const chunks: Buffer[] = [];
			res.on('data', (c: Buffer) => chunks.push(c));
			res.on('error', (e) =>
				done({ status: res.statusCode ?? 0, validWav: false, bytes: 0, error: e.message }),
			);
			res.on('end', () => {
				const body = Buffer.concat(chunks);
				done({ status: res.statusCode ?? 0, validWav: isGraphWav(body), bytes: body.length });
			});
		});
		req.on('timeout', () => req.destroy(new Error('timed out')));
		req.on('error', (e) => done({ status: 0, validWav: false, bytes: 0, error: e.message }));
		req.end();
	});
}

interface Burst {
	label: string;
	/** false: a baseline whose answer is not a WAV (n8n's /healthz). */
	wav: boolean;
	gets: number;
	ok: number;
	validWav: number;
	statuses: string;
	errors: string[];
	medianMs: number;
	p95Ms: number;
	p99Ms: number;
	maxMs: number;
	wallMs: number;
	renders: number;
	kept: number;
	joined: number;
	startRss: number;
	peakRss: number;
	loopMaxMs: number;
	loopP99Ms: number;
	bytes: number;
}

async function burst(
	label: string,
	urls: string[],
	ca: string,
	statsFile: string,
	wav = true,
): Promise<Burst> {
	await resetPeaks(statsFile);
	const before = readStats(statsFile);
	// A connection per request (no keep-alive), as that many independent downloads would open.
	const agent = new Agent({ keepAlive: false, maxSockets: Infinity });
	const t0 = performance.now();
	const results = await Promise.all(urls.map(async (url) => await getOnce(url, ca, agent)));
	const wallMs = performance.now() - t0;
	agent.destroy();
	const after = await settledStats(statsFile);
	const times = results.map((r) => r.ms);
	const statuses = new Map<string, number>();
	for (const r of results) {
		const key = String(r.status || 'no answer');
		statuses.set(key, (statuses.get(key) ?? 0) + 1);
	}
	const b: Burst = {
		label,
		wav,
		gets: urls.length,
		ok: results.filter((r) => r.status === 200).length,
		validWav: results.filter((r) => r.status === 200 && r.validWav).length,
		statuses: [...statuses].map(([s, n]) => `${n}× ${s}`).join(', '),
		errors: [...new Set(results.flatMap((r) => (r.error ? [r.error] : [])))],
		medianMs: median(times),
		p95Ms: pct(times, 95),
		p99Ms: pct(times, 99),
		maxMs: Math.max(...times),
		wallMs,
		renders: after.renders - before.renders,
		kept: after.kept - before.kept,
		joined: after.joined - before.joined,
		startRss: after.startRss,
		peakRss: after.peakRss,
		loopMaxMs: after.loopMaxMs,
		loopP99Ms: after.loopP99Ms,
		bytes: results.find((r) => r.validWav)?.bytes ?? 0,
	};
	log(
		`${label}: ${b.validWav}/${b.gets} valid WAVs (${b.statuses}), median ${fmt(b.medianMs)}, p95 ${fmt(b.p95Ms)}, max ${fmt(b.maxMs)}, wall ${fmt(b.wallMs)}, renders ${b.renders}, cache kept ${b.kept} joined ${b.joined}, peak RSS ${mb(b.peakRss)}, loop max ${b.loopMaxMs.toFixed(0)} ms${b.errors.length ? `, errors: ${b.errors.join('; ')}` : ''}`,
	);
	return b;
}

// ---------------------------------------------------------------------------------------------
// Report

function pageRows(runs: PageRun[]): { rows: (string | number)[][]; ratios: string[] } {
	const rows: (string | number)[][] = [];
	const groups: Array<[PageRun['phase'], PageCase, string]> = [
		['cold', 'url', 'cold: URL prompt'],
		['cold', 'text', 'cold: typed prompt (first render of the process)'],
		['warm', 'url', 'warm: URL prompt'],
		['warm', 'text', 'warm: typed prompt, text already rendered (cache)'],
		['warm', 'newText', 'warm: typed prompt, new text every run'],
	];
	const med = new Map<string, number>();
	const p95 = new Map<string, number>();
	for (const [phase, kind, label] of groups) {
		const group = runs.filter((r) => r.phase === phase && r.kind === kind);
		if (group.length === 0) continue;
		const times = group.map((r) => r.toCreateMs);
		med.set(`${phase}/${kind}`, median(times));
		p95.set(`${phase}/${kind}`, pct(times, 95));
		const renders = [...new Set(group.map((r) => r.renders))].sort().join(', ');
		rows.push([
			label,
			group.length,
			fmt(median(times)),
			fmt(pct(times, 95)),
			fmt(Math.min(...times)),
			fmt(Math.max(...times)),
			kind === 'url' ? '' : fmt(median(group.map((r) => r.renderMs))),
			renders,
			fmt(median(group.map((r) => r.wallMs))),
		]);
	}
	const ratio = (a: string, b: string, what: string): string => {
		const [ma, mb2, pa, pb] = [med.get(a), med.get(b), p95.get(a), p95.get(b)];
		if (!ma || !mb2 || !pa || !pb) return `- ${what}: not measured`;
		return `- ${what}: median ${(ma / mb2).toFixed(2)} (${fmt(ma)} / ${fmt(mb2)}, +${fmt(ma - mb2)}), p95 ${(pa / pb).toFixed(2)}`;
	};
	return {
		rows,
		ratios: [
			ratio('cold/text', 'cold/url', 'cold, typed / URL'),
			ratio('warm/text', 'warm/url', 'warm, typed (cached text) / URL'),
			ratio('warm/newText', 'warm/url', 'warm, typed (new text) / URL'),
		],
	};
}

function burstRows(bursts: Burst[]): (string | number)[][] {
	return bursts.map((b) => [
		b.label,
		b.wav ? `${b.validWav}/${b.gets}` : `(${b.ok}/${b.gets} answered 200)`,
		fmt(b.medianMs),
		fmt(b.p95Ms),
		fmt(b.p99Ms),
		fmt(b.maxMs),
		fmt(b.wallMs),
		b.renders,
		`${b.kept} / ${b.joined}`,
		`${mb(b.startRss)} → ${mb(b.peakRss)}`,
		`${b.loopMaxMs.toFixed(0)} ms`,
	]);
}

interface Report {
	inst: N8nInstall;
	commit: string;
	runs: PageRun[];
	bursts: Burst[];
	baselineRss: number;
	coldBaseline: { wallMs: number; maxRss: number };
	renderedMs: number;
	wavBytes: number;
	totalMs: number;
	loads: number[];
}

function markdown(r: Report): string {
	const cpu = cpus();
	const { rows, ratios } = pageRows(r.runs);
	const date = new Date().toISOString().slice(0, 16).replace('T', ' ');
	const coldRss = r.runs.filter((x) => x.phase === 'cold' && x.peakRss !== undefined);
	const rssOf = (kind: PageCase): string =>
		mb(median(coldRss.filter((x) => x.kind === kind).map((x) => x.peakRss ?? 0)));
	const failed = r.bursts.filter(
		(b) => b.errors.length > 0 || (b.wav ? b.validWav : b.ok) < b.gets,
	);
	return `### In real n8n: the time to the call, and serving the prompt

Measured with \`npm run bench:speech:serving\` on ${date} UTC, whole run ${secs(r.totalMs)} (n8n already
installed in \`.e2e/\`). **Machine:** ${cpu.length} x ${cpu[0]?.model.trim() ?? 'CPU'}, ${(totalmem() / 1024 ** 3).toFixed(1)} GiB RAM, Linux ${release()};
load average (1 min) ${r.loads.map((l) => l.toFixed(1)).join(' → ')} over the run (${cpu.length} cores: above ${cpu.length}, other work competed for the CPU).
**Versions:** n8n ${r.inst.version} (Node.js ${process.version}, SQLite, \`N8N_RUNNERS_ENABLED=false\`), this package
packed from the working tree at ${r.commit} and installed as the README says into the user folder.

**Setup.** The Graph simulator runs in this bench's process (HTTPS on 127.0.0.1; n8n trusts its CA
through \`NODE_EXTRA_CA_CERTS\`, and serves https itself with a certificate of that CA, as Call and
Wait for Keypress needs). The workflow is Manual Trigger → Microsoft Graph Calls v3, Call › Call
and Wait for Keypress, a Teams user, **default options**; the prompt is either typed (Prompt From ›
Text, the version's default: offline voice, default voice slt; the text is ${ALERT.length} characters, "${ALERT}"), or
Prompt From › URL of a WAV the simulator hosts, the same words rendered beforehand (${(r.wavBytes / 1024).toFixed(0)} KB,
${(r.renderedMs / 1000).toFixed(1)} s of audio). With default options the URL is downloaded and checked
(Check Prompt Format) before the call, so the URL case is not free either. The simulator never
answers the call (so no notification resumes anything), and each warm execution is stopped once measured.
n8n runs with a preload (\`--require\`) that counts the offline engine's renders and the speech cache's
lookups, samples the process's RSS every 20 ms and records its event-loop delay.

#### Time from the node's start to Graph's create-call request

From the node's \`startTime\` in n8n's run data to the moment the simulator received POST
/communications/calls (both clocks are this machine's). **Cold**: each run is one \`n8n execute --id\`
(a fresh process: the typed prompt is the process's first render, Flite's WebAssembly is compiled and
its worker thread started); typed and URL runs alternate, after one untimed run that stored the
credential's token. **Warm**: one \`n8n start\`, each run started through n8n's REST API as the
editor's Execute Workflow does (\`POST /rest/workflows/:id/run\`), cases interleaved run by run, after
one untimed run of each; *new text* puts the execution's ID in the text (an expression), so every run
renders. *render* is the offline engine's time inside n8n's process during the run (preload);
*renders* the engine's renders in the run; *wall* is the whole \`n8n execute\` (cold) or the REST request to the create call (warm).
Peak RSS of a cold \`n8n execute\` (getrusage): URL ${rssOf('url')}, typed ${rssOf('text')}; the same execute of Manual
Trigger alone: ${mb(r.coldBaseline.maxRss)} (${fmt(r.coldBaseline.wallMs)}).

${table(['case', 'runs', 'median', 'p95', 'min', 'max', 'render (median)', 'renders', 'wall (median)'], rows)}

Typed over URL (time to the create call):

${ratios.join('\n')}

#### Serving the prompt under ${r.bursts[0]?.gets ?? 0} concurrent GETs

All GETs issued at once from this bench's process, one TLS connection each (no keep-alive), to n8n
over https; *time* is from issuing a GET to its last byte. A GET counts as valid when it answered 200
with a RIFF/WAVE body whose RIFF size matches its length, 16-bit mono PCM at 16 kHz. *renders*: the
offline engine's renders in n8n's process during the burst; *cache kept / joined*: lookups answered by
a stored WAV / by a render already under way. *RSS before → peak*: n8n's process, after a full GC of
its main thread (n8n runs with \`--expose-gc\`) just before the burst, and its peak sampled every 20 ms
during the burst (before the GC, ahead of the first burst: ${mb(r.baselineRss)}); *loop max*: the longest event-loop delay n8n's
process saw during the burst. The client shares the ${cpu.length} cores with n8n (a TLS handshake per GET on each side).

- **/healthz**: n8n's health endpoint, the floor of a GET over a new TLS connection in this n8n.
- **trigger**: the Microsoft Graph Calls Trigger's Production URL (an active workflow holding only the
  trigger, version 2, defaults; one untimed GET of another text before the bursts), GET with a speech link signed as Play Prompt signs it
  (lib/speech/promptLinks.ts, the credential's link key), offline voice; *one text* is a text this
  process had not rendered, *cached* the same again, *different texts* a distinct text per GET (its
  number in front of the same words, so a render each: the worst case).
- **waiting webhook**: Call and Wait for Keypress's prompt link on a waiting execution's URL
  (\`/webhook-waiting/<execution>/<node>?prompt=…\`), typed prompt already rendered by the node's execute.

${table(['case', 'valid WAV', 'median', 'p95', 'p99', 'max', 'wall', 'renders', 'cache kept / joined', 'RSS before → peak', 'loop max'], burstRows(r.bursts))}
${failed.length ? `\nFailures: ${failed.map((b) => `${b.label}: ${b.statuses}${b.errors.length ? ` (${b.errors.join('; ')})` : ''}`).join('; ')}\n` : ''}`;
}

// ---------------------------------------------------------------------------------------------

async function main(): Promise<void> {
	const workDir = mkdtempSync(join(tmpdir(), 'bench-speech-serving-'));
	const loads = [loadavg()[0] ?? 0];
	let sim: GraphSimulator | undefined;
	let server: HttpsN8nServer | undefined;
	try {
		log(`${opts.runs} runs per case, ${opts.gets} concurrent GETs per burst`);
		const inst = await ensureN8n('1');
		const flatted = createRequire(join(inst.dir, 'node_modules', 'n8n', 'package.json'))(
			'flatted',
		) as Flatted;
		const commit = execFileSync('git', ['rev-parse', '--short=10', 'HEAD'], {
			cwd: repoRoot,
			encoding: 'utf8',
		}).trim();
		const tarball = await packRepo({ build: true });
		log(`packed ${tarball}`);

		const ca = writeFreshCa(join(workDir, 'ca'));
		sim = await startGraphSimulator({ ca: ca.ca });
		// Nobody answers: no notification resumes an execution while others are measured.
		sim.callbacks.knobs.neverAnswer = [`user:${ENGINEER}`];
		sim.callbacks.knobs.noAnswerTimeoutMs = 60 * 60_000;
		const spoken = await renderSpeech({ engine: 'offline', text: ALERT, cache: false });
		await closeSharedSpeechEngine();
		const promptUrl = sim.media.host('alert.wav', spoken.wav);
		const credentialData = {
			...secretCredentialData(sim),
			notificationOpenIdConfigurationUrl: sim.callbacks.openIdConfigurationUrl,
		};
		const settings = readEntraAppSettings(credentialData);
		const preload = writePreload(workDir);
		const port = await freePort();

		// Two user folders (two databases): executions the cold runs leave waiting must not be
		// resumed by the server's wait tracker in the middle of the warm runs.
		const setUp = async (name: string, workflows: WorkflowImport[]) => {
			const userFolder = join(workDir, name);
			const statsFile = join(workDir, `${name}-stats.json`);
			const ctx = makeCtx(inst, {
				userFolder,
				env: {
					NODE_EXTRA_CA_CERTS: ca.certPath,
					NODE_OPTIONS: `--expose-gc --require ${preload}`,
					BENCH_SPEECH_STATS: statsFile,
					BENCH_SPEECH_DIST: join(
						userFolder,
						'.n8n',
						'nodes',
						'node_modules',
						'n8n-nodes-microsoft-graph-calls',
						'dist',
					),
					// Call and Wait for Keypress needs an https waiting URL, in `n8n execute` too.
					WEBHOOK_URL: `https://127.0.0.1:${port}/`,
				},
			});
			await installPackageInto(userFolder, tarball);
			await importCredentials(ctx, [
				{ ...CREDENTIAL, type: CREDENTIAL_TYPE, data: credentialData },
			]);
			await importWorkflows(ctx, workflows);
			return { ctx, statsFile };
		};
		const pages = (['text', 'newText', 'url'] as const).map((k) => pageWorkflow(k, promptUrl));
		const baseline: WorkflowImport = {
			...pageWorkflow('url', promptUrl),
			id: 'benchSpeechNone',
			name: 'bench:speech:serving Manual Trigger alone',
			nodes: pageWorkflow('url', promptUrl).nodes.filter((n) => n.name !== PAGE_NODE),
			connections: {},
		};
		const cold = await setUp('cold', [...pages, baseline]);
		log('cold user folder ready');

		// (1) cold
		const runs: PageRun[] = [];
		const t0 = Date.now();
		const base = await executeWorkflow(cold.ctx, baseline.id, 120_000);
		const coldBaseline = { wallMs: Date.now() - t0, maxRss: readStats(cold.statsFile).maxRss };
		if (base.exitCode !== 0) throw new Error(`baseline execute: ${base.stderr.slice(-400)}`);
		await coldRun(cold.ctx, sim, 'url', cold.statsFile); // stores the credential's token
		for (let i = 0; i < opts.runs; i++) {
			for (const kind of i % 2 === 0 ? (['text', 'url'] as const) : (['url', 'text'] as const)) {
				const run = await coldRun(cold.ctx, sim, kind, cold.statsFile);
				runs.push(run);
				log(
					`cold ${kind} ${i + 1}: ${fmt(run.toCreateMs)} (render ${fmt(run.renderMs)}, execute ${fmt(run.wallMs)})`,
				);
			}
		}
		loads.push(loadavg()[0] ?? 0);

		// (1) warm, in one n8n start
		const warm = await setUp('server', [...pages, triggerWorkflow()]);
		// n8n 1.x imports every workflow inactive; activation is its own command.
		const activated = await n8nCli(warm.ctx, [
			'update:workflow',
			`--id=${triggerWorkflow().id}`,
			'--active=true',
		]);
		if (activated.code !== 0) throw new Error(`activating the trigger: ${activated.stderr}`);
		const tls = writeTlsFiles(join(workDir, 'tls'), issueServerCertificate(ca.ca));
		server = await startHttpsServer(warm.ctx, { ...tls, caPem: ca.ca.certPem }, port);
		const n8nUrl = server.url;
		log(`n8n at ${n8nUrl}`);
		const rest = new Rest(server.url, ca.ca.certPem);
		await rest.setupOwner();
		const runner = new WarmRunner(rest, sim, flatted, warm.statsFile);
		for (const kind of ['url', 'text', 'newText'] as const) await runner.run(kind);
		for (let i = 0; i < opts.runs; i++) {
			for (const kind of ['url', 'text', 'newText'] as const) {
				const run = await runner.run(kind);
				runs.push(run);
				log(`warm ${kind} ${i + 1}: ${fmt(run.toCreateMs)} (render ${fmt(run.renderMs)})`);
			}
		}
		loads.push(loadavg()[0] ?? 0);

		// (2) concurrent GETs
		const triggerUrl = `${server.url}/webhook/${TRIGGER_WEBHOOK_ID}/notifications`;
		await untilWebhookRegistered(triggerUrl, 60_000, async (url) => {
			return (await httpsRequest(url, ca.ca.certPem, { method: 'POST', body: '{}' })).status;
		});
		const link = (text: string): string =>
			speechLink(
				triggerUrl,
				{ engine: 'offline', text },
				(payload) => linkToken(settings, 'speech', [payload]),
				'Text',
			);
		const baselineRss = (await settledStats(warm.statsFile)).rss;
		const bursts: Burst[] = [];
		// The floor: n8n's own health endpoint, the same number of TLS connections, no workflow.
		bursts.push(
			await burst(
				"n8n's /healthz (baseline, no workflow)",
				Array.from({ length: opts.gets }, () => `${n8nUrl}/healthz`),
				ca.ca.certPem,
				warm.statsFile,
				false,
			),
		);
		// One GET first: n8n's first request on the trigger's route (its code paths compiled, the
		// workflow and credential read the first time) is not what a busy trigger pays.
		const warmUp = await getOnce(link(`Warm-up. ${ALERT}`), ca.ca.certPem, new Agent());
		if (!warmUp.validWav)
			throw new Error(`the trigger's GET: ${warmUp.status} ${warmUp.error ?? ''}`);
		const oneText = `Trigger prompt. ${ALERT}`;
		bursts.push(
			await burst(
				'trigger, one text (not rendered before)',
				Array.from({ length: opts.gets }, () => link(oneText)),
				ca.ca.certPem,
				warm.statsFile,
			),
		);
		bursts.push(
			await burst(
				'trigger, the same text again (cached)',
				Array.from({ length: opts.gets }, () => link(oneText)),
				ca.ca.certPem,
				warm.statsFile,
			),
		);
		bursts.push(
			await burst(
				'trigger, a different text per GET',
				Array.from({ length: opts.gets }, (_, i) =>
					link(`Alert ${i + 1} of ${opts.gets}. ${ALERT}`),
				),
				ca.ca.certPem,
				warm.statsFile,
			),
		);
		// The keypress node's own prompt link, on an execution that waits.
		const waiting = await runner.start('text');
		await runner.waitingNode(waiting.executionId);
		const callbackUri = String(
			(JSON.parse(waiting.create.body) as { callbackUri?: string }).callbackUri,
		);
		const resumeUrl = new URL(callbackUri);
		resumeUrl.search = '';
		resumeUrl.pathname = resumeUrl.pathname.replace(/\/[^/]+$/, '');
		const promptLink = promptLinkUrl(
			resumeUrl.toString(),
			PAGE_NODE_ID,
			linkToken(settings, 'prompt', [waiting.executionId, PAGE_NODE_ID]),
		);
		bursts.push(
			await burst(
				'waiting webhook, the typed prompt (cached)',
				Array.from({ length: opts.gets }, () => promptLink),
				ca.ca.certPem,
				warm.statsFile,
			),
		);
		await runner.stop(waiting.executionId);
		loads.push(loadavg()[0] ?? 0);
		// What n8n answered the simulator's call notifications (the call's "establishing", sent
		// while the execution may still be running): for the report's remarks, not its tables.
		const answers = new Map<string, number>();
		for (const d of sim.callbacks.deliveries) {
			const key = String(d.status ?? d.error ?? 'skipped');
			answers.set(key, (answers.get(key) ?? 0) + 1);
		}
		log(
			`n8n's answers to call notifications: ${[...answers].map(([k, n]) => `${n}× ${k}`).join(', ')}`,
		);

		const md = markdown({
			inst,
			commit,
			runs,
			bursts,
			baselineRss,
			coldBaseline,
			renderedMs: spoken.durationMs,
			wavBytes: spoken.wav.length,
			totalMs: Date.now() - started,
			loads,
		});
		console.log(`\n${md}`);
		if (opts.write) {
			writeResultsSection('speech-serving', md);
			log(`wrote ${RESULTS_FILE}`);
		}
		log(`done in ${secs(Date.now() - started)}`);
	} finally {
		await server?.stop();
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
