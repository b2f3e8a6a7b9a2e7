import {
	updateDisplayOptions,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';

import { parseCallId } from '../../helpers/identifiers';
import { clientContextOf } from '../../helpers/inviteBody';
import { CALL_ACTIONS } from '../../transport/callHints';
import {
	callPath,
	participantIdField,
	plainOptionsField,
	readOptions,
	readParticipantId,
	requireCallsApi,
	sendCallRequest,
} from '../calls.shared';
import { callIdField } from '../common.descriptions';
import type { OperationContext } from '../context';

const properties: INodeProperties[] = [
	{
		displayName:
			'Graph mutes participants in group calls and meetings only. The mute is server-side: their audio is dropped until they unmute themselves.',
		name: 'muteNotice',
		type: 'notice',
		default: '',
	},
	callIdField,
	participantIdField,
	{
		displayName: 'Client Context',
		name: 'clientContext',
		type: 'string',
		default: '',
		description:
			"Your own reference (up to 256 characters), echoed in the mute operation and in Graph's notifications",
	},
	plainOptionsField,
];

export const description = updateDisplayOptions(
	{ show: { resource: ['callParticipant'], operation: ['mute'] } },
	properties,
);

/** Mute participant: POST /communications/calls/{id}/participants/{participantId}/mute → muteParticipantOperation. */
export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	context: OperationContext,
): Promise<INodeExecutionData[]> {
	requireCallsApi(context);
	const options = readOptions(this, itemIndex, context);
	const callId = parseCallId(this.getNodeParameter('callId', itemIndex, ''));
	const participantId = readParticipantId(this, itemIndex);
	const clientContext = clientContextOf(this.getNodeParameter('clientContext', itemIndex, ''));
	const outcome = await sendCallRequest.call(
		this,
		itemIndex,
		context,
		{
			method: 'POST',
			path: callPath(callId, 'participants', participantId, 'mute'),
			body: clientContext !== undefined ? { clientContext } : {},
		},
		options,
		CALL_ACTIONS.muteParticipant,
	);
	return [{ json: outcome.json, pairedItem: { item: itemIndex } }];
}
