import type { INodeProperties } from 'n8n-workflow';

/** One participant in the form, as Invite (and Create's targets) collect it. */
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
		// Version 1 showed these fields flat; its workflows keep them (see below).
		displayOptions: { hide: { '@version': [1] } },
		options: [
			{
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
				description:
					'Beta API only (set Options › API Version to Beta): the kind of endpoint to ring',
				// No displayOptions on Options › API Version: n8n resolves "/options.apiVersion" against
				// the collection at run time, not the node, and would drop the value even on beta.
			},
			{
				displayName: 'Hidden',
				name: 'hidden',
				type: 'boolean',
				default: false,
				description: 'Whether the participant is hidden from the roster',
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
				displayName: 'Participant ID',
				name: 'participantId',
				type: 'string',
				default: '',
				description:
					"To move a participant from another meeting: their participant ID there (set Replaces Call ID to that meeting's call ID). Only one participant per invite then.",
			},
			{
				displayName: 'Remove From Default Audio Routing Group',
				name: 'removeFromDefaultAudioRoutingGroup',
				type: 'boolean',
				default: false,
				description: 'Whether the participant is left out of the default audio routing group',
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
				displayName: 'Tenant ID',
				name: 'tenantId',
				type: 'string',
				default: '',
				description:
					'Tenant of the participant, for users of another tenant and for resource accounts',
			},
		],
	},
	// Version 1: every field flat (kept so that saved workflows keep their values).
	{
		displayName: 'Tenant ID',
		name: 'tenantId',
		type: 'string',
		default: '',
		description: 'Tenant of the participant, for users of another tenant and for resource accounts',
		displayOptions: { show: { '@version': [1] } },
	},
	{
		displayName: 'Identity Provider',
		name: 'identityProvider',
		type: 'string',
		default: '',
		placeholder: 'AAD',
		description: 'Identity provider of the participant, e.g. AAD',
		displayOptions: { show: { '@version': [1] } },
	},
	{
		displayName: 'Replaces Call ID',
		name: 'replacesCallId',
		type: 'string',
		default: '',
		description:
			'ID of the call the participant is in now; a peer-to-peer call is dropped once they join this one. Only one participant per invite then.',
		displayOptions: { show: { '@version': [1] } },
	},
	{
		displayName: 'Participant ID',
		name: 'participantId',
		type: 'string',
		default: '',
		description:
			"To move a participant from another meeting: their participant ID there (set Replaces Call ID to that meeting's call ID). Only one participant per invite then.",
		displayOptions: { show: { '@version': [1] } },
	},
	{
		displayName: 'Hidden',
		name: 'hidden',
		type: 'boolean',
		default: false,
		description: 'Whether the participant is hidden from the roster',
		displayOptions: { show: { '@version': [1] } },
	},
	{
		displayName: 'Remove From Default Audio Routing Group',
		name: 'removeFromDefaultAudioRoutingGroup',
		type: 'boolean',
		default: false,
		description: 'Whether the participant is left out of the default audio routing group',
		displayOptions: { show: { '@version': [1] } },
	},
	{
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
		displayOptions: { show: { '@version': [1] } },
	},
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
