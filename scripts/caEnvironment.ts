import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { createCertificateAuthority, writeCaFiles } from '../simulator/certificates';

export interface CaEnvironment {
	dir: string;
	env: NodeJS.ProcessEnv;
	cleanUp(): void;
}

/**
 * A fresh CA in a temporary folder and the environment that makes a child process trust it.
 * NODE_EXTRA_CA_CERTS is read once at process start, so the process that talks to the simulator
 * must be started after this.
 */
export function createCaEnvironment(prefix: string): CaEnvironment {
	const dir = mkdtempSync(join(tmpdir(), prefix));
	const ca = writeCaFiles(dir, createCertificateAuthority());
	return {
		dir,
		env: {
			...process.env,
			NODE_EXTRA_CA_CERTS: ca.certPath,
			GRAPH_SIM_CA_CERT: ca.certPath,
			GRAPH_SIM_CA_KEY: ca.keyPath,
			// n8n-core's instance settings live in a throwaway user folder, never the developer's.
			N8N_USER_FOLDER: join(dir, 'n8n'),
			N8N_ENCRYPTION_KEY: 'local-only-encryption-key',
			N8N_DIAGNOSTICS_ENABLED: 'false',
			N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'false',
			N8N_LOG_LEVEL: process.env.N8N_LOG_LEVEL ?? 'warn',
			NODE_NO_WARNINGS: '1',
		},
		cleanUp: () => rmSync(dir, { recursive: true, force: true }),
	};
}
