import {
	updateDisplayOptions,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';

import { parseCallId } from '../../helpers/identifiers';
import { GraphApiError } from '../../transport/graphErrors';
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

const properties: INodeProperties[] = [
	{
		displayName:
			'Graph lists participants of group calls and meetings only, not of peer-to-peer calls',
		name: 'listNotice',
		type: 'notice',
		default: '',
	},
	callIdField,
	plainOptionsField,
];

export const description = updateDisplayOptions(
	{ show: { resource: ['callParticipant'], operation: ['list'] } },
	properties,
);

/** List participants: GET /communications/calls/{id}/participants. One output item per participant. */
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
		{ method: 'GET', path: callPath(callId, 'participants') },
		options,
		CALL_ACTIONS.listParticipants,
	);
	if (outcome.response === undefined)
		return [{ json: outcome.json, pairedItem: { item: itemIndex } }];
	const { value, responseMetadata } = outcome.json;
	if (!Array.isArray(value)) {
		throw new GraphApiError(
			this.getNode(),
			`Graph answered ${outcome.response.status} to the list participants request without a "value" list.`,
			{
				status: outcome.response.status,
				code: 'malformedResponse',
				requestId: outcome.response.headers['request-id'],
			},
			itemIndex,
		);
	}
	return (value as IDataObject[]).map((participant) => ({
		json: { ...participant, ...(responseMetadata !== undefined ? { responseMetadata } : {}) },
		pairedItem: { item: itemIndex },
	}));
}
