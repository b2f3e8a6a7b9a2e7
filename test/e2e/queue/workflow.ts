/**
 * The credential and workflows the queue-mode suite imports: Webhook → Microsoft Graph Calls
 * (Invite) → Respond to Webhook for the load; a trigger, a typed Play Prompt and a typed Call and
 * Wait for Keypress for the prompts a webhook processor serves.
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

/** The simulator's app; its notifications are checked against the simulator's signing keys. */
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

const credentials = { [CREDENTIAL_TYPE]: { id: CREDENTIAL_ID, name: CREDENTIAL_NAME } };

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
				credentials,
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

export const PROMPT_TRIGGER_ID = 'queuePromptTrig1';
export const PROMPT_TRIGGER_NODE = 'Call notifications';
export const PROMPT_HOOK = 'b7f3c1e2-5d4a-4e6b-9c8d-0f1e2d3c4b60';
export const TYPED_PROMPT_ID = 'queueTypedPrompt';
export const TYPED_PROMPT_PATH = 'queue-typed-prompt';
export const KEYPRESS_ID = 'queueKeypressWf1';
export const KEYPRESS_PATH = 'queue-keypress';
export const KEYPRESS_NODE_ID = 'a1b2c3d4-0000-4000-8000-000000000032';
const ENGINEER = '278405a3-f568-4b3e-b684-009193463064';
export const PROMPT_WORDS = 'Checkout is down. The on-call engineer has been told.';

/** A Microsoft Graph Calls Trigger for the calls below: one item per operation result. */
export function promptTriggerWorkflow(): WorkflowImport {
	return {
		id: PROMPT_TRIGGER_ID,
		name: 'Queue suite: call notifications (serves typed prompts)',
		active: true,
		nodes: [
			{
				id: 'a1b2c3d4-0000-4000-8000-000000000010',
				name: PROMPT_TRIGGER_NODE,
				type: `${PACKAGE_NAME}.microsoftGraphCallsTrigger`,
				typeVersion: 2,
				position: [0, 0],
				webhookId: PROMPT_HOOK,
				credentials,
				parameters: { events: ['operationResult'], options: {} },
			},
		],
		connections: {},
	};
}

/**
 * POST /webhook/queue-typed-prompt: rings a Teams user with the trigger's Production URL at
 * `webhookBase` (a webhook processor) as the call's callback URL, then says PROMPT_WORDS in the
 * call (Play Prompt, version 3, Prompt From › Text): the link Graph gets is on that trigger. The
 * answer is Play Prompt's item and the worker that ran it.
 */
export function typedPromptWorkflow(webhookBase: string): WorkflowImport {
	return {
		id: TYPED_PROMPT_ID,
		name: 'Queue suite: typed Play Prompt',
		active: true,
		settings: { executionOrder: 'v1' },
		nodes: [
			{
				id: 'a1b2c3d4-0000-4000-8000-000000000020',
				name: 'Webhook',
				type: 'n8n-nodes-base.webhook',
				typeVersion: 2,
				position: [0, 0],
				webhookId: 'b7f3c1e2-5d4a-4e6b-9c8d-0f1e2d3c4b61',
				parameters: {
					httpMethod: 'POST',
					path: TYPED_PROMPT_PATH,
					responseMode: 'responseNode',
					options: {},
				},
			},
			{
				id: 'a1b2c3d4-0000-4000-8000-000000000021',
				name: 'Ring the engineer',
				type: NODE_TYPE,
				typeVersion: 3,
				position: [220, 0],
				credentials,
				parameters: {
					resource: 'call',
					operation: 'create',
					callType: 'peerToPeer',
					callbackUrl: `${webhookBase}/webhook/${PROMPT_HOOK}/notifications`,
					targets: { participant: { id: ENGINEER, displayName: 'On-call engineer' } },
					requestedModalities: ['audio'],
					options: {},
				},
			},
			{
				id: 'a1b2c3d4-0000-4000-8000-000000000022',
				name: 'Say what happened',
				type: NODE_TYPE,
				typeVersion: 3,
				position: [440, 0],
				credentials,
				parameters: {
					resource: 'call',
					operation: 'playPrompt',
					callId: '={{ $json.id }}',
					promptText: PROMPT_WORDS,
					additionalFields: {
						clientContext: `={{ $env.${WORKER_NAME_ENV} + '/' + $execution.id }}`,
					},
					options: {},
				},
			},
			{
				id: 'a1b2c3d4-0000-4000-8000-000000000023',
				name: 'Respond',
				type: 'n8n-nodes-base.respondToWebhook',
				typeVersion: 1.1,
				position: [660, 0],
				parameters: {
					respondWith: 'json',
					responseBody: `={{ JSON.stringify({ playPrompt: $json, worker: $env.${WORKER_NAME_ENV} }) }}`,
					options: {},
				},
			},
		],
		connections: {
			Webhook: { main: [[{ node: 'Ring the engineer', type: 'main', index: 0 }]] },
			'Ring the engineer': { main: [[{ node: 'Say what happened', type: 'main', index: 0 }]] },
			'Say what happened': { main: [[{ node: 'Respond', type: 'main', index: 0 }]] },
		},
	};
}

/**
 * POST /webhook/queue-keypress: Call and Wait for Keypress (version 3, typed prompt, Approval
 * with 1 to acknowledge) to one Teams user (no presence check: that is for phones). A worker renders the words and places the call; the execution then waits, and the
 * waiting webhook (at WEBHOOK_URL: a webhook processor) plays and serves the prompt and takes
 * the key.
 */
export function keypressWorkflow(): WorkflowImport {
	return {
		id: KEYPRESS_ID,
		name: 'Queue suite: typed Call and Wait for Keypress',
		active: true,
		settings: { executionOrder: 'v1' },
		nodes: [
			{
				id: 'a1b2c3d4-0000-4000-8000-000000000030',
				name: 'Webhook',
				type: 'n8n-nodes-base.webhook',
				typeVersion: 2,
				position: [0, 0],
				webhookId: 'b7f3c1e2-5d4a-4e6b-9c8d-0f1e2d3c4b62',
				parameters: {
					httpMethod: 'POST',
					path: KEYPRESS_PATH,
					responseMode: 'onReceived',
					options: {},
				},
			},
			{
				id: KEYPRESS_NODE_ID,
				name: 'Page the engineer',
				type: NODE_TYPE,
				typeVersion: 3,
				position: [220, 0],
				webhookId: 'b7f3c1e2-5d4a-4e6b-9c8d-0f1e2d3c4b63',
				credentials,
				parameters: {
					resource: 'call',
					operation: 'callAndWaitForKeypress',
					people: {
						person: [{ type: 'teamsUser', id: ENGINEER, displayName: 'On-call engineer' }],
					},
					// Said with its menu: "… Press 1 to acknowledge. Press star to hear this again."
					promptText: PROMPT_WORDS,
					responseType: 'approval',
					approvalOptions: {
						values: { approvalType: 'single', approveKey: '1', approveLabel: 'acknowledge' },
					},
					additionalFields: { repeatPrompt: 1 },
					options: {},
				},
			},
		],
		connections: {
			Webhook: { main: [[{ node: 'Page the engineer', type: 'main', index: 0 }]] },
		},
	};
}
