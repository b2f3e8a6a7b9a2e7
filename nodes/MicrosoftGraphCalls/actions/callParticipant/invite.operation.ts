import { type IDataObject, type INodeProperties } from 'n8n-workflow';

import { callIdField } from '../../descriptions/common';
import { participantFields } from '../../descriptions/participantFields';
import {
	additionalBodyPropertiesField,
	requestOptionFields,
} from '../../descriptions/requestOptions';
import { throughputOptionFields } from '../../descriptions/throughputOptions';
import { waitOptionFields } from '../../descriptions/waitOptions';
import { callPath } from '../../helpers/graphPaths';
import { parseCallId } from '../../helpers/idFields';
import { buildInviteBody } from '../../helpers/inviteBody';
import type { ParticipantEntry } from '../../helpers/participants';
import { ACTION_ROLES, ACTIONS } from '../../engine/actionProfiles';
import type { Operation } from '../../engine/operation';
import { checkAgainstRoster } from '../../features/roster/alreadyInCall';
import { invitedIdentities, waitForInviteOutcome } from '../../features/outcome/waiters';

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
		placeholder: 'e.g. incident-4711',
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
				additionalBodyPropertiesField(
					'JSON object merged into the request body, for properties this form does not offer',
				),
				{
					displayName: 'Skip People Already in the Call',
					name: 'skipPeopleAlreadyInCall',
					type: 'boolean',
					default: false,
					description:
						'Whether to read the call\'s participants first (once per call and execution) and leave out invitees already listed there; their item says skipped: "already in the call". Makes a rerun after a partial failure safe. People still ringing are not listed yet. Needs the permission to list participants (group calls and meetings only).',
				},
			] as INodeProperties[]
		).sort((a, b) => a.displayName.localeCompare(b.displayName)),
	},
];

/** Invite participants to a call: POST /communications/calls/{id}/participants/invite. */
export const invite: Operation = {
	value: 'invite',
	name: 'Invite',
	action: 'Invite participants to a call',
	summary: 'Add people, phone numbers or bots to an active call',
	permissions: [{ roles: ACTION_ROLES.invite.roles }],
	fields: properties,
	usesCallsApi: true,
	concurrentItems: true,
	async execute(context, item, options) {
		const { request } = options;
		const callId = parseCallId(item.param('callId'));
		const jsonMode = item.param('participantsMode', 'defineBelow') === 'json';
		const body = buildInviteBody({
			mode: jsonMode ? 'json' : 'defineBelow',
			entries: jsonMode ? [] : (item.param('participants.participant', []) as ParticipantEntry[]),
			json: jsonMode ? item.param('participantsJson') : undefined,
			clientContext: item.param('clientContext'),
			additionalBodyProperties: options.additionalBodyProperties,
			version: request.version,
		});
		let alreadyInCall: IDataObject[] = [];
		if (options.skipPeopleAlreadyInCall && !request.dryRun) {
			const check = await checkAgainstRoster(
				context,
				request,
				callId,
				body.participants as unknown[],
				item.index,
			);
			alreadyInCall = check.alreadyInCall;
			if (check.toInvite.length === 0) {
				return {
					skipped: 'already in the call',
					callId,
					...(typeof body.clientContext === 'string' ? { clientContext: body.clientContext } : {}),
					alreadyInCall,
				};
			}
			body.participants = check.toInvite;
		}
		const result = await context.transport.request(
			{ method: 'POST', path: callPath(callId, 'participants', 'invite'), body },
			request,
			ACTIONS.invite,
			item.index,
		);
		const json = alreadyInCall.length > 0 ? { ...result.json, alreadyInCall } : result.json;
		if (!options.wait || !result.sent) return json;
		const outcome = await waitForInviteOutcome(
			{ context, request, wait: options.wait, callPath: callPath(callId) },
			result.json,
			invitedIdentities(body),
		);
		return { ...json, outcome };
	},
};
