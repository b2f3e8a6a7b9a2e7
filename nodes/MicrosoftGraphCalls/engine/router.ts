import {
	NodeApiError,
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
} from 'n8n-workflow';

import { CREDENTIAL_TYPE } from '../../../lib/entra/credentialType';
import { CredentialConfigError } from '../../../lib/entra/errors';
import { readEntraAppSettings } from '../../../lib/entra/settings';
import { DEFAULT_INPUT_HINT, InputProblem } from '../helpers/inputProblem';
import { readNodeOptions } from '../helpers/nodeOptions';
import { GraphApiError } from '../transport/graphErrors';
import { GraphTransport } from '../transport/graphTransport';
import { readExecutionPlan } from './executionPlan';
import { operationOf, permissionTable, type Resource } from './resource';
import { mapItemsInOrder, type ItemRunFailure } from './itemPool';
import {
	BinaryResult,
	executionMemo,
	itemInput,
	type Operation,
	type OperationContext,
} from './operation';
import { leadWithWhatMatters } from './outputOrder';

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
			description: error.hint ?? DEFAULT_INPUT_HINT,
		});
	}
	if (error instanceof CredentialConfigError) {
		return new NodeOperationError(node, `Credential (item ${itemIndex}): ${error.message}`, {
			itemIndex,
			description:
				'Open the credential named in this node, fix the field the message names, and run its test (the Test button) before running again.',
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

/** How many finished items are named one by one in a failure's description. */
const MAX_ITEMS_NAMED = 50;

function describeDone(itemIndex: number, output: INodeExecutionData[]): string {
	const context = output.find((entry) => typeof entry.json.clientContext === 'string')?.json
		.clientContext as string | undefined;
	return context !== undefined
		? `item ${itemIndex} (clientContext "${context}")`
		: `item ${itemIndex}`;
}

/**
 * The execution stops at the first item that finally failed; the error also says which items had
 * already gone through (an invite rang someone), so a rerun can leave them out.
 */
function withWhatWasDone(
	failure: ItemRunFailure<INodeExecutionData[]>,
	itemCount: number,
): NodeApiError | NodeOperationError {
	const error = failure.error as NodeApiError | NodeOperationError;
	if (itemCount < 2) return error;
	const done = failure.completed;
	const named = done
		.slice(0, MAX_ITEMS_NAMED)
		.map(({ itemIndex, result }) => describeDone(itemIndex, result));
	const more = done.length > named.length ? `, and ${done.length - named.length} more` : '';
	const summary =
		done.length === 0
			? `None of the other ${itemCount - 1} items had succeeded when the execution stopped; no further item was started.`
			: `${done.length} of ${itemCount} items had already succeeded (Graph carried them out) when the execution stopped: ${named.join(', ')}${more}. Leave them out of a rerun (for invites, the option Skip People Already in the Call does that). No further item was started.`;
	error.description = [error.description, summary].filter(Boolean).join('\n\n');
	return error;
}

/** Graph's calls API is missing in some clouds (China): say so before anything is sent. */
function requireCallsApi(context: OperationContext): void {
	const { cloud } = context.settings;
	if (!cloud.callsApiAvailable) {
		throw new InputProblem(
			'Credential › Cloud',
			`the Microsoft Graph calls API is not available in the ${cloud.label} cloud.`,
		);
	}
}

/** The credential, the transport and the plan: shared by every item, prepared once. */
async function prepare(
	functions: IExecuteFunctions,
	operation: Operation,
	resources: readonly Resource[],
): Promise<{ context: OperationContext; itemWindow: number }> {
	const plan = readExecutionPlan(functions, operation);
	const settings = readEntraAppSettings(await functions.getCredentials(CREDENTIAL_TYPE));
	const transport = new GraphTransport(functions, settings.cloud.graphEndpoint, settings.clientId);
	transport.configure(plan);
	const context: OperationContext = {
		functions,
		settings,
		transport,
		permissionTable: permissionTable(resources),
		once: executionMemo(),
	};
	if (operation.usesCallsApi) requireCallsApi(context);
	return { context, itemWindow: plan.itemWindow };
}

/**
 * Runs the chosen operation of `resources` for every item (several at once where the operation
 * allows it, see executionPlan.ts), keeps the output in item order with pairedItem, reads each
 * item's Options once, and handles continue-on-fail here only.
 */
export async function router(
	this: IExecuteFunctions,
	resources: readonly Resource[],
): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const resource = this.getNodeParameter('resource', 0) as string;
	const operationName = this.getNodeParameter('operation', 0) as string;
	const operation = operationOf(resources, resource, operationName);
	if (!operation) {
		throw new NodeOperationError(
			this.getNode(),
			`The operation "${operationName}" of "${resource}" is not supported.`,
		);
	}

	// A setup failure (bad credential, cloud, plan) fails every item alike, each with its index.
	let prepared: Awaited<ReturnType<typeof prepare>> | undefined;
	let setupError: unknown;
	try {
		prepared = await prepare(this, operation, resources);
	} catch (error) {
		setupError = error;
	}

	const run = mapItemsInOrder(items.length, prepared?.itemWindow ?? 1, async (itemIndex) => {
		try {
			if (!prepared) throw setupError;
			const { context } = prepared;
			const options = readNodeOptions(
				this.getNodeParameter('options', itemIndex, {}) as IDataObject,
				context.settings.cloud,
			);
			const result = await operation.execute(context, itemInput(this, itemIndex), options);
			if (result instanceof BinaryResult) {
				return [
					{
						json: leadWithWhatMatters(result.json),
						binary: result.binary,
						pairedItem: { item: itemIndex },
					},
				];
			}
			const list = Array.isArray(result) ? result : [result];
			return list.map((json): INodeExecutionData => ({
				json: leadWithWhatMatters(json),
				pairedItem: { item: itemIndex },
			}));
		} catch (error) {
			const nodeError = toNodeError(this, error, itemIndex);
			if (!this.continueOnFail()) throw nodeError;
			return [errorItem(nodeError, itemIndex)];
		}
	});
	try {
		return [(await run).flat()];
	} catch (error) {
		// mapItemsInOrder throws nothing else: every item's own failure is caught above.
		throw withWhatWasDone(error as ItemRunFailure<INodeExecutionData[]>, items.length);
	}
}
