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
	plainOptionsField,
	readOptions,
	requireCallsApi,
	sendCallRequest,
} from '../calls.shared';
import { callIdField } from '../common.descriptions';
import type { OperationContext } from '../context';

const properties: INodeProperties[] = [callIdField, plainOptionsField];

export const description = updateDisplayOptions(
	{ show: { resource: ['call'], operation: ['get'] } },
	properties,
);

/** Get call: GET /communications/calls/{id}. */
export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	context: OperationContext,
): Promise<INodeExecutionData[]> {
	requireCallsApi(context);
	const options = readOptions(this, itemIndex, context);
	const callId = parseCallId(this.getNodeParameter('callId', itemIndex, ''));
	const outcome = await sendCallRequest.call(
		this,
		itemIndex,
		context,
		{ method: 'GET', path: callPath(callId) },
		options,
		CALL_ACTIONS.getCall,
	);
	return [{ json: outcome.json, pairedItem: { item: itemIndex } }];
}
