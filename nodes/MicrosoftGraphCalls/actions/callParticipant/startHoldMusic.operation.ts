import { callIdField, participantIdField } from '../../descriptions/common';
import { additionalFieldsField } from '../../descriptions/common';
import {
	checkPromptFormatField,
	clientContextField,
	promptUrlField,
} from '../../descriptions/mediaFields';
import { plainOptionsField } from '../../descriptions/requestOptions';
import { clientContextBody, mediaPrompt, readPromptUrl } from '../../helpers/mediaBodies';
import { isUnset } from '../../helpers/optionValues';
import { ACTION_ROLES, ACTIONS } from '../../engine/actionProfiles';
import { readMediaTarget, sendMediaAction } from '../../features/media/mediaAction';
import { checkPrompt, wantsPromptCheck } from '../../features/media/promptCheck';
import type { Operation } from '../../engine/operation';

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
		additionalFieldsField([
			checkPromptFormatField,
			clientContextField,
			promptUrlField(
				'customPromptUrl',
				'Custom Prompt URL',
				"HTTPS URL of a WAV file the participant hears instead of Teams' hold music",
			),
		]),
		plainOptionsField,
	],
	usesCallsApi: true,
	async execute(context, item, options) {
		const target = readMediaTarget(item, true);
		const raw = target.extra.customPromptUrl;
		const promptUrl =
			isUnset(raw) || (typeof raw === 'string' && raw.trim() === '')
				? undefined
				: readPromptUrl(raw, 'Additional Fields › Custom Prompt URL');
		const check =
			promptUrl !== undefined && wantsPromptCheck(target.extra) && !options.request.dryRun
				? await checkPrompt(context.functions, promptUrl, 'Additional Fields › Custom Prompt URL')
				: undefined;
		const json = await sendMediaAction(
			context,
			item,
			options,
			target,
			'startHoldMusic',
			{
				...(promptUrl !== undefined ? { customPrompt: mediaPrompt(promptUrl) } : {}),
				...clientContextBody(target.extra),
			},
			ACTIONS.startHoldMusic,
		);
		return check ? { ...json, promptChecks: [check] } : json;
	},
};
