import type { INodeProperties } from 'n8n-workflow';

import { MAX_PLAY_PROMPTS } from '../helpers/mediaBodies';
import { PROMPT_FORMAT_TEXT } from '../helpers/wavHeader';

/** Form fields the media operations share (Play Prompt, Record Response, hold music...). */

export const PROMPT_FORMAT_NOTE = `Graph plays only ${PROMPT_FORMAT_TEXT} files, fetched by Graph itself from a public https URL`;

export const promptUrlField = (
	name: string,
	displayName: string,
	description: string,
): INodeProperties => ({
	displayName,
	name,
	type: 'string',
	default: '',
	placeholder: 'e.g. https://cdn.contoso.com/prompts/alert.wav',
	description: `${description}. ${PROMPT_FORMAT_NOTE}.`,
});

export const promptsField: INodeProperties = {
	displayName: 'Prompts',
	name: 'prompts',
	type: 'fixedCollection',
	typeOptions: { multipleValues: true },
	placeholder: 'Add Prompt',
	required: true,
	default: {},
	description: `Audio files played one after another (at most ${MAX_PLAY_PROMPTS}). ${PROMPT_FORMAT_NOTE}.`,
	options: [
		{
			name: 'prompt',
			displayName: 'Prompt',
			values: [
				promptUrlField('url', 'URL', 'HTTPS URL of the WAV file'),
				{
					displayName: 'Resource ID',
					name: 'resourceId',
					type: 'string',
					default: '',
					placeholder: 'e.g. 1D6DE2D4-CD51-4309-8DAA-70768651088E',
					description:
						'Optional key Graph caches the file under; give the same ID for the same file to save downloads',
				},
			],
		},
	],
};

export const clientContextField: INodeProperties = {
	displayName: 'Client Context',
	name: 'clientContext',
	type: 'string',
	default: '',
	placeholder: 'e.g. incident-4711',
	description:
		"Your own reference (up to 256 characters), echoed in the operation and in Graph's notifications to the callback URL",
};

export const checkPromptFormatField: INodeProperties = {
	displayName: 'Check Prompt Format',
	name: 'checkPromptFormat',
	type: 'boolean',
	default: true,
	description: `Whether to read the start of each prompt file first (a plain GET, without the Graph token) and refuse files that are not ${PROMPT_FORMAT_TEXT}. Files n8n cannot reach are reported in the output, not refused.`,
};

/** An "Additional Fields" collection (node version 2 style) holding `fields`. */
