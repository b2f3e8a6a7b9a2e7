/**
 * The trigger's form: the notice, the Events it can emit (version 1's list, version 2's), and its
 * Options. Apart from the node file, which hands over to emitNotifications.ts.
 */
import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';

const README_TRIGGER = 'https://www.npmjs.com/package/n8n-nodes-microsoft-graph-calls#trigger';

/** The trigger's Options collection, as the webhook and the activation check read it. */
export interface TriggerOptions {
	allowedTenantIds?: string;
	includeTokenClaims?: boolean;
}

/** Two sentences; the detail (the token check, what 401 and 202 mean) is in the README's Trigger. */
const NOTICE =
	"Put this node's Production URL into Call › Create's Callback URL (or the bot's calling webhook) and activate the workflow; Graph posts only to https URLs reachable from the internet, so set WEBHOOK_URL behind a reverse proxy, or use a tunnel. " +
	`The Test URL works only while the editor shows "Listening for test event": <a href="${README_TRIGGER}" target="_blank">README › Trigger</a>.`;

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

/** The trigger's fields, in the form's order. */
export const triggerProperties: INodeProperties[] = [
	{ displayName: NOTICE, name: 'notice', type: 'notice', default: '' },
	// Version 2's Events come first: n8n's node picker lists the events of the first property
	// named Events, whatever its version (version 1's list lacks Incoming Call and Tone).
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
		displayName: 'Only Operation Results',
		name: 'onlyOperationResults',
		type: 'boolean',
		default: false,
		description:
			'Whether to emit only the final results of operations (invite, mute…), e.g. to learn whether an invited person was reached',
		displayOptions: { show: { '@version': [1] } },
	},
	{
		displayName: 'Azure AI Speech Prompts',
		name: 'speakWithAzure',
		type: 'boolean',
		default: false,
		description:
			'Whether this trigger also serves typed prompts spoken by Azure AI Speech (Play Prompt, Record Response, hold music, Answer in calls whose notifications come here). Prompts of the offline voice need nothing.',
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
				description: "Whether to add the verified token's issuer, tenant and expiry to every item",
			},
		],
	},
];
