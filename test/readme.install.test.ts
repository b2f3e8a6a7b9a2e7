/**
 * The README's by-hand install line is what the end-to-end suite runs verbatim.
 * These checks keep it findable and keep the package's peer optional, so a plain
 * `npm install` adds no n8n-workflow; the e2e suite then runs the line against real n8n.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';

import { PACKAGE_NAME, readmeInstallCommand, withTarball } from './e2e/harness/readmeInstall';

const root = join(__dirname, '..');

describe("README's by-hand install", () => {
	it('the README has one line that changes into ~/.n8n/nodes and installs the package by name', () => {
		const command = readmeInstallCommand();
		assert.match(command, /cd ~\/\.n8n\/nodes && npm install n8n-nodes-microsoft-graph-calls$/);
		assert.doesNotMatch(command, /--legacy-peer-deps|--force/, 'users should not need a flag');
	});

	it('only the package name is replaced by the tarball, nothing else in the line', () => {
		const line =
			'mkdir -p ~/.n8n/nodes && cd ~/.n8n/nodes && npm install n8n-nodes-microsoft-graph-calls';
		assert.equal(
			withTarball(line, '/tmp/x/n8n-nodes-microsoft-graph-calls-0.1.0.tgz'),
			'mkdir -p ~/.n8n/nodes && cd ~/.n8n/nodes && npm install /tmp/x/n8n-nodes-microsoft-graph-calls-0.1.0.tgz',
		);
		assert.throws(() => withTarball('npm install n8n-nodes-microsoft-graph-calls-extra', '/t.tgz'));
	});

	it('a README without such a line is an error, not a silent skip', () => {
		assert.throws(
			() => readmeInstallCommand('# x\n\n```bash\nnpm install something-else\n```\n'),
			new RegExp(`npm install ${PACKAGE_NAME}`),
		);
	});

	it('package.json: the n8n-workflow peer is "*" (n8n\'s rule) and optional (no copy installed)', () => {
		const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
			peerDependencies?: Record<string, string>;
			peerDependenciesMeta?: Record<string, { optional?: boolean }>;
		};
		assert.deepEqual(pkg.peerDependencies, { 'n8n-workflow': '*' });
		assert.equal(pkg.peerDependenciesMeta?.['n8n-workflow']?.optional, true);
	});
});
