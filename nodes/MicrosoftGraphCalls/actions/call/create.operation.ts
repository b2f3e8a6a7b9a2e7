import {
	updateDisplayOptions,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';

import { buildCreateCallBody, type CallType } from '../../helpers/createCallBody';
import type { ParticipantEntry } from '../../helpers/participants';
import type { OptionsCollection } from '../../helpers/requestOptions';
import { CALL_ACTIONS } from '../../transport/callHints';
import { participantFields } from '../callParticipant/invite.operation';
import { requestOptionFields } from '../common.descriptions';
import { callPath, readOptions, requireCallsApi, sendCallRequest } from '../calls.shared';
import type { OperationContext } from '../context';
import { readWaitSettings, waitForCallOutcome, waitOptionFields } from '../waitForOutcome';

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
		displayName: 'Callback URL',
		name: 'callbackUrl',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. https://bot.contoso.com/api/calls',
		description:
			"Where Graph sends this call's notifications (state changes, roster updates, results of invites). Must be https.",
		hint: "Paste the Production URL of a Microsoft Graph Calls Trigger (its Webhook URLs section) and activate that workflow: it then receives this call's notifications (state changes, roster updates, invite results), each one verified. Any other https endpoint that accepts Graph's POSTs works too.",
	},
	{
		displayName: 'Targets',
		name: 'targets',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true, sortable: true },
		placeholder: 'Add Target',
		default: {},
		description:
			'The Teams users to ring: one for a peer-to-peer call, up to five for a group call. Same fields as Call Participant › Invite; the type must be Teams / Entra User.',
		displayOptions: show('peerToPeer', 'groupCall'),
		options: [{ name: 'participant', displayName: 'Participant', values: participantFields }],
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
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			...requestOptionFields,
			{
				displayName: 'Additional Body Properties',
				name: 'additionalBodyProperties',
				type: 'json',
				default: '{}',
				description:
					'JSON object merged into the call body, for properties this form does not offer (e.g. {"meetingInfo": …} extras, "callOptions")',
			},
			...waitOptionFields('create'),
		],
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['call'], operation: ['create'] } },
	properties,
);

/** Create call: POST /communications/calls. The answer is the new call (id, state, myParticipantId…). */
export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	context: OperationContext,
): Promise<INodeExecutionData[]> {
	requireCallsApi(context);
	const options = readOptions(this, itemIndex, context);
	const callType = this.getNodeParameter('callType', itemIndex, 'joinMeeting') as CallType;
	const usesTargets = callType === 'peerToPeer' || callType === 'groupCall';
	const param = (name: string, fallback: unknown = '') =>
		this.getNodeParameter(name, itemIndex, fallback) as unknown;
	const body = buildCreateCallBody({
		callType,
		callbackUrl: param('callbackUrl'),
		modalities: param('requestedModalities', ['audio']),
		targets: usesTargets
			? (this.getNodeParameter('targets.participant', itemIndex, []) as ParticipantEntry[])
			: [],
		subject: callType === 'groupCall' ? param('subject') : undefined,
		botDisplayName: usesTargets ? param('botDisplayName') : undefined,
		applicationInstanceId: callType === 'pstn' ? param('applicationInstanceId') : undefined,
		applicationInstanceDisplayName:
			callType === 'pstn' ? param('applicationInstanceDisplayName') : undefined,
		phoneNumber: callType === 'pstn' ? param('phoneNumber') : undefined,
		tenantId: callType === 'pstn' || callType === 'joinMeeting' ? param('tenantId') : undefined,
		joinMethod: callType === 'joinMeeting' ? param('joinMethod', 'joinUrl') : undefined,
		joinUrl: callType === 'joinMeeting' ? param('joinUrl') : undefined,
		meetingId: callType === 'joinMeeting' ? param('meetingId') : undefined,
		passcode: callType === 'joinMeeting' ? param('passcode') : undefined,
		additionalBodyProperties: (this.getNodeParameter('options', itemIndex, {}) as OptionsCollection)
			.additionalBodyProperties,
		clientId: context.settings.clientId,
		credentialTenantId: context.settings.tenantId,
		version: options.version,
	});
	const wait = options.dryRun
		? undefined
		: readWaitSettings(this.getNodeParameter('options', itemIndex, {}) as IDataObject);
	const outcome = await sendCallRequest.call(
		this,
		itemIndex,
		context,
		{ method: 'POST', path: '/communications/calls', body },
		options,
		CALL_ACTIONS[callType],
	);
	if (wait && typeof outcome.json.id === 'string') {
		const result = await waitForCallOutcome(
			this,
			context,
			options,
			wait,
			callPath(outcome.json.id),
			outcome.json,
		);
		return [{ json: { ...outcome.json, outcome: result }, pairedItem: { item: itemIndex } }];
	}
	return [{ json: outcome.json, pairedItem: { item: itemIndex } }];
}
