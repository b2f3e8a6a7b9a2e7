/**
 * Redis and PostgreSQL for the queue-mode suite: Debian's packages (installed on demand when
 * running as root), started on loopback ports, throwaway data, torn down on any exit.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { runOk, spawnTracked } from '../harness/proc';

const APT_PACKAGES = ['redis-server', 'postgresql'];

function which(cmd: string): string | undefined {
	const r = spawnSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8' });
	const out = r.stdout.trim();
	return r.status === 0 && out !== '' ? out : undefined;
}

/** The newest /usr/lib/postgresql/<v>/bin holding initdb, pg_ctl and postgres. */
function postgresBinDir(): string | undefined {
	const root = '/usr/lib/postgresql';
	if (!fs.existsSync(root)) return undefined;
	const versions = fs
		.readdirSync(root)
		.filter(
			(v) =>
				fs.existsSync(path.join(root, v, 'bin', 'initdb')) &&
				fs.existsSync(path.join(root, v, 'bin', 'pg_ctl')),
		)
		.sort((a, b) => Number(b) - Number(a));
	const v = versions[0];
	return v === undefined ? undefined : path.join(root, v, 'bin');
}

function haveAll(): boolean {
	return (
		which('redis-server') !== undefined &&
		postgresBinDir() !== undefined &&
		which('psql') !== undefined
	);
}

export interface SystemTools {
	redisServer: string;
	pgBin: string;
	psql: string;
	/** What was done: 'present' or 'installed'. */
	how: 'present' | 'installed';
}

/**
 * Make sure redis-server and PostgreSQL are installed. Idempotent: nothing is run when both are
 * there. Otherwise, as root, `apt-get update` once and `apt-get install -y` (non-interactive,
 * no stdin needed); as anyone else, fail with the command to run.
 */
export async function ensureSystemTools(): Promise<SystemTools> {
	let how: SystemTools['how'] = 'present';
	if (!haveAll()) {
		if (typeof process.getuid === 'function' && process.getuid() !== 0) {
			throw new Error(
				`redis-server and postgresql are needed: run as root, or: sudo apt-get install -y ${APT_PACKAGES.join(' ')}`,
			);
		}
		const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
		console.log(`[queue] apt-get install -y ${APT_PACKAGES.join(' ')} ...`);
		// Another apt/dpkg run on the machine holds the lock for a while: wait for it, bounded.
		const lockWait = ['-o', 'DPkg::Lock::Timeout=600'];
		await runOk('apt-get', [...lockWait, 'update'], { env, timeoutMs: 15 * 60_000 });
		await runOk(
			'apt-get',
			[...lockWait, 'install', '-y', '--no-install-recommends', ...APT_PACKAGES],
			{ env, timeoutMs: 20 * 60_000 },
		);
		how = 'installed';
		if (!haveAll())
			throw new Error(
				'apt-get install finished but redis-server / postgresql binaries are still missing',
			);
	}
	return {
		redisServer: which('redis-server') ?? 'redis-server',
		pgBin: postgresBinDir() ?? '',
		psql: which('psql') ?? 'psql',
		how,
	};
}

/** Send one RESP command over TCP; resolves with the first reply line. */
async function redisCommand(port: number, command: string, timeoutMs = 2_000): Promise<string> {
	return await new Promise<string>((resolve, reject) => {
		const sock = net.connect({ host: '127.0.0.1', port });
		let buf = '';
		const timer = setTimeout(() => {
			sock.destroy();
			reject(new Error('redis: timeout'));
		}, timeoutMs);
		sock.on('connect', () => sock.write(`${command}\r\n`));
		sock.on('data', (b) => {
			buf += b.toString('utf8');
			const nl = buf.indexOf('\r\n');
			if (nl !== -1) {
				clearTimeout(timer);
				sock.end();
				resolve(buf.slice(0, nl));
			}
		});
		sock.on('error', (e) => {
			clearTimeout(timer);
			reject(e);
		});
	});
}

export interface RedisHandle {
	port: number;
	logFile: string;
	stop(): Promise<void>;
}

/** redis-server in the foreground (a tracked process group: killed when this process exits). */
export async function startRedis(
	tools: SystemTools,
	port: number,
	dir: string,
): Promise<RedisHandle> {
	const logFile = path.join(dir, 'redis.log');
	const child = spawnTracked(
		tools.redisServer,
		[
			'--port',
			String(port),
			'--bind',
			'127.0.0.1',
			'--protected-mode',
			'yes',
			'--save',
			'',
			'--appendonly',
			'no',
			'--dir',
			dir,
			'--daemonize',
			'no',
		],
		{ cwd: dir, logFile },
	);
	const deadline = Date.now() + 20_000;
	for (;;) {
		if (child.exitCode !== null)
			throw new Error(`redis-server exited ${child.exitCode}; see ${logFile}`);
		try {
			if ((await redisCommand(port, 'PING')) === '+PONG') break;
		} catch {
			// not listening yet
		}
		if (Date.now() > deadline)
			throw new Error(`redis-server not answering PING on ${port}; see ${logFile}`);
		await new Promise((r) => setTimeout(r, 100));
	}
	return {
		port,
		logFile,
		stop: async () => {
			if (child.exitCode !== null || child.signalCode !== null) return;
			const exited = new Promise<void>((r) => child.once('exit', () => r()));
			child.kill('SIGTERM');
			await exited;
		},
	};
}

export interface PostgresHandle {
	port: number;
	database: string;
	user: string;
	dataDir: string;
	logFile: string;
	/** Run SQL, return stdout (unaligned, tuples only). */
	query(sql: string): string;
	stop(): void;
}

const asRoot = (): boolean => typeof process.getuid === 'function' && process.getuid() === 0;

/** Argument vector that runs `cmd` as the postgres user when we are root (initdb refuses root). */
function asPostgres(cmd: string, args: string[]): [string, string[]] {
	return asRoot() ? ['runuser', ['-u', 'postgres', '--', cmd, ...args]] : [cmd, args];
}

/**
 * A throwaway cluster: initdb (as the postgres user) into a fresh folder, pg_ctl start on
 * 127.0.0.1:<port> with fsync off, a database for n8n. An exit handler stops it (immediate
 * mode) however this process ends, short of SIGKILL.
 */
export async function startPostgres(
	tools: SystemTools,
	port: number,
	baseDir: string,
): Promise<PostgresHandle> {
	const root = fs.mkdtempSync(path.join(os.tmpdir(), 'e2e-queue-pg-'));
	const dataDir = path.join(root, 'data');
	const sockDir = path.join(root, 'sock');
	fs.mkdirSync(sockDir);
	// The server writes its log inside the (postgres-owned) cluster folder; it is copied to
	// baseDir when the cluster is stopped, so it survives for a post-mortem.
	const serverLog = path.join(root, 'postgres.log');
	const logFile = path.join(baseDir, 'postgres.log');
	if (asRoot()) execFileSync('chown', ['-R', 'postgres:postgres', root]);
	const bin = (name: string): string => path.join(tools.pgBin, name);
	const [initCmd, initArgs] = asPostgres(bin('initdb'), [
		'-D',
		dataDir,
		'-U',
		'postgres',
		'-A',
		'trust',
		'-E',
		'UTF8',
		'--no-sync',
		'--locale=C',
	]);
	await runOk(initCmd, initArgs, { cwd: root, timeoutMs: 120_000 });
	const opts = `-p ${port} -k ${sockDir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200`;
	const [ctlCmd, ctlArgs] = asPostgres(bin('pg_ctl'), [
		'-D',
		dataDir,
		'-l',
		serverLog,
		'-o',
		opts,
		'-w',
		'-t',
		'60',
		'start',
	]);
	let stopped = false;
	const stop = (): void => {
		if (stopped) return;
		stopped = true;
		const [c, a] = asPostgres(bin('pg_ctl'), ['-D', dataDir, '-m', 'immediate', '-w', 'stop']);
		spawnSync(c, a, { cwd: root, stdio: 'ignore', timeout: 30_000 });
		try {
			fs.copyFileSync(serverLog, logFile);
		} catch {
			// no log yet
		}
		fs.rmSync(root, { recursive: true, force: true });
	};
	process.on('exit', stop); // synchronous: runs on normal exit, failures and the harness's signal handlers
	await runOk(ctlCmd, ctlArgs, { cwd: root, timeoutMs: 90_000 });
	const psqlArgs = (db: string, sql: string): string[] => [
		'-h',
		'127.0.0.1',
		'-p',
		String(port),
		'-U',
		'postgres',
		'-d',
		db,
		'-X',
		'-q',
		'-A',
		'-t',
		'-v',
		'ON_ERROR_STOP=1',
		'-c',
		sql,
	];
	await runOk(tools.psql, psqlArgs('postgres', 'CREATE DATABASE n8n'), { cwd: root });
	return {
		port,
		database: 'n8n',
		user: 'postgres',
		dataDir,
		logFile,
		query: (sql: string) =>
			execFileSync(tools.psql, psqlArgs('n8n', sql), {
				cwd: root,
				encoding: 'utf8',
				maxBuffer: 512 * 1024 * 1024,
				timeout: 60_000,
			}),
		stop,
	};
}
