import {
	updateDisplayOptions,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';

import { parseCallId } from '../../helpers/identifiers';
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

const properties: INodeProperties[] = [callIdField, participantIdField, plainOptionsField];

export const description = updateDisplayOptions(
	{ show: { resource: ['callParticipant'], operation: ['get'] } },
	properties,
);

/** Get participant: GET /communications/calls/{id}/participants/{participantId}. */
export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	context: OperationContext,
): Promise<INodeExecutionData[]> {
	requireCallsApi(context);
	const options = readOptions(this, itemIndex, context);
	const callId = parseCallId(this.getNodeParameter('callId', itemIndex, ''));
	const participantId = readParticipantId(this, itemIndex);
	const outcome = await sendCallRequest.call(
		this,
		itemIndex,
		context,
		{ method: 'GET', path: callPath(callId, 'participants', participantId) },
		options,
		CALL_ACTIONS.getParticipant,
	);
	return [{ json: outcome.json, pairedItem: { item: itemIndex } }];
}
