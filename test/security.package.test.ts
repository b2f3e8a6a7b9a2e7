/**
 * The published package holds only what n8n needs: dist, index.js, README.md, LICENSE and
 * package.json; no test, key, certificate, TypeScript source or source map. Runs
 * `npm pack --dry-run --json` (builds dist first on a clean clone, where it does not exist yet).
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';

const root = join(__dirname, '..');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

interface PackedFile {
	path: string;
	size: number;
}

describe('The published package', () => {
	let files: PackedFile[];
	let manifest: {
		n8n: { nodes: string[]; credentials: string[] };
		main: string;
		scripts?: Record<string, string>;
	};

	before(() => {
		manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as typeof manifest;
		const entryPoints = [...manifest.n8n.nodes, ...manifest.n8n.credentials];
		if (!entryPoints.every((path) => existsSync(join(root, path)))) {
			execFileSync(npm, ['run', 'build'], { cwd: root, stdio: 'pipe' });
		}
		const output = execFileSync(npm, ['pack', '--dry-run', '--json', '--ignore-scripts'], {
			cwd: root,
			encoding: 'utf8',
			stdio: ['ignore', 'pipe', 'pipe'],
		});
		const [pack] = JSON.parse(output) as { files: PackedFile[] }[];
		files = pack.files;
	});

	it('holds only dist/, index.js, README.md, LICENSE and package.json', () => {
		const outside = files
			.map((f) => f.path)
			.filter(
				(path) =>
					!path.startsWith('dist/') &&
					!['index.js', 'README.md', 'LICENSE', 'package.json'].includes(path),
			);
		assert.deepEqual(outside, []);
		for (const required of ['index.js', 'README.md', 'LICENSE', 'package.json'])
			assert.ok(
				files.some((f) => f.path === required),
				`${required} is packed`,
			);
	});

	it('holds every node and credential that package.json names, and what index.js loads', () => {
		const paths = new Set(files.map((f) => f.path));
		for (const path of [...manifest.n8n.nodes, ...manifest.n8n.credentials])
			assert.ok(paths.has(path), `${path} is packed`);
		const index = readFileSync(join(root, 'index.js'), 'utf8');
		for (const [, required] of index.matchAll(/require\('\.\/([^']+)'\)/g))
			assert.ok(paths.has(`${required}.js`), `${required}.js is packed`);
	});

	it('holds no test, fixture, simulator, key, certificate, TypeScript source or source map', () => {
		const forbidden =
			/(^|\/)(test|tests|__tests__|fixtures|simulator|e2e|scripts|docs)\/|\.test\.|\.spec\.|\.(pem|key|crt|cer|der|p12|pfx|jks|map|tgz|env|log)$|(^|\/)\.(npmrc|env)|\.ts$/;
		const offending = files
			.map((f) => f.path)
			.filter((path) => forbidden.test(path) && !path.endsWith('.d.ts'));
		assert.deepEqual(offending, []);
	});

	it('no packed file holds key material, a simulator secret, or a source map reference', () => {
		const problems: string[] = [];
		for (const { path } of files) {
			if (!/\.(js|json|md|svg|ts)$/.test(path) && path !== 'LICENSE') continue;
			const text = readFileSync(join(root, path), 'utf8');
			// A real PEM block: the armour line followed by base64 (the form's placeholders have none).
			if (/-----BEGIN [A-Z ]+-----(\\n|\s)*[A-Za-z0-9+/=]{40,}/.test(text))
				problems.push(`${path}: PEM block`);
			if (/\bMII[A-Za-z0-9+/]{60,}/.test(text))
				problems.push(`${path}: DER key or certificate in base64`);
			if (text.includes('sim-secret-')) problems.push(`${path}: simulator secret`);
			if (/sourceMappingURL=/.test(text)) problems.push(`${path}: source map reference`);
		}
		assert.deepEqual(problems, []);
	});

	it("runs no install-time scripts on the user's machine", () => {
		for (const name of ['preinstall', 'install', 'postinstall', 'prepare'])
			assert.equal(manifest.scripts?.[name], undefined, `no ${name} script`);
	});
});
