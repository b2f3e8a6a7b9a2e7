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

/** Graph ends a call that was not kept alive within this many minutes. */
export const KEEP_ALIVE_LIMIT_MINUTES = 45;

const properties: INodeProperties[] = [
	{
		displayName: `Graph ends a call that has not been kept alive within ${KEEP_ALIVE_LIMIT_MINUTES} minutes (of its start or of the last keep-alive). Run this every 15 to ${KEEP_ALIVE_LIMIT_MINUTES} minutes, e.g. from a Schedule Trigger every 15 minutes, for as long as the call should last.`,
		name: 'keepAliveNotice',
		type: 'notice',
		default: '',
	},
	callIdField,
	plainOptionsField,
];

export const description = updateDisplayOptions(
	{ show: { resource: ['call'], operation: ['keepAlive'] } },
	properties,
);

/** Keep alive: POST /communications/calls/{id}/keepAlive, no body; Graph answers 200 without one. */
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
		{ method: 'POST', path: callPath(callId, 'keepAlive') },
		options,
		CALL_ACTIONS.keepAlive,
	);
	const now = Date.now();
	return [
		successItem(outcome, itemIndex, {
			operation: 'keepAlive',
			callId,
			keptAliveAt: new Date(now).toISOString(),
			keepAliveAgainBefore: new Date(now + KEEP_ALIVE_LIMIT_MINUTES * 60_000).toISOString(),
		}),
	];
}
