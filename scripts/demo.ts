/** `npm run demo`: the main job on the built-in defaults (the Graph simulator, no Microsoft tenant). */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

import { createCaEnvironment } from './caEnvironment';

const ca = createCaEnvironment('graph-calls-demo-');
const result = spawnSync(process.execPath, ['--import', 'tsx', join(__dirname, 'demo-in-process.ts')], { env: ca.env, stdio: 'inherit' });
ca.cleanUp();
process.exit(result.status ?? 1);
