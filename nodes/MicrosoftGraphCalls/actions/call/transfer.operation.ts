import { additionalFieldsField } from '../../descriptions/common';
import { type IDataObject } from 'n8n-workflow';

import { callIdField } from '../../descriptions/common';
import { participantFields } from '../../descriptions/participantFields';
import { plainOptionsField } from '../../descriptions/requestOptions';
import { transferBody } from '../../helpers/callControlBodies';
import { ACTION_ROLES, ACTIONS } from '../../engine/actionProfiles';
import { callControlExecute } from '../../engine/callControl';
import type { Operation } from '../../engine/operation';

/**
 * Transfer: POST /communications/calls/{id}/transfer, of an established call. Graph answers 202;
 * the call goes transferring → transferAccepted → terminated (the app leaves), or back to
 * established with a resultInfo when the transfer fails.
 */
export const transfer: Operation = {
	value: 'transfer',
	name: 'Transfer',
	action: 'Transfer a call',
	summary: 'Hand an established peer-to-peer call over to a Teams user or number',
	permissions: [{ roles: ACTION_ROLES.transferCall.roles }],
	fields: [
		{
			...callIdField,
			description:
				'ID of the established call to hand over (e.g. an answered incoming call). Both sides must be Teams users of the same tenant; phone numbers only for calls of a resource account.',
		},
		{
			displayName: 'Transfer Target',
			name: 'transferTarget',
			type: 'fixedCollection',
			typeOptions: { multipleValues: false },
			placeholder: 'Add Transfer Target',
			default: { participant: { type: 'user', id: '' } },
			description:
				"Who gets the call. Consultative transfer: set the target's Additional Fields › Replaces Call ID to the app's call with the target; that call is dropped.",
			options: [{ name: 'participant', displayName: 'Transfer Target', values: participantFields }],
		},
		{
			...additionalFieldsField([
				{
					displayName: 'Transferee Participant ID',
					name: 'transfereeParticipantId',
					type: 'string',
					default: '',
					placeholder: 'e.g. 0f1a2b3c-4d5e-6f70-8192-a3b4c5d6e7f8',
					description: "The transferee's participant ID in this call (Call Participant › Get Many)",
				},
				{
					displayName: 'Transferee Tenant ID',
					name: 'transfereeTenantId',
					type: 'string',
					default: '',
					placeholder: 'e.g. aa67bd4c-8475-432d-bd41-39f255720e0a',
					description: "The transferee's tenant, if another than the call's",
				},
				{
					displayName: 'Transferee User ID',
					name: 'transfereeUserId',
					type: 'string',
					default: '',
					placeholder: 'e.g. 278405a3-f568-4b3e-b684-009193463064',
					description: "The transferee's Entra object ID",
				},
			]),
			description:
				'Only for a transfer out of a group call: who is transferred (Graph requires it there)',
		},
		plainOptionsField,
	],
	usesCallsApi: true,
	execute: callControlExecute({
		action: 'transfer',
		profile: ACTIONS.transferCall,
		body: (item, request) =>
			transferBody({
				target: item.param('transferTarget.participant', {}),
				extra: item.param('additionalFields', {}),
				version: request.version,
			}),
		shown: (body) => ({ transferTarget: body.transferTarget as IDataObject }),
		message:
			'Graph accepted the transfer: the call goes to the target, and the app leaves it once the target accepts (see the trigger: transferring, transferAccepted, terminated).',
	}),
};
