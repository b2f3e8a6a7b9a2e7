import type { INodeProperties } from 'n8n-workflow';

/** Fields that several operations share. */

/** The README on npm: where the form's notices link (docs/ is not published). */
export const README = 'https://www.npmjs.com/package/n8n-nodes-microsoft-graph-calls';

export const callIdField: INodeProperties = {
	displayName: 'Call ID',
	name: 'callId',
	type: 'string',
	required: true,
	default: '',
	placeholder: 'e.g. 2f1a0b00-8e3c-4d5f-9a6b-7c8d9e0f1a2b',
	description:
		"ID of the active call, or its Graph URL (…/communications/calls/{ID}). The call must have been created, answered or joined by this credential's app.",
};

export const participantIdField: INodeProperties = {
	displayName: 'Participant ID',
	name: 'participantId',
	type: 'string',
	required: true,
	default: '',
	placeholder: 'e.g. 0f1a2b3c-4d5e-6f70-8192-a3b4c5d6e7f8',
	description:
		"The participant's ID in this call, as Call Participant › Get Many outputs it (not the user's object ID)",
};

/**
 * Callback URL: where Graph posts a call's notifications. Call › Create requires it; Answer,
 * Reject and Redirect take it optionally (Graph then uses the bot's calling webhook). Each
 * operation says in `description` what arrives there in its case.
 */
export function callbackUrlField(description: string, required = false): INodeProperties {
	return {
		displayName: 'Callback URL',
		name: 'callbackUrl',
		type: 'string',
		...(required ? { required: true } : {}),
		default: '',
		placeholder: 'e.g. https://bot.contoso.com/api/calls',
		description,
	};
}

/** The Additional Fields collection of an operation: the rarely needed fields. */
export function additionalFieldsField(fields: INodeProperties[]): INodeProperties {
	return {
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		options: fields,
	};
}
