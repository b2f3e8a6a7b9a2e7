import { callIdField, participantIdField } from '../../descriptions/common';
import { additionalFieldsField } from '../../descriptions/common';
import {
	checkPromptFormatField,
	clientContextField,
	promptUrlField,
} from '../../descriptions/mediaFields';
import { plainOptionsField } from '../../descriptions/requestOptions';
import { clientContextBody, mediaPrompt, readOptionalPromptUrl } from '../../helpers/mediaBodies';
import { ACTION_ROLES, ACTIONS } from '../../engine/actionProfiles';
import { readMediaTarget, sendMediaAction } from '../../features/media/mediaAction';
import { checkPrompt, wantsPromptCheck } from '../../features/media/promptCheck';
import type { Operation } from '../../engine/operation';
import { promptServerUrlField, servedSpokenPrompt } from '../../features/speech/servedPrompts';
import { readSpokenPrompt } from '../../features/speech/spokenPrompt';
import {
	promptSourceFields,
	promptTextField,
	spokenVoiceFields,
} from '../../descriptions/promptFields';

const TEXT = { promptSource: ['text'] };
const legacyUrl = promptUrlField(
	'customPromptUrl',
	'Custom Prompt URL',
	"HTTPS URL of a WAV file the participant hears instead of Teams' hold music",
);

/**
 * Start hold music: POST /communications/calls/{id}/participants/{pid}/startHoldMusic
 * { customPrompt, clientContext } → 202 startHoldMusicOperation. One participant at a time.
 */
export const startHoldMusic: Operation = {
	value: 'startHoldMusic',
	name: 'Start Hold Music',
	action: 'Start hold music for a call participant',
	summary: 'Put a participant on hold with music or your own prompt',
	permissions: [{ roles: ACTION_ROLES.startHoldMusic.roles, rolesOfTheCall: true }],
	fields: [
		{
			displayName:
				'Puts one participant on hold (only one participant can be on hold at a time); they hear music until Stop Hold Music.',
			name: 'startHoldMusicNotice',
			type: 'notice',
			default: '',
		},
		callIdField,
		participantIdField,
		...promptSourceFields({
			displayName: 'Participant Hears',
			choices: ['none', 'text', 'url'],
			// Version 1 and 2 nodes keep Additional Fields › Custom Prompt URL, as they had it.
			newDefault: 'none',
			names: {
				none: { name: "Teams' Hold Music", description: 'The music Teams plays on hold' },
				text: {
					name: 'Text',
					description:
						'Typed words (or SSML) spoken by the offline voice or Azure AI Speech, instead of the music',
				},
				url: { name: 'URL', description: 'A WAV file at an https URL, instead of the music' },
			},
		}),
		promptTextField(TEXT),
		...spokenVoiceFields(TEXT),
		{
			...promptUrlField(
				'customPromptUrl',
				'Custom Prompt URL',
				"HTTPS URL of a WAV file the participant hears instead of Teams' hold music",
			),
			required: true,
			displayOptions: { show: { promptSource: ['url'] }, hide: { '@version': [1, 2] } },
		},
		{
			...additionalFieldsField([checkPromptFormatField, clientContextField, legacyUrl]),
			displayOptions: { show: { '@version': [1, 2] } },
		},
		{
			...additionalFieldsField([checkPromptFormatField, clientContextField, promptServerUrlField]),
			displayOptions: { hide: { '@version': [1, 2] } },
		},
		plainOptionsField,
	],
	usesCallsApi: true,
	async execute(context, item, options) {
		const target = readMediaTarget(item, true);
		const source = item.param('promptSource', 'none');
		const raw = source === 'url' ? item.param('customPromptUrl', '') : target.extra.customPromptUrl;
		const field = source === 'url' ? 'Custom Prompt URL' : 'Additional Fields › Custom Prompt URL';
		const spoken =
			source === 'text'
				? await servedSpokenPrompt(context, {
						callId: target.callId,
						spec: readSpokenPrompt(item.param),
						promptServerUrl: target.extra.promptServerUrl,
						request: options.request,
						itemIndex: item.index,
					})
				: undefined;
		// Version 1 and 2 nodes have no Text choice beside Additional Fields › Custom Prompt URL.
		const promptUrl = readOptionalPromptUrl(
			raw,
			field,
			source === 'url' ? 'Participant Hears › Text' : null,
		);
		const check =
			promptUrl !== undefined && wantsPromptCheck(target.extra) && !options.request.dryRun
				? await checkPrompt(context.functions, promptUrl, field)
				: undefined;
		const json = await sendMediaAction(
			context,
			item,
			options,
			target,
			'startHoldMusic',
			{
				...(spoken
					? { customPrompt: spoken.prompt }
					: promptUrl !== undefined
						? { customPrompt: mediaPrompt(promptUrl) }
						: {}),
				...clientContextBody(target.extra),
			},
			ACTIONS.startHoldMusic,
		);
		if (spoken) return { ...json, spokenPrompts: [spoken.report] };
		return check ? { ...json, promptChecks: [check] } : json;
	},
};
