import {
	updateDisplayOptions,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';

import { parseCallId } from '../../helpers/identifiers';
import { InputProblem } from '../../helpers/inputProblem';
import { buildInviteBody } from '../../helpers/inviteBody';
import { ENDPOINT_TYPES, type ParticipantEntry } from '../../helpers/participants';
import { readRequestOptions, type OptionsCollection } from '../../helpers/requestOptions';
import { callIdField, requestOptionFields } from '../common.descriptions';
import type { OperationContext } from '../context';
import { sendGraphRequest, standardHeaders } from '../sendRequest';
import { throughputOptionFields } from '../throughputOptions';
import {
	invitedIdentities,
	readWaitSettings,
	waitForInviteOutcome,
	waitOptionFields,
} from '../waitForOutcome';

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

const EXAMPLE_JSON = JSON.stringify(
	[
		{
			identity: {
				user: { id: '278405a3-f568-4b3e-b684-009193463064', displayName: 'Alex Wilber' },
			},
		},
	],
	null,
	2,
);

const properties: INodeProperties[] = [
	callIdField,
	{
		displayName: 'Participants Input',
		name: 'participantsMode',
		type: 'options',
		options: [
			{
				name: 'Define Below',
				value: 'defineBelow',
				description: 'One entry per person in the form below',
			},
			{
				name: 'JSON',
				value: 'json',
				description:
					"A participants list, or a whole request body as in the PowerShell cmdlet's -BodyParameter",
			},
		],
		default: 'defineBelow',
	},
	{
		displayName: 'Participants',
		name: 'participants',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true, sortable: true },
		placeholder: 'Add Participant',
		default: {},
		description:
			'People to invite: up to five at once, or one when Replaces Call ID or Participant ID is set',
		displayOptions: { show: { participantsMode: ['defineBelow'] } },
		options: [{ name: 'participant', displayName: 'Participant', values: participantFields }],
	},
	{
		displayName: 'Participants (JSON)',
		name: 'participantsJson',
		type: 'json',
		default: EXAMPLE_JSON,
		description:
			'A list of Graph invitationParticipantInfo objects, or {"participants": [...], "clientContext": "..."}',
		displayOptions: { show: { participantsMode: ['json'] } },
	},
	{
		displayName: 'Client Context',
		name: 'clientContext',
		type: 'string',
		default: '',
		description:
			"Your own reference (up to 256 characters), echoed in the operation and in Graph's notifications. Overrides one given in the JSON body.",
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: (
			[
				...requestOptionFields,
				...throughputOptionFields,
				...waitOptionFields('invite'),
				{
					displayName: 'Additional Body Properties',
					name: 'additionalBodyProperties',
					type: 'json',
					default: '{}',
					description:
						'JSON object merged into the request body, for properties this form does not offer',
				},
			] as INodeProperties[]
		).sort((a, b) => a.displayName.localeCompare(b.displayName)),
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['callParticipant'], operation: ['invite'] } },
	properties,
);

/** Invite call participant: POST /communications/calls/{id}/participants/invite. */
export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	context: OperationContext,
): Promise<INodeExecutionData[]> {
	const { cloud } = context.settings;
	if (!cloud.inviteAvailable) {
		throw new InputProblem(
			'Credential › Cloud',
			`inviting participants is not available in the ${cloud.label} cloud.`,
		);
	}
	const options = readRequestOptions(
		this.getNodeParameter('options', itemIndex, {}) as OptionsCollection,
		cloud,
	);
	const callId = parseCallId(this.getNodeParameter('callId', itemIndex, ''));
	const mode = this.getNodeParameter('participantsMode', itemIndex, 'defineBelow') as string;
	const body = buildInviteBody({
		mode: mode === 'json' ? 'json' : 'defineBelow',
		entries:
			mode === 'json'
				? []
				: (this.getNodeParameter('participants.participant', itemIndex, []) as ParticipantEntry[]),
		json: mode === 'json' ? this.getNodeParameter('participantsJson', itemIndex, '') : undefined,
		clientContext: this.getNodeParameter('clientContext', itemIndex, ''),
		additionalBodyProperties: (this.getNodeParameter('options', itemIndex, {}) as OptionsCollection)
			.additionalBodyProperties,
		version: options.version,
	});
	const wait = options.dryRun
		? undefined
		: readWaitSettings(this.getNodeParameter('options', itemIndex, {}) as IDataObject);
	const outcome = await sendGraphRequest.call(
		this,
		itemIndex,
		context,
		{
			method: 'POST',
			version: options.version,
			path: `/communications/calls/${encodeURIComponent(callId)}/participants/invite`,
			headers: standardHeaders(options.headers, true),
			body: JSON.stringify(body),
		},
		options,
		'invite',
	);
	if (wait) {
		const path = `/communications/calls/${encodeURIComponent(callId)}`;
		const result = await waitForInviteOutcome(
			this,
			context,
			options,
			wait,
			path,
			outcome.json,
			invitedIdentities(body),
		);
		return [{ json: { ...outcome.json, outcome: result }, pairedItem: { item: itemIndex } }];
	}
	return [{ json: outcome.json, pairedItem: { item: itemIndex } }];
}
