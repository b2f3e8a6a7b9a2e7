import { callIdField } from '../../descriptions/common';
import { plainOptionsField } from '../../descriptions/requestOptions';
import { callPath } from '../../helpers/graphPaths';
import { parseCallId } from '../../helpers/idFields';
import { ACTION_ROLES, ACTIONS } from '../../engine/actionProfiles';
import type { Operation } from '../../engine/operation';

/** Get call: GET /communications/calls/{id}. */
export const get: Operation = {
	value: 'get',
	name: 'Get',
	action: 'Get a call',
	summary: 'Get the state of a call the app is in',
	permissions: [{ roles: ACTION_ROLES.getCall.roles, rolesOfTheCall: true }],
	fields: [callIdField, plainOptionsField],
	usesCallsApi: true,
	async execute({ transport }, item, { request }) {
		const callId = parseCallId(item.param('callId'));
		const result = await transport.request(
			{ method: 'GET', path: callPath(callId) },
			request,
			ACTIONS.getCall,
			item.index,
		);
		return result.json;
	},
};
