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
import * as call from './call';
import * as callParticipant from './callParticipant';
import { createOperationContext, type OperationContext } from './context';
import { applyExecutionPlan, readExecutionPlan, SEQUENTIAL_PLAN } from './executionPlan';
import { mapItemsInOrder } from './itemPool';

type OperationHandler = (
	this: IExecuteFunctions,
	itemIndex: number,
	context: OperationContext,
) => Promise<INodeExecutionData[]>;

const operations: Record<string, Record<string, OperationHandler>> = {
	call: {
		create: call.create.execute,
		get: call.get.execute,
		hangUp: call.hangUp.execute,
		keepAlive: call.keepAlive.execute,
	},
	callParticipant: {
		get: callParticipant.get.execute,
		invite: callParticipant.invite.execute,
		list: callParticipant.list.execute,
		mute: callParticipant.mute.execute,
		remove: callParticipant.remove.execute,
	},
};

/** Every failure leaves as an n8n error that names the item; bad input also names the field. */
function toNodeError(
	functions: IExecuteFunctions,
	error: unknown,
	itemIndex: number,
): NodeApiError | NodeOperationError {
	const node = functions.getNode();
	if (error instanceof InputProblem) {
		return new NodeOperationError(node, `${error.field} (item ${itemIndex}): ${error.problem}`, {
			itemIndex,
		});
	}
	if (error instanceof CredentialConfigError) {
		return new NodeOperationError(node, `Credential (item ${itemIndex}): ${error.message}`, {
			itemIndex,
		});
	}
	if (error instanceof NodeApiError || error instanceof NodeOperationError) {
		if (error.context.itemIndex === undefined) error.context.itemIndex = itemIndex;
		return error;
	}
	return new NodeOperationError(node, error as Error, { itemIndex });
}

/** What continue-on-fail puts in the failed item's place. */
function errorItem(
	error: NodeApiError | NodeOperationError,
	itemIndex: number,
): INodeExecutionData {
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

/**
 * Runs the chosen operation for every item (several at once where the operation allows it, see
 * executionPlan.ts), keeps the output in item order, and handles continue-on-fail here only.
 */
export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const resource = this.getNodeParameter('resource', 0) as string;
	const operation = this.getNodeParameter('operation', 0) as string;
	const handler = operations[resource]?.[operation];
	if (!handler)
		throw new NodeOperationError(
			this.getNode(),
			`The operation "${operation}" of "${resource}" is not supported.`,
		);

	let context: OperationContext | undefined;
	let contextError: unknown;
	let plan = SEQUENTIAL_PLAN;
	try {
		plan = readExecutionPlan(this, resource, operation);
		context = createOperationContext(
			this,
			readEntraAppSettings(await this.getCredentials(CREDENTIAL_TYPE)),
		);
		applyExecutionPlan(context, plan);
	} catch (error) {
		context = undefined;
		contextError = error;
	}

	const perItem = await mapItemsInOrder(items.length, plan.itemWindow, async (itemIndex) => {
		try {
			if (!context) throw contextError;
			return await handler.call(this, itemIndex, context);
		} catch (error) {
			const nodeError = toNodeError(this, error, itemIndex);
			if (!this.continueOnFail()) throw nodeError;
			return [errorItem(nodeError, itemIndex)];
		}
	});
	const output = perItem.flat();
	return [output];
}
