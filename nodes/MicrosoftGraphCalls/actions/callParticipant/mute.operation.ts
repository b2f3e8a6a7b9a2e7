import { callIdField, participantIdField } from '../../descriptions/common';
import { plainOptionsField } from '../../descriptions/requestOptions';
import { callPath, readParticipantId } from '../../helpers/graphPaths';
import { parseCallId } from '../../helpers/idFields';
import { clientContextOf } from '../../helpers/inviteBody';
import { ACTION_ROLES, ACTIONS } from '../../engine/actionProfiles';
import type { Operation } from '../../engine/operation';

/** Mute participant: POST /communications/calls/{id}/participants/{participantId}/mute → muteParticipantOperation. */
export const mute: Operation = {
	value: 'mute',
	name: 'Mute',
	action: 'Mute a call participant',
	summary: 'Mute a participant of a group call or meeting',
	permissions: [{ roles: ACTION_ROLES.muteParticipant.roles }],
	fields: [
		{
			displayName:
				'Graph mutes participants in group calls and meetings only. The mute is server-side: their audio is dropped until they unmute themselves.',
			name: 'muteNotice',
			type: 'notice',
			default: '',
		},
		callIdField,
		participantIdField,
		{
			displayName: 'Client Context',
			name: 'clientContext',
			type: 'string',
			default: '',
			placeholder: 'e.g. incident-4711',
			description:
				"Your own reference (up to 256 characters), echoed in the mute operation and in Graph's notifications",
		},
		plainOptionsField,
	],
	usesCallsApi: true,
	async execute({ transport }, item, { request }) {
		const callId = parseCallId(item.param('callId'));
		const participantId = readParticipantId(item.param('participantId'));
		const clientContext = clientContextOf(item.param('clientContext'));
		const result = await transport.request(
			{
				method: 'POST',
				path: callPath(callId, 'participants', participantId, 'mute'),
				body: clientContext !== undefined ? { clientContext } : {},
			},
			request,
			ACTIONS.muteParticipant,
			item.index,
		);
		return result.json;
	},
};
