import { additionalFieldsField, callbackUrlField, callIdField } from '../../descriptions/common';
import { plainOptionsField } from '../../descriptions/requestOptions';
import { rejectBody } from '../../helpers/callControlBodies';
import { ACTION_ROLES, ACTIONS } from '../../engine/actionProfiles';
import { callControlExecute } from '../../engine/callControl';
import type { Operation } from '../../engine/operation';

/** Reject: POST /communications/calls/{id}/reject. 202 without a body; a deleted call notification follows. */
export const reject: Operation = {
	value: 'reject',
	name: 'Reject',
	action: 'Reject an incoming call',
	summary: 'Decline a call to the bot (none, busy or forbidden)',
	permissions: [{ roles: ACTION_ROLES.rejectCall.roles }],
	fields: [
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
		additionalFieldsField([
			callbackUrlField(
				"Where Graph sends the call's last notification (https). Empty: the bot's calling webhook.",
			),
		]),
		plainOptionsField,
	],
	usesCallsApi: true,
	execute: callControlExecute({
		action: 'reject',
		profile: ACTIONS.rejectCall,
		body: (item) =>
			rejectBody({
				reason: item.param('reason', 'none'),
				extra: item.param('additionalFields', {}),
			}),
		shown: (body) => ({ reason: body.reason as string }),
		message: 'Graph accepted the rejection: the caller is declined and the call ends.',
	}),
};
