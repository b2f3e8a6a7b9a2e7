import { type IDataObject } from 'n8n-workflow';

import { additionalFieldsField, callbackUrlField, callIdField } from '../../descriptions/common';
import { participantFields } from '../../descriptions/participantFields';
import { plainOptionsField } from '../../descriptions/requestOptions';
import {
	MAX_REDIRECT_TARGETS,
	redirectBody,
	REDIRECT_TIMEOUT,
} from '../../helpers/callControlBodies';
import { ACTION_ROLES, ACTIONS } from '../../engine/actionProfiles';
import { callControlExecute } from '../../engine/callControl';
import type { Operation } from '../../engine/operation';

/**
 * Redirect: POST /communications/calls/{id}/redirect, for an incoming call not yet answered.
 * Several targets ring at once (simultaneous ring); the first to pick up gets the call. 202.
 */
export const redirect: Operation = {
	value: 'redirect',
	name: 'Redirect',
	action: 'Redirect an incoming call',
	summary: 'Send an unanswered call to other people, numbers or voicemail',
	permissions: [{ roles: ACTION_ROLES.redirectCall.roles }],
	fields: [
		{
			...callIdField,
			description:
				'ID of the incoming call, not yet answered or rejected (the trigger\'s Incoming Call item has it as "callId")',
			placeholder: 'e.g. {{ $json.callId }}',
		},
		{
			displayName: 'Targets',
			name: 'targets',
			type: 'fixedCollection',
			typeOptions: { multipleValues: true, sortable: true },
			placeholder: 'Add Target',
			default: { participant: [{ type: 'user', id: '' }] },
			description: `Who the call goes to instead: Teams users, phone numbers (the call must have come to a resource account with a number), resource accounts. Several ring at once and the first to answer gets the call; at most ${MAX_REDIRECT_TARGETS}. For voicemail, set a user's Additional Fields › Endpoint Type to Voicemail (beta API).`,
			options: [{ name: 'participant', displayName: 'Target', values: participantFields }],
		},
		additionalFieldsField([
			callbackUrlField(
				"Where Graph sends the call's notifications (https). Empty: the bot's calling webhook.",
			),
			{
				displayName: 'Timeout (Seconds)',
				name: 'timeout',
				type: 'number',
				typeOptions: {
					minValue: REDIRECT_TIMEOUT.min,
					maxValue: REDIRECT_TIMEOUT.max,
					numberPrecision: 0,
				},
				default: 55,
				description: `How long the targets ring, ${REDIRECT_TIMEOUT.min} to ${REDIRECT_TIMEOUT.max} seconds. Not set: Graph's default (55 s for one target, 60 s for several).`,
			},
		]),
		plainOptionsField,
	],
	usesCallsApi: true,
	execute: callControlExecute({
		action: 'redirect',
		profile: ACTIONS.redirectCall,
		body: (item, request) =>
			redirectBody({
				targets: item.param('targets.participant', []),
				extra: item.param('additionalFields', {}),
				version: request.version,
			}),
		shown: (body) => ({ targets: body.targets as IDataObject[] }),
		message: 'Graph accepted the redirect: the targets ring now; the app is no longer in the call.',
	}),
};
