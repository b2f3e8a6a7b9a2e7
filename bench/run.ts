/**
 * `npm run bench`: creates a throwaway CA (NODE_EXTRA_CA_CERTS must be set before a process
 * starts), then runs bench/cases.ts in one child process with --expose-gc. Never part of npm test.
 *
 * `npm run bench -- --n8n` then runs `npm run bench:n8n` (bench/n8n.ts: real n8n beside the
 * HTTP Request node, ~10-15 min) as well; each writes its own section of bench/RESULTS.md.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { createCertificateAuthority, writeCaFiles } from '../simulator/certificates';

const root = join(__dirname, '..');
const workDir = mkdtempSync(join(tmpdir(), 'graph-calls-bench-'));
const ca = writeCaFiles(workDir, createCertificateAuthority());
const env = {
	...process.env,
	NODE_EXTRA_CA_CERTS: ca.certPath,
	GRAPH_SIM_CA_CERT: ca.certPath,
	GRAPH_SIM_CA_KEY: ca.keyPath,
	N8N_USER_FOLDER: join(workDir, 'n8n'),
	N8N_ENCRYPTION_KEY: 'bench-only-encryption-key',
	N8N_DIAGNOSTICS_ENABLED: 'false',
	N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'false',
	N8N_LOG_LEVEL: 'error',
	NODE_NO_WARNINGS: '1',
};
const withN8n = process.argv.includes('--n8n');
const args = process.argv.slice(2).filter((a) => a !== '--n8n');
const result = spawnSync(
	process.execPath,
	['--expose-gc', '--import', 'tsx', join(__dirname, 'cases.ts'), ...args],
	{ cwd: root, env, stdio: 'inherit' },
);
rmSync(workDir, { recursive: true, force: true });
if (result.status !== 0 || !withN8n) {
	if (result.status === 0)
		console.log(
			'Real n8n beside the HTTP Request node: npm run bench:n8n (or npm run bench -- --n8n).',
		);
	process.exit(result.status ?? 1);
}
const n8n = spawnSync(process.execPath, ['--import', 'tsx', join(__dirname, 'n8n.ts')], {
	cwd: root,
	stdio: 'inherit',
});
process.exit(n8n.status ?? 1);
