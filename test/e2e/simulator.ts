/**
 * The part of the Graph simulator (test/simulator) that the end-to-end suite and the demo use,
 * typed here and loaded with a plain `require`.
 *
 * Why not `import`: tsc type-checks every file an import reaches, and test/simulator is written
 * for the repository's tsconfig, not for test/e2e/tsconfig.json's stricter
 * `noUncheckedIndexedAccess` (it reports ~15 errors there). `require()` is not followed by tsc,
 * so the simulator stays checked by `npm run lint` and this file states what e2e relies on.
 * Keep these shapes a subset of test/simulator/types.ts (only additive changes happen there).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

export interface CertificateAuthority {
	certPem: string;
	keyPem: string;
}

export interface ClientCertificate {
	certificatePem: string;
	privateKeyPem: string;
	thumbprintSha256Hex: string;
}

export interface SimulatedApp {
	tenantId: string;
	tenantDomains?: string[];
	clientId: string;
	displayName?: string;
	clientSecret?: string;
	certificatePem?: string;
	roles?: string[];
}

export interface SeededCall {
	id: string;
	ownerClientId: string;
	tenantId: string;
	state?: string;
}

export interface RecordedRequest {
	method: string;
	path: string;
	headers: Record<string, string>;
	body: string;
	status?: number | undefined;
	at: number;
	kind: 'token' | 'graph' | 'metadata' | 'other';
	requestId?: string;
}

export interface InvitationRecord {
	callId: string;
	identityKind: string;
	identityId: string;
	operationId: string;
}

export interface RosterParticipant {
	id: string;
	identityKey: string;
	hidden: boolean;
}

export interface SimulatedCall {
	id: string;
	state: string;
	participants: RosterParticipant[];
}

export interface GraphSimulator {
	origin: string;
	port: number;
	caCertPem: string;
	requests: RecordedRequest[];
	tokenRequests(): RecordedRequest[];
	graphRequests(): RecordedRequest[];
	inviteCount(callId: string, identityKey: string): number;
	invitations: InvitationRecord[];
	issuedTokens: string[];
	expireTokens(): void;
	addApp(app: SimulatedApp): void;
	addCall(call: SeededCall): void;
	getCall(id: string): SimulatedCall | undefined;
	reset(): void;
	close(): Promise<void>;
}

export interface SimulatorOptions {
	port?: number;
	ca?: CertificateAuthority;
	apps?: SimulatedApp[];
	calls?: SeededCall[];
	tokenLifetimeSeconds?: number;
}

interface SimulatorModule {
	startGraphSimulator(options?: SimulatorOptions): Promise<GraphSimulator>;
	defaultApp(): SimulatedApp;
	defaultCall(): SeededCall;
	createCertificateAuthority(commonName?: string): CertificateAuthority;
	createClientCertificate(commonName?: string): ClientCertificate;
	writeCaFiles(dir: string, ca: CertificateAuthority): { certPath: string; keyPath: string };
	DEFAULT_TENANT_ID: string;
	DEFAULT_CLIENT_ID: string;
	DEFAULT_CLIENT_SECRET: string;
	DEFAULT_CALL_ID: string;
}

// eslint-disable-next-line @typescript-eslint/no-require-imports -- see the file comment
const simulator = require(path.join(__dirname, '..', 'simulator')) as SimulatorModule;

for (const name of [
	'startGraphSimulator',
	'defaultApp',
	'defaultCall',
	'createCertificateAuthority',
	'createClientCertificate',
	'writeCaFiles',
] as const) {
	if (typeof simulator[name] !== 'function')
		throw new Error(`test/simulator no longer exports ${name}()`);
}

export const {
	startGraphSimulator,
	defaultApp,
	defaultCall,
	createCertificateAuthority,
	createClientCertificate,
	writeCaFiles,
} = simulator;
export const { DEFAULT_TENANT_ID, DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET, DEFAULT_CALL_ID } =
	simulator;

/** A fresh CA written to `dir` (NODE_EXTRA_CA_CERTS for n8n = certPath). */
export function writeFreshCa(dir: string): { ca: CertificateAuthority; certPath: string } {
	fs.mkdirSync(dir, { recursive: true });
	const ca = createCertificateAuthority();
	return { ca, certPath: writeCaFiles(dir, ca).certPath };
}
