/**
 * `npm run demo:in-process`: the quick look without n8n. Runs the node inside n8n-core's
 * execution context (test/harness) against the Graph simulator; `npm run demo` is the real thing.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

import { createCaEnvironment } from './caEnvironment';

const ca = createCaEnvironment('graph-calls-demo-');
const result = spawnSync(
	process.execPath,
	['--import', 'tsx', join(__dirname, 'demo-in-process-worker.ts')],
	{ env: ca.env, stdio: 'inherit' },
);
ca.cleanUp();
process.exit(result.status ?? 1);
