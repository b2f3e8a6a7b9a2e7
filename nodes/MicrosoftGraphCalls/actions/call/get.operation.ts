import { updateDisplayOptions } from 'n8n-workflow';

import { callIdField } from '../../descriptions/common';
import { plainOptionsField } from '../../descriptions/requestOptions';
import { callPath } from '../../helpers/graphPaths';
import { parseCallId } from '../../helpers/identifiers';
import { ACTIONS } from '../actionProfiles';
import type { Operation } from '../operation';

/** Get call: GET /communications/calls/{id}. */
export const get: Operation = {
	description: updateDisplayOptions({ show: { resource: ['call'], operation: ['get'] } }, [
		callIdField,
		plainOptionsField,
	]),
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
