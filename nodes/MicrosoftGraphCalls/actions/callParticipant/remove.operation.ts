import { callIdField, participantIdField, README } from '../../descriptions/common';
import { plainOptionsField } from '../../descriptions/requestOptions';
import { callPath, readParticipantId } from '../../helpers/graphPaths';
import { parseCallId } from '../../helpers/idFields';
import { ACTION_ROLES, ACTIONS } from '../../engine/actionProfiles';
import type { Operation } from '../../engine/operation';
import { successJson } from '../../engine/successJson';

/** Remove participant: DELETE /communications/calls/{id}/participants/{participantId}; Graph answers 204. */
export const remove: Operation = {
	value: 'remove',
	name: 'Remove',
	action: 'Remove a call participant',
	summary: 'Drop a participant from the call, or cancel their invitation',
	permissions: [{ roles: ACTION_ROLES.removeParticipant.roles }],
	fields: [
		{
			displayName: `A Teams admin must first allow this app to remove participants, once, in PowerShell (the command: <a href="${README}#call-participant" target="_blank">README › Call Participant</a>). Removing someone who is still being invited cancels the invitation.`,
			name: 'removeNotice',
			type: 'notice',
			default: '',
		},
		callIdField,
		participantIdField,
		plainOptionsField,
	],
	usesCallsApi: true,
	async execute({ transport }, item, { request }) {
		const callId = parseCallId(item.param('callId'));
		const participantId = readParticipantId(item.param('participantId'));
		const result = await transport.request(
			{ method: 'DELETE', path: callPath(callId, 'participants', participantId) },
			request,
			ACTIONS.removeParticipant,
			item.index,
		);
		return successJson(result, {
			operation: 'remove',
			callId,
			participantId,
			message:
				'The participant was removed from the call (an invitation still ringing was cancelled).',
		});
	},
};
