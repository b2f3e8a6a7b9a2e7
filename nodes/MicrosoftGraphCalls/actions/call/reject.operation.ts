import { updateDisplayOptions } from 'n8n-workflow';

import { callIdField } from '../../descriptions/common';
import { plainOptionsField } from '../../descriptions/requestOptions';
import { rejectBody } from '../../helpers/callControlBodies';
import { callPath } from '../../helpers/graphPaths';
import { parseCallId } from '../../helpers/identifiers';
import { ACTIONS } from '../actionProfiles';
import type { Operation } from '../operation';
import { successJson } from '../results';

/** Reject: POST /communications/calls/{id}/reject. 202 without a body; a deleted call notification follows. */
export const reject: Operation = {
	description: updateDisplayOptions({ show: { resource: ['call'], operation: ['reject'] } }, [
		{
			...callIdField,
			description:
				'ID of the incoming call, not yet answered (the trigger\'s Incoming Call item has it as "callId"). An answered call is ended with Hang Up instead.',
			placeholder: 'e.g. {{ $json.callId }}',
		},
		{
			displayName: 'Reason',
			name: 'reason',
			type: 'options',
			options: [
				{ name: 'None', value: 'none', description: 'Decline without a reason' },
				{ name: 'Busy', value: 'busy', description: 'The caller hears that the line is busy' },
				{ name: 'Forbidden', value: 'forbidden', description: 'The caller is not allowed to call' },
			],
			default: 'none',
		},
		{
			displayName: 'Additional Fields',
			name: 'additionalFields',
			type: 'collection',
			placeholder: 'Add Field',
			default: {},
			options: [
				{
					displayName: 'Callback URL',
					name: 'callbackUrl',
					type: 'string',
					default: '',
					placeholder: 'e.g. https://bot.contoso.com/api/calls',
					description:
						"Where Graph sends the call's last notification (https). Empty: the bot's calling webhook.",
				},
			],
		},
		plainOptionsField,
	]),
	usesCallsApi: true,
	async execute({ transport }, item, { request }) {
		const callId = parseCallId(item.param('callId'));
		const body = rejectBody({
			reason: item.param('reason', 'none'),
			extra: item.param('additionalFields', {}),
		});
		const result = await transport.request(
			{ method: 'POST', path: callPath(callId, 'reject'), body },
			request,
			ACTIONS.rejectCall,
			item.index,
		);
		return successJson(result, {
			operation: 'reject',
			callId,
			reason: body.reason as string,
			message: 'Graph accepted the rejection: the caller is declined and the call ends.',
		});
	},
};
