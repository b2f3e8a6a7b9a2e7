/**
 * `npm test`: gives every test process a fresh CA to trust (NODE_EXTRA_CA_CERTS must be set
 * before a process starts, so it is created here), then runs node's test runner over the
 * test files. The simulator signs its server certificate with this CA; nothing turns TLS
 * verification off.
 */
import { spawnSync } from 'node:child_process';
import { randomInt } from 'node:crypto';
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

import { VARIANT_SEED_ENV } from '../simulator/documentedVariants';
import { createCaEnvironment } from './caEnvironment';

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
const files = findTests(join(root, 'test')).filter(
	(file) => filters.length === 0 || filters.some((f) => file.includes(f)),
);
if (files.length === 0) {
	console.error(`No test files match ${filters.join(' ')}`);
	process.exit(1);
}

const ca = createCaEnvironment('graph-calls-test-');
// One seed for every test file's simulator (each file runs in its own process): printed here,
// so that `GRAPH_SIM_VARIANT_SEED=<seed> npm test` replays the whole run's documented variants.
const variantSeed = process.env[VARIANT_SEED_ENV]?.trim() || String(randomInt(1, 2 ** 31 - 1));
console.log(
	`Documented Graph variants chosen with seed ${variantSeed} (replay: ${VARIANT_SEED_ENV}=${variantSeed} npm test)`,
);
console.log(
	`Running ${files.length} test files: ${files.map((f) => relative(root, f)).join(', ')}`,
);
// --test-force-exit: axios 1.16 (inside n8n-core) leaves each request's connect-phase timer
// running until its timeout when redirects are disabled, which would keep every test file
// alive for up to a minute after its last test.
const result = spawnSync(
	process.execPath,
	['--import', 'tsx', '--test', '--test-force-exit', '--test-reporter=spec', ...files],
	{ cwd: root, env: { ...ca.env, [VARIANT_SEED_ENV]: variantSeed }, stdio: 'inherit' },
);
ca.cleanUp();
process.exit(result.status ?? 1);
