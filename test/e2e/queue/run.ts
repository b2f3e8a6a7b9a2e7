/**
 * Queue-mode suite: the package on real n8n 1.123.50 in queue mode — one main, two
 * workers (`n8n worker --concurrency=5`), one webhook processor (`n8n webhook`, over https, the
 * WEBHOOK_URL of every process), Redis and PostgreSQL from Debian's packages, the Graph simulator
 * in this process — and what must hold there:
 *
 *   1. 500 webhook calls at concurrency 20, each inviting a distinct phone number: every call is
 *      answered with its invite operation, both workers ran executions, the simulator saw every
 *      participant invited exactly once;
 *   2. tokens: the one minted during warm-up is stored (encrypted) in Postgres and used by both
 *      workers, so the 500 executions make no token request until the simulator expires every
 *      token mid-run; then n8n re-mints (401 → preAuthentication) with no failed execution;
 *   3. a worker SIGKILLed mid-run: every execution it held is retried by n8n (Bull stalled-job
 *      recovery) or shows as failed, and the simulator's count explains every participant;
 *   4. typed prompts a worker rendered and signed are served by the webhook processor: a Play
 *      Prompt's link on a trigger there, and a waiting Call and Wait for Keypress's prompt
 *      (./prompts.ts). Last, so that the load's figures are its own.
 *
 * Run: `npm run test:queue` (root on a Debian machine: installs redis-server and postgresql if
 * missing). Prints the time of every phase and `N passed, N failed`; exits 1 on any failure.
 * Logs and user folders are kept on failure or with E2E_KEEP=1 (paths printed).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
	createCertificateAuthority,
	issueServerCertificate,
	startGraphSimulator,
	writeCaFiles,
	DEFAULT_CALL_ID,
	type GraphSimulator,
} from './simulator';
import { ensureN8n } from '../harness/install';
import { freePort, type N8nServer } from '../harness/n8n';
import { packRepo } from '../harness/package';
import { e2eDir } from '../harness/paths';
import {
	executionsStartedIn,
	importAll,
	makeProcessCtx,
	startMain,
	startWebhookProcess,
	startWorker,
	STALL_SETTINGS,
	type WebhookProcess,
	type WorkerProcess,
} from './cluster';
import { percentile, phoneRange, runLoad, type CallResult } from './load';
import {
	ensureSystemTools,
	startPostgres,
	startRedis,
	type PostgresHandle,
	type RedisHandle,
} from './system';
import {
	graphCredential,
	inviteWorkflow,
	keypressWorkflow,
	promptTriggerWorkflow,
	typedPromptWorkflow,
	WEBHOOK_PATH,
	WORKFLOW_ID,
} from './workflow';
import { typedPromptChecks } from './prompts';
import { writeTlsFiles } from '../harness/https';
import { finishSuite, runSuite } from '../harness/suite';

const MAIN_CALLS = 500;
const MAIN_CONCURRENCY = 20;
const KILL_CALLS = 100;
const KILL_AFTER_ANSWERS = 15;
const KILL_LATENCY_MS = 1_000;
const WORKER_CONCURRENCY = 5;
const REQUEST_TIMEOUT_MS = 180_000;

// ---------------------------------------------------------------------------------------------
// checks and timings

const checks: { name: string; ok: boolean; detail: string }[] = [];
function check(name: string, ok: boolean, detail = ''): void {
	checks.push({ name, ok, detail });
	console.log(`${ok ? '  ok  ' : '  FAIL'} ${name}${detail === '' ? '' : ` — ${detail}`}`);
}

const timings: [string, number][] = [];
async function phase<T>(name: string, fn: () => Promise<T>): Promise<T> {
	const started = Date.now();
	console.log(`::: ${name}`);
	try {
		return await fn();
	} finally {
		const s = (Date.now() - started) / 1000;
		timings.push([name, s]);
		console.log(`    (${s.toFixed(1)} s)`);
	}
}

const figures: Record<string, unknown> = {};

// ---------------------------------------------------------------------------------------------
// helpers over the simulator and Postgres

interface InviteRequest {
	worker: string;
	executionId: string;
	status: number | undefined;
	at: number;
}

/** Invite requests the simulator received, by the worker/execution their clientContext names. */
function inviteRequests(sim: GraphSimulator, since = 0): InviteRequest[] {
	const out: InviteRequest[] = [];
	for (const r of sim.graphRequests()) {
		if (r.at < since || !r.path.includes('/participants/invite')) continue;
		let ctx = '';
		try {
			ctx = String((JSON.parse(r.body) as { clientContext?: unknown }).clientContext ?? '');
		} catch {
			// not JSON
		}
		const [worker = '?', executionId = '?'] = ctx.split('/');
		out.push({ worker, executionId, status: r.status, at: r.at });
	}
	return out;
}

function countBy<T>(values: readonly T[], key: (v: T) => string): Record<string, number> {
	const out: Record<string, number> = {};
	for (const v of values) out[key(v)] = (out[key(v)] ?? 0) + 1;
	return out;
}

interface ExecutionRow {
	id: string;
	status: string;
	participants: string[];
}

/** Executions of the workflow with id > afterId, with the participant(s) found in their stored data. */
function executions(pg: PostgresHandle, afterId = 0): ExecutionRow[] {
	const sql = `SELECT coalesce(json_agg(json_build_object('id', e.id, 'status', e.status, 'data', d.data) ORDER BY e.id), '[]')
		FROM execution_entity e LEFT JOIN execution_data d ON d."executionId" = e.id
		WHERE e."workflowId" = '${WORKFLOW_ID}' AND e.id > ${afterId}`;
	const rows = JSON.parse(pg.query(sql)) as { id: number; status: string; data: string | null }[];
	return rows.map((r) => ({
		id: String(r.id),
		status: r.status,
		participants: [...new Set((r.data ?? '').match(/\+1425555\d{4}/g) ?? [])],
	}));
}

async function waitForTerminal(
	pg: PostgresHandle,
	afterId: number,
	timeoutMs: number,
): Promise<ExecutionRow[]> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const rows = executions(pg, afterId);
		if (
			rows.every((r) => !['new', 'running', 'waiting'].includes(r.status)) ||
			Date.now() > deadline
		)
			return rows;
		await new Promise((r) => setTimeout(r, 1_000));
	}
}

function maxExecutionId(pg: PostgresHandle): number {
	return Number(pg.query(`SELECT coalesce(max(id), 0) FROM execution_entity`).trim());
}

function answeredWithOperation(r: CallResult | undefined): boolean {
	return (
		r !== undefined &&
		r.status === 200 &&
		typeof r.body?.operation?.id === 'string' &&
		r.body.participant === r.participant
	);
}

/** The answer's operation id is one the simulator issued for an invitation of that very participant. */
function operationMatches(sim: GraphSimulator, r: CallResult): boolean {
	const id = r.body?.operation?.id;
	return sim.invitations.some(
		(inv) =>
			inv.operationId === id && inv.identityKind === 'phone' && inv.identityId === r.participant,
	);
}

// ---------------------------------------------------------------------------------------------

async function main(): Promise<void> {
	const suiteStarted = Date.now();
	const tools = await phase(
		'system packages (redis-server, postgresql)',
		async () => await ensureSystemTools(),
	);
	figures.systemPackages = tools.how;
	const inst = await phase(
		'n8n 1.123.50 install (cached in .e2e/)',
		async () => await ensureN8n('1'),
	);
	const baseDir = fs.mkdtempSync(path.join(os.tmpdir(), 'e2e-queue-'));
	console.log(`    logs and folders: ${baseDir} (kept on failure or with E2E_KEEP=1)`);
	const ca = createCertificateAuthority();
	const { certPath: caFile } = writeCaFiles(baseDir, ca);

	let sim: GraphSimulator | undefined;
	let redis: RedisHandle | undefined;
	let pg: PostgresHandle | undefined;
	let mainServer: N8nServer | undefined;
	let webhookProcess: WebhookProcess | undefined;
	const workers: WorkerProcess[] = [];
	let ok = false;
	try {
		sim = await phase('Graph simulator', async () => await startGraphSimulator({ ca }));
		const s = sim;
		const [redisPort, pgPort] = [await freePort(), await freePort()];
		redis = await phase(
			`redis-server on 127.0.0.1:${redisPort}`,
			async () => await startRedis(tools, redisPort, baseDir),
		);
		pg = await phase(
			`PostgreSQL cluster (initdb, pg_ctl) on 127.0.0.1:${pgPort}`,
			async () => await startPostgres(tools, pgPort, baseDir),
		);
		const db = pg;
		// The webhook processor's address is every process's WEBHOOK_URL (the waiting URLs workers
		// hand out point there), so it is chosen before any process starts.
		const webhookPort = await freePort();
		const webhookBase = `https://127.0.0.1:${webhookPort}`;
		const backends = {
			redisPort,
			pgPort,
			pgDatabase: db.database,
			pgUser: db.user,
			caFile,
			webhookUrl: `${webhookBase}/`,
		};
		const tls = writeTlsFiles(path.join(baseDir, 'tls'), issueServerCertificate(ca));
		const tarball = await phase('build and npm pack the package', async () => await packRepo());
		const [mainCtx, w1Ctx, w2Ctx, webhookCtx] = await phase(
			'install the package into 4 user folders',
			async () =>
				await Promise.all(
					['main', 'worker-1', 'worker-2', 'webhook-1'].map((n) =>
						makeProcessCtx(inst, backends, n, tarball),
					),
				),
		);
		if (
			mainCtx === undefined ||
			w1Ctx === undefined ||
			w2Ctx === undefined ||
			webhookCtx === undefined
		)
			throw new Error('contexts');
		await phase(
			'import credential and workflows (runs the migrations on Postgres)',
			async () =>
				await importAll(
					mainCtx,
					[graphCredential(s.origin, s.callbacks.openIdConfigurationUrl)],
					[
						inviteWorkflow(),
						promptTriggerWorkflow(),
						typedPromptWorkflow(webhookBase),
						keypressWorkflow(),
					],
				),
		);
		await phase(
			'start main + 2 workers + webhook processor (until "Editor is now accessible" / "worker is now ready" / "Webhook listener waiting" + readiness)',
			async () => {
				const [m, a, b, w] = await Promise.all([
					startMain(mainCtx),
					startWorker(w1Ctx, 'worker-1', WORKER_CONCURRENCY),
					startWorker(w2Ctx, 'worker-2', WORKER_CONCURRENCY),
					startWebhookProcess(webhookCtx, {
						port: webhookPort,
						name: 'webhook-1',
						tls: { ...tls, caPem: ca.certPem },
					}),
				]);
				mainServer = m;
				workers.push(a, b);
				webhookProcess = w;
			},
		);
		const [w1, w2] = workers as [WorkerProcess, WorkerProcess];
		const url = `${(mainServer as N8nServer).url}/webhook/${WEBHOOK_PATH}`;

		// ---- warm-up: one execution mints the token and n8n stores it in Postgres
		await phase('warm-up call', async () => {
			let r: CallResult | undefined;
			for (let i = 0; i < 10; i++) {
				[r] = await runLoad({
					url,
					participants: ['+14255559000'],
					concurrency: 1,
					timeoutMs: 60_000,
				});
				if (r?.status !== 404) break;
				await new Promise((res) => setTimeout(res, 1_000)); // webhook not registered yet
			}
			const detail = answeredWithOperation(r)
				? `operation ${r?.body?.operation?.id}, execution ${r?.body?.executionId} on ${r?.body?.worker}`
				: `HTTP ${r?.status}: ${r?.error}`;
			check('warm-up call answered with its operation', answeredWithOperation(r), detail);
			figures.warmupWorker = r?.body?.worker;
		});
		const tokensAfterWarmup = s.tokenRequests().length;
		figures.tokenRequestsWarmup = tokensAfterWarmup;
		check(
			'warm-up minted exactly one token',
			tokensAfterWarmup === 1,
			`${tokensAfterWarmup} token request(s)`,
		);

		// ---- 1 + 2: 500 calls, tokens expired by the simulator half-way
		const idBeforeMain = maxExecutionId(db);
		const graphStart = Date.now();
		let tokensAtExpiry = -1;
		let expiredAt = 0;
		const participants = phoneRange(0, MAIN_CALLS);
		const results = await phase(
			`${MAIN_CALLS} webhook calls at concurrency ${MAIN_CONCURRENCY} (tokens expired after ${MAIN_CALLS / 2})`,
			async () =>
				await runLoad({
					url,
					participants,
					concurrency: MAIN_CONCURRENCY,
					timeoutMs: REQUEST_TIMEOUT_MS,
					onAnswered: (n) => {
						if (n === MAIN_CALLS / 2) {
							tokensAtExpiry = s.tokenRequests().length;
							expiredAt = Date.now();
							s.expireTokens();
						}
					},
				}),
		);
		const mainMs = Date.now() - graphStart;
		const answered = results.filter(answeredWithOperation);
		check(
			`all ${MAIN_CALLS} calls answered 200 with their invite operation`,
			answered.length === MAIN_CALLS,
			`${answered.length}/${MAIN_CALLS}; failures: ${JSON.stringify(results.filter((r) => !answeredWithOperation(r)).slice(0, 3))}`,
		);
		const mismatched = answered.filter((r) => !operationMatches(s, r));
		check(
			'every answered operation id is the one the simulator issued for that participant',
			mismatched.length === 0,
			`${mismatched.length} mismatched`,
		);
		const counts = participants.map((p) => s.inviteCount(DEFAULT_CALL_ID, `phone:${p}`));
		const countHist = countBy(counts, String);
		check(
			'the simulator counted each of the 500 participants invited exactly once',
			counts.every((c) => c === 1),
			`invite count histogram ${JSON.stringify(countHist)}`,
		);

		// worker distribution, three independent ways
		const byAnswer = countBy(answered, (r) => r.body?.worker ?? '?');
		const invites = inviteRequests(s, graphStart).filter(
			(i) => i.status === 200 || i.status === 201 || i.status === 202,
		);
		const bySimulator = countBy(invites, (i) => i.worker);
		const w1Started = new Set(executionsStartedIn(w1.logFile));
		const w2Started = new Set(executionsStartedIn(w2.logFile));
		const byLog = countBy(answered, (r) =>
			w1Started.has(r.body?.executionId ?? '')
				? 'worker-1'
				: w2Started.has(r.body?.executionId ?? '')
					? 'worker-2'
					: '?',
		);
		figures.distribution = { byAnswer, bySimulator, byWorkerLog: byLog };
		console.log(
			`    distribution: answers ${JSON.stringify(byAnswer)}; simulator (clientContext) ${JSON.stringify(bySimulator)}; worker logs ${JSON.stringify(byLog)}`,
		);
		check(
			'executions spread over both workers (each ran at least 10%)',
			(byAnswer['worker-1'] ?? 0) >= MAIN_CALLS / 10 &&
				(byAnswer['worker-2'] ?? 0) >= MAIN_CALLS / 10,
			JSON.stringify(byAnswer),
		);
		check(
			'main ran no execution (queue mode)',
			(byAnswer.main ?? 0) === 0 && (bySimulator.main ?? 0) === 0,
		);
		const agree = answered.every((r) => {
			const w = r.body?.worker;
			const inLog =
				w === 'worker-1'
					? w1Started.has(r.body?.executionId ?? '')
					: w === 'worker-2'
						? w2Started.has(r.body?.executionId ?? '')
						: false;
			return inLog && invites.some((i) => i.executionId === r.body?.executionId && i.worker === w);
		});
		check('answer, simulator request log and worker log agree on who ran each execution', agree);

		// tokens
		const tokenReqs = s.tokenRequests();
		const tokensDuringFirstHalf = tokensAtExpiry - tokensAfterWarmup;
		const tokensAfterExpiry = tokenReqs.length - tokensAtExpiry;
		const unauthorized = s
			.graphRequests()
			.filter((r) => r.at >= expiredAt && r.status === 401).length;
		figures.tokens = {
			warmup: tokensAfterWarmup,
			firstHalf: tokensDuringFirstHalf,
			afterExpiry: tokensAfterExpiry,
			graph401AfterExpiry: unauthorized,
			total: tokenReqs.length,
			executions: MAIN_CALLS + 1,
		};
		console.log(
			`    token requests: warm-up ${tokensAfterWarmup}, first ${MAIN_CALLS / 2} calls ${tokensDuringFirstHalf}, after expiry ${tokensAfterExpiry} (Graph 401s after expiry: ${unauthorized}); total ${tokenReqs.length} for ${MAIN_CALLS + 1} executions`,
		);
		check(
			'no token request before the expiry: both workers used the token stored in Postgres',
			tokensDuringFirstHalf === 0,
			`${tokensDuringFirstHalf}`,
		);
		check(
			'the expired token was rejected by Graph (the expiry hit running executions)',
			unauthorized > 0,
			`${unauthorized} × 401`,
		);
		// Each re-mint is caused by a 401 (n8n calls preAuthentication again only then), and
		// concurrent 401s in one worker share one token request: so at least one, at most one
		// per 401, and never more than the executions that can hold the old token at once.
		const maxHolding = 2 * WORKER_CONCURRENCY;
		check(
			'the expired token was re-minted, a few times (not per execution)',
			tokensAfterExpiry >= 1 && tokensAfterExpiry <= Math.min(unauthorized, maxHolding),
			`${tokensAfterExpiry} token request(s) after expiry, ${unauthorized} × 401, bound ${Math.min(unauthorized, maxHolding)}`,
		);
		check(
			'token requests far below executions',
			tokenReqs.length * 50 <= MAIN_CALLS,
			`${tokenReqs.length} for ${MAIN_CALLS + 1}`,
		);
		const mainRows = await waitForTerminal(db, idBeforeMain, 60_000);
		const mainStatus = countBy(mainRows, (r) => r.status);
		figures.mainExecutionStatus = mainStatus;
		check(
			`Postgres: ${MAIN_CALLS} executions, all success (none failed around the expiry)`,
			mainRows.length === MAIN_CALLS && (mainStatus.success ?? 0) === MAIN_CALLS,
			JSON.stringify(mainStatus),
		);
		const ms = results.map((r) => r.ms);
		figures.mainRun = {
			seconds: mainMs / 1000,
			perSecond: Math.round((MAIN_CALLS / (mainMs / 1000)) * 10) / 10,
			p50ms: percentile(ms, 50),
			p95ms: percentile(ms, 95),
			maxMs: Math.max(...ms),
		};
		console.log(
			`    ${MAIN_CALLS} calls in ${(mainMs / 1000).toFixed(1)} s: ${JSON.stringify(figures.mainRun)}`,
		);

		// ---- 3: SIGKILL worker-2 while it holds executions
		s.faults.latencyMs = KILL_LATENCY_MS; // keep invites in flight so the kill hits some
		const idBeforeKill = maxExecutionId(db);
		const killParticipants = phoneRange(1000, KILL_CALLS);
		const tokensBeforeKill = s.tokenRequests().length;
		let killedAt = 0;
		const killStart = Date.now();
		const killResults = await phase(
			`${KILL_CALLS} calls, Graph latency ${KILL_LATENCY_MS} ms, worker-2 SIGKILLed after ${KILL_AFTER_ANSWERS} answers`,
			async () =>
				await runLoad({
					url,
					participants: killParticipants,
					concurrency: MAIN_CONCURRENCY,
					timeoutMs: REQUEST_TIMEOUT_MS,
					onAnswered: (n) => {
						if (n === KILL_AFTER_ANSWERS) {
							w2.kill9();
							killedAt = Date.now();
						}
					},
				}),
		);
		s.faults.latencyMs = 0;
		const killRows = await phase(
			'wait until every execution is finished, failed or crashed (bounded)',
			async () => await waitForTerminal(db, idBeforeKill, 150_000),
		);
		// Executions worker-2 had started but not finished when it died: read from its whole log
		// now (it is dead, so the log is complete; a copy taken at the kill could miss lines
		// still in the pipe).
		const w2LogAtKill = fs.readFileSync(w2.logFile, 'utf8');
		const started2 = [...w2LogAtKill.matchAll(/Worker started execution (\d+) \(job/g)].map(
			(m) => m[1] ?? '',
		);
		const finished2 = new Set(
			[...w2LogAtKill.matchAll(/Worker finished execution (\d+) \(job/g)].map((m) => m[1] ?? ''),
		);
		const affected = started2.filter((id) => Number(id) > idBeforeKill && !finished2.has(id));
		const w1AfterKill = new Set(executionsStartedIn(w1.logFile));
		const killInvites = inviteRequests(s, killStart);
		const rowById = new Map(killRows.map((r) => [r.id, r]));
		const resultByParticipant = new Map(killResults.map((r) => [r.participant, r]));
		const affectedReport = affected.map((id) => {
			const row = rowById.get(id);
			const participant = row?.participants[0] ?? '?';
			const res = resultByParticipant.get(participant);
			return {
				executionId: id,
				participant,
				finalStatus: row?.status ?? '?',
				retriedOnWorker1: w1AfterKill.has(id),
				invitesSentBy: killInvites.filter((i) => i.executionId === id).map((i) => i.worker),
				simulatorCount: s.inviteCount(DEFAULT_CALL_ID, `phone:${participant}`),
				http: res?.status ?? 0,
			};
		});
		figures.kill = {
			killedAfterMs: killedAt - killStart,
			affected: affectedReport,
			statuses: countBy(killRows, (r) => r.status),
			answered: killResults.filter(answeredWithOperation).length,
			inviteCountHistogram: countBy(
				killParticipants.map((p) => s.inviteCount(DEFAULT_CALL_ID, `phone:${p}`)),
				String,
			),
			distributionByAnswer: countBy(
				killResults.filter(answeredWithOperation),
				(r) => r.body?.worker ?? '?',
			),
			tokenRequests: s.tokenRequests().length - tokensBeforeKill,
			seconds: (Date.now() - killStart) / 1000,
		};
		console.log(
			`    kill-a-worker: ${JSON.stringify(figures.kill, null, 1).replace(/\n\s*/g, ' ')}`,
		);
		check(
			'the kill hit executions in flight on worker-2',
			affected.length > 0,
			`${affected.length} execution(s) started but not finished on worker-2`,
		);
		check(
			'each affected execution was retried by n8n on worker-1 or shows as failed',
			affectedReport.every(
				(a) =>
					(a.retriedOnWorker1 && a.finalStatus === 'success') ||
					['error', 'crashed', 'canceled'].includes(a.finalStatus),
			),
			JSON.stringify(
				affectedReport.map(
					(a) => `${a.executionId}:${a.finalStatus}${a.retriedOnWorker1 ? '(retried)' : ''}`,
				),
			),
		);
		check(
			`Postgres: ${KILL_CALLS} executions for the ${KILL_CALLS} calls, none left running`,
			killRows.length === KILL_CALLS &&
				killRows.every((r) => !['new', 'running', 'waiting'].includes(r.status)),
			JSON.stringify(countBy(killRows, (r) => r.status)),
		);
		// Every participant explained by the simulator's count.
		const affectedSet = new Set(affected);
		const unexplained: string[] = [];
		for (const p of killParticipants) {
			const c = s.inviteCount(DEFAULT_CALL_ID, `phone:${p}`);
			const res = resultByParticipant.get(p);
			const rows = killRows.filter((r) => r.participants.includes(p));
			const row = rows[0];
			const failed = row !== undefined && ['error', 'crashed', 'canceled'].includes(row.status);
			const wasAffected = row !== undefined && affectedSet.has(row.id);
			const sent = killInvites.filter((i) => row !== undefined && i.executionId === row.id).length;
			let why: string | undefined;
			if (rows.length !== 1) why = `${rows.length} executions`;
			else if (c === 0 && !failed)
				why = `never invited, but execution ${row?.status} / HTTP ${res?.status ?? 0}`; // a silent loss
			else if (c >= 1 && !failed && !answeredWithOperation(res))
				why = `invited ${c}×, but HTTP ${res?.status ?? 0}`;
			else if (c > 1 && !wasAffected) why = `invited ${c}× without a retry`;
			else if (c !== sent)
				why = `simulator counted ${c}, its request log shows ${sent} invite(s) for execution ${row?.id}`;
			if (why !== undefined) unexplained.push(`${p}: ${why}`);
		}
		check(
			'no invite lost silently; the simulator count explains every participant (1, or more only for a retried execution)',
			unexplained.length === 0,
			unexplained.slice(0, 5).join('; '),
		);
		// ---- 4: typed prompts, rendered by workers, served by the webhook processor
		await phase(
			'typed prompts served by the webhook processor (Play Prompt on its trigger, a waiting keypress page)',
			async () =>
				await typedPromptChecks({
					sim: s,
					pg: db,
					mainUrl: (mainServer as N8nServer).url,
					webhookProcessorUrl: webhookBase,
					caPem: ca.certPem,
					check,
				}),
		);
		figures.totalSeconds = (Date.now() - suiteStarted) / 1000;
		ok = checks.every((c) => c.ok);
	} catch (e) {
		check('suite ran to the end', false, (e as Error).stack ?? String(e));
	} finally {
		await phase('teardown', async () => {
			await Promise.all(workers.map(async (w) => await w.stop()));
			await webhookProcess?.stop();
			await mainServer?.stop();
			await redis?.stop();
			pg?.stop();
			await sim?.close();
		});
		if (!ok || process.env.E2E_KEEP !== undefined) {
			console.log(
				`    kept for inspection: ${baseDir}; n8n user folders (logs n8n-*.log) are under ${os.tmpdir()}/e2e-n8n1-*`,
			);
		} else {
			fs.rmSync(baseDir, { recursive: true, force: true });
		}
	}
	figures.loadAverage = os.loadavg().map((l) => Math.round(l * 10) / 10);
	figures.cpus = os.cpus().length;
	figures.settings = {
		workers: 2,
		workerConcurrency: WORKER_CONCURRENCY,
		calls: MAIN_CALLS,
		concurrency: MAIN_CONCURRENCY,
		stall: STALL_SETTINGS,
	};
	figures.timings = Object.fromEntries(timings);
	fs.mkdirSync(e2eDir, { recursive: true });
	fs.writeFileSync(
		path.join(e2eDir, 'queue-results.json'),
		`${JSON.stringify(figures, null, 2)}\n`,
	);
	console.log('::: timings');
	for (const [name, s] of timings) console.log(`  ${s.toFixed(1).padStart(7)} s  ${name}`);
	const passed = checks.filter((c) => c.ok).length;
	const failed = checks.length - passed;
	console.log(
		`::: figures written to ${path.relative(process.cwd(), path.join(e2eDir, 'queue-results.json'))}`,
	);
	finishSuite(passed, failed);
}

runSuite(main);
