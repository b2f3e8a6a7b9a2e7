import { updateDisplayOptions } from 'n8n-workflow';

import { callIdField } from '../../descriptions/common';
import { plainOptionsField } from '../../descriptions/requestOptions';
import { answerBody } from '../../helpers/callControlBodies';
import { callPath } from '../../helpers/graphPaths';
import { parseCallId } from '../../helpers/identifiers';
import { ACTIONS } from '../actionProfiles';
import type { Operation } from '../operation';
import { successJson } from '../results';

/**
 * Answer: POST /communications/calls/{id}/answer. Graph answers 202 without a body; the call then
 * goes establishing → established (notifications on the callback URL, possibly out of order).
 */
export const answer: Operation = {
	description: updateDisplayOptions({ show: { resource: ['call'], operation: ['answer'] } }, [
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
		{
			displayName: 'Callback URL',
			name: 'callbackUrl',
			type: 'string',
			default: '',
			placeholder: 'e.g. https://bot.contoso.com/api/calls',
			description:
				"Where Graph sends this call's notifications from now on (https). Empty: the bot's calling webhook, where the incoming call arrived.",
		},
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
		{
			displayName: 'Additional Fields',
			name: 'additionalFields',
			type: 'collection',
			placeholder: 'Add Field',
			default: {},
			options: [
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
					description:
						'Whether the bot leaves the roster once the call is escalated to a group call',
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
			],
		},
		plainOptionsField,
	]),
	usesCallsApi: true,
	async execute({ transport }, item, { request }) {
		const callId = parseCallId(item.param('callId'));
		const body = answerBody({
			acceptedModalities: item.param('acceptedModalities', ['audio']),
			callbackUrl: item.param('callbackUrl'),
			extra: item.param('additionalFields', {}),
		});
		const result = await transport.request(
			{ method: 'POST', path: callPath(callId, 'answer'), body },
			request,
			ACTIONS.answerCall,
			item.index,
		);
		return successJson(result, {
			operation: 'answer',
			callId,
			acceptedModalities: body.acceptedModalities as string[],
			message:
				'Graph accepted the answer: the call now becomes established (see the trigger for establishing and established).',
		});
	},
};
