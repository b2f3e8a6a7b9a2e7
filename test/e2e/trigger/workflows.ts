/**
 * What the trigger suite imports into n8n: the credential (Custom cloud = the simulator, with the
 * simulator's notification OpenID configuration), an active workflow holding only the Microsoft
 * Graph Calls Trigger, and examples/escalate-when-unanswered.json parameterised for the run.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { CredentialImport, WorkflowImport, WorkflowNode } from '../harness/n8n';
import { repoRoot } from '../harness/paths';
import { secretCredentialData } from '../world';

export const PACKAGE_NAME = 'n8n-nodes-microsoft-graph-calls';
export const TRIGGER_TYPE = `${PACKAGE_NAME}.microsoftGraphCallsTrigger`;
export const CREDENTIAL_TYPE = 'microsoftGraphCallsApi';
export const CREDENTIAL_ID = 'trigE2eGraphCred';
export const CREDENTIAL_NAME = 'Graph simulator (trigger suite)';

export const TRIGGER_WORKFLOW_ID = 'trigE2eNotifWf01';
export const TRIGGER_NODE = 'Microsoft Graph Calls Trigger';
export const TRIGGER_WEBHOOK_ID = '3f1c2b7e-9a4d-4e1f-8b2c-6d5e4f3a2b10';

export const ESCALATE_WORKFLOW_ID = 'trigE2eEscalate1';
export const EXAMPLE_FILE = path.join(repoRoot, 'examples', 'escalate-when-unanswered.json');
/** The example's node names and people (the ids are those of test/support/calls.ts). */
export const MANUAL_TRIGGER = "When clicking 'Execute workflow'";
export const CREATE_NODE = 'Join incident bridge';
export const RING_NODE = 'Ring on-call engineer';
export const IF_NODE = 'Nobody answered?';
export const BACKUP_NODE = 'Call the backup';
export const ENGINEER = '278405a3-f568-4b3e-b684-009193463064';
export const BACKUP = '7e1b4346-85a6-4bdd-abe3-d11c5d420efe';

/** The production URL n8n serves for the trigger while its workflow is active: <base>/webhook/<webhookId>/<path>. */
export function triggerProductionUrl(n8nUrl: string): string {
	return `${n8nUrl}/webhook/${TRIGGER_WEBHOOK_ID}/notifications`;
}

export function graphCredential(
	simOrigin: string,
	openIdConfigurationUrl: string,
): CredentialImport {
	return {
		id: CREDENTIAL_ID,
		name: CREDENTIAL_NAME,
		type: CREDENTIAL_TYPE,
		data: {
			...secretCredentialData({ origin: simOrigin }),
			notificationOpenIdConfigurationUrl: openIdConfigurationUrl,
		},
	};
}

const credentialRef = { [CREDENTIAL_TYPE]: { id: CREDENTIAL_ID, name: CREDENTIAL_NAME } };

/** Only the trigger, defaults (every event, credential's tenant), with the token claims in the items. */
export function triggerWorkflow(): WorkflowImport {
	return {
		id: TRIGGER_WORKFLOW_ID,
		name: 'Trigger suite: call notifications',
		active: true,
		settings: { executionOrder: 'v1' },
		nodes: [
			{
				id: '3f1c2b7e-0000-4000-8000-000000000001',
				name: TRIGGER_NODE,
				type: TRIGGER_TYPE,
				typeVersion: 1,
				position: [0, 0],
				webhookId: TRIGGER_WEBHOOK_ID,
				parameters: { options: { includeTokenClaims: true } },
				credentials: credentialRef,
			},
		],
		connections: {},
	};
}

interface ExampleJson {
	name: string;
	nodes: WorkflowNode[];
	connections: Record<string, unknown>;
	settings?: Record<string, unknown>;
	pinData?: Record<string, unknown>;
}

export function readExample(): ExampleJson {
	return JSON.parse(fs.readFileSync(EXAMPLE_FILE, 'utf8')) as ExampleJson;
}

/**
 * The example as shipped, with only what a user fills in changed:
 * - the credential reference (the example says "REPLACE_ME"),
 * - Create's Callback URL = the trigger's production URL (the example has a placeholder),
 * - the invite waits shortened 60 s / 5 s → `inviteWaitSeconds` / 1 s so the "nobody answers"
 *   run takes seconds, not a minute (the Create's 30 s / 2 s wait is kept: it returns at once).
 * Nodes, IF condition and connections are untouched.
 */
export function escalateWorkflow(callbackUrl: string, inviteWaitSeconds: number): WorkflowImport {
	const example = readExample();
	const nodes = example.nodes.map((node): WorkflowNode => {
		const n: WorkflowNode = { ...node, parameters: { ...node.parameters } };
		if (n.credentials !== undefined) n.credentials = credentialRef;
		if (n.name === CREATE_NODE) n.parameters.callbackUrl = callbackUrl;
		const options = n.parameters.options as Record<string, unknown> | undefined;
		if ((n.name === RING_NODE || n.name === BACKUP_NODE) && options?.waitForOutcome === true) {
			n.parameters.options = {
				...options,
				waitTimeoutSeconds: inviteWaitSeconds,
				pollIntervalSeconds: 1,
			};
		}
		return n;
	});
	return {
		id: ESCALATE_WORKFLOW_ID,
		name: example.name,
		active: false,
		nodes,
		connections: example.connections,
		settings: example.settings ?? { executionOrder: 'v1' },
		pinData: {},
	};
}

/** A credential like the suite's, whose notification keys come from another OpenID configuration. */
export function keySourceCredential(
	id: string,
	simOrigin: string,
	openIdConfigurationUrl: string,
): CredentialImport {
	return {
		id,
		name: `Graph simulator, keys from ${openIdConfigurationUrl}`,
		type: CREDENTIAL_TYPE,
		data: {
			...secretCredentialData({ origin: simOrigin }),
			notificationOpenIdConfigurationUrl: openIdConfigurationUrl,
		},
	};
}

/** Another workflow holding only the trigger (version 2, every event) on its own webhook ID. */
export function extraTriggerWorkflow(
	id: string,
	name: string,
	webhookId: string,
	credential: { id: string; name: string },
): WorkflowImport {
	return {
		id,
		name,
		active: true,
		settings: { executionOrder: 'v1' },
		nodes: [
			{
				id: `${webhookId.slice(0, 24)}000000000001`,
				name: TRIGGER_NODE,
				type: TRIGGER_TYPE,
				typeVersion: 2,
				position: [0, 0],
				webhookId,
				parameters: {},
				credentials: { [CREDENTIAL_TYPE]: credential },
			},
		],
		connections: {},
	};
}

export function webhookUrl(n8nUrl: string, webhookId: string): string {
	return `${n8nUrl}/webhook/${webhookId}/notifications`;
}
