import type { INodeProperties } from 'n8n-workflow';

/**
 * The participant fields few people need. Version 2 of the node keeps them in Additional Fields;
 * version 1 showed them flat, and its saved workflows keep them there (n8n drops parameters a
 * node version does not describe, so both layouts stay described).
 */
const rareFields: INodeProperties[] = [
	{
		displayName: 'Tenant ID',
		name: 'tenantId',
		type: 'string',
		default: '',
		description: 'Tenant of the participant, for users of another tenant and for resource accounts',
	},
	{
		displayName: 'Identity Provider',
		name: 'identityProvider',
		type: 'string',
		default: '',
		placeholder: 'AAD',
		description: 'Identity provider of the participant, e.g. AAD',
	},
	{
		displayName: 'Replaces Call ID',
		name: 'replacesCallId',
		type: 'string',
		default: '',
		description:
			'ID of the call the participant is in now; a peer-to-peer call is dropped once they join this one. Only one participant per invite then.',
	},
	{
		displayName: 'Participant ID',
		name: 'participantId',
		type: 'string',
		default: '',
		description:
			"To move a participant from another meeting: their participant ID there (set Replaces Call ID to that meeting's call ID). Only one participant per invite then.",
	},
	{
		displayName: 'Hidden',
		name: 'hidden',
		type: 'boolean',
		default: false,
		description: 'Whether the participant is hidden from the roster',
	},
	{
		displayName: 'Remove From Default Audio Routing Group',
		name: 'removeFromDefaultAudioRoutingGroup',
		type: 'boolean',
		default: false,
		description: 'Whether the participant is left out of the default audio routing group',
	},
];

/** Version 2: only the endpoint kinds, and only added when wanted. */
const endpointType: INodeProperties = {
	displayName: 'Endpoint Type',
	name: 'endpointType',
	type: 'options',
	options: [
		{ name: 'Default', value: 'default' },
		{ name: 'Skype for Business', value: 'skypeForBusiness' },
		{ name: 'Skype for Business VoIP Phone', value: 'skypeForBusinessVoipPhone' },
		{ name: 'Voicemail', value: 'voicemail' },
	],
	default: 'default',
	description: 'Beta API only (set Options › API Version to Beta): the kind of endpoint to ring',
	// No displayOptions on Options › API Version: n8n resolves "/options.apiVersion" against
	// the collection at run time, not the node, and would drop the value even on beta.
};

/** Version 1: with "Not Set" as its default, so that old workflows send no endpoint type. */
const endpointTypeVersion1: INodeProperties = {
	displayName: 'Endpoint Type',
	name: 'endpointType',
	type: 'options',
	options: [
		{ name: 'Default', value: 'default' },
		{ name: 'Not Set', value: '' },
		{ name: 'Skype for Business', value: 'skypeForBusiness' },
		{ name: 'Skype for Business VoIP Phone', value: 'skypeForBusinessVoipPhone' },
		{ name: 'Voicemail', value: 'voicemail' },
	],
	default: '',
	description: 'Beta API only: the kind of endpoint to ring',
};

const onlyVersion1 = (field: INodeProperties): INodeProperties => ({
	...field,
	displayOptions: { show: { '@version': [1] } },
});

const byDisplayName = (a: INodeProperties, b: INodeProperties) =>
	a.displayName.localeCompare(b.displayName);

/** One participant in the form, as Invite collects it. */
export const participantFields: INodeProperties[] = [
	{
		displayName: 'Type',
		name: 'type',
		type: 'options',
		options: [
			{
				name: 'Application / Bot',
				value: 'application',
				description: 'Another bot, by its app ID',
			},
			{
				name: 'Application Instance (Resource Account)',
				value: 'applicationInstance',
				description: 'A resource account, e.g. an auto attendant or call queue',
			},
			{ name: 'Guest', value: 'guest', description: 'A guest (anonymous) identity' },
			{
				name: 'Phone Number (PSTN)',
				value: 'phone',
				description: 'Needs a resource account with a phone number for the app',
			},
			{
				name: 'Teams / Entra User',
				value: 'user',
				description: 'A user of this tenant or, with Tenant ID, of another tenant',
			},
		],
		default: 'user',
	},
	{
		displayName: 'ID',
		name: 'id',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. 278405a3-f568-4b3e-b684-009193463064 or +12345678901',
		description:
			'Entra object ID of the user, app or resource account; for a phone number, E.164 (+ country code and number)',
	},
	{
		displayName: 'Display Name',
		name: 'displayName',
		type: 'string',
		default: '',
		description: 'Name shown in the call roster',
	},
	{
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		displayOptions: { hide: { '@version': [1] } },
		options: [endpointType, ...rareFields].sort(byDisplayName),
	},
	...[...rareFields, endpointTypeVersion1].map(onlyVersion1),
];

/**
 * One target of Call › Create: peer-to-peer and group calls ring Teams users only, so a target
 * has no type and none of the invite-only fields.
 */
export const targetFields: INodeProperties[] = [
	{
		displayName: 'User ID',
		name: 'id',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. 278405a3-f568-4b3e-b684-009193463064',
		description: "The Teams user's Entra object ID",
	},
	{
		displayName: 'Display Name',
		name: 'displayName',
		type: 'string',
		default: '',
		description: 'Name shown in the call',
	},
	{
		displayName: 'Tenant ID',
		name: 'tenantId',
		type: 'string',
		default: '',
		description: "Only for a user of another tenant: that tenant's ID",
	},
];
