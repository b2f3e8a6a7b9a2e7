import {
	NodeConnectionTypes,
	NodeOperationError,
	type IDataObject,
	type IHookFunctions,
	type INodeExecutionData,
	type INodePropertyOptions,
	type INodeType,
	type INodeTypeDescription,
	type IWebhookFunctions,
	type IWebhookResponseData,
} from 'n8n-workflow';

import { CREDENTIAL_TYPE } from '../../lib/entra/credentialType';
import {
	answerAccepted,
	guardedWebhook,
	receiveCallback,
} from '../../lib/notifications/callbackReceiver';
import {
	describeNotification,
	type NotificationEvent,
} from '../../lib/notifications/notificationItems';
import { readReceiverSettings } from '../../lib/notifications/receiverSettings';

interface TriggerOptions {
	allowedTenantIds?: string;
	includeTokenClaims?: boolean;
}

const NOTICE =
	"Paste this node's Production URL (Webhook URLs, above) into the Callback URL of Microsoft Graph Calls › Call › Create and activate the workflow: Graph then posts that call's notifications here. " +
	'Graph only posts to https URLs reachable from the internet: run n8n behind a reverse proxy with a certificate and set WEBHOOK_URL to its public address (the URLs above then show it), or use a tunnel during setup. ' +
	'The Test URL works only while the editor shows "Listening for test event" (one notification, then it stops); calls that should reach an active workflow need the Production URL. ' +
	"Every request must carry a valid token signed by Microsoft's calling platform for this credential's app and an accepted tenant; others get 401 and start nothing, and an exact copy of an accepted notification gets 202 and starts nothing.";

const RECEIVER = 'Microsoft Graph Calls Trigger';

/** Version 1 knew no Tone event: a key pressed stays a call state change, as it was. */
function toneAsVersion1(item: Record<string, unknown>): Record<string, unknown> {
	const { tone: _tone, key: _key, sequenceId: _sequenceId, ...rest } = item;
	return { ...rest, event: 'callStateChanged' };
}

/** Version 1 knew no Incoming Call event: its items stay call state changes, as they were. */
function asVersion1(item: Record<string, unknown>): Record<string, unknown> {
	if (item.event === 'tone') return toneAsVersion1(item);
	if (item.event !== 'incomingCall') return item;
	const { notification, ...rest } = item;
	const kept = Object.fromEntries(
		Object.entries(rest).filter(([key]) => !INCOMING_CALL_KEYS.has(key)),
	);
	return { ...kept, event: 'callStateChanged', notification };
}

const INCOMING_CALL_KEYS = new Set([
	'caller',
	'callee',
	'requestedModalities',
	'callChainId',
	'tenantIdOfCall',
	'isGroupCallInvite',
	'isPolicyBasedRecording',
	'answerWithinSeconds',
	'answerBy',
]);

/**
 * A verified POST (lib/notifications/callbackReceiver.ts): answered 202 at once, then one item
 * per notification of the chosen events.
 */
async function emitNotifications(context: IWebhookFunctions): Promise<IWebhookResponseData> {
	const options = context.getNodeParameter('options', {}) as TriggerOptions;
	const reception = await receiveCallback(context, {
		receiver: RECEIVER,
		acceptedTenantIds: options.allowedTenantIds,
	});
	if (!reception.accepted) return reception.response;
	answerAccepted(context);
	const onlyResults = context.getNodeParameter('onlyOperationResults', false) as boolean;
	const wanted = new Set<NotificationEvent>(
		onlyResults
			? ['operationResult']
			: (context.getNodeParameter('events', []) as NotificationEvent[]),
	);
	const version = context.getNode().typeVersion;
	const receivedAt = new Date().toISOString();
	const items: INodeExecutionData[] = reception.notifications
		.map((notification) => describeNotification(notification))
		.map((item) => (version < 2 ? asVersion1(item) : item))
		.filter(
			(item) =>
				wanted.has(item.event as NotificationEvent) ||
				// An incoming call and a key pressed are also call state changes (saved selections
				// keep getting them).
				((item.event === 'incomingCall' || item.event === 'tone') &&
					wanted.has('callStateChanged')),
		)
		.map((item) => ({
			json: {
				...item,
				tenantId: reception.claims.tenantId,
				receivedAt,
				...(options.includeTokenClaims ? { tokenClaims: { ...reception.claims } } : {}),
			} as IDataObject,
		}));
	if (items.length === 0) return { noWebhookResponse: true };
	return { noWebhookResponse: true, workflowData: [items] };
}

/** The events version 1 offers; version 2 offers them too. */
const VERSION_1_EVENTS: INodePropertyOptions[] = [
	{
		name: 'Call State Changes',
		value: 'callStateChanged',
		description: 'Incoming, establishing, established, terminated…',
	},
	{
		name: 'Operation Results',
		value: 'operationResult',
		description:
			'Final status and resultInfo of invite, mute, play prompt and other operations (choose only this to learn whether an invited person was reached)',
	},
	{
		name: 'Other Notifications',
		value: 'other',
		description: 'Anything else Graph posts',
	},
	{
		name: 'Roster Updates',
		value: 'rosterUpdated',
		description: 'People joining and leaving the call, mute changes',
	},
];

/** Version 2 adds incoming calls and key presses as events of their own. */
const VERSION_2_EVENTS: INodePropertyOptions[] = [
	...VERSION_1_EVENTS,
	{
		name: 'Incoming Call',
		value: 'incomingCall',
		description:
			'Someone calls the bot: caller, callee, call ID and the answer deadline (15 s). Answer, reject or redirect it with the next node. Also emitted when Call State Changes is chosen.',
	},
	{
		name: 'Tone',
		value: 'tone',
		description:
			'A key pressed in the call (after Call › Subscribe to Tone): the tone (tone1, pound…), the key (1, #…) and the call ID. Also emitted when Call State Changes is chosen.',
	},
].sort((a, b) => a.name.localeCompare(b.name));

export class MicrosoftGraphCallsTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Microsoft Graph Calls Trigger',
		name: 'microsoftGraphCallsTrigger',
		icon: {
			light: 'file:../../icons/microsoftGraphCalls.svg',
			dark: 'file:../../icons/microsoftGraphCalls.dark.svg',
		},
		group: ['trigger'],
		// Version 2 folds "Only Operation Results" into Events; version 1 workflows keep their toggle.
		version: [1, 2],
		defaultVersion: 2,
		subtitle:
			'={{ ($parameter["onlyOperationResults"] ? "operation results" : $parameter["events"].join(", ")) }}',
		// n8n shows the trigger's description as the header of the package's group in the node
		// picker, so its first words describe the package, not only the trigger.
		description:
			'Microsoft Teams calls through Microsoft Graph. This trigger starts the workflow when Graph posts a call notification: call state changes, roster updates, results of invites',
		// Opened as it is (see the action node).
		documentationUrl: 'https://www.npmjs.com/package/n8n-nodes-microsoft-graph-calls#trigger',
		defaults: { name: 'Microsoft Graph Calls Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: CREDENTIAL_TYPE, required: true }],
		webhooks: [
			{ name: 'default', httpMethod: 'POST', responseMode: 'onReceived', path: 'notifications' },
		],
		properties: [
			{ displayName: NOTICE, name: 'notice', type: 'notice', default: '' },
			{
				displayName: 'Only Operation Results',
				name: 'onlyOperationResults',
				type: 'boolean',
				default: false,
				description:
					'Whether to emit only the final results of operations (invite, mute…), e.g. to learn whether an invited person was reached',
				displayOptions: { show: { '@version': [1] } },
			},
			{
				displayName: 'Events',
				name: 'events',
				type: 'multiOptions',
				options: VERSION_1_EVENTS,
				default: ['callStateChanged', 'rosterUpdated', 'operationResult', 'other'],
				description: 'Which notifications start the workflow; one item per notification',
				// Version 1: an incoming call is one of the call state changes (no Incoming Call event).
				displayOptions: { show: { onlyOperationResults: [false], '@version': [1] } },
			},
			{
				displayName: 'Events',
				name: 'events',
				type: 'multiOptions',
				options: VERSION_2_EVENTS,
				default: [
					'incomingCall',
					'callStateChanged',
					'tone',
					'rosterUpdated',
					'operationResult',
					'other',
				],
				description: 'Which notifications start the workflow; one item per notification',
				displayOptions: { hide: { '@version': [1] } },
			},
			{
				displayName: 'Options',
				name: 'options',
				type: 'collection',
				placeholder: 'Add Option',
				default: {},
				options: [
					{
						displayName: 'Accepted Tenant IDs',
						name: 'allowedTenantIds',
						type: 'string',
						default: '',
						placeholder:
							'e.g. aa67bd4c-8475-432d-bd41-39f255720e0a, 5810cede-f3cc-42eb-b2c1-e9bd5d53ec96',
						description:
							"Tenant ID GUIDs whose notifications are accepted (the token's tid claim), separated by commas. Empty: the credential's tenant. Required when the credential names its tenant by domain.",
					},
					{
						displayName: 'Include Token Claims',
						name: 'includeTokenClaims',
						type: 'boolean',
						default: false,
						description:
							"Whether to add the verified token's issuer, tenant and expiry to every item",
					},
				],
			},
		],
	};

	/**
	 * Graph has no subscription API for call notifications: the callback URL travels with each
	 * call (Call › Create's Callback URL), so there is nothing to register remotely. checkExists
	 * runs on activation and on "Listen for test event": a trigger that could never accept a
	 * notification (no tenant GUID to compare with) refuses to start, saying what to enter.
	 */
	webhookMethods = {
		default: {
			async checkExists(this: IHookFunctions): Promise<boolean> {
				const fields = (await this.getCredentials(CREDENTIAL_TYPE)) as IDataObject;
				const options = this.getNodeParameter('options', {}) as TriggerOptions;
				const read = readReceiverSettings(fields, options.allowedTenantIds);
				if (!read.ok) throw new NodeOperationError(this.getNode(), read.message);
				return true;
			},
			async create(this: IHookFunctions): Promise<boolean> {
				return true;
			},
			async delete(this: IHookFunctions): Promise<boolean> {
				return true;
			},
		},
	};

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		return await guardedWebhook(this, RECEIVER, async () => await emitNotifications(this));
	}
}
