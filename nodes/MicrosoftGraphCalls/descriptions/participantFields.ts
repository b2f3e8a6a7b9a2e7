import type { INodeProperties } from 'n8n-workflow';

import { ENDPOINT_TYPES } from '../helpers/participants';

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
	{
		displayName: 'Endpoint Type',
		name: 'endpointType',
		type: 'options',
		options: [
			{ name: 'Not Set', value: '' },
			...ENDPOINT_TYPES.map((value) => ({
				name: value.charAt(0).toUpperCase() + value.slice(1),
				value,
			})),
		],
		default: '',
		description: 'Beta API only: the kind of endpoint to ring',
	},
];
