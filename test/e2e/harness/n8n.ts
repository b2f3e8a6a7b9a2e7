import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { installInfo, type Line, type N8nInstall } from './install';
import { killTree, run, runOk, spawnTracked, type RunResult } from './proc';

export { setupOwner, login, restGet, restPost, testCredential } from './rest';

/** One isolated n8n "instance": an install plus its own user folder (DB, keys, nodes). */
export interface N8nCtx {
	inst: N8nInstall;
	userFolder: string;
	env: NodeJS.ProcessEnv;
}

/** Fixed, so that credentials imported by one process decrypt in another (CLI vs server). */
export const E2E_ENCRYPTION_KEY = 'e2e-harness-encryption-key';

/**
 * Environment for a quiet, offline, isolated n8n. The parent's N8N_* and DB_* variables are
 * dropped so a developer's own n8n settings cannot leak in. NODE_EXTRA_CA_CERTS passes
 * through (or comes via `extra`) so n8n trusts the simulator's local https server.
 */
export function n8nEnv(
	line: Line,
	userFolder: string,
	extra: NodeJS.ProcessEnv = {},
): NodeJS.ProcessEnv {
	const base: NodeJS.ProcessEnv = {};
	for (const [k, v] of Object.entries(process.env)) {
		if (!/^(N8N_|DB_|EXECUTIONS_|QUEUE_)/.test(k)) base[k] = v;
	}
	const runners: NodeJS.ProcessEnv =
		line === '1'
			? // 1.x: the Code node runs in-process; no broker port to collide on.
				{ N8N_RUNNERS_ENABLED: 'false' }
			: // 2.x: runners are always on; the broker port is chosen per process in spawnN8n().
				// mcp-registry: a background task that polls api.n8n.io (DNS errors in every log).
				{
					N8N_RUNNERS_MODE: 'internal',
					N8N_RUNNERS_BROKER_LISTEN_ADDRESS: '127.0.0.1',
					N8N_DISABLED_MODULES: 'mcp-registry',
				};
	return {
		...base,
		PATH: installInfo(line).envPath,
		N8N_USER_FOLDER: userFolder,
		N8N_ENCRYPTION_KEY: E2E_ENCRYPTION_KEY,
		N8N_DIAGNOSTICS_ENABLED: 'false',
		N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
		N8N_PERSONALIZATION_ENABLED: 'false',
		N8N_TEMPLATES_ENABLED: 'false',
		N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'false',
		N8N_LISTEN_ADDRESS: '127.0.0.1',
		N8N_HOST: '127.0.0.1',
		N8N_SECURE_COOKIE: 'false', // plain http on loopback
		N8N_GRACEFUL_SHUTDOWN_TIMEOUT: '5', // stop() should not wait the default 30 s
		GENERIC_TIMEZONE: 'UTC',
		...runners,
		...extra,
	};
}

const tempFolders: string[] = [];

/**
 * Temp user folders (DB, logs) are removed when the process exits cleanly, and kept for
 * post-mortem when it fails or E2E_KEEP is set.
 */
function removeTempFoldersOnCleanExit(folder: string): void {
	if (tempFolders.length === 0) {
		process.on('exit', (code) => {
			if (code !== 0 || process.env.E2E_KEEP !== undefined) return;
			for (const d of tempFolders) fs.rmSync(d, { recursive: true, force: true });
		});
	}
	tempFolders.push(folder);
}

/** A context with a fresh user folder under the OS temp dir (or the one given). */
export function makeCtx(
	inst: N8nInstall,
	opts: { userFolder?: string; env?: NodeJS.ProcessEnv } = {},
): N8nCtx {
	let userFolder = opts.userFolder;
	if (userFolder === undefined) {
		userFolder = fs.mkdtempSync(path.join(os.tmpdir(), `e2e-n8n${inst.line}-`));
		removeTempFoldersOnCleanExit(userFolder);
	}
	fs.mkdirSync(userFolder, { recursive: true });
	return { inst, userFolder, env: n8nEnv(inst.line, userFolder, opts.env) };
}

/** A port that was free a moment ago on 127.0.0.1. */
export async function freePort(): Promise<number> {
	return await new Promise<number>((resolve, reject) => {
		const srv = net.createServer();
		srv.once('error', reject);
		srv.listen(0, '127.0.0.1', () => {
			const addr = srv.address();
			srv.close(() =>
				typeof addr === 'object' && addr !== null
					? resolve(addr.port)
					: reject(new Error('no port')),
			);
		});
	});
}

/** Every 2.x process (CLI included) starts a task broker: each needs its own port. */
async function processEnv(ctx: N8nCtx): Promise<NodeJS.ProcessEnv> {
	if (ctx.inst.line === '1' || ctx.env.N8N_RUNNERS_BROKER_PORT !== undefined) return ctx.env;
	return { ...ctx.env, N8N_RUNNERS_BROKER_PORT: String(await freePort()) };
}

/** Run an n8n CLI command to completion. */
export async function n8nCli(
	ctx: N8nCtx,
	args: readonly string[],
	timeoutMs = 120_000,
): Promise<RunResult> {
	return await run(ctx.inst.nodeBin, [ctx.inst.n8nBin, ...args], {
		cwd: ctx.userFolder,
		env: await processEnv(ctx),
		timeoutMs,
	});
}

async function n8nCliOk(ctx: N8nCtx, args: readonly string[]): Promise<RunResult> {
	return await runOk(ctx.inst.nodeBin, [ctx.inst.n8nBin, ...args], {
		cwd: ctx.userFolder,
		env: await processEnv(ctx),
		timeoutMs: 120_000,
	});
}

let importSeq = 0;
function writeImportFile(ctx: N8nCtx, kind: string, value: unknown): string {
	const dir = path.join(ctx.userFolder, 'e2e-imports');
	fs.mkdirSync(dir, { recursive: true });
	const file = path.join(dir, `${kind}-${process.pid}-${++importSeq}.json`);
	fs.writeFileSync(file, JSON.stringify(value, null, 2));
	return file;
}

export interface CredentialImport {
	id: string;
	name: string;
	/** The credential type's `name`, e.g. "microsoftGraphCallsApi". */
	type: string;
	/** Plain text: import:credentials encrypts it with N8N_ENCRYPTION_KEY. */
	data: Record<string, unknown>;
}

/** Import credentials (run before startServer: the CLI and the server share one SQLite file). */
export async function importCredentials(
	ctx: N8nCtx,
	creds: readonly CredentialImport[],
): Promise<void> {
	await n8nCliOk(ctx, [
		'import:credentials',
		`--input=${writeImportFile(ctx, 'credentials', creds)}`,
	]);
}

export interface WorkflowNode {
	id?: string;
	name: string;
	type: string;
	typeVersion: number;
	position: [number, number];
	parameters: Record<string, unknown>;
	/** Keyed by the bare credential type name. */
	credentials?: Record<string, { id: string; name: string }>;
	[extra: string]: unknown;
}

export interface WorkflowImport {
	/** Keep an explicit id: `n8n execute --id` needs it. */
	id: string;
	name: string;
	nodes: WorkflowNode[];
	connections: Record<string, unknown>;
	active?: boolean;
	settings?: Record<string, unknown>;
	[extra: string]: unknown;
}

export async function importWorkflow(ctx: N8nCtx, wf: WorkflowImport): Promise<void> {
	await n8nCliOk(ctx, [
		'import:workflow',
		`--input=${writeImportFile(ctx, 'workflow', { active: false, ...wf })}`,
	]);
}

/** Several workflows with one `import:workflow` (it takes an array): one CLI start instead of many. */
export async function importWorkflows(
	ctx: N8nCtx,
	wfs: readonly WorkflowImport[],
): Promise<RunResult> {
	const file = writeImportFile(
		ctx,
		'workflows',
		wfs.map((wf) => ({ active: false, ...wf })),
	);
	return await n8nCliOk(ctx, ['import:workflow', `--input=${file}`]);
}

export interface ExecuteResult {
	exitCode: number | null;
	/** Set when the process was ended by a signal (exitCode is then null). */
	signal?: NodeJS.Signals | null;
	/** The run's JSON ({data, status, ...}), or undefined when none was printed. */
	json: unknown;
	stdout: string;
	stderr: string;
}

/**
 * The JSON document in `n8n execute --rawOutput` output. 2.x prints log lines first, and a
 * failed run prints "Execution was NOT successful" first: try each line that starts with
 * '{' and take the first that parses through to the last '}'.
 */
export function parseRawOutput(stdout: string): unknown {
	const end = stdout.lastIndexOf('}');
	for (let i = stdout.indexOf('{'); i !== -1 && i < end; i = stdout.indexOf('{', i + 1)) {
		if (i > 0 && stdout[i - 1] !== '\n') continue;
		try {
			return JSON.parse(stdout.slice(i, end + 1)) as unknown;
		} catch {
			// a log line that merely starts with '{': keep looking
		}
	}
	return undefined;
}

/** `n8n execute --id=<id> --rawOutput`. Exit code 1 means the workflow failed (json still set). */
export async function executeWorkflow(
	ctx: N8nCtx,
	id: string,
	timeoutMs = 120_000,
): Promise<ExecuteResult> {
	const r = await n8nCli(ctx, ['execute', `--id=${id}`, '--rawOutput'], timeoutMs);
	return {
		exitCode: r.code,
		signal: r.signal,
		json: parseRawOutput(r.stdout),
		stdout: r.stdout,
		stderr: r.stderr,
	};
}

export interface N8nServer {
	url: string;
	port: number;
	logFile: string;
	stop(): Promise<void>;
}

const READY_LINE = 'Editor is now accessible via';

/**
 * `n8n start` on 127.0.0.1. Resolves when /healthz answers AND the ready line was logged:
 * health answers before community nodes and webhooks are loaded.
 */
export async function startServer(
	ctx: N8nCtx,
	port?: number,
	timeoutMs = 120_000,
): Promise<N8nServer> {
	const p = port ?? (await freePort());
	const url = `http://127.0.0.1:${p}`;
	const logFile = path.join(ctx.userFolder, `n8n-start-${p}.log`);
	const env = { ...(await processEnv(ctx)), N8N_PORT: String(p) };
	const child = spawnTracked(ctx.inst.nodeBin, [ctx.inst.n8nBin, 'start'], {
		cwd: ctx.userFolder,
		env,
		logFile,
	});
	let output = '';
	let readyLogged = false;
	let spawnError: Error | undefined;
	child.once('error', (e) => (spawnError = e));
	const onData = (b: Buffer): void => {
		if (readyLogged) return;
		output += b.toString('utf8');
		if (output.includes(READY_LINE)) readyLogged = true;
	};
	child.stdout?.on('data', onData);
	child.stderr?.on('data', onData);
	// Keep draining after readiness so n8n never blocks on a full pipe.
	const stop = async (): Promise<void> => await killTree(child);
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		if (spawnError !== undefined) throw spawnError;
		if (child.exitCode !== null || child.signalCode !== null) {
			throw new Error(
				`n8n start exited (${child.exitCode ?? child.signalCode}) before ready; log ${logFile}:\n${tail(output)}`,
			);
		}
		if (readyLogged && (await healthy(url))) return { url, port: p, logFile, stop };
		if (Date.now() > deadline) {
			await stop();
			throw new Error(
				`n8n start not ready after ${timeoutMs} ms; log ${logFile}:\n${tail(output)}`,
			);
		}
		await new Promise((r) => setTimeout(r, 250));
	}
}

/**
 * Resolves once n8n routes POSTs on `url` to a workflow, i.e. answers anything but 404. n8n 2.x
 * logs its ready line and answers /healthz before it has finished activating the workflows that
 * were active at start, so the first request to a production webhook can meet "not registered".
 * The probe is an unsigned, empty POST: the Microsoft Graph Calls Trigger answers it 401 and
 * starts nothing.
 */
export async function untilWebhookRegistered(
	url: string,
	timeoutMs = 60_000,
	/** Sends the probe, answers its status: plain fetch, or an https client trusting a test CA. */
	post: (url: string) => Promise<number> = postEmptyJson,
): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	let last = '';
	for (;;) {
		try {
			if ((await post(url)) !== 404) return;
			last = 'HTTP 404';
		} catch (e) {
			last = e instanceof Error ? e.message : String(e);
		}
		if (Date.now() > deadline)
			throw new Error(`${url} was not registered after ${timeoutMs} ms (last: ${last})`);
		await new Promise((resolve) => setTimeout(resolve, 250));
	}
}

async function postEmptyJson(url: string): Promise<number> {
	const r = await fetch(url, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: '{}',
		signal: AbortSignal.timeout(5_000),
	});
	await r.arrayBuffer();
	return r.status;
}

async function healthy(url: string): Promise<boolean> {
	try {
		const r = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(2_000) });
		return r.ok;
	} catch {
		return false;
	}
}

function tail(text: string, lines = 30): string {
	return text.trim().split('\n').slice(-lines).join('\n');
}
