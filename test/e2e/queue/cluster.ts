/**
 * n8n in queue mode on real processes: one main (`n8n start`, receives webhooks, enqueues),
 * N workers (`n8n worker --concurrency=5`) and webhook processors (`n8n webhook`), sharing Redis,
 * Postgres and one encryption key. Each process has its own user folder with the package
 * installed into it, as users do.
 */
import type { ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as https from 'node:https';
import * as path from 'node:path';
import type { N8nInstall } from '../harness/install';
import {
	freePort,
	makeCtx,
	n8nCli,
	startServer,
	type N8nCtx,
	type N8nServer,
} from '../harness/n8n';
import { installPackageInto } from '../harness/package';
import { killTree, spawnTracked } from '../harness/proc';
import { WORKER_NAME_ENV } from './workflow';

export interface QueueBackends {
	redisPort: number;
	pgPort: number;
	pgDatabase: string;
	pgUser: string;
	caFile: string;
	/**
	 * WEBHOOK_URL of every process, when webhooks are served elsewhere than by main (a webhook
	 * processor): the URLs executions hand out (waiting URLs) then point there.
	 */
	webhookUrl?: string;
}

/** Bull's stall detection, shortened so a killed worker's jobs are picked up in seconds (defaults: lock 60 s, renew 10 s, stall check 30 s). */
export const STALL_SETTINGS = {
	QUEUE_WORKER_LOCK_DURATION: '10000',
	QUEUE_WORKER_LOCK_RENEW_TIME: '2000',
	QUEUE_WORKER_STALLED_INTERVAL: '5000',
} as const;

/** The environment every process of the cluster shares (the harness adds the fixed N8N_ENCRYPTION_KEY). */
export function queueEnv(b: QueueBackends, name: string): NodeJS.ProcessEnv {
	return {
		NODE_EXTRA_CA_CERTS: b.caFile,
		DB_TYPE: 'postgresdb',
		DB_POSTGRESDB_HOST: '127.0.0.1',
		DB_POSTGRESDB_PORT: String(b.pgPort),
		DB_POSTGRESDB_DATABASE: b.pgDatabase,
		DB_POSTGRESDB_USER: b.pgUser,
		DB_POSTGRESDB_PASSWORD: '',
		EXECUTIONS_MODE: 'queue',
		QUEUE_BULL_REDIS_HOST: '127.0.0.1',
		QUEUE_BULL_REDIS_PORT: String(b.redisPort),
		N8N_WORKER_SERVER_ADDRESS: '127.0.0.1',
		N8N_BLOCK_ENV_ACCESS_IN_NODE: 'false',
		N8N_LOG_LEVEL: 'info', // workers log "Worker started execution <id>" at info
		...STALL_SETTINGS,
		N8N_EXECUTIONS_QUEUE_RECOVERY_INTERVAL: '1', // minutes: main marks executions whose job vanished as crashed
		[WORKER_NAME_ENV]: name,
		...(b.webhookUrl === undefined ? {} : { WEBHOOK_URL: b.webhookUrl }),
	};
}

export interface WorkerProcess {
	name: string;
	ctx: N8nCtx;
	child: ChildProcess;
	healthPort: number;
	logFile: string;
	/** SIGKILL the whole process group (no shutdown, no lock release). */
	kill9(): void;
	stop(): Promise<void>;
}

/** A context (fresh user folder + queue env) with the packed package installed into it. */
export async function makeProcessCtx(
	inst: N8nInstall,
	b: QueueBackends,
	name: string,
	tarball: string,
): Promise<N8nCtx> {
	const ctx = makeCtx(inst, { env: queueEnv(b, name) });
	await installPackageInto(ctx.userFolder, tarball);
	return ctx;
}

function writeJson(ctx: N8nCtx, name: string, value: unknown): string {
	const file = path.join(ctx.userFolder, name);
	fs.writeFileSync(file, JSON.stringify(value, null, 2));
	return file;
}

async function cliOk(ctx: N8nCtx, args: string[]): Promise<void> {
	const r = await n8nCli(ctx, args, 180_000);
	if (r.code !== 0)
		throw new Error(
			`n8n ${args.join(' ')} exited ${r.code ?? r.signal}:\n${`${r.stdout}\n${r.stderr}`.trim().split('\n').slice(-30).join('\n')}`,
		);
}

/** Import before any long-running process starts (the first import also runs the migrations). */
export async function importAll(
	ctx: N8nCtx,
	credentials: unknown[],
	workflows: unknown[],
): Promise<void> {
	await cliOk(ctx, [
		'import:credentials',
		`--input=${writeJson(ctx, 'queue-credentials.json', credentials)}`,
	]);
	await cliOk(ctx, [
		'import:workflow',
		`--input=${writeJson(ctx, 'queue-workflows.json', workflows)}`,
		'--activeState=fromJson',
	]);
}

export async function startMain(ctx: N8nCtx): Promise<N8nServer> {
	return await startServer(ctx, undefined, 180_000);
}

const WORKER_READY_LINE = 'n8n worker is now ready';

/**
 * `n8n worker --concurrency=<c>`. Ready when it logged "n8n worker is now ready" (its Bull
 * queue is processing) and its /healthz/readiness answers 200 (DB and Redis connected).
 */
export async function startWorker(
	ctx: N8nCtx,
	name: string,
	concurrency = 5,
	timeoutMs = 180_000,
): Promise<WorkerProcess> {
	const healthPort = await freePort();
	const logFile = path.join(ctx.userFolder, `n8n-${name}.log`);
	const env = {
		...ctx.env,
		QUEUE_HEALTH_CHECK_ACTIVE: 'true',
		QUEUE_HEALTH_CHECK_PORT: String(healthPort),
	};
	const child = spawnTracked(
		ctx.inst.nodeBin,
		[ctx.inst.n8nBin, 'worker', `--concurrency=${concurrency}`],
		{ cwd: ctx.userFolder, env, logFile },
	);
	let output = '';
	let ready = false;
	const onData = (b: Buffer): void => {
		if (ready) return;
		output += b.toString('utf8');
		if (output.includes(WORKER_READY_LINE)) ready = true;
	};
	child.stdout?.on('data', onData);
	child.stderr?.on('data', onData);
	const handle: WorkerProcess = {
		name,
		ctx,
		child,
		healthPort,
		logFile,
		kill9: () => {
			if (child.pid !== undefined) {
				try {
					process.kill(-child.pid, 'SIGKILL');
				} catch {
					// already gone
				}
			}
		},
		stop: async () => await killTree(child),
	};
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		if (child.exitCode !== null || child.signalCode !== null) {
			throw new Error(
				`worker ${name} exited (${child.exitCode ?? child.signalCode}) before ready; log ${logFile}:\n${output.trim().split('\n').slice(-30).join('\n')}`,
			);
		}
		if (ready && (await readiness(healthPort))) return handle;
		if (Date.now() > deadline) {
			await handle.stop();
			throw new Error(`worker ${name} not ready after ${timeoutMs} ms; log ${logFile}`);
		}
		await new Promise((r) => setTimeout(r, 250));
	}
}

async function readiness(port: number): Promise<boolean> {
	try {
		const r = await fetch(`http://127.0.0.1:${port}/healthz/readiness`, {
			signal: AbortSignal.timeout(2_000),
		});
		return r.ok;
	} catch {
		return false;
	}
}

/** Execution ids a worker logged as started ("Worker started execution <id> (job <n>)"). */
export function executionsStartedIn(logFile: string): string[] {
	const text = fs.existsSync(logFile) ? fs.readFileSync(logFile, 'utf8') : '';
	return [...text.matchAll(/Worker started execution (\d+) \(job/g)].map((m) => m[1] ?? '');
}

export interface WebhookProcess {
	/** http(s)://127.0.0.1:<port> */
	url: string;
	logFile: string;
	stop(): Promise<void>;
}

const WEBHOOK_READY_LINE = 'Webhook listener waiting for requests';

/**
 * `n8n webhook` (a webhook processor: production and waiting webhooks, no editor) on `port`, over
 * https when `tls` is given (Graph downloads prompts and posts notifications only over https).
 * Ready when it says so and /healthz answers.
 */
export async function startWebhookProcess(
	ctx: N8nCtx,
	options: {
		port?: number;
		name?: string;
		tls?: { keyFile: string; certFile: string; caPem: string };
		timeoutMs?: number;
	} = {},
): Promise<WebhookProcess> {
	const port = options.port ?? (await freePort());
	const logFile = path.join(ctx.userFolder, `n8n-${options.name ?? 'webhook'}.log`);
	const tls = options.tls;
	const child: ChildProcess = spawnTracked(ctx.inst.nodeBin, [ctx.inst.n8nBin, 'webhook'], {
		cwd: ctx.userFolder,
		env: {
			...ctx.env,
			N8N_PORT: String(port),
			...(tls === undefined
				? {}
				: { N8N_PROTOCOL: 'https', N8N_SSL_KEY: tls.keyFile, N8N_SSL_CERT: tls.certFile }),
		},
		logFile,
	});
	let output = '';
	child.stdout?.on('data', (b: Buffer) => (output += b.toString('utf8')));
	child.stderr?.on('data', (b: Buffer) => (output += b.toString('utf8')));
	const url = `${tls === undefined ? 'http' : 'https'}://127.0.0.1:${port}`;
	const deadline = Date.now() + (options.timeoutMs ?? 180_000);
	for (;;) {
		if (child.exitCode !== null || child.signalCode !== null)
			throw new Error(`n8n webhook exited before ready; log ${logFile}:\n${output.slice(-2000)}`);
		if (output.includes(WEBHOOK_READY_LINE) && (await healthz(url, tls?.caPem)))
			return { url, logFile, stop: async () => await killTree(child) };
		if (Date.now() > deadline) {
			await killTree(child);
			throw new Error(
				`n8n webhook not ready after ${options.timeoutMs ?? 180_000} ms; log ${logFile}`,
			);
		}
		await new Promise((r) => setTimeout(r, 250));
	}
}

/** Whether GET /healthz answers 200 (over https trusting `caPem` when given). */
async function healthz(url: string, caPem: string | undefined): Promise<boolean> {
	if (caPem === undefined)
		return await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(2_000) })
			.then((r) => r.ok)
			.catch(() => false);
	return await new Promise<boolean>((resolve) => {
		const req = https.get(`${url}/healthz`, { ca: caPem, timeout: 2_000 }, (res) => {
			res.resume();
			resolve(res.statusCode === 200);
		});
		req.on('timeout', () => req.destroy(new Error('timeout')));
		req.on('error', () => resolve(false));
	});
}
