import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { CONCURRENCY } from '../limits';
import { readFlag, readNumber } from '../helpers/optionValues';
import { MAX_BATCH_STEPS } from '../transport/batchContent';
import type { SendingPlan } from '../transport/graphTransport';
import type { Operation } from './operation';

/** How one execution sends its items. */
interface ExecutionPlan extends SendingPlan {
	/** Items started at once: with batching, enough to fill every batch in flight. */
	itemWindow: number;
}

const SEQUENTIAL_PLAN: ExecutionPlan = { concurrency: 1, useJsonBatching: false, itemWindow: 1 };

/**
 * Reads Concurrency and Use JSON Batching from the first item's options: they shape the whole
 * execution, so one value has to hold for every item. Operations whose items depend on each
 * other run them one by one, whatever the options say.
 */
export function readExecutionPlan(
	functions: IExecuteFunctions,
	operation: Operation,
): ExecutionPlan {
	if (!operation.concurrentItems) return SEQUENTIAL_PLAN;
	const options = functions.getNodeParameter('options', 0, {}) as IDataObject;
	const concurrency = readNumber(options.concurrency, {
		field: 'Options › Concurrency',
		...CONCURRENCY,
		whole: true,
	});
	const useJsonBatching = readFlag(options.useJsonBatching, 'Options › Use JSON Batching');
	return {
		concurrency,
		useJsonBatching,
		itemWindow: useJsonBatching ? concurrency * MAX_BATCH_STEPS : concurrency,
	};
}
