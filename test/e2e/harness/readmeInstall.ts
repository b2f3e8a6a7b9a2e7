import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { repoRoot } from './paths';
import { runOk } from './proc';

/** The package name as the README's install command spells it. */
export const PACKAGE_NAME = 'n8n-nodes-microsoft-graph-calls';

/**
 * The README's by-hand install command, read from the README itself so that the e2e suite
 * tests exactly what users copy: the first line of a ```bash block that both changes into
 * `~/.n8n/nodes` and runs `npm install <package name>`. Editing that line in the README
 * changes what the suite runs; removing it fails the suite.
 */
export function readmeInstallCommand(readme: string = readReadme()): string {
	let inBash = false;
	for (const raw of readme.split('\n')) {
		const line = raw.trim();
		if (line.startsWith('```')) {
			inBash = !inBash && /^```(bash|sh|shell)\s*$/.test(line);
			continue;
		}
		if (!inBash) continue;
		const command = line.replace(/\s+#.*$/, ''); // a trailing shell comment is not part of it
		if (command.includes('~/.n8n/nodes') && new RegExp(installRe()).test(command)) return command;
	}
	throw new Error(
		`README.md has no \`\`\`bash line with "cd ~/.n8n/nodes" and "npm install ${PACKAGE_NAME}"`,
	);
}

function readReadme(): string {
	return fs.readFileSync(path.join(repoRoot, 'README.md'), 'utf8');
}

/** `npm install <name>` with the name as a whole word (not a prefix of a longer name). */
function installRe(): string {
	return `\\bnpm (?:install|i) (?:[^&|;]*\\s)?${PACKAGE_NAME.replace(/-/g, '\\-')}(?=$|[\\s;&|])`;
}

/** The command with the package name (only in its `npm install`) replaced by a tarball path. */
export function withTarball(command: string, tarballPath: string): string {
	if (/['"\\$`\s]/.test(tarballPath)) throw new Error(`tarball path needs quoting: ${tarballPath}`);
	const re = new RegExp(installRe());
	const match = re.exec(command);
	if (match === null) throw new Error(`no "npm install ${PACKAGE_NAME}" in: ${command}`);
	const replaced = match[0].slice(0, -PACKAGE_NAME.length) + tarballPath;
	return command.slice(0, match.index) + replaced + command.slice(match.index + match[0].length);
}

/** Every folder called `name` below `dir` (symlinks not followed). */
export function findPackageFolders(dir: string, name: string): string[] {
	const found: string[] = [];
	const walk = (d: string): void => {
		let entries: fs.Dirent[];
		try {
			entries = fs.readdirSync(d, { withFileTypes: true });
		} catch {
			return;
		}
		for (const e of entries) {
			if (!e.isDirectory()) continue;
			const p = path.join(d, e.name);
			if (p.endsWith(`${path.sep}node_modules${path.sep}${name}`)) found.push(p);
			walk(p);
		}
	};
	walk(dir);
	return found;
}

export interface ReadmeInstallResult {
	/** The command as run (README's line, tarball in place of the name). */
	command: string;
	nodesDir: string;
	/** Folders named n8n-workflow that npm put below the nodes folder (should be none). */
	n8nWorkflowCopies: string[];
}

/**
 * Run the README's command in `bash` as a user would: HOME is the n8n user folder (so
 * `~/.n8n/nodes` is where this n8n looks), the nodes folder does not exist beforehand, and
 * none of the repository's npm settings leak in (`npm run` exports its config, including this
 * repository's legacy-peer-deps and ignore-scripts, as npm_config_* variables). Only npm's
 * download cache is shared with the caller's, which changes speed, not behaviour.
 *
 * Fails when npm put an n8n-workflow of its own below the nodes folder: n8n puts its own
 * n8n-workflow on the module path for community packages, and a second copy breaks its error
 * classes' `instanceof` checks (and, as 2.x, fails to build on Node 20).
 */
export async function runReadmeInstall(
	userFolder: string,
	tarballPath: string,
): Promise<ReadmeInstallResult> {
	const command = withTarball(readmeInstallCommand(), path.resolve(tarballPath));
	const env: NodeJS.ProcessEnv = {};
	for (const [k, v] of Object.entries(process.env)) {
		if (!/^npm_/i.test(k)) env[k] = v;
	}
	env.HOME = userFolder;
	env.npm_config_cache = path.join(os.homedir(), '.npm');
	env.npm_config_update_notifier = 'false';
	await runOk('bash', ['-c', command], { cwd: userFolder, env, timeoutMs: 10 * 60_000 });
	const nodesDir = path.join(userFolder, '.n8n', 'nodes');
	const installed = path.join(nodesDir, 'node_modules', PACKAGE_NAME, 'package.json');
	if (!fs.existsSync(installed))
		throw new Error(`"${command}" left no ${path.relative(userFolder, installed)}`);
	return {
		command,
		nodesDir,
		n8nWorkflowCopies: findPackageFolders(nodesDir, 'n8n-workflow'),
	};
}
