/**
 * What the end-to-end suite and `npm run demo` share: the node and credential names, the
 * committed workflows (test/e2e/workflows/*.json), the credentials pointing at the Graph
 * simulator, and reading `n8n execute --rawOutput` results.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { CredentialImport, WorkflowImport } from './harness/n8n';
import { repoRoot } from './harness/paths';
import { simulatorCredentialData } from '../../simulator/credentialData';
import { DEFAULT_CLIENT_SECRET, type ClientCertificate, type GraphSimulator } from './simulator';

export const PACKAGE_NAME = 'n8n-nodes-microsoft-graph-calls';
export const NODE_TYPE = `${PACKAGE_NAME}.microsoftGraphCalls`;
export const CREDENTIAL_TYPE = 'microsoftGraphCallsApi';

/** The credential references the committed workflows carry (ids are kept by import:credentials). */
export const SECRET_CREDENTIAL = {
	id: 'e2eGraphSecret',
	name: 'Graph simulator (client secret)',
} as const;
export const CERT_CREDENTIAL = {
	id: 'e2eGraphCert',
	name: 'Graph simulator (certificate)',
} as const;

/** A second app of the simulator's tenant that signs in with a certificate, and a call it owns. */
export const CERT_CLIENT_ID = '3c9d5e7f-1a2b-4c3d-8e9f-0a1b2c3d4e5f';
export const CERT_CALL_ID = 'c3a1f000-5e2d-4b7a-9c10-0000000ce47e';

export const WORKFLOWS_DIR = path.join(__dirname, 'workflows');

/** A committed workflow file; `examples/...` paths are taken from the repository root. */
export function loadWorkflow(file: string): WorkflowImport {
	const full = file.startsWith('examples/')
		? path.join(repoRoot, file)
		: path.join(WORKFLOWS_DIR, file);
	return JSON.parse(fs.readFileSync(full, 'utf8')) as WorkflowImport;
}

/** Point every node of this package in `wf` at `credential` (examples/ ship with "REPLACE_ME"). */
export function useCredential(
	wf: WorkflowImport,
	credential: { id: string; name: string },
	id = wf.id,
): WorkflowImport {
	return {
		...wf,
		id,
		nodes: wf.nodes.map((node) =>
			node.type === NODE_TYPE
				? {
						...node,
						credentials: { [CREDENTIAL_TYPE]: { id: credential.id, name: credential.name } },
					}
				: node,
		),
	};
}

/** Credential data of the Custom cloud pointing at the simulator (which plays Entra and Graph). */
export function secretCredentialData(
	sim: Pick<GraphSimulator, 'origin'>,
	clientSecret: string = DEFAULT_CLIENT_SECRET,
): Record<string, unknown> {
	return simulatorCredentialData(sim.origin, { clientSecret });
}

export function certificateCredentialData(
	sim: GraphSimulator,
	cert: ClientCertificate,
): Record<string, unknown> {
	// The certificate app: no secret, the key and the certificate instead.
	const { clientSecret: _unused, ...fields } = simulatorCredentialData(sim.origin, {
		clientId: CERT_CLIENT_ID,
		authentication: 'certificate',
		privateKey: cert.privateKeyPem,
		certificate: cert.certificatePem,
	});
	return fields;
}

export function secretCredential(sim: GraphSimulator): CredentialImport {
	return { ...SECRET_CREDENTIAL, type: CREDENTIAL_TYPE, data: secretCredentialData(sim) };
}

export function certificateCredential(
	sim: GraphSimulator,
	cert: ClientCertificate,
): CredentialImport {
	return { ...CERT_CREDENTIAL, type: CREDENTIAL_TYPE, data: certificateCredentialData(sim, cert) };
}

export interface OutputItem {
	json: Record<string, unknown>;
	pairedItem?: unknown;
}

interface RawRun {
	status?: string;
	data?: {
		resultData?: {
			error?: { message?: string; node?: { name?: string } | string; description?: string };
			runData?: Record<
				string,
				Array<{ data?: { main?: Array<OutputItem[] | null> }; error?: { message?: string } }>
			>;
		};
	};
}

/** `status` of an `n8n execute --rawOutput` document ("success", "error", ...). */
export function runStatus(json: unknown): string | undefined {
	return (json as RawRun | undefined)?.status;
}

/** The items a node put on its first output in its first run (empty when it did not run). */
export function nodeItems(json: unknown, node: string): OutputItem[] {
	return (
		(json as RawRun | undefined)?.data?.resultData?.runData?.[node]?.[0]?.data?.main?.[0] ?? []
	);
}

/** Names of the nodes that ran. */
export function nodesThatRan(json: unknown): string[] {
	return Object.keys((json as RawRun | undefined)?.data?.resultData?.runData ?? {});
}

/** The error that failed the run, if any: its message and the node it came from. */
export function runError(
	json: unknown,
): { message: string; node: string; description: string } | undefined {
	const error = (json as RawRun | undefined)?.data?.resultData?.error;
	if (error === undefined) return undefined;
	const node = typeof error.node === 'string' ? error.node : (error.node?.name ?? '');
	return { message: error.message ?? '', node, description: error.description ?? '' };
}
