import {
	NodeApiError,
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
} from 'n8n-workflow';

import { CredentialConfigError } from '../../../lib/entra/errors';
import { readEntraAppSettings } from '../../../lib/entra/settings';
import { InputProblem } from '../helpers/inputProblem';
import { GraphApiError } from '../transport/graphErrors';
import { CREDENTIAL_TYPE } from '../transport/n8nHttpHandler';
import * as callParticipant from './callParticipant';
import { createOperationContext, type OperationContext } from './context';

type OperationHandler = (this: IExecuteFunctions, itemIndex: number, context: OperationContext) => Promise<INodeExecutionData[]>;

const operations: Record<string, Record<string, OperationHandler>> = {
	callParticipant: { invite: callParticipant.invite.execute },
};

/** Every failure leaves as an n8n error that names the item; bad input also names the field. */
function toNodeError(functions: IExecuteFunctions, error: unknown, itemIndex: number): NodeApiError | NodeOperationError {
	const node = functions.getNode();
	if (error instanceof InputProblem) {
		return new NodeOperationError(node, `${error.field} (item ${itemIndex}): ${error.problem}`, { itemIndex });
	}
	if (error instanceof CredentialConfigError) {
		return new NodeOperationError(node, `Credential (item ${itemIndex}): ${error.message}`, { itemIndex });
	}
	if (error instanceof NodeApiError || error instanceof NodeOperationError) {
		if (error.context.itemIndex === undefined) error.context.itemIndex = itemIndex;
		return error;
	}
	return new NodeOperationError(node, error as Error, { itemIndex });
}

/** What continue-on-fail puts in the failed item's place. */
function errorItem(error: NodeApiError | NodeOperationError, itemIndex: number): INodeExecutionData {
	const facts = error instanceof GraphApiError ? error.facts : {};
	const json: IDataObject = {
		error: {
			message: error.message,
			...(error.description ? { description: error.description } : {}),
			...(facts.status !== undefined ? { status: facts.status } : {}),
			...(facts.code !== undefined ? { code: facts.code } : {}),
			...(facts.requestId !== undefined ? { requestId: facts.requestId } : {}),
		},
	};
	return { json, pairedItem: { item: itemIndex } };
}

/** Loops over the items, runs the chosen operation for each, and handles continue-on-fail here only. */
export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const resource = this.getNodeParameter('resource', 0) as string;
	const operation = this.getNodeParameter('operation', 0) as string;
	const handler = operations[resource]?.[operation];
	if (!handler) throw new NodeOperationError(this.getNode(), `The operation "${operation}" of "${resource}" is not supported.`);

	let context: OperationContext | undefined;
	let contextError: unknown;
	try {
		context = createOperationContext(this, readEntraAppSettings(await this.getCredentials(CREDENTIAL_TYPE)));
	} catch (error) {
		contextError = error;
	}

	const output: INodeExecutionData[] = [];
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		try {
			if (!context) throw contextError;
			output.push(...(await handler.call(this, itemIndex, context)));
		} catch (error) {
			const nodeError = toNodeError(this, error, itemIndex);
			if (!this.continueOnFail()) throw nodeError;
			output.push(errorItem(nodeError, itemIndex));
		}
	}
	return [output];
}
