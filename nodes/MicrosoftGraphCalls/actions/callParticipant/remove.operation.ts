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
	successItem,
} from '../calls.shared';
import { callIdField } from '../common.descriptions';
import type { OperationContext } from '../context';

const properties: INodeProperties[] = [
	{
		displayName:
			'A tenant admin must first allow this app to remove participants: Set-CsApplicationMeetingConfiguration -AllowRemoveParticipantAppIds @{Add="<client ID>"} (Teams PowerShell). Removing someone who is still being invited cancels the invitation.',
		name: 'removeNotice',
		type: 'notice',
		default: '',
	},
	callIdField,
	participantIdField,
	plainOptionsField,
];

export const description = updateDisplayOptions(
	{ show: { resource: ['callParticipant'], operation: ['remove'] } },
	properties,
);

/** Remove participant: DELETE /communications/calls/{id}/participants/{participantId}; Graph answers 204. */
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
		{ method: 'DELETE', path: callPath(callId, 'participants', participantId) },
		options,
		CALL_ACTIONS.removeParticipant,
	);
	return [
		successItem(outcome, itemIndex, {
			operation: 'remove',
			callId,
			participantId,
			message:
				'The participant was removed from the call (an invitation still ringing was cancelled).',
		}),
	];
}
