import * as path from 'node:path';

/** Repository root: this file lives at <repo>/test/e2e/harness/. */
export const repoRoot: string = path.resolve(__dirname, '..', '..', '..');

/** Git-ignored folder holding the real n8n installs (reused across runs). */
export const e2eDir: string = path.join(repoRoot, '.e2e');
