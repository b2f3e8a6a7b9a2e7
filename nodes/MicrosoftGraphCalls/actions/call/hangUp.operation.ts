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
	successItem,
} from '../calls.shared';
import { callIdField } from '../common.descriptions';
import type { OperationContext } from '../context';

const properties: INodeProperties[] = [
	{
		...callIdField,
		description: `${callIdField.description as string} In a group call or meeting only the app leaves; the others stay connected.`,
	},
	plainOptionsField,
];

export const description = updateDisplayOptions(
	{ show: { resource: ['call'], operation: ['hangUp'] } },
	properties,
);

/** Hang up: DELETE /communications/calls/{id}. Graph answers 204; the item says what happened. */
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
		{ method: 'DELETE', path: callPath(callId) },
		options,
		CALL_ACTIONS.hangUp,
	);
	return [
		successItem(outcome, itemIndex, {
			operation: 'hangUp',
			callId,
			message:
				'The app hung up: its leg of the call has ended. In a group call or meeting the others stay connected.',
		}),
	];
}
