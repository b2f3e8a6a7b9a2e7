import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { repoRoot } from './paths';
import { runOk } from './proc';

interface PackJson {
	filename: string;
	name: string;
	version: string;
}

/**
 * `npm pack` a package folder into a fresh temp dir and return the tarball path.
 * Packing (rather than linking the work tree) tests exactly what `files` ships.
 */
export async function packFolder(folder: string): Promise<string> {
	const dest = fs.mkdtempSync(path.join(os.tmpdir(), 'e2e-pack-'));
	const r = await runOk('npm', ['pack', '--json', '--pack-destination', dest], { cwd: folder });
	// prepack scripts may print before the JSON array; parse from its first '['.
	const parsed = JSON.parse(r.stdout.slice(r.stdout.indexOf('['))) as PackJson[];
	const first = parsed[0];
	if (first === undefined) throw new Error(`npm pack printed no file:\n${r.stdout}`);
	return path.join(dest, first.filename);
}

/** Build (unless told not to) and pack this repository. */
export async function packRepo(opts: { build?: boolean } = {}): Promise<string> {
	if (opts.build ?? true) {
		const pkg = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as {
			scripts?: Record<string, string>;
		};
		if (pkg.scripts?.build === undefined) throw new Error('package.json has no "build" script yet');
		await runOk('npm', ['run', 'build'], { cwd: repoRoot });
	}
	return await packFolder(repoRoot);
}

/**
 * Install a packed community package the way a self-hosting user does by hand:
 * into `$N8N_USER_FOLDER/.n8n/nodes`, runtime dependencies included.
 *
 * `--legacy-peer-deps` keeps npm >= 7 from installing the `n8n-workflow` peer next to the
 * package: n8n puts its own node_modules on NODE_PATH for community packages, and a second
 * copy of n8n-workflow would break `instanceof` checks on its error classes.
 */
export async function installPackageInto(userFolder: string, tarballPath: string): Promise<string> {
	const nodesDir = path.join(userFolder, '.n8n', 'nodes');
	fs.mkdirSync(nodesDir, { recursive: true });
	const manifest = path.join(nodesDir, 'package.json');
	if (!fs.existsSync(manifest)) {
		fs.writeFileSync(manifest, JSON.stringify({ name: 'installed-nodes', private: true, dependencies: {} }, null, 2));
	}
	await runOk(
		'npm',
		['install', path.resolve(tarballPath), '--omit=dev', '--legacy-peer-deps', '--no-audit', '--no-fund'],
		{ cwd: nodesDir },
	);
	return nodesDir;
}
