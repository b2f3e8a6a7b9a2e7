/**
 * The credential and workflow the queue-mode suite imports: Webhook → Microsoft Graph Calls
 * (Invite) → Respond to Webhook.
 */
import { DEFAULT_CALL_ID } from './simulator';
import type { CredentialImport, WorkflowImport } from '../harness/n8n';
import { secretCredentialData } from '../world';

export const PACKAGE_NAME = 'n8n-nodes-microsoft-graph-calls';
export const NODE_TYPE = `${PACKAGE_NAME}.microsoftGraphCalls`;
export const CREDENTIAL_TYPE = 'microsoftGraphCallsApi';
export const CREDENTIAL_ID = 'queueGraphCred01';
export const CREDENTIAL_NAME = 'Graph simulator (queue suite)';
export const WORKFLOW_ID = 'queueInviteWf001';
export const WEBHOOK_PATH = 'queue-invite';
/** Each n8n process gets its own value; the workflow reads it with `$env`. */
export const WORKER_NAME_ENV = 'E2E_WORKER_NAME';

export function graphCredential(simOrigin: string): CredentialImport {
	return {
		id: CREDENTIAL_ID,
		name: CREDENTIAL_NAME,
		type: CREDENTIAL_TYPE,
		data: secretCredentialData({ origin: simOrigin }),
	};
}

/**
 * POST /webhook/queue-invite {"participant": "+1425555NNNN"} invites that phone number into the
 * simulator's default call and answers
 * {operation, worker, executionId, participant}.
 *
 * Worker identity is recorded twice, by the process that ran the execution:
 * - the answer's `worker` is `$env.E2E_WORKER_NAME` evaluated in the Respond node;
 * - the invite's clientContext is `<worker>/<executionId>`, so the simulator's request log
 *   shows which process sent every Graph request (also those of executions that never answer).
 * Responding through a Respond to Webhook node, not "when last node finishes": n8n 1.123 loses
 * about 1% of the latter's responses in queue mode.
 */
export function inviteWorkflow(): WorkflowImport {
	return {
		id: WORKFLOW_ID,
		name: 'Queue suite: webhook invite',
		active: true,
		settings: { executionOrder: 'v1' },
		nodes: [
			{
				id: 'a1b2c3d4-0000-4000-8000-000000000001',
				name: 'Webhook',
				type: 'n8n-nodes-base.webhook',
				typeVersion: 2,
				position: [0, 0],
				webhookId: 'b7f3c1e2-5d4a-4e6b-9c8d-0f1e2d3c4b5a',
				parameters: {
					httpMethod: 'POST',
					path: WEBHOOK_PATH,
					responseMode: 'responseNode',
					options: {},
				},
			},
			{
				id: 'a1b2c3d4-0000-4000-8000-000000000002',
				name: 'Invite',
				type: NODE_TYPE,
				typeVersion: 1,
				position: [220, 0],
				parameters: {
					resource: 'callParticipant',
					operation: 'invite',
					callId: DEFAULT_CALL_ID,
					participantsMode: 'defineBelow',
					participants: {
						participant: [
							{
								type: 'phone',
								id: '={{ $json.body.participant }}',
								displayName: '=Caller {{ $json.body.participant }}',
							},
						],
					},
					clientContext: `={{ $env.${WORKER_NAME_ENV} + '/' + $execution.id }}`,
					options: {},
				},
				credentials: { [CREDENTIAL_TYPE]: { id: CREDENTIAL_ID, name: CREDENTIAL_NAME } },
			},
			{
				id: 'a1b2c3d4-0000-4000-8000-000000000003',
				name: 'Respond',
				type: 'n8n-nodes-base.respondToWebhook',
				typeVersion: 1.1,
				position: [440, 0],
				parameters: {
					respondWith: 'json',
					responseBody: `={{ JSON.stringify({ operation: $json, worker: $env.${WORKER_NAME_ENV}, executionId: $execution.id, participant: $('Webhook').first().json.body.participant }) }}`,
					options: {},
				},
			},
		],
		connections: {
			Webhook: { main: [[{ node: 'Invite', type: 'main', index: 0 }]] },
			Invite: { main: [[{ node: 'Respond', type: 'main', index: 0 }]] },
		},
	};
}
