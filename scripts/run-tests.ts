/**
 * `npm test`: gives every test process a fresh CA to trust (NODE_EXTRA_CA_CERTS must be set
 * before a process starts, so it is created here), then runs node's test runner over the
 * test files. The simulator signs its server certificate with this CA; nothing turns TLS
 * verification off.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';

import { createCertificateAuthority, writeCaFiles } from '../test/simulator/certificates';

const root = join(__dirname, '..');

function findTests(dir: string): string[] {
	const found: string[] = [];
	for (const entry of readdirSync(dir)) {
		const path = join(dir, entry);
		if (statSync(path).isDirectory()) {
			if (entry !== 'e2e' && entry !== 'node_modules') found.push(...findTests(path));
		} else if (entry.endsWith('.test.ts')) found.push(path);
	}
	return found.sort();
}

const filters = process.argv.slice(2);
const files = findTests(join(root, 'test')).filter((file) => filters.length === 0 || filters.some((f) => file.includes(f)));
if (files.length === 0) {
	console.error(`No test files match ${filters.join(' ')}`);
	process.exit(1);
}

const workDir = mkdtempSync(join(tmpdir(), 'graph-calls-test-'));
const ca = writeCaFiles(workDir, createCertificateAuthority());
const env = {
	...process.env,
	NODE_EXTRA_CA_CERTS: ca.certPath,
	GRAPH_SIM_CA_CERT: ca.certPath,
	GRAPH_SIM_CA_KEY: ca.keyPath,
	// n8n-core's instance settings live in a throwaway user folder, never the developer's.
	N8N_USER_FOLDER: join(workDir, 'n8n'),
	N8N_ENCRYPTION_KEY: 'test-only-encryption-key',
	N8N_DIAGNOSTICS_ENABLED: 'false',
	N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'false',
	N8N_LOG_LEVEL: process.env.N8N_LOG_LEVEL ?? 'warn',
};
console.log(`Running ${files.length} test files: ${files.map((f) => relative(root, f)).join(', ')}`);
// --test-force-exit: axios 1.16 (inside n8n-core) leaves each request's connect-phase timer
// running until its timeout when redirects are disabled, which would keep every test file
// alive for up to a minute after its last test.
const result = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-force-exit', '--test-reporter=spec', ...files], { cwd: root, env, stdio: 'inherit' });
rmSync(workDir, { recursive: true, force: true });
process.exit(result.status ?? 1);
