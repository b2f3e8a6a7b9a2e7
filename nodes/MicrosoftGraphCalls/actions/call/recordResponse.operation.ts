import { type IDataObject } from 'n8n-workflow';

import { callIdField } from '../../descriptions/common';
import { additionalFieldsField, README } from '../../descriptions/common';
import {
	checkPromptFormatField,
	clientContextField,
	promptUrlField,
} from '../../descriptions/mediaFields';
import {
	promptSourceFields,
	promptTextField,
	spokenVoiceFields,
} from '../../descriptions/promptFields';
import { plainOptionsField } from '../../descriptions/requestOptions';
import { isUnset, readFlag } from '../../helpers/optionValues';
import { requireText } from '../../helpers/inputProblem';
import {
	buildRecordBody,
	mediaPrompt,
	readOptionalPromptUrl,
	RECORD_SECONDS,
	STOP_TONE_KEYS,
} from '../../helpers/mediaBodies';
import { ACTION_ROLES, ACTIONS } from '../../engine/actionProfiles';
import { readMediaTarget, sendMediaAction } from '../../features/media/mediaAction';
import { checkPrompt, wantsPromptCheck } from '../../features/media/promptCheck';
import { downloadRecording } from '../../features/media/recordingDownload';
import { BinaryResult, type Operation } from '../../engine/operation';
import { promptServerUrlField, servedSpokenPrompt } from '../../features/speech/servedPrompts';
import { readSpokenPrompt } from '../../features/speech/spokenPrompt';

const TEXT = { promptSource: ['text'] };

const seconds = (name: string, displayName: string, description: string) => ({
	displayName,
	name,
	type: 'number' as const,
	typeOptions: { minValue: RECORD_SECONDS.min, maxValue: RECORD_SECONDS.max, numberPrecision: 0 },
	default: 5,
	description: `${description} (1 to 120 seconds; Graph's default is 5)`,
});

/**
 * Record response: POST /communications/calls/{id}/recordResponse with Graph's documented
 * options → recordOperation ("running"; the recordingLocation and its access token come with the
 * completion notification at the callback URL).
 */
export const recordResponse: Operation = {
	value: 'recordResponse',
	name: 'Record Response',
	action: 'Record a response in a call',
	summary: 'Say or play an optional prompt, then record up to 2 minutes of what is said',
	permissions: [{ roles: ACTION_ROLES.recordResponse.roles }],
	fields: [
		{
			displayName: `Records up to 2 minutes of what the other side says after an optional prompt; the recording's location arrives at the call's callback URL (the trigger's Operation Result event) and is discarded shortly after the call ends. Microsoft says call media, and data derived from it, may not be persisted: read <a href="${README}#call" target="_blank">README › Call</a> (Record Response) before downloading recordings.`,
			name: 'recordResponseNotice',
			type: 'notice',
			default: '',
		},
		callIdField,
		...promptSourceFields({
			choices: ['text', 'url', 'none'],
			// Version 1 and 2 nodes had only the URL, optional (empty: no prompt).
			legacyDefault: 'url',
			newDefault: 'text',
		}),
		{
			...promptTextField(TEXT),
			placeholder: 'e.g. Please say your name and why you are calling after the beep.',
		},
		...spokenVoiceFields(TEXT),
		{
			...promptUrlField(
				'promptUrl',
				'Prompt URL',
				'HTTPS URL of a WAV file played before recording (empty: none)',
			),
			displayOptions: { show: { promptSource: ['url'] } },
		},
		additionalFieldsField([
			{
				displayName: 'Barge In Allowed',
				name: 'bargeInAllowed',
				type: 'boolean',
				default: false,
				description:
					'Whether the caller may start speaking (or press a key) before the prompt ends',
			},
			checkPromptFormatField,
			clientContextField,
			{
				displayName: 'Download Recording',
				name: 'downloadRecording',
				type: 'boolean',
				default: false,
				description:
					"Whether to download the recording into a binary field when Graph's answer already reports it completed (otherwise it is reported by the trigger's Operation Result event). n8n keeps binary data with saved executions, and Microsoft's documentation says call media may not be persisted.",
			},
			seconds(
				'initialSilenceTimeoutInSeconds',
				'Initial Silence Timeout (Seconds)',
				'How long to wait for the caller to start speaking, counted from the end of the prompt',
			),
			seconds('maxRecordDurationInSeconds', 'Max Record Duration (Seconds)', 'Longest recording'),
			promptServerUrlField,
			seconds(
				'maxSilenceTimeoutInSeconds',
				'Max Silence Timeout (Seconds)',
				'Silence after speech that ends the recording',
			),
			{
				displayName: 'Play Beep',
				name: 'playBeep',
				type: 'boolean',
				default: true,
				description: 'Whether to play a beep after the prompt, when recording starts',
			},
			{
				displayName: 'Put Recording in Field',
				name: 'binaryPropertyName',
				type: 'string',
				default: 'data',
				placeholder: 'e.g. recording',
				description: 'The binary field the downloaded recording goes to',
			},
			{
				displayName: 'Stop Tones',
				name: 'stopTones',
				type: 'multiOptions',
				options: STOP_TONE_KEYS.map((key) => ({ name: key, value: key })),
				default: [],
				description: 'Keys that end the recording when pressed',
			},
		]),
		plainOptionsField,
	],
	usesCallsApi: true,
	async execute(context, item, options) {
		const target = readMediaTarget(item);
		const source = item.param('promptSource', 'url');
		const rawPrompt = source === 'url' ? item.param('promptUrl', '') : '';
		const promptUrl = readOptionalPromptUrl(rawPrompt, 'Prompt URL');
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
		const body = buildRecordBody(
			spoken?.prompt ?? (promptUrl !== undefined ? mediaPrompt(promptUrl) : undefined),
			target.extra,
		);
		const download = readFlag(
			target.extra.downloadRecording,
			'Additional Fields › Download Recording',
		);
		const binaryProperty = isUnset(target.extra.binaryPropertyName)
			? 'data'
			: requireText(
					target.extra.binaryPropertyName,
					'Additional Fields › Put Recording in Field',
				).trim() || 'data';
		const check =
			promptUrl !== undefined && wantsPromptCheck(target.extra) && !options.request.dryRun
				? await checkPrompt(context.functions, promptUrl, 'Prompt URL')
				: undefined;
		const json: IDataObject = await sendMediaAction(
			context,
			item,
			options,
			target,
			'recordResponse',
			body,
			ACTIONS.recordResponse,
		);
		const output: IDataObject = check ? { ...json, promptChecks: [check] } : { ...json };
		if (spoken) output.spokenPrompts = [spoken.report];
		if (!download) return output;
		const recording = await downloadRecording(context.functions, json);
		if (!recording)
			return {
				...output,
				recordingDownload:
					"not yet: the recording is still running. Its recordingLocation and recordingAccessToken arrive with the trigger's Operation Result event.",
			};
		return new BinaryResult(
			{ ...output, recordingDownload: binaryProperty },
			{ [binaryProperty]: recording },
		);
	},
};
