import { callIdField } from '../../descriptions/common';
import { plainOptionsField } from '../../descriptions/requestOptions';
import { callPath } from '../../helpers/graphPaths';
import { parseCallId } from '../../helpers/idFields';
import { ACTION_ROLES, ACTIONS } from '../../engine/actionProfiles';
import type { Operation } from '../../engine/operation';
import { successJson } from '../../engine/successJson';

/** Hang up: DELETE /communications/calls/{id}. Graph answers 204; the item says what happened. */
export const hangUp: Operation = {
	value: 'hangUp',
	name: 'Hang Up',
	action: 'Hang up a call',
	summary: 'Leave the call (in a group call or meeting, the others stay)',
	permissions: [{ roles: ACTION_ROLES.hangUp.roles, rolesOfTheCall: true }],
	fields: [
		{
			...callIdField,
			description: `${callIdField.description as string} In a group call or meeting only the app leaves; the others stay connected.`,
		},
		plainOptionsField,
	],
	usesCallsApi: true,
	async execute({ transport }, item, { request }) {
		const callId = parseCallId(item.param('callId'));
		const result = await transport.request(
			{ method: 'DELETE', path: callPath(callId) },
			request,
			ACTIONS.hangUp,
			item.index,
		);
		return successJson(result, {
			operation: 'hangUp',
			callId,
			message:
				'The app hung up: its leg of the call has ended. In a group call or meeting the others stay connected.',
		});
	},
};
