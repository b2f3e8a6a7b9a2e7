import { additionalFieldsField, callIdField } from '../../descriptions/common';
import {
	checkPromptFormatField,
	clientContextField,
	promptsField,
} from '../../descriptions/mediaFields';
import {
	promptSourceFields,
	promptTextField,
	spokenVoiceFields,
} from '../../descriptions/promptFields';
import { plainOptionsField } from '../../descriptions/requestOptions';
import { clientContextBody, mediaPrompt, readPromptList } from '../../helpers/mediaBodies';
import { ACTION_ROLES, ACTIONS } from '../../engine/actionProfiles';
import { readMediaTarget, sendMediaAction } from '../../features/media/mediaAction';
import { checkPrompt, wantsPromptCheck, type PromptCheck } from '../../features/media/promptCheck';
import type { Operation } from '../../engine/operation';
import { promptServerUrlField, servedSpokenPrompt } from '../../features/speech/servedPrompts';
import { readSpokenPrompt } from '../../features/speech/spokenPrompt';

const TEXT = { promptSource: ['text'] };

/**
 * Play prompt: POST /communications/calls/{id}/playPrompt { prompts, clientContext } →
 * playPromptOperation (usually "running"; the result comes to the callback URL when it ends).
 */
export const playPrompt: Operation = {
	value: 'playPrompt',
	name: 'Play Prompt',
	action: 'Play a prompt in a call',
	summary: 'Say typed text, or play WAV audio files, to the other side of the call',
	permissions: [{ roles: ACTION_ROLES.playPrompt.roles, rolesOfTheCall: true }],
	fields: [
		{
			displayName:
				"Graph plays prompts only in calls with service-hosted media (calls this node creates have it). The result (completed or failed) arrives at the call's callback URL: use the trigger's Operation Result event.",
			name: 'playPromptNotice',
			type: 'notice',
			default: '',
		},
		callIdField,
		...promptSourceFields({ choices: ['text', 'url'], legacyDefault: 'url', newDefault: 'text' }),
		promptTextField(TEXT),
		...spokenVoiceFields(TEXT),
		{ ...promptsField, displayOptions: { show: { promptSource: ['url'] } } },
		additionalFieldsField([checkPromptFormatField, clientContextField, promptServerUrlField]),
		plainOptionsField,
	],
	usesCallsApi: true,
	async execute(context, item, options) {
		const target = readMediaTarget(item);
		if (item.param('promptSource', 'url') === 'text') {
			const spoken = await servedSpokenPrompt(context, {
				callId: target.callId,
				spec: readSpokenPrompt(item.param),
				promptServerUrl: target.extra.promptServerUrl,
				request: options.request,
				itemIndex: item.index,
			});
			const json = await sendMediaAction(
				context,
				item,
				options,
				target,
				'playPrompt',
				{ prompts: [spoken.prompt], ...clientContextBody(target.extra) },
				ACTIONS.playPrompt,
			);
			return { ...json, spokenPrompts: [spoken.report] };
		}
		const prompts = readPromptList(item.param('prompts', {}));
		const checks: PromptCheck[] = [];
		if (wantsPromptCheck(target.extra) && !options.request.dryRun) {
			for (const [index, prompt] of prompts.entries()) {
				checks.push(
					await checkPrompt(context.functions, prompt.url, `Prompts › Prompt ${index + 1} › URL`),
				);
			}
		}
		const body = {
			prompts: prompts.map((prompt) => mediaPrompt(prompt.url, prompt.resourceId)),
			...clientContextBody(target.extra),
		};
		const json = await sendMediaAction(
			context,
			item,
			options,
			target,
			'playPrompt',
			body,
			ACTIONS.playPrompt,
		);
		return checks.length > 0 ? { ...json, promptChecks: checks } : json;
	},
};
