import { updateDisplayOptions } from 'n8n-workflow';

import { callIdField, participantIdField } from '../../descriptions/common';
import { plainOptionsField } from '../../descriptions/requestOptions';
import { callPath, readParticipantId } from '../../helpers/graphPaths';
import { parseCallId } from '../../helpers/identifiers';
import { ACTIONS } from '../actionProfiles';
import type { Operation } from '../operation';

/** Get participant: GET /communications/calls/{id}/participants/{participantId}. */
export const get: Operation = {
	description: updateDisplayOptions(
		{ show: { resource: ['callParticipant'], operation: ['get'] } },
		[callIdField, participantIdField, plainOptionsField],
	),
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
