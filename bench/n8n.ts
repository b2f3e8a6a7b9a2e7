/**
 * `npm run bench:n8n`: the package's throughput and fault handling in real n8n 1.123.50, beside n8n's own HTTP
 * Request node. Never part of npm test or CI (about 10-15 minutes).
 *
 * - n8n: the e2e harness's install (<repo>/.e2e/n8n-1, installed on first use), a fresh user
 *   folder, this package installed there from its `npm pack` tarball.
 * - Graph: the simulator in its own process (simulator/cli.ts, loopback HTTPS, call
 *   notifications off), driven between runs through its control API (/_simulator/...).
 * - One workflow per client: Manual Trigger -> Code (N items, one Teams user each) ->
 *   (a) HTTP Request node + generic OAuth2 credential, client-credentials grant against the
 *       simulator's token endpoint (n8n's default "Send as Basic Auth Header");
 *   (b) this node, Call Participant > Invite, default options;
 *   (c) the same with Use JSON Batching on.
 * - Each run is one `n8n execute --id`; (a), (b), (c) alternate within a latency.
 *
 * Usage: npm run bench:n8n [-- --quick] [-- --ref <git ref> | --worktree | --tarball <file>]
 *   --quick     100 items, 50 ms latency only, 2 throttled default runs; prints, writes nothing
 *               unless --write is given too
 *   --ref       pack this commit (git archive; default HEAD): the tree other engineers edit is
 *               never built or packed by accident
 *   --worktree  pack the working tree instead (npm run build in the repo, as test:e2e does)
 *   --tarball   use an existing npm pack tarball
 *   --runs N    throttled runs of the defaults case (default 10)
 *   --budget-minutes N  start no new execution after N minutes (default 14); skipped runs are listed
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { cpus, loadavg, release, tmpdir, totalmem, platform, arch } from 'node:os';
import { join } from 'node:path';

import { ensureN8n } from '../test/e2e/harness/install';
import {
	executeWorkflow,
	importCredentials,
	importWorkflows,
	makeCtx,
	type N8nCtx,
	type WorkflowImport,
	type WorkflowNode,
} from '../test/e2e/harness/n8n';
import { installPackageInto, packFolder, packRepo } from '../test/e2e/harness/package';
import { killTree, runOk, spawnTracked } from '../test/e2e/harness/proc';
import { repoRoot } from '../test/e2e/harness/paths';
import { nodeItems, runError, runStatus, secretCredentialData } from '../test/e2e/world';
import { createCertificateAuthority, writeCaFiles } from '../simulator/certificates';
import {
	DEFAULT_CALL_ID,
	DEFAULT_CLIENT_ID,
	DEFAULT_CLIENT_SECRET,
	DEFAULT_TENANT_ID,
} from '../simulator/constants';
import type { ControlState } from '../simulator/control';
import { RESULTS_FILE, writeResultsSection } from './results';

// ---------------------------------------------------------------------------------------------
// Options

interface Options {
	quick: boolean;
	write: boolean;
	ref: string;
	worktree: boolean;
	tarball?: string;
	throttledRuns: number;
	budgetMinutes: number;
}

function parseArgs(argv: string[]): Options {
	const o: Options = {
		quick: false,
		write: true,
		ref: 'HEAD',
		worktree: false,
		throttledRuns: 10,
		budgetMinutes: 14,
	};
	let writeGiven = false;
	for (let i = 0; i < argv.length; i++) {
		const a = argv[i];
		const value = (): string => {
			const v = argv[++i];
			if (v === undefined) throw new Error(`${a} needs a value`);
			return v;
		};
		if (a === '--quick') o.quick = true;
		else if (a === '--write') writeGiven = true;
		else if (a === '--ref') o.ref = value();
		else if (a === '--worktree') o.worktree = true;
		else if (a === '--tarball') o.tarball = value();
		else if (a === '--runs') o.throttledRuns = Math.max(1, Number(value()) || 1);
		else if (a === '--budget-minutes') o.budgetMinutes = Math.max(1, Number(value()) || 14);
		else throw new Error(`Unknown argument ${a} (see the comment at the top of bench/n8n.ts)`);
	}
	if (o.quick) {
		o.write = writeGiven;
		if (!argv.includes('--runs')) o.throttledRuns = 2;
	}
	return o;
}

const opts = parseArgs(process.argv.slice(2));
const ITEMS = opts.quick ? 100 : 1000;
const LATENCIES = opts.quick ? [50] : [0, 50, 300];
const THROTTLE = { probability: 0.2, retryAfterSeconds: 1, latencyMs: 50 };
/** Whole run: stop starting new executions after this (the brief: at most ~15 minutes). */
const BUDGET_MS = opts.budgetMinutes * 60_000;
/** One execution may not take longer than this. */
const EXECUTE_TIMEOUT_MS = 240_000;

const started = Date.now();
const secs = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;
const log = (text: string): void =>
	console.log(`[bench:n8n ${secs(Date.now() - started)}] ${text}`);

// ---------------------------------------------------------------------------------------------
// Simulator in its own process

interface Simulator {
	origin: string;
	caCertPem: string;
	stop(): Promise<void>;
}

async function startSimulator(workDir: string): Promise<Simulator & { caPath: string }> {
	const ca = writeCaFiles(workDir, createCertificateAuthority());
	const caOut = join(workDir, 'simulator-ca.pem');
	const child = spawnTracked(
		process.execPath,
		[
			'--import',
			'tsx',
			join(repoRoot, 'simulator', 'cli.ts'),
			'--quiet',
			'--no-callbacks',
			'--ca-out',
			caOut,
		],
		{
			cwd: repoRoot,
			env: { ...process.env, GRAPH_SIM_CA_CERT: ca.certPath, GRAPH_SIM_CA_KEY: ca.keyPath },
			logFile: join(workDir, 'simulator.log'),
		},
	);
	const origin = await new Promise<string>((resolve, reject) => {
		let out = '';
		const timer = setTimeout(
			() => reject(new Error(`simulator not up after 30 s:\n${out}`)),
			30_000,
		);
		child.stdout?.on('data', (b: Buffer) => {
			out += b.toString('utf8');
			const m = /listening on (https:\/\/127\.0\.0\.1:\d+)/.exec(out);
			if (m?.[1] && out.includes('Press Ctrl+C')) {
				clearTimeout(timer);
				resolve(m[1]);
			}
		});
		child.once('exit', (code) => {
			clearTimeout(timer);
			reject(new Error(`simulator exited ${code}:\n${out}`));
		});
	});
	return {
		origin,
		caPath: ca.certPath,
		caCertPem: readFileSync(ca.certPath, 'utf8'),
		stop: async () => await killTree(child, 5_000),
	};
}

function control(
	sim: Simulator,
	method: 'GET' | 'POST',
	action: string,
	body?: unknown,
): Promise<ControlState> {
	const payload = body === undefined ? '' : JSON.stringify(body);
	return new Promise((resolve, reject) => {
		const req = request(
			`${sim.origin}/_simulator/${action}`,
			{
				method,
				ca: sim.caCertPem,
				headers: { 'content-type': 'application/json' },
				timeout: 30_000,
			},
			(res) => {
				let text = '';
				res.on('data', (c: Buffer) => (text += c.toString('utf8')));
				res.on('end', () => {
					if (res.statusCode !== 200)
						reject(new Error(`control ${action}: ${res.statusCode} ${text}`));
					else resolve(JSON.parse(text) as ControlState);
				});
			},
		);
		req.on('timeout', () => req.destroy(new Error(`control ${action}: timeout`)));
		req.on('error', reject);
		req.end(payload);
	});
}

// ---------------------------------------------------------------------------------------------
// Package

async function buildTarball(workDir: string): Promise<{ tarball: string; source: string }> {
	if (opts.tarball) return { tarball: opts.tarball, source: `tarball ${opts.tarball}` };
	if (opts.worktree) return { tarball: await packRepo(), source: 'the working tree' };
	const commit = execFileSync('git', ['rev-parse', opts.ref], {
		cwd: repoRoot,
		encoding: 'utf8',
	}).trim();
	const dir = join(workDir, 'package-src');
	mkdirSync(dir, { recursive: true });
	// A clean export of the commit: nothing uncommitted (other engineers' work) is packed.
	execFileSync('sh', ['-c', `git archive ${commit} | tar -x -C "${dir}"`], { cwd: repoRoot });
	symlinkSync(join(repoRoot, 'node_modules'), join(dir, 'node_modules'), 'dir');
	try {
		await runOk('npm', ['run', 'build'], { cwd: dir, timeoutMs: 300_000 });
	} catch (error) {
		throw new Error(
			`commit ${commit.slice(0, 10)} does not build; pass --ref <a commit that does> or --worktree.\n${(error as Error).message}`,
		);
	}
	rmSync(join(dir, 'node_modules'));
	return { tarball: await packFolder(dir), source: `commit ${commit.slice(0, 10)}` };
}

// ---------------------------------------------------------------------------------------------
// Workflows

type Client = 'a' | 'b' | 'c';
const CLIENT_LABEL: Record<Client, string> = {
	a: '(a) HTTP Request + OAuth2',
	b: '(b) this node, defaults',
	c: '(c) this node, batching',
};
const TARGET_NODE = 'Invite';
const OAUTH_CREDENTIAL = { id: 'benchOAuth2', name: 'Graph simulator (generic OAuth2)' };
const GRAPH_CREDENTIAL = { id: 'benchGraph', name: 'Graph simulator (this package)' };

/** The Code node: ITEMS items, one distinct Teams user (Entra object ID) each. */
const CODE = `const items = [];
for (let n = 0; n < ${ITEMS}; n++) {
  items.push({ json: { n, userId: '00000000-0000-4000-8000-' + n.toString(16).padStart(12, '0') } });
}
return items;`;

const HTTP_BODY = `={{ JSON.stringify({
  participants: [{
    "@odata.type": "#microsoft.graph.invitationParticipantInfo",
    identity: { "@odata.type": "#microsoft.graph.identitySet", user: { id: $json.userId } }
  }],
  clientContext: "bench-" + $json.n
}) }}`;

function workflow(client: Client, origin: string): WorkflowImport {
	const target: WorkflowNode =
		client === 'a'
			? {
					name: TARGET_NODE,
					type: 'n8n-nodes-base.httpRequest',
					typeVersion: 4.2,
					position: [400, 0] as [number, number],
					parameters: {
						method: 'POST',
						url: `${origin}/v1.0/communications/calls/${DEFAULT_CALL_ID}/participants/invite`,
						authentication: 'genericCredentialType',
						genericAuthType: 'oAuth2Api',
						sendBody: true,
						specifyBody: 'json',
						jsonBody: HTTP_BODY,
						options: {},
					},
					credentials: { oAuth2Api: OAUTH_CREDENTIAL },
				}
			: {
					name: TARGET_NODE,
					type: 'n8n-nodes-microsoft-graph-calls.microsoftGraphCalls',
					typeVersion: 1,
					position: [400, 0] as [number, number],
					parameters: {
						resource: 'callParticipant',
						operation: 'invite',
						callId: DEFAULT_CALL_ID,
						participantsMode: 'defineBelow',
						participants: { participant: [{ type: 'user', id: '={{ $json.userId }}' }] },
						clientContext: '={{ "bench-" + $json.n }}',
						options: client === 'c' ? { useJsonBatching: true } : {},
					},
					credentials: { microsoftGraphCallsApi: GRAPH_CREDENTIAL },
				};
	return {
		id: `bench${client.toUpperCase()}${ITEMS}`,
		name: `bench:n8n ${CLIENT_LABEL[client]}, ${ITEMS} invites`,
		nodes: [
			{
				name: 'Start',
				type: 'n8n-nodes-base.manualTrigger',
				typeVersion: 1,
				position: [0, 0],
				parameters: {},
			},
			{
				name: 'Build invitees',
				type: 'n8n-nodes-base.code',
				typeVersion: 2,
				position: [200, 0],
				parameters: { jsCode: CODE },
			},
			target,
		],
		connections: {
			Start: { main: [[{ node: 'Build invitees', type: 'main', index: 0 }]] },
			'Build invitees': { main: [[{ node: TARGET_NODE, type: 'main', index: 0 }]] },
		},
		settings: { executionOrder: 'v1' },
	};
}

// ---------------------------------------------------------------------------------------------
// Runs

interface Run {
	group: string;
	latencyMs: number;
	throttle: number;
	round: number;
	client: Client;
	nodeMs?: number;
	executeMs: number;
	status: string;
	itemsOut: number;
	failedItems: number;
	counts: ControlState['counts'];
	peakRssMb?: number;
	/** 1-minute load average when the run ended (the machine may be shared). */
	load: number;
	error?: string;
	ratio?: number;
}

const MAXRSS_MARK = 'BENCH_MAXRSS_KB=';

/** Preloaded into every n8n process: prints its peak RSS (getrusage ru_maxrss = VmHWM) on exit. */
function writeMaxRssPreload(workDir: string): string {
	const file = join(workDir, 'maxrss.cjs');
	writeFileSync(
		file,
		`process.on('exit', () => { try { process.stderr.write('\\n${MAXRSS_MARK}' + process.resourceUsage().maxRSS + '\\n'); } catch {} });\n`,
	);
	return file;
}

interface RunData {
	executionTime?: number;
	error?: { message?: string };
}

function targetRunData(json: unknown): RunData | undefined {
	const runData = (json as { data?: { resultData?: { runData?: Record<string, RunData[]> } } })
		?.data?.resultData?.runData;
	return runData?.[TARGET_NODE]?.[0];
}

async function runOnce(
	ctx: N8nCtx,
	sim: Simulator,
	spec: Omit<Run, 'status' | 'executeMs' | 'itemsOut' | 'failedItems' | 'counts' | 'load'>,
	seed: number,
): Promise<Run> {
	await control(sim, 'POST', 'reset');
	await control(sim, 'POST', 'knobs', {
		latencyMs: spec.latencyMs,
		throttleProbability: spec.throttle,
		retryAfterSeconds: THROTTLE.retryAfterSeconds,
		seed,
	});
	const t0 = Date.now();
	const result = await executeWorkflow(
		ctx,
		`bench${spec.client.toUpperCase()}${ITEMS}`,
		EXECUTE_TIMEOUT_MS,
	);
	const executeMs = Date.now() - t0;
	const { counts } = await control(sim, 'GET', 'state');
	const rss = new RegExp(`${MAXRSS_MARK}(\\d+)`).exec(result.stderr);
	const out = nodeItems(result.json, TARGET_NODE);
	const itemsOut = out.filter((i) => i.json.error === undefined).length;
	const data = targetRunData(result.json);
	const err = runError(result.json);
	const run: Run = {
		...spec,
		nodeMs: data?.executionTime,
		executeMs,
		status:
			runStatus(result.json) ??
			(result.signal ? `killed (${result.signal})` : `no JSON, exit ${result.exitCode}`),
		itemsOut,
		failedItems: ITEMS - itemsOut,
		counts,
		peakRssMb: rss?.[1] ? Number(rss[1]) / 1024 : undefined,
		load: loadavg()[0] ?? 0,
		error: err
			? `${err.message}${err.description ? ` — ${err.description}` : ''}`
			: result.json === undefined
				? result.stderr.trim().split('\n').slice(-3).join(' | ')
				: undefined,
	};
	log(
		`${spec.group} ${CLIENT_LABEL[spec.client]}: ${run.status}, node ${run.nodeMs ?? '?'} ms, ` +
			`${counts.graphRequests} HTTP, ${counts.tokenRequests} token, ${counts.invitees} invited, ` +
			`${counts.duplicates} dup, ${run.failedItems} failed, peak in flight ${counts.peakInFlight}`,
	);
	return run;
}

// ---------------------------------------------------------------------------------------------
// Report

function fmtMs(ms: number | undefined): string {
	if (ms === undefined) return '—';
	return ms >= 10_000 ? `${(ms / 1000).toFixed(1)} s` : `${(ms / 1000).toFixed(2)} s`;
}

function table(runs: Run[]): string {
	const head =
		'| case | run | client | node time | ÷ (a) | HTTP req. | 429s | peak in flight | token req. | invited | dup. | failed items | status | peak RSS | execute | load |';
	const rule = '|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|---:|---:|';
	const lines = runs.map(
		(r) =>
			`| ${r.group} | ${r.round} | ${CLIENT_LABEL[r.client]} | ${fmtMs(r.nodeMs)} | ${r.ratio !== undefined ? r.ratio.toFixed(2) : ''} | ${r.counts.graphRequests} | ${r.counts.throttled} | ${r.counts.peakInFlight} | ${r.counts.tokenRequests} | ${r.counts.invitees.toLocaleString('en-US')} | ${r.counts.duplicates} | ${r.failedItems.toLocaleString('en-US')} | ${r.status} | ${r.peakRssMb !== undefined ? `${r.peakRssMb.toFixed(0)} MB` : '—'} | ${fmtMs(r.executeMs)} | ${r.load.toFixed(1)} |`,
	);
	return [head, rule, ...lines].join('\n');
}

function machine(): string {
	const cpu = cpus();
	return `${cpu.length} x ${cpu[0]?.model ?? 'unknown CPU'}, ${(totalmem() / 1024 ** 3).toFixed(1)} GiB RAM, ${platform()} ${release()} ${arch()}`;
}

function verdicts(runs: Run[]): string[] {
	const out: string[] = [];
	const plain = runs.filter((r) => r.throttle === 0 && r.client === 'b');
	out.push(
		`- (b)/(a) node time ≤ 1.0 at 0, 50, 300 ms: ${plain.map((r) => `${r.latencyMs} ms ${r.ratio?.toFixed(2) ?? '?'}`).join(', ')}` +
			` → ${plain.every((r) => (r.ratio ?? 9) <= 1) ? 'met' : 'not met'}`,
	);
	const b50 = plain.find((r) => r.latencyMs === 50);
	if (b50 && ITEMS === 1000)
		out.push(
			`- (b) at 50 ms ≤ 3.8 s for 1,000 invites: ${fmtMs(b50.nodeMs)} → ${(b50.nodeMs ?? 1e9) <= 3800 ? 'met' : 'not met'}`,
		);
	const throttled = runs.filter((r) => r.throttle > 0 && r.client === 'b');
	const good = throttled.filter(
		(r) =>
			r.status === 'success' &&
			r.counts.invitees === ITEMS &&
			r.counts.duplicates === 0 &&
			r.failedItems === 0,
	);
	out.push(
		`- 20% independent 429s, defaults: ${ITEMS.toLocaleString('en-US')}/${ITEMS.toLocaleString('en-US')} invited once and success in ${good.length} of ${throttled.length} runs` +
			` → ${good.length === throttled.length && throttled.length >= 10 ? 'met' : 'not met'}`,
	);
	const ours = runs.filter((r) => r.client !== 'a');
	out.push(
		`- at most 1 token request per execution (b, c): seen ${[...new Set(ours.map((r) => r.counts.tokenRequests))].sort().join(', ')} → ${ours.every((r) => r.counts.tokenRequests <= 1) ? 'met' : 'not met'}`,
	);
	return out;
}

function n8nVersion(ctx: N8nCtx): string {
	return ctx.inst.version;
}

function markdown(
	runs: Run[],
	info: {
		source: string;
		totalMs: number;
		skipped: string[];
		ctx: N8nCtx;
		baseline: { peakRssMb?: number; executeMs: number };
	},
): string {
	const date = new Date().toISOString().slice(0, 16).replace('T', ' ');
	// Identical errors (request ids aside) once, with the runs that ended in them.
	const byMessage = new Map<string, string[]>();
	for (const r of runs) {
		if (!r.error) continue;
		const message = r.error
			.replace(/\s+/g, ' ')
			.replace(/\s*request-id: [0-9a-f-]+/gi, '')
			.slice(0, 400);
		const where = `${r.group} ${CLIENT_LABEL[r.client]} run ${r.round}`;
		byMessage.set(message, [...(byMessage.get(message) ?? []), where]);
	}
	const errors = [...byMessage].map(([message, where]) => `- ${where.join('; ')}: ${message}`);
	return `## Real n8n, beside the HTTP Request node

Measured with \`npm run bench:n8n\`${opts.quick ? ' -- --quick' : ''} on ${date} UTC, whole run ${secs(info.totalMs)}
(install of n8n not included: it was already in \`.e2e/\`).

**Machine:** ${machine()}. **Versions:** n8n ${n8nVersion(info.ctx)} (Node.js ${process.version}, SQLite,
\`N8N_RUNNERS_ENABLED=false\`), this package from its \`npm pack\` tarball of ${info.source}, installed into
the user folder's \`.n8n/nodes\` (\`npm install <tarball> --legacy-peer-deps\`).

**Setup.** The Graph simulator runs in its own process (\`simulator/cli.ts --quiet --no-callbacks\`,
HTTPS on 127.0.0.1, n8n trusts its CA through \`NODE_EXTRA_CA_CERTS\`), set between runs through its
control API (reset, latency, throttling). Each run is one \`n8n execute --id\` of a workflow
Manual Trigger → Code (${ITEMS.toLocaleString('en-US')} items, one distinct Teams user each) → the client under test:
(a) n8n's HTTP Request node 4.2 POSTing the invite body per item with a generic OAuth2 API credential
(client-credentials grant against the simulator's token endpoint, n8n's default "Send as Basic Auth
Header"; no options, so no retry and no batching); (b) this node, Call Participant › Invite, **default
options** (those of the packed commit: see nodes/MicrosoftGraphCalls/limits.ts; no batching, Continue On Fail
off); (c) the same with Use JSON Batching on. Within a case (a), (b), (c) run one after the other.
Latency is added by the simulator before every Graph answer (a \`$batch\` envelope once). The throttled
case: latency ${THROTTLE.latencyMs} ms, every attempt (request, or \`$batch\` step) answered 429 + \`Retry-After: ${THROTTLE.retryAfterSeconds}\`
independently with probability ${THROTTLE.probability} (seeded per run: seed = 1000 + run, so a rerun meets the same draws).

**Columns.** *node time*: the invite node's \`executionTime\` in n8n's run data (\`runData.Invite[0]\`), i.e. without
n8n's start-up; *÷ (a)*: node time over the same case's (a) node time (blank when (a) failed); *HTTP req.*: Graph requests the
simulator received (a \`$batch\` envelope counts once, token requests not included); *429s*: attempts the
simulator throttled (\`$batch\` steps counted one by one); *peak in flight*: most Graph requests received and
not yet answered at once; *token req.*: token endpoint requests (n8n keeps both tokens in the stored credential between
executions: the OAuth2 credential its \`oauthTokenData\`, this package's credential its pre-authentication
token; so each client fetches only in its first execution, and 0 afterwards is expected); *invited*: distinct people the simulator recorded as invited; *dup.*: people invited more
than once; *failed items*: input items without a successful output item (a failed execution has no
output, so all ${ITEMS.toLocaleString('en-US')}); *status*: the execution's status; *peak RSS*: the \`n8n execute\` process's peak resident
set (getrusage \`ru_maxrss\` = \`VmHWM\`, printed at exit by a \`--require\` preload), n8n's start-up included:
the same \`n8n execute\` of Manual Trigger → Code alone (no client, same ${ITEMS.toLocaleString('en-US')} items) peaked at ${info.baseline.peakRssMb !== undefined ? `${info.baseline.peakRssMb.toFixed(0)} MB` : '?'} (${fmtMs(info.baseline.executeMs)});
*execute*: wall time of the whole \`n8n execute\` process; *load*: the machine's 1-minute load average as the run
ended (${cpus().length} cores; above ${cpus().length} other work competed for the CPU). At 0 ms the simulator answers each request as soon as
it has read it, so requests seldom overlap on its side (peak in flight 1): those runs are CPU-bound.

${table(runs)}

${errors.length ? `Errors of failed executions:\n\n${errors.join('\n')}\n` : ''}${info.skipped.length ? `\nNot run (time budget): ${info.skipped.join(', ')}\n` : ''}
### Targets

${verdicts(runs).join('\n')}
`;
}

// ---------------------------------------------------------------------------------------------

async function main(): Promise<void> {
	const workDir = mkdtempSync(join(tmpdir(), 'bench-n8n-'));
	let sim: (Simulator & { caPath: string }) | undefined;
	try {
		log(
			`${ITEMS} items, latencies ${LATENCIES.join('/')} ms, ${opts.throttledRuns} throttled default runs`,
		);
		const inst = await ensureN8n('1');
		log(`n8n ${inst.version} ready`);
		const { tarball, source } = await buildTarball(workDir);
		log(`packed ${source}: ${tarball}`);
		sim = await startSimulator(workDir);
		log(`simulator at ${sim.origin}`);
		const ctx = makeCtx(inst, {
			userFolder: join(workDir, 'n8n'),
			env: {
				NODE_EXTRA_CA_CERTS: sim.caPath,
				NODE_OPTIONS: `--require ${writeMaxRssPreload(workDir)}`,
			},
		});
		await installPackageInto(ctx.userFolder, tarball, 'npm');
		log('package installed');
		await importCredentials(ctx, [
			{
				...GRAPH_CREDENTIAL,
				type: 'microsoftGraphCallsApi',
				data: secretCredentialData({ origin: sim.origin }),
			},
			{
				...OAUTH_CREDENTIAL,
				type: 'oAuth2Api',
				data: {
					grantType: 'clientCredentials',
					accessTokenUrl: `${sim.origin}/${DEFAULT_TENANT_ID}/oauth2/v2.0/token`,
					clientId: DEFAULT_CLIENT_ID,
					clientSecret: DEFAULT_CLIENT_SECRET,
					scope: `${sim.origin}/.default`,
					authQueryParameters: '',
					authentication: 'header',
				},
			},
		]);
		const base = workflow('a', sim.origin);
		await importWorkflows(ctx, [
			...(['a', 'b', 'c'] as const).map((c) => workflow(c, sim!.origin)),
			{
				...base,
				id: `benchBase${ITEMS}`,
				name: `bench:n8n baseline: Code node alone, ${ITEMS} items`,
				nodes: base.nodes.filter((n) => n.name !== TARGET_NODE),
				connections: { Start: base.connections.Start },
			},
		]);
		log('credentials and workflows imported');
		const t0 = Date.now();
		const baseRun = await executeWorkflow(ctx, `benchBase${ITEMS}`, EXECUTE_TIMEOUT_MS);
		const baseRss = new RegExp(`${MAXRSS_MARK}(\\d+)`).exec(baseRun.stderr)?.[1];
		const baseline = {
			executeMs: Date.now() - t0,
			peakRssMb: baseRss ? Number(baseRss) / 1024 : undefined,
		};
		log(
			`baseline (Code node alone): ${runStatus(baseRun.json)}, peak RSS ${baseline.peakRssMb?.toFixed(0)} MB`,
		);

		const plan: Array<
			Omit<Run, 'status' | 'executeMs' | 'itemsOut' | 'failedItems' | 'counts' | 'load'>
		> = [];
		for (const latencyMs of LATENCIES)
			for (const client of ['a', 'b', 'c'] as const)
				plan.push({ group: `${latencyMs} ms`, latencyMs, throttle: 0, round: 1, client });
		const tGroup = `${THROTTLE.probability * 100}% 429s, ${THROTTLE.latencyMs} ms`;
		for (let round = 1; round <= opts.throttledRuns; round++) {
			const clients: Client[] = round === 1 ? ['a', 'b', 'c'] : ['b'];
			for (const client of clients)
				plan.push({
					group: tGroup,
					latencyMs: THROTTLE.latencyMs,
					throttle: THROTTLE.probability,
					round,
					client,
				});
		}

		const runs: Run[] = [];
		const skipped: string[] = [];
		for (const spec of plan) {
			if (Date.now() - started > BUDGET_MS) {
				skipped.push(`${spec.group} run ${spec.round} ${spec.client}`);
				continue;
			}
			const run = await runOnce(ctx, sim, spec, spec.throttle > 0 ? 1000 + spec.round : 0);
			// Only a successful (a) is a pace to compare with.
			const anchor = runs.find(
				(r) => r.client === 'a' && r.group === run.group && r.round === 1 && r.status === 'success',
			)?.nodeMs;
			if (run.client !== 'a' && anchor && run.nodeMs !== undefined) run.ratio = run.nodeMs / anchor;
			runs.push(run);
		}

		const totalMs = Date.now() - started;
		const md = markdown(runs, { source, totalMs, skipped, ctx, baseline });
		console.log(`\n${md}`);
		if (opts.write) {
			writeResultsSection('n8n', md);
			log(`wrote ${RESULTS_FILE} (section "Real n8n, beside the HTTP Request node")`);
		}
		log(`done in ${secs(totalMs)}`);
	} finally {
		await sim?.stop();
		if (process.env.BENCH_KEEP === undefined) rmSync(workDir, { recursive: true, force: true });
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
