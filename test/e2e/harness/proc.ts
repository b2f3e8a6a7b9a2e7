import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';

/**
 * Child processes run in their own process group (detached) so that a whole tree
 * (n8n plus its task runners, npm plus node-gyp) can be killed with one signal.
 * The flip side: Ctrl-C no longer reaches them, so every group is tracked here and
 * killed when this process exits for any reason.
 */
const liveGroups = new Set<number>();
let handlersInstalled = false;

function killGroupNow(pid: number, signal: NodeJS.Signals): void {
	try {
		process.kill(-pid, signal);
	} catch {
		// ESRCH: the group is already gone.
	}
}

function installExitHandlers(): void {
	if (handlersInstalled) return;
	handlersInstalled = true;
	// 'exit' handlers must be synchronous: SIGKILL is the only thing that reliably works there.
	process.on('exit', () => {
		for (const pid of liveGroups) killGroupNow(pid, 'SIGKILL');
		liveGroups.clear();
	});
	for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
		process.once(sig, () => {
			// Exit code 128+n like a shell; the 'exit' handler above does the killing.
			const code = sig === 'SIGINT' ? 130 : sig === 'SIGTERM' ? 143 : 129;
			const cleanup = signalCleanup;
			if (cleanup === undefined) process.exit(code);
			// A graceful stop first (see onStopSignal), bounded; the 'exit' handler still kills
			// whatever is left. A second signal while it runs exits at once.
			for (const s of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const)
				process.once(s, () => process.exit(code));
			setTimeout(() => process.exit(code), SIGNAL_CLEANUP_MS).unref();
			cleanup(sig).then(
				(exitCode) => process.exit(exitCode ?? code),
				() => process.exit(code),
			);
		});
	}
}

const SIGNAL_CLEANUP_MS = 20_000;
let signalCleanup: ((signal: NodeJS.Signals) => Promise<number | void>) | undefined;

/**
 * Additive opt-in for long-running foreground tools (npm run dev): on SIGINT/SIGTERM/SIGHUP run
 * `cleanup` (e.g. stop n8n with SIGTERM so it shuts down gracefully) before exiting, with the
 * exit code it returns (default 128+n). Bounded by 20 s; the 'exit' handler then SIGKILLs any
 * group still tracked. Without it a signal exits at once (the default).
 */
export function onStopSignal(cleanup: (signal: NodeJS.Signals) => Promise<number | void>): void {
	installExitHandlers();
	signalCleanup = cleanup;
}

export interface SpawnOptions {
	cwd?: string;
	env?: NodeJS.ProcessEnv;
	/** Append stdout and stderr to this file as they arrive (useful for long or crashing runs). */
	logFile?: string;
}

/** Spawn a tracked child in its own process group. */
export function spawnTracked(
	cmd: string,
	args: readonly string[],
	opts: SpawnOptions = {},
): ChildProcess {
	installExitHandlers();
	const child = spawn(cmd, args, {
		cwd: opts.cwd,
		env: opts.env ?? process.env,
		detached: true,
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	const pid = child.pid;
	if (pid !== undefined) {
		liveGroups.add(pid);
		child.once('exit', () => {
			// The leader is gone; kill stragglers of its group (runner processes) too.
			killGroupNow(pid, 'SIGKILL');
			liveGroups.delete(pid);
		});
	}
	if (opts.logFile !== undefined) {
		const log = fs.createWriteStream(opts.logFile, { flags: 'a' });
		child.stdout?.pipe(log, { end: false });
		child.stderr?.pipe(log, { end: false });
		child.once('close', () => log.end());
	}
	return child;
}

/** SIGTERM the group, SIGKILL it after graceMs; resolves once the leader has exited. */
export async function killTree(child: ChildProcess, graceMs = 10_000): Promise<void> {
	const pid = child.pid;
	if (pid === undefined || child.exitCode !== null || child.signalCode !== null) {
		if (pid !== undefined) killGroupNow(pid, 'SIGKILL');
		return;
	}
	const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
	killGroupNow(pid, 'SIGTERM');
	const timer = setTimeout(() => killGroupNow(pid, 'SIGKILL'), graceMs);
	await exited;
	clearTimeout(timer);
}

export interface RunResult {
	code: number | null;
	signal: NodeJS.Signals | null;
	stdout: string;
	stderr: string;
}

export interface RunOptions extends SpawnOptions {
	/** Kill the process group after this long (default 10 minutes). */
	timeoutMs?: number;
}

/** Run a command to completion, capturing its output. Never rejects on a non-zero exit. */
export async function run(
	cmd: string,
	args: readonly string[],
	opts: RunOptions = {},
): Promise<RunResult> {
	const child = spawnTracked(cmd, args, opts);
	const out: Buffer[] = [];
	const err: Buffer[] = [];
	child.stdout?.on('data', (b: Buffer) => out.push(b));
	child.stderr?.on('data', (b: Buffer) => err.push(b));
	const timeoutMs = opts.timeoutMs ?? 600_000;
	let timedOut = false;
	const timer = setTimeout(() => {
		timedOut = true;
		void killTree(child, 2_000);
	}, timeoutMs);
	return await new Promise<RunResult>((resolve, reject) => {
		child.once('error', (e) => {
			clearTimeout(timer);
			reject(e);
		});
		// 'close' (not 'exit') so that all piped output has been read.
		child.once('close', (code, signal) => {
			clearTimeout(timer);
			const stderr = Buffer.concat(err).toString('utf8');
			resolve({
				code,
				signal,
				stdout: Buffer.concat(out).toString('utf8'),
				stderr: timedOut ? `${stderr}\n[harness] killed after ${timeoutMs} ms` : stderr,
			});
		});
	});
}

/** Like run() but throws with the tail of the output when the exit code is not 0. */
export async function runOk(
	cmd: string,
	args: readonly string[],
	opts: RunOptions = {},
): Promise<RunResult> {
	const r = await run(cmd, args, opts);
	if (r.code !== 0) {
		const tail = `${r.stdout}\n${r.stderr}`.trim().split('\n').slice(-40).join('\n');
		throw new Error(`${cmd} ${args.join(' ')} exited ${r.code ?? r.signal}:\n${tail}`);
	}
	return r;
}
