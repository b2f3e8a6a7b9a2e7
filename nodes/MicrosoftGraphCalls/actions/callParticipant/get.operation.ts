import { callIdField, participantIdField } from '../../descriptions/common';
import { plainOptionsField } from '../../descriptions/requestOptions';
import { callPath, readParticipantId } from '../../helpers/graphPaths';
import { parseCallId } from '../../helpers/idFields';
import { ACTION_ROLES, ACTIONS } from '../../engine/actionProfiles';
import type { Operation } from '../../engine/operation';

/** Get participant: GET /communications/calls/{id}/participants/{participantId}. */
export const get: Operation = {
	value: 'get',
	name: 'Get',
	action: 'Get a call participant',
	summary: 'Get one participant of a call by its participant ID',
	permissions: [{ roles: ACTION_ROLES.getParticipant.roles }],
	fields: [callIdField, participantIdField, plainOptionsField],
	usesCallsApi: true,
	async execute({ transport }, item, { request }) {
		const callId = parseCallId(item.param('callId'));
		const participantId = readParticipantId(item.param('participantId'));
		const result = await transport.request(
			{ method: 'GET', path: callPath(callId, 'participants', participantId) },
			request,
			ACTIONS.getParticipant,
			item.index,
		);
		return result.json;
	},
};
