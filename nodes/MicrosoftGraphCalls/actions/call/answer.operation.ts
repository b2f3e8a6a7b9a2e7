import { additionalFieldsField, callbackUrlField, callIdField } from '../../descriptions/common';
import { plainOptionsField } from '../../descriptions/requestOptions';
import { answerBody } from '../../helpers/callControlBodies';
import { ACTION_ROLES, ACTIONS } from '../../engine/actionProfiles';
import { callControlExecute } from '../../engine/callControl';
import type { Operation } from '../../engine/operation';

/**
 * Answer: POST /communications/calls/{id}/answer. Graph answers 202 without a body; the call then
 * goes establishing → established (notifications on the callback URL, possibly out of order).
 */
export const answer: Operation = {
	value: 'answer',
	name: 'Answer',
	action: 'Answer an incoming call',
	summary: 'Pick up a call to the bot, within 15 seconds of the Incoming Call event',
	permissions: [
		{ roles: ACTION_ROLES.answerCall.roles, withoutRoles: 'peer-to-peer calls to the bot' },
	],
	fields: [
		{
			displayName:
				'Answer within 15 seconds of the Incoming Call notification (5 seconds for policy-based recording), or Graph drops the call. Connect this node straight after the Microsoft Graph Calls Trigger.',
			name: 'answerNotice',
			type: 'notice',
			default: '',
		},
		{
			...callIdField,
			description: 'ID of the incoming call: the trigger\'s Incoming Call item has it as "callId"',
			placeholder: 'e.g. {{ $json.callId }}',
		},
		callbackUrlField(
			"Where Graph sends this call's notifications from now on (https). Empty: the bot's calling webhook, where the incoming call arrived.",
		),
		{
			displayName: 'Accepted Modalities',
			name: 'acceptedModalities',
			type: 'multiOptions',
			options: [
				{ name: 'Audio', value: 'audio' },
				{ name: 'Video', value: 'video' },
				{ name: 'Video Based Screen Sharing', value: 'videoBasedScreenSharing' },
			],
			default: ['audio'],
			description: 'Media the app accepts. Media is hosted by the service (Graph).',
		},
		additionalFieldsField([
			{
				displayName: 'Content Sharing Notifications',
				name: 'isContentSharingNotificationEnabled',
				type: 'boolean',
				default: false,
				description: 'Whether Graph notifies the app about content sharing in the call',
			},
			{
				displayName: 'Hide Bot After Escalation',
				name: 'hideBotAfterEscalation',
				type: 'boolean',
				default: false,
				description: 'Whether the bot leaves the roster once the call is escalated to a group call',
			},
			{
				displayName: 'Participant Capacity',
				name: 'participantCapacity',
				type: 'number',
				typeOptions: { minValue: 1, numberPrecision: 0 },
				default: 1,
				description:
					'Policy-based recording bots only: how many participants this bot instance takes in the same policy group',
			},
			{
				displayName: 'Prefetch Media',
				name: 'preFetchMedia',
				type: 'fixedCollection',
				typeOptions: { multipleValues: true },
				placeholder: 'Add Prompt',
				default: {},
				description:
					'Prompts (WAV, 16 kHz, 16-bit, mono, https) Graph loads now, so a later Play Prompt starts at once',
				options: [
					{
						name: 'media',
						displayName: 'Prompt',
						values: [
							{
								displayName: 'URL',
								name: 'uri',
								type: 'string',
								default: '',
								placeholder: 'e.g. https://cdn.contoso.com/welcome.wav',
							},
							{
								displayName: 'Resource ID',
								name: 'resourceId',
								type: 'string',
								default: '',
								description: 'Key the prompt is cached under (optional)',
							},
						],
					},
				],
			},
		]),
		plainOptionsField,
	],
	usesCallsApi: true,
	execute: callControlExecute({
		action: 'answer',
		profile: ACTIONS.answerCall,
		body: (item) =>
			answerBody({
				acceptedModalities: item.param('acceptedModalities', ['audio']),
				callbackUrl: item.param('callbackUrl'),
				extra: item.param('additionalFields', {}),
			}),
		shown: (body) => ({ acceptedModalities: body.acceptedModalities as string[] }),
		message:
			'Graph accepted the answer: the call now becomes established (see the trigger for establishing and established).',
	}),
};
