import { type IDataObject } from 'n8n-workflow';

import { callIdField } from '../../descriptions/common';
import { plainOptionsField } from '../../descriptions/requestOptions';
import { callPath } from '../../helpers/graphPaths';
import { parseCallId } from '../../helpers/idFields';
import { GraphApiError } from '../../transport/graphErrors';
import { ACTION_ROLES, ACTIONS } from '../../engine/actionProfiles';
import type { Operation } from '../../engine/operation';

/** List participants: GET /communications/calls/{id}/participants. One output item per participant. */
export const list: Operation = {
	value: 'list',
	name: 'Get Many',
	action: 'Get many call participants',
	summary: 'List the participants of a group call or meeting',
	permissions: [{ roles: ACTION_ROLES.listParticipants.roles }],
	fields: [
		{
			displayName:
				'Graph lists participants of group calls and meetings only, not of peer-to-peer calls',
			name: 'listNotice',
			type: 'notice',
			default: '',
		},
		callIdField,
		plainOptionsField,
	],
	usesCallsApi: true,
	async execute({ functions, transport }, item, { request }) {
		const callId = parseCallId(item.param('callId'));
		const result = await transport.request(
			{ method: 'GET', path: callPath(callId, 'participants') },
			request,
			ACTIONS.listParticipants,
			item.index,
		);
		if (!result.sent) return result.json;
		const { value, responseMetadata } = result.json;
		if (!Array.isArray(value)) {
			throw new GraphApiError(
				functions.getNode(),
				`Graph answered ${result.response.status} to the list participants request without a "value" list.`,
				{
					status: result.response.status,
					code: 'malformedResponse',
					requestId: result.response.headers['request-id'],
				},
				item.index,
			);
		}
		return (value as IDataObject[]).map((participant) => ({
			...participant,
			...(responseMetadata !== undefined ? { responseMetadata } : {}),
		}));
	},
};
