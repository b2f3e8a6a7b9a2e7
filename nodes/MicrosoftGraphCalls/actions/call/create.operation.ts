import { type INodeProperties } from 'n8n-workflow';

import { participantFields, targetFields } from '../../descriptions/participantFields';
import { additionalBodyPropertiesField, optionsField } from '../../descriptions/requestOptions';
import { callbackUrlField } from '../../descriptions/common';
import { waitOptionFields } from '../../descriptions/waitOptions';
import { joinMeetingCallBody } from '../../helpers/callBodies/joinMeeting';
import { pstnCallBody } from '../../helpers/callBodies/pstnCall';
import { readCallBasics, withAdditionalProperties } from '../../helpers/callBodies/shared';
import {
	groupCallBody,
	peerToPeerCallBody,
	type UserCallInput,
} from '../../helpers/callBodies/userCalls';
import { callPath } from '../../helpers/graphPaths';
import { InputProblem } from '../../helpers/inputProblem';
import type { ParticipantEntry } from '../../helpers/participants';
import { ACTION_ROLES, ACTIONS } from '../../engine/actionProfiles';
import type { ItemInput, Operation, OperationContext } from '../../engine/operation';
import { waitForCallOutcome } from '../../features/outcome/waiters';

const CALL_TYPES = ['peerToPeer', 'groupCall', 'pstn', 'joinMeeting'] as const;
/**
 * What Call Type is when the form leaves it out (a workflow saved before the field existed, or
 * an item that clears it): the form's own default, the one value tests hold to.
 */
export const DEFAULT_CALL_TYPE = 'joinMeeting' satisfies (typeof CALL_TYPES)[number];
type CallType = (typeof CALL_TYPES)[number];

const show = (...callType: CallType[]) => ({ show: { callType } });

const properties: INodeProperties[] = [
	{
		displayName: 'Call Type',
		name: 'callType',
		type: 'options',
		noDataExpression: true,
		options: [
			{
				name: 'Group Call',
				value: 'groupCall',
				description: 'Ring up to five Teams users at once (Calls.InitiateGroupCall.All)',
			},
			{
				name: 'Join a Teams Meeting',
				value: 'joinMeeting',
				description:
					'Join a scheduled meeting or bridge by its join link or meeting ID (Calls.JoinGroupCall.All)',
			},
			{
				name: 'Peer-to-Peer (Teams User)',
				value: 'peerToPeer',
				description: 'Ring one Teams user (Calls.Initiate.All)',
			},
			{
				name: 'Phone Number (PSTN)',
				value: 'pstn',
				description:
					'Dial a phone number from a resource account with a number (Calls.Initiate.All)',
			},
		],
		default: 'joinMeeting',
	},
	{
		...callbackUrlField(
			"Where Graph sends this call's notifications (state changes, roster updates, results of invites). Must be https.",
			true,
		),
		hint: "Paste the Production URL of a Microsoft Graph Calls Trigger (its Webhook URLs section) and activate that workflow: it then receives this call's notifications (state changes, roster updates, invite results), each one verified. Any other https endpoint that accepts Graph's POSTs works too.",
	},
	{
		// Version 1: one collection for both call types, with every participant field.
		displayName: 'Targets',
		name: 'targets',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true, sortable: true },
		placeholder: 'Add Target',
		default: {},
		description:
			'The Teams users to ring: one for a peer-to-peer call, up to five for a group call. Same fields as Call Participant › Invite; the type must be Teams / Entra User.',
		displayOptions: { show: { callType: ['peerToPeer', 'groupCall'], '@version': [1] } },
		options: [{ name: 'participant', displayName: 'Participant', values: participantFields }],
	},
	{
		displayName: 'Target',
		name: 'targets',
		type: 'fixedCollection',
		typeOptions: { multipleValues: false },
		placeholder: 'Add Target',
		default: { participant: { id: '' } },
		description: 'The Teams user to ring',
		displayOptions: { show: { callType: ['peerToPeer'] }, hide: { '@version': [1] } },
		options: [{ name: 'participant', displayName: 'Teams User', values: targetFields }],
	},
	{
		displayName: 'Targets',
		name: 'targets',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true, sortable: true },
		placeholder: 'Add Target',
		default: { participant: [{ id: '' }] },
		description:
			'The Teams users to ring at once: two to five. Invite more people later with Call Participant › Invite.',
		displayOptions: { show: { callType: ['groupCall'] }, hide: { '@version': [1] } },
		options: [{ name: 'participant', displayName: 'Teams User', values: targetFields }],
	},
	{
		displayName: 'Subject',
		name: 'subject',
		type: 'string',
		default: '',
		placeholder: 'e.g. P1 incident bridge',
		description: 'Subject of the group call, shown to the people it rings',
		displayOptions: show('groupCall'),
	},
	{
		displayName: 'Resource Account ID',
		name: 'applicationInstanceId',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. 3d913abb-aec0-4964-8fa6-3c6850c4f278',
		description:
			'Entra object ID of the Teams resource account (application instance) the call comes from. It must be linked to this app and have a phone number and a Teams Phone Resource Account licence.',
		displayOptions: show('pstn'),
	},
	{
		displayName: 'Resource Account Display Name',
		name: 'applicationInstanceDisplayName',
		type: 'string',
		default: '',
		placeholder: 'e.g. Incident Line',
		displayOptions: show('pstn'),
	},
	{
		displayName: 'Phone Number',
		name: 'phoneNumber',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. +12345678901',
		description: 'Number to call, in E.164: a plus, the country code and the number, digits only',
		displayOptions: show('pstn'),
	},
	{
		displayName: 'Join Method',
		name: 'joinMethod',
		type: 'options',
		options: [
			{
				name: 'Join URL',
				value: 'joinUrl',
				description: "The meeting's join link, as pasted from the invitation",
			},
			{
				name: 'Meeting ID and Passcode',
				value: 'meetingId',
				description: 'The numbers shown under the join link',
			},
		],
		default: 'joinUrl',
		displayOptions: show('joinMeeting'),
	},
	{
		displayName: 'Join URL',
		name: 'joinUrl',
		type: 'string',
		required: true,
		default: '',
		placeholder:
			'e.g. https://teams.microsoft.com/l/meetup-join/19%3ameeting_…%40thread.v2/0?context=…',
		description:
			"The long meetup-join link (decoded into the meeting's chat thread, organizer and tenant) or the short …/meet/{ID}?p={passcode} link",
		displayOptions: { show: { callType: ['joinMeeting'], joinMethod: ['joinUrl'] } },
	},
	{
		displayName: 'Meeting ID',
		name: 'meetingId',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. 234 567 890 123',
		displayOptions: { show: { callType: ['joinMeeting'], joinMethod: ['meetingId'] } },
	},
	{
		displayName: 'Passcode',
		name: 'passcode',
		type: 'string',
		typeOptions: { password: true },
		default: '',
		description: 'The meeting passcode, if the invitation shows one',
		displayOptions: { show: { callType: ['joinMeeting'], joinMethod: ['meetingId'] } },
	},
	{
		displayName: 'Tenant ID',
		name: 'tenantId',
		type: 'string',
		default: '',
		placeholder: 'e.g. aa67bd4c-8475-432d-bd41-39f255720e0a',
		description:
			"GUID of the tenant the call or meeting belongs to. Empty: the credential's tenant. (A join link carries its own tenant.)",
		displayOptions: show('pstn', 'joinMeeting'),
	},
	{
		displayName: 'Bot Display Name',
		name: 'botDisplayName',
		type: 'string',
		default: '',
		placeholder: 'e.g. Incident Bot',
		description: 'Name shown for the calling app',
		displayOptions: show('peerToPeer', 'groupCall'),
	},
	{
		displayName: 'Requested Modalities',
		name: 'requestedModalities',
		type: 'multiOptions',
		options: [
			{ name: 'Audio', value: 'audio' },
			{ name: 'Data', value: 'data' },
			{ name: 'Video', value: 'video' },
			{ name: 'Video Based Screen Sharing', value: 'videoBasedScreenSharing' },
		],
		default: ['audio'],
		description:
			'Media the call asks for. Media is always hosted by the service (Graph), so the workflow needs no media server.',
	},
	optionsField([
		additionalBodyPropertiesField(
			'JSON object merged into the call body, for properties this form does not offer (e.g. {"meetingInfo": …} extras, "callOptions")',
		),
		...waitOptionFields('create'),
	]),
];

/** Peer-to-peer's single target arrives as one entry, a group call's as a list. */
function targetEntries(raw: unknown): ParticipantEntry[] {
	if (Array.isArray(raw)) return raw as ParticipantEntry[];
	return raw && typeof raw === 'object' ? [raw as ParticipantEntry] : [];
}

/** The body for the item's call type, each kind from its own builder. */
function callBody(
	callType: CallType,
	item: ItemInput,
	{ settings }: OperationContext,
	version: UserCallInput['version'],
) {
	const basics = readCallBasics(
		item.param('callbackUrl'),
		item.param('requestedModalities', ['audio']),
	);
	const users = (): UserCallInput => ({
		basics,
		targets: targetEntries(item.param('targets.participant', [])),
		botDisplayName: item.param('botDisplayName'),
		clientId: settings.clientId,
		version,
	});
	switch (callType) {
		case 'peerToPeer':
			return peerToPeerCallBody(users());
		case 'groupCall':
			return groupCallBody({ ...users(), subject: item.param('subject') });
		case 'pstn':
			return pstnCallBody({
				basics,
				applicationInstanceId: item.param('applicationInstanceId'),
				applicationInstanceDisplayName: item.param('applicationInstanceDisplayName'),
				phoneNumber: item.param('phoneNumber'),
				tenantId: item.param('tenantId'),
				credentialTenantId: settings.tenantId,
			});
		case 'joinMeeting':
			return joinMeetingCallBody({
				basics,
				joinMethod: item.param('joinMethod', 'joinUrl'),
				joinUrl: item.param('joinUrl'),
				meetingId: item.param('meetingId'),
				passcode: item.param('passcode'),
				tenantId: item.param('tenantId'),
				credentialTenantId: settings.tenantId,
			});
	}
}

function readCallType(raw: unknown): CallType {
	const value = typeof raw === 'string' && raw.trim() !== '' ? raw.trim() : DEFAULT_CALL_TYPE;
	if (!(CALL_TYPES as readonly string[]).includes(value)) {
		throw new InputProblem('Call Type', `"${value}" is not one of ${CALL_TYPES.join(', ')}.`);
	}
	return value as CallType;
}

/** Create call: POST /communications/calls. The answer is the new call (id, state, myParticipantId…). */
export const create: Operation = {
	value: 'create',
	name: 'Create',
	action: 'Create a call',
	summary: 'Start a call to Teams users or a phone number, or join a Teams meeting',
	permissions: [
		{ variant: 'Peer-to-Peer', roles: ACTION_ROLES.peerToPeer.roles },
		{ variant: 'Group Call', roles: ACTION_ROLES.groupCall.roles },
		{ variant: 'Phone Number', roles: ACTION_ROLES.pstn.roles },
		{ variant: 'Join a Teams Meeting', roles: ACTION_ROLES.joinMeeting.roles },
	],
	fields: properties,
	usesCallsApi: true,
	async execute(context, item, options) {
		const { request } = options;
		const callType = readCallType(item.param('callType', DEFAULT_CALL_TYPE));
		const body = withAdditionalProperties(
			callBody(callType, item, context, request.version),
			options.additionalBodyProperties,
		);
		const result = await context.transport.request(
			{ method: 'POST', path: '/communications/calls', body },
			request,
			ACTIONS[callType],
			item.index,
		);
		if (!options.wait || !result.sent || typeof result.json.id !== 'string') return result.json;
		const outcome = await waitForCallOutcome(
			{ context, request, wait: options.wait, callPath: callPath(result.json.id) },
			result.json,
		);
		return { ...result.json, outcome };
	},
};
