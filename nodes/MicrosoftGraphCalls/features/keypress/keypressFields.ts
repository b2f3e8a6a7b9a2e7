/**
 * The form of Call and Wait for Keypress. Version 1 and 2 nodes call one person (Call › Teams
 * User or Phone Number) and go on at an accepted key; version 3 nodes page a rota (People to
 * Call, in turn or all at once, for several rounds) with an Approval or a menu of keys, as n8n's
 * send-and-wait operations name them (Response Type, Approval Options, Limit Wait Time).
 */
import type { INodeProperties } from 'n8n-workflow';

import { additionalFieldsField } from '../../descriptions/common';
import { checkPromptFormatField, promptUrlField } from '../../descriptions/mediaFields';
import {
	promptSourceFields,
	promptTextField,
	spokenVoiceFields,
} from '../../descriptions/promptFields';
import { optionsField, plainOptionsField } from '../../descriptions/requestOptions';
import { KEYPRESS_LIMITS } from './keypressOptions';
import { PHONE_KEYS } from './pageMenu';
import { PAGE_LIMITS } from './pagePlan';
import { PAGE_MESSAGES } from './promptSource';
import { limitWaitTimeOption } from './waitLimit';

const LEGACY = { show: { '@version': [1, 2] } };
const NEW = { hide: { '@version': [1, 2] } };

const keyOptions = PHONE_KEYS.filter((key) => key !== '*').map((key) => ({
	name: key,
	value: key,
}));

/** Version 1 and 2: one person. */
const onePersonFields: INodeProperties[] = [
	{
		displayName: 'Call',
		name: 'keypressTarget',
		type: 'options',
		noDataExpression: true,
		options: [
			{ name: 'Teams User', value: 'teamsUser' },
			{ name: 'Phone Number', value: 'phoneNumber' },
		],
		default: 'teamsUser',
		displayOptions: LEGACY,
	},
	{
		displayName: 'User ID',
		name: 'userId',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. 278405a3-f568-4b3e-b684-009193463064',
		description: "The Teams user's Entra object ID",
		displayOptions: { show: { keypressTarget: ['teamsUser'], '@version': [1, 2] } },
	},
	{
		displayName: 'Phone Number',
		name: 'phoneNumber',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. +14255550101',
		description: 'The number to call, in E.164',
		displayOptions: { show: { keypressTarget: ['phoneNumber'], '@version': [1, 2] } },
	},
];

/** Version 3: the rota. */
const rotaFields: INodeProperties[] = [
	{
		displayName: 'Take People From',
		name: 'peopleSource',
		type: 'options',
		noDataExpression: true,
		options: [
			{ name: 'This Form', value: 'form', description: 'The people listed below' },
			{
				name: 'Input Items',
				value: 'inputItems',
				description: 'One person per input item, e.g. from your on-call schedule',
			},
		],
		default: 'form',
		displayOptions: NEW,
	},
	{
		displayName: 'People to Call',
		name: 'people',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true, sortable: true },
		placeholder: 'Add Person',
		default: { person: [{ type: 'teamsUser', id: '' }] },
		description: `Who is paged, in this order when called in turn (up to ${PAGE_LIMITS.people.max})`,
		displayOptions: { show: { peopleSource: ['form'] }, hide: { '@version': [1, 2] } },
		options: [
			{
				name: 'person',
				displayName: 'Person',
				// Type first: it decides which of the fields below show (not alphabetical on purpose).
				// eslint-disable-next-line n8n-nodes-base/node-param-fixed-collection-type-unsorted-items
				values: [
					{
						displayName: 'Type',
						name: 'type',
						type: 'options',
						options: [
							{ name: 'Teams User', value: 'teamsUser' },
							{ name: 'Phone Number', value: 'phoneNumber' },
						],
						default: 'teamsUser',
					},
					{
						displayName: 'User ID',
						name: 'id',
						type: 'string',
						default: '',
						placeholder: 'e.g. 278405a3-f568-4b3e-b684-009193463064',
						description: "The Teams user's Entra object ID",
						displayOptions: { show: { type: ['teamsUser'] } },
					},
					{
						displayName: 'Phone Number',
						name: 'id',
						type: 'string',
						default: '',
						placeholder: 'e.g. +14255550101',
						description: 'The number to call, in E.164 (calls come from the Resource Account)',
						displayOptions: { show: { type: ['phoneNumber'] } },
					},
					{
						displayName: 'Display Name',
						name: 'displayName',
						type: 'string',
						default: '',
						placeholder: 'e.g. Alex Wilber',
						description: 'Who this is, as the output and the chat post name them',
					},
					{
						displayName: 'Tenant ID',
						name: 'tenantId',
						type: 'string',
						default: '',
						placeholder: 'e.g. aa67bd4c-8475-432d-bd41-39f255720e0a',
						description: "Only for a user of another tenant: that tenant's ID",
						displayOptions: { show: { type: ['teamsUser'] } },
					},
				],
			},
		],
	},
	{
		displayName: 'Person Field',
		name: 'personField',
		type: 'string',
		default: 'phone',
		placeholder: 'e.g. phone',
		description:
			"The field of each input item that holds the person: a phone number in E.164, or a Teams user's Entra object ID",
		displayOptions: { show: { peopleSource: ['inputItems'] }, hide: { '@version': [1, 2] } },
	},
	{
		displayName: 'Person Name Field',
		name: 'personNameField',
		type: 'string',
		default: 'name',
		placeholder: 'e.g. name',
		description: 'The field of each input item with the person’s name (optional)',
		displayOptions: { show: { peopleSource: ['inputItems'] }, hide: { '@version': [1, 2] } },
	},
	{
		displayName: 'Call Order',
		name: 'callOrder',
		type: 'options',
		noDataExpression: true,
		options: [
			{
				name: 'In Turn',
				value: 'inTurn',
				description:
					'One after another: a decline, no answer or voicemail moves on to the next person at once',
			},
			{
				name: 'All at Once',
				value: 'allAtOnce',
				description: `Everyone rings together (up to ${PAGE_LIMITS.peopleAtOnce}); the first choice wins and the other calls end`,
			},
		],
		default: 'inTurn',
		displayOptions: NEW,
	},
	{
		displayName: 'Rounds',
		name: 'rounds',
		type: 'number',
		typeOptions: {
			minValue: PAGE_LIMITS.rounds.min,
			maxValue: PAGE_LIMITS.rounds.max,
			numberPrecision: 0,
		},
		default: 1,
		description: 'How many times the list is called through while nobody chooses',
		displayOptions: { show: { callOrder: ['inTurn'] }, hide: { '@version': [1, 2] } },
	},
	{
		displayName: 'Delay Between Rounds (Seconds)',
		name: 'delaySeconds',
		type: 'number',
		typeOptions: {
			minValue: PAGE_LIMITS.delaySeconds.min,
			maxValue: PAGE_LIMITS.delaySeconds.max,
			numberPrecision: 0,
		},
		default: 0,
		description: 'The pause before calling the list again',
		displayOptions: { show: { callOrder: ['inTurn'] }, hide: { '@version': [1, 2] } },
	},
];

const resourceAccountField = (displayOptions: INodeProperties['displayOptions']) => ({
	displayName: 'Resource Account ID',
	name: 'applicationInstanceId',
	type: 'string' as const,
	default: '',
	placeholder: 'e.g. 3d913abb-aec0-4964-8fa6-3c6850c4f278',
	description:
		'Object ID of the Teams resource account (application instance) with a phone number, linked to this app, that calls to phone numbers come from',
	displayOptions,
});

const promptFields: INodeProperties[] = [
	...promptSourceFields({
		choices: ['text', 'url', 'binary'],
		legacyDefault: 'url',
		newDefault: 'text',
	}),
	{
		...promptTextField({ promptSource: ['text'] }),
		placeholder: 'e.g. {{ $json.alert }}. Checkout is failing for all customers.',
		description:
			'What the person hears first; the menu follows ("Press 1 to …", from the keys’ labels). Expressions work. Text that starts with &lt;speak&gt; is SSML. At most 5,000 characters.',
	},
	...spokenVoiceFields({ promptSource: ['text'] }),
	{
		...promptUrlField(
			'promptUrl',
			'Prompt URL',
			'HTTPS URL of the WAV file played when the call is answered',
		),
		required: true,
		displayOptions: { show: { promptSource: ['url'] } },
	},
	{
		displayName: 'Input Binary Field',
		name: 'promptBinaryField',
		type: 'string',
		required: true,
		default: 'data',
		placeholder: 'e.g. data',
		hint: 'The name of the input binary field holding the WAV prompt',
		description:
			"The prompt must be WAV, mono, 16-bit, 16 kHz; it is checked before anyone is called. Graph downloads it from this node's waiting URL at a link only the credential can make, which works only while the execution waits.",
		displayOptions: { show: { promptSource: ['binary'] } },
	},
];

/** Version 3: what the keys mean (n8n's send-and-wait names: Response Type, Approval Options). */
const responseFields: INodeProperties[] = [
	{
		displayName: 'Response Type',
		name: 'responseType',
		type: 'options',
		noDataExpression: true,
		options: [
			{
				name: 'Approval',
				value: 'approval',
				description:
					'Keys to approve (and optionally decline); the output has data.approved, like n8n’s Slack and Teams approvals',
			},
			{
				name: 'Menu of Keys',
				value: 'menu',
				description: 'Keys with your labels: finish with a choice, or join a call',
			},
		],
		default: 'approval',
		displayOptions: NEW,
	},
	{
		displayName: 'Approval Options',
		name: 'approvalOptions',
		type: 'fixedCollection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: { show: { responseType: ['approval'] }, hide: { '@version': [1, 2] } },
		options: [
			{
				displayName: 'Values',
				name: 'values',
				// Type of Approval first, as n8n's send-and-wait forms have it: it decides what shows below.
				// eslint-disable-next-line n8n-nodes-base/node-param-fixed-collection-type-unsorted-items
				values: [
					{
						displayName: 'Type of Approval',
						name: 'approvalType',
						type: 'options',
						options: [
							{ name: 'Approve Only', value: 'single' },
							{ name: 'Approve and Disapprove', value: 'double' },
						],
						default: 'single',
					},
					{
						displayName: 'Approve Key',
						name: 'approveKey',
						type: 'options',
						options: keyOptions,
						default: '1',
					},
					{
						displayName: 'Approve Label',
						name: 'approveLabel',
						type: 'string',
						default: 'approve',
						placeholder: 'e.g. acknowledge',
						description: 'Said as "Press 1 to approve"',
					},
					{
						displayName: 'Disapprove Key',
						name: 'disapproveKey',
						type: 'options',
						options: keyOptions,
						default: '2',
						displayOptions: { show: { approvalType: ['double'] } },
					},
					{
						displayName: 'Disapprove Label',
						name: 'disapproveLabel',
						type: 'string',
						default: 'decline',
						placeholder: 'e.g. decline',
						displayOptions: { show: { approvalType: ['double'] } },
					},
				],
			},
		],
	},
	{
		displayName: 'Menu',
		name: 'menu',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true, sortable: true },
		placeholder: 'Add Key',
		default: { choice: [{ key: '1', label: 'acknowledge', does: 'finish' }] },
		description:
			'Each key, what the person hears for it, and what it does. * always repeats the menu; other keys hear "That is not an option" and the menu again.',
		displayOptions: { show: { responseType: ['menu'] }, hide: { '@version': [1, 2] } },
		options: [
			{
				name: 'choice',
				displayName: 'Key',
				values: [
					{
						displayName: 'Key',
						name: 'key',
						type: 'options',
						options: keyOptions,
						default: '1',
					},
					{
						displayName: 'Label',
						name: 'label',
						type: 'string',
						default: '',
						placeholder: 'e.g. join the bridge',
						description: 'Said as "Press 2 to join the bridge", and the output’s label',
					},
					{
						displayName: 'Action',
						name: 'does',
						type: 'options',
						options: [
							{
								name: 'Finish With This Choice',
								value: 'finish',
								description: 'The node goes on with this key',
							},
							{
								name: 'Move Into a Call',
								value: 'moveIntoCall',
								description:
									'The person joins a group call or meeting the app is in, leaving this call; the node goes on',
							},
						],
						default: 'finish',
					},
					{
						displayName: 'Call ID to Join',
						name: 'callId',
						type: 'string',
						default: '',
						placeholder: 'e.g. {{ $json.bridgeCallId }}',
						description:
							'ID of the group call or meeting the app is in (Call › Create outputs it as its ID)',
						displayOptions: { show: { does: ['moveIntoCall'] } },
					},
				],
			},
		],
	},
];

const legacyAdditional = additionalFieldsField([
	{
		displayName: 'Accepted Keys',
		name: 'acceptedKeys',
		type: 'string',
		default: '1',
		placeholder: 'e.g. 1#',
		description: 'Keys that acknowledge (0-9, *, #); other keys are ignored',
	},
	checkPromptFormatField,
	{
		displayName: 'Hang Up When Done',
		name: 'hangUpWhenDone',
		type: 'boolean',
		default: true,
		description:
			'Whether to end the call when the node goes on while the call is still up: an accepted key was pressed, the prompt was played Repeat Prompt times without one, or it could not be played',
	},
	{
		displayName: 'Repeat Prompt',
		name: 'repeatPrompt',
		type: 'number',
		typeOptions: {
			minValue: KEYPRESS_LIMITS.repeatPrompt.min,
			maxValue: KEYPRESS_LIMITS.repeatPrompt.max,
			numberPrecision: 0,
		},
		default: 2,
		description:
			'How many times the prompt is played while nobody presses an accepted key. After the last one the node goes on with outcome "timeout".',
	},
	{
		displayName: 'Give Up After (Seconds)',
		name: 'timeoutSeconds',
		type: 'number',
		typeOptions: {
			minValue: KEYPRESS_LIMITS.timeoutSeconds.min,
			maxValue: KEYPRESS_LIMITS.timeoutSeconds.max,
			numberPrecision: 0,
		},
		default: 120,
		description:
			"The longest the execution waits. Then n8n goes on with this node's input item unchanged (no outcome field), and the call is not hung up.",
	},
]);

const messageField = (
	which: keyof typeof PAGE_MESSAGES,
	displayName: string,
	description: string,
) => ({
	displayName,
	name: PAGE_MESSAGES[which].field,
	type: 'string' as const,
	default: PAGE_MESSAGES[which].text,
	description,
});

const newAdditional = additionalFieldsField([
	checkPromptFormatField,
	{
		displayName: 'Confirm a Person Answered',
		name: 'confirmPresence',
		type: 'boolean',
		default: true,
		description:
			'Whether calls to phone numbers first ask to press any key, so that a voicemail box cannot take the alert (it moves on to the next person)',
	},
	{
		displayName: 'Hang Up When Done',
		name: 'hangUpWhenDone',
		type: 'boolean',
		default: true,
		description: 'Whether to end the call when the node goes on while it is still up',
	},
	messageField('presence', 'Presence Check Text', 'What a phone call says first, before the alert'),
	{
		displayName: 'Repeat Prompt',
		name: 'repeatPrompt',
		type: 'number',
		typeOptions: {
			minValue: KEYPRESS_LIMITS.repeatPrompt.min,
			maxValue: KEYPRESS_LIMITS.repeatPrompt.max,
			numberPrecision: 0,
		},
		default: 2,
		description:
			'How many times the alert and menu are played while nobody presses a key; then this person’s call ends with outcome "timeout"',
	},
	{
		displayName: 'Say the Menu',
		name: 'sayMenu',
		type: 'boolean',
		default: true,
		description:
			'Whether the menu ("Press 1 to approve …") is said after the alert; turn off when your prompt says it already',
	},
	messageField(
		'taken',
		'Someone Else Has It Text',
		'Said to the people called at once who answered after someone else chose',
	),
	messageField(
		'wrong',
		'Wrong Key Text',
		'Said after a key that is not on the menu, before the menu again',
	),
]);

export const keypressFields: INodeProperties[] = [
	{
		displayName:
			'Calls each person, says the alert and the menu, and goes on with the first key that means something. Graph posts the calls’ events to this node’s waiting URL, so n8n must be at a public https URL (WEBHOOK_URL).',
		name: 'keypressNotice',
		type: 'notice',
		default: '',
	},
	...onePersonFields,
	...rotaFields,
	{
		...resourceAccountField({ show: { keypressTarget: ['phoneNumber'], '@version': [1, 2] } }),
		required: true,
	},
	{
		...resourceAccountField(NEW),
		hint: 'Needed to call phone numbers',
	},
	...promptFields,
	...responseFields,
	{
		displayName:
			'Output: outcome "pressed" (with key, label and, for Approval, data.approved), or "declined", "unanswered", "hungUp", "ended", "timeout" (the menu played Repeat Prompt times), "noConfirmation" (no key at a phone’s presence check: a voicemail box) or "failed"; attempts lists every call. When the wait ends first (Options › Limit Wait Time, else one hour), n8n passes this node’s input item on unchanged, without an outcome.',
		name: 'keypressOutputNotice',
		type: 'notice',
		default: '',
		displayOptions: NEW,
	},
	{
		displayName:
			'Output: outcome "pressed" (with key), or "declined", "unanswered", "hungUp", "ended", "timeout" (the prompt played Repeat Prompt times) or "failed". When Give Up After passes first, n8n passes this node’s input item on unchanged, without an outcome.',
		name: 'keypressOutputNotice',
		type: 'notice',
		default: '',
		displayOptions: LEGACY,
	},
	{ ...legacyAdditional, displayOptions: LEGACY },
	{ ...newAdditional, displayOptions: NEW },
	{ ...plainOptionsField, displayOptions: LEGACY },
	{ ...optionsField([limitWaitTimeOption]), displayOptions: NEW },
];
