import { additionalFieldsField, callbackUrlField, callIdField } from '../../descriptions/common';
import { plainOptionsField } from '../../descriptions/requestOptions';
import { answerBody, MAX_PREFETCH } from '../../helpers/callControlBodies';
import { parseCallId } from '../../helpers/idFields';
import { InputProblem } from '../../helpers/inputProblem';
import { isUnset } from '../../helpers/optionValues';
import { isJsonObject } from '../../../../lib/jsonObject';
import { promptServerUrlField, servedPrefetchPrompts } from '../../features/speech/servedPrompts';
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
					'Prompts Graph loads now, so a later Play Prompt of the same audio starts at once: WAV files (16 kHz, 16-bit, mono, https), or typed prompts served by the trigger',
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
								placeholder: 'e.g. 1D6DE2D4-CD51-4309-8DAA-70768651088E',
								description: 'Key the prompt is cached under (optional)',
							},
						],
					},
					// A typed prompt: served by the trigger (features/speech/servedPrompts.ts).
					{
						name: 'spoken',
						displayName: 'Typed Prompt',
						values: [
							{
								displayName: 'Text',
								name: 'text',
								type: 'string',
								typeOptions: { rows: 2 },
								default: '',
								placeholder: 'e.g. Connecting you to the on-call engineer.',
								description:
									'Words (or SSML) Graph loads now as audio, so a later typed Play Prompt of the same words, voice and engine starts at once',
							},
							{
								displayName: 'Voice Engine',
								name: 'speechEngine',
								type: 'options',
								options: [
									{ name: 'Offline Voice (Built In)', value: 'offline' },
									{ name: 'Azure AI Speech', value: 'azure' },
								],
								default: 'offline',
							},
							{
								displayName: 'Voice',
								name: 'speechVoice',
								type: 'string',
								default: '',
								placeholder: 'e.g. en-US-JennyNeural',
								description: 'Empty: the offline voice slt. Azure AI Speech needs one.',
							},
							{
								displayName: 'Language',
								name: 'speechLanguage',
								type: 'string',
								default: 'en-US',
								placeholder: 'e.g. en-US',
							},
						],
					},
				],
			},
			promptServerUrlField,
		]),
		plainOptionsField,
	],
	usesCallsApi: true,
	execute: callControlExecute({
		action: 'answer',
		profile: ACTIONS.answerCall,
		body: async (item, request, context) => {
			const extra = item.param('additionalFields', {}) as Record<string, unknown>;
			const body = answerBody({
				acceptedModalities: item.param('acceptedModalities', ['audio']),
				callbackUrl: item.param('callbackUrl'),
				extra,
			});
			const prefetch = isJsonObject(extra.preFetchMedia) ? extra.preFetchMedia.spoken : undefined;
			if (prefetch === undefined) return body;
			// Served by the trigger: Prompt Server URL, else this answer's Callback URL (where the
			// call's notifications go from now on), else the call's own callback URL.
			const callbackUrl = item.param('callbackUrl', '');
			const spoken = await servedPrefetchPrompts(context, {
				callId: parseCallId(item.param('callId')),
				entries: prefetch,
				promptServerUrl: isUnset(extra.promptServerUrl) ? callbackUrl : extra.promptServerUrl,
				request,
				itemIndex: item.index,
				field: 'Additional Fields › Prefetch Media',
			});
			const mediaConfig = body.mediaConfig as Record<string, unknown>;
			const all = [...((mediaConfig.preFetchMedia as unknown[] | undefined) ?? []), ...spoken];
			if (all.length > MAX_PREFETCH)
				throw new InputProblem(
					'Additional Fields › Prefetch Media',
					`has ${all.length} prompts; give at most ${MAX_PREFETCH}.`,
				);
			return { ...body, mediaConfig: { ...mediaConfig, preFetchMedia: all } };
		},
		shown: (body) => ({ acceptedModalities: body.acceptedModalities as string[] }),
		message:
			'Graph accepted the answer: the call now becomes established (see the trigger for establishing and established).',
	}),
};
