import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { repoRoot } from './paths';
import { runOk } from './proc';
import { runReadmeInstall } from './readmeInstall';

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

export type InstallLayout = 'readme' | 'npm' | 'ui';

/**
 * Install a packed community package into `$N8N_USER_FOLDER/.n8n/nodes`, runtime
 * dependencies included, in one of the layouts users end up with:
 *
 * - 'readme' (default): the README's by-hand command, verbatim, with the tarball in place of
 *   the package name (see readmeInstall.ts); fails if npm installed an n8n-workflow there.
 * - 'npm': `npm install <tarball> --legacy-peer-deps` in that folder, for packages other than
 *   this one (the smoke test's dummy declares a non-optional peer). `--legacy-peer-deps` keeps
 *   npm >= 7 from installing the `n8n-workflow` peer there: n8n puts its own node_modules on
 *   NODE_PATH for community packages, and a second n8n-workflow would break `instanceof`
 *   checks on its error classes.
 * - 'ui': what n8n's Settings > Community nodes installer does (1.123 and 2.41 alike): unpack
 *   into nodes/node_modules/<name>, drop dev/peer/optional dependencies from its package.json,
 *   `npm install` inside the package folder (dependencies nested below it), record it in
 *   nodes/package.json.
 */
export async function installPackageInto(
	userFolder: string,
	tarballPath: string,
	layout: InstallLayout = 'readme',
): Promise<string> {
	if (layout === 'readme') {
		const r = await runReadmeInstall(userFolder, tarballPath);
		if (r.n8nWorkflowCopies.length > 0)
			throw new Error(
				`"${r.command}" installed n8n-workflow of its own: ${r.n8nWorkflowCopies.join(', ')}`,
			);
		return r.nodesDir;
	}
	const nodesDir = path.join(userFolder, '.n8n', 'nodes');
	fs.mkdirSync(nodesDir, { recursive: true });
	const manifest = path.join(nodesDir, 'package.json');
	if (!fs.existsSync(manifest)) {
		fs.writeFileSync(
			manifest,
			JSON.stringify({ name: 'installed-nodes', private: true, dependencies: {} }, null, 2),
		);
	}
	const tarball = path.resolve(tarballPath);
	if (layout === 'npm') {
		await runOk(
			'npm',
			['install', tarball, '--omit=dev', '--legacy-peer-deps', '--no-audit', '--no-fund'],
			{ cwd: nodesDir },
		);
		return nodesDir;
	}
	// Staged next to the target so the final rename never crosses filesystems.
	const staging = fs.mkdtempSync(path.join(nodesDir, '.unpack-'));
	await runOk('tar', ['-xzf', tarball, '-C', staging, '--strip-components=1']);
	const pkgFile = path.join(staging, 'package.json');
	// Dropped on purpose, as n8n does (rest siblings, so not "unused").
	const { devDependencies, peerDependencies, optionalDependencies, ...pkg } = JSON.parse(
		fs.readFileSync(pkgFile, 'utf8'),
	) as {
		name: string;
		version: string;
		[k: string]: unknown;
	};
	fs.writeFileSync(pkgFile, JSON.stringify(pkg, null, 2));
	const target = path.join(nodesDir, 'node_modules', pkg.name);
	fs.rmSync(target, { recursive: true, force: true });
	fs.mkdirSync(path.dirname(target), { recursive: true });
	fs.renameSync(staging, target);
	await runOk(
		'npm',
		[
			'install',
			'--audit=false',
			'--fund=false',
			'--bin-links=false',
			'--install-strategy=shallow',
			'--ignore-scripts=true',
			'--package-lock=false',
		],
		{ cwd: target },
	);
	const nodesPkg = JSON.parse(fs.readFileSync(manifest, 'utf8')) as {
		dependencies?: Record<string, string>;
	};
	nodesPkg.dependencies = { ...nodesPkg.dependencies, [pkg.name]: pkg.version };
	fs.writeFileSync(manifest, JSON.stringify(nodesPkg, null, 2));
	return nodesDir;
}
