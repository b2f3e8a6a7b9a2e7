import { updateDisplayOptions, type IDataObject } from 'n8n-workflow';

import { callIdField } from '../../descriptions/common';
import { participantFields } from '../../descriptions/participantFields';
import { plainOptionsField } from '../../descriptions/requestOptions';
import {
	MAX_REDIRECT_TARGETS,
	redirectBody,
	REDIRECT_TIMEOUT,
} from '../../helpers/callControlBodies';
import { callPath } from '../../helpers/graphPaths';
import { parseCallId } from '../../helpers/identifiers';
import { ACTIONS } from '../actionProfiles';
import type { Operation } from '../operation';
import { successJson } from '../results';

/**
 * Redirect: POST /communications/calls/{id}/redirect, for an incoming call not yet answered.
 * Several targets ring at once (simultaneous ring); the first to pick up gets the call. 202.
 */
export const redirect: Operation = {
	description: updateDisplayOptions({ show: { resource: ['call'], operation: ['redirect'] } }, [
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
						"Where Graph sends the call's notifications (https). Empty: the bot's calling webhook.",
				},
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
			],
		},
		plainOptionsField,
	]),
	usesCallsApi: true,
	async execute({ transport }, item, { request }) {
		const callId = parseCallId(item.param('callId'));
		const body = redirectBody({
			targets: item.param('targets.participant', []),
			extra: item.param('additionalFields', {}),
			version: request.version,
		});
		const result = await transport.request(
			{ method: 'POST', path: callPath(callId, 'redirect'), body },
			request,
			ACTIONS.redirectCall,
			item.index,
		);
		return successJson(result, {
			operation: 'redirect',
			callId,
			targets: body.targets as IDataObject[],
			message:
				'Graph accepted the redirect: the targets ring now; the app is no longer in the call.',
		});
	},
};
