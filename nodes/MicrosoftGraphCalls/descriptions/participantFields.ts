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
		placeholder: 'e.g. aa67bd4c-8475-432d-bd41-39f255720e0a',
		description: 'Tenant of the participant, for users of another tenant and for resource accounts',
	},
	{
		displayName: 'Identity Provider',
		name: 'identityProvider',
		type: 'string',
		default: '',
		placeholder: 'e.g. AAD',
		description: 'Identity provider of the participant, e.g. AAD',
	},
	{
		displayName: 'Replaces Call ID',
		name: 'replacesCallId',
		type: 'string',
		default: '',
		placeholder: 'e.g. 2f1a0b00-8e3c-4d5f-9a6b-7c8d9e0f1a2b',
		description:
			'ID of the call the participant is in now; a peer-to-peer call is dropped once they join this one. Only one participant per invite then.',
	},
	{
		displayName: 'Participant ID',
		name: 'participantId',
		type: 'string',
		default: '',
		placeholder: 'e.g. 0f1a2b3c-4d5e-6f70-8192-a3b4c5d6e7f8',
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

/**
 * The participant's ID, one field per Type (all named "ID", as errors name it), each with the
 * placeholder and description of what that type takes.
 */
const idFields: INodeProperties[] = (
	[
		[
			'user',
			'e.g. 278405a3-f568-4b3e-b684-009193463064',
			"The Teams user's Entra object ID (Entra admin center › Users › the user's Object ID)",
		],
		[
			'phone',
			'e.g. +14255550123',
			'The phone number in E.164: + country code and number, no spaces',
		],
		['application', 'e.g. 0c3e7a51-8b2f-4d9e-a6c1-2f5b7d9e3a10', "The other bot's app (client) ID"],
		[
			'applicationInstance',
			'e.g. 3d913abb-aec0-4964-8fa6-3c6850c4f278',
			"The resource account's Entra object ID (an auto attendant or call queue)",
		],
		['guest', 'e.g. guest-4711', "The guest's ID: any text that stays the same for them"],
	] as const
).map(([type, placeholder, description]) => ({
	displayName: 'ID',
	name: 'id',
	type: 'string',
	default: '',
	required: true,
	placeholder,
	description,
	displayOptions: { show: { type: [type] } },
}));

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
	...idFields,
	{
		displayName: 'Display Name',
		name: 'displayName',
		type: 'string',
		default: '',
		placeholder: 'e.g. Alex Wilber',
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
		placeholder: 'e.g. Alex Wilber',
		description: 'Name shown in the call',
	},
	{
		displayName: 'Tenant ID',
		name: 'tenantId',
		type: 'string',
		default: '',
		placeholder: 'e.g. aa67bd4c-8475-432d-bd41-39f255720e0a',
		description: "Only for a user of another tenant: that tenant's ID",
	},
];
