import { callIdField } from '../../descriptions/common';
import { plainOptionsField } from '../../descriptions/requestOptions';
import { callPath } from '../../helpers/graphPaths';
import { parseCallId } from '../../helpers/idFields';
import { ACTIONS } from '../../engine/actionProfiles';
import type { Operation } from '../../engine/operation';

/** Get call: GET /communications/calls/{id}. */
export const get: Operation = {
	value: 'get',
	name: 'Get',
	action: 'Get a call',
	summary: 'Get the state of a call the app is in',
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
