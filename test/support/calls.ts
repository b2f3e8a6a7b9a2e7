/** Parameters and constants for the Call resource and the participant operations other than Invite. */
import type { INodeParameters } from 'n8n-workflow';

import { DEFAULT_CALL_ID, DEFAULT_CLIENT_ID, DEFAULT_TENANT_ID } from '../../simulator';
import type { ParticipantInput } from './fixture';

export const CALLBACK = 'https://bot.contoso.com/api/calls';
export const ENGINEER = '278405a3-f568-4b3e-b684-009193463064';
export const MANAGER = '7e1b4346-85a6-4bdd-abe3-d11c5d420efe';
export const ORGANIZER = '5810cede-f3cc-42eb-b2c1-e9bd5d53ec96';
export const MEETING_TENANT = 'aa67bd4c-8475-432d-bd41-39f255720e0a';
export const THREAD = '19:meeting_NTg0NmQ3NTctZDVkZC00YzRhLThmNmEtOGQ3M2E0ODdmZDZk@thread.v2';
export const RESOURCE_ACCOUNT = '3d913abb-aec0-4964-8fa6-3c6850c4f278';
export { DEFAULT_CALL_ID, DEFAULT_CLIENT_ID, DEFAULT_TENANT_ID };

/** The long meetup-join link, encoded as Teams writes it. */
export function joinUrl(
	thread = THREAD,
	tenant = MEETING_TENANT,
	organizer = ORGANIZER,
	messageId = '0',
): string {
	const lowerEscapes = (text: string) =>
		text.replace(/%[0-9A-F]{2}/g, (escape) => escape.toLowerCase());
	const context = lowerEscapes(encodeURIComponent(JSON.stringify({ Tid: tenant, Oid: organizer })));
	return `https://teams.microsoft.com/l/meetup-join/${lowerEscapes(encodeURIComponent(thread))}/${messageId}?context=${context}`;
}

export function createParameters(callType: string, extra: INodeParameters = {}): INodeParameters {
	return {
		resource: 'call',
		operation: 'create',
		callType,
		callbackUrl: CALLBACK,
		requestedModalities: ['audio'],
		...extra,
	};
}

export function targets(...entries: ParticipantInput[]): INodeParameters {
	return { targets: { participant: entries as unknown as INodeParameters[] } };
}

export function callParameters(
	operation: string,
	callId: string,
	extra: INodeParameters = {},
): INodeParameters {
	return { resource: 'call', operation, callId, ...extra };
}

export function participantParameters(
	operation: string,
	callId: string,
	participantId?: string,
	extra: INodeParameters = {},
): INodeParameters {
	return {
		resource: 'callParticipant',
		operation,
		callId,
		...(participantId !== undefined ? { participantId } : {}),
		...extra,
	};
}
