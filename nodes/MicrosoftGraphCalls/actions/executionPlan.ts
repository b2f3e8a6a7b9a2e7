import type { IExecuteFunctions } from 'n8n-workflow';

import { describeType, InputProblem } from '../helpers/inputProblem';
import { MAX_BATCH_STEPS } from '../transport/batchContent';
import type { OperationContext } from './context';

/** How one execution sends its items. */
export interface ExecutionPlan {
	/** HTTP requests to Graph in flight at once (with batching: batches in flight). */
	concurrency: number;
	useJsonBatching: boolean;
	/** Items started at once: with batching, enough to fill every batch in flight. */
	itemWindow: number;
}

export const DEFAULT_CONCURRENCY = 10;
export const MAX_CONCURRENCY = 50;

/**
 * Operations whose items are independent of each other, so they may run concurrently and in
 * JSON batches. Any other operation keeps running its items one by one, whatever its options say.
 */
const CONCURRENT_OPERATIONS = new Set(['callParticipant.invite']);

export const SEQUENTIAL_PLAN: ExecutionPlan = {
	concurrency: 1,
	useJsonBatching: false,
	itemWindow: 1,
};

interface PlanOptions {
	concurrency?: unknown;
	useJsonBatching?: unknown;
}

/**
 * Reads Concurrency and Use JSON Batching from the first item's options: they shape the whole
 * execution, so one value has to hold for every item.
 */
export function readExecutionPlan(
	functions: IExecuteFunctions,
	resource: string,
	operation: string,
): ExecutionPlan {
	if (!CONCURRENT_OPERATIONS.has(`${resource}.${operation}`)) return SEQUENTIAL_PLAN;
	const options = functions.getNodeParameter('options', 0, {}) as PlanOptions;
	let concurrency = DEFAULT_CONCURRENCY;
	if (
		options.concurrency !== undefined &&
		options.concurrency !== null &&
		options.concurrency !== ''
	) {
		const raw = options.concurrency;
		if (typeof raw !== 'number' || !Number.isInteger(raw)) {
			throw new InputProblem(
				'Options › Concurrency',
				`must be a whole number, but the value is ${describeType(raw)}.`,
			);
		}
		if (raw < 1 || raw > MAX_CONCURRENCY)
			throw new InputProblem(
				'Options › Concurrency',
				`must be between 1 and ${MAX_CONCURRENCY}, got ${raw}.`,
			);
		concurrency = raw;
	}
	const batching = options.useJsonBatching;
	if (
		batching !== undefined &&
		batching !== null &&
		batching !== '' &&
		typeof batching !== 'boolean'
	) {
		throw new InputProblem(
			'Options › Use JSON Batching',
			`must be true or false, but the value is ${describeType(batching)}.`,
		);
	}
	const useJsonBatching = batching === true;
	return {
		concurrency,
		useJsonBatching,
		itemWindow: useJsonBatching ? concurrency * MAX_BATCH_STEPS : concurrency,
	};
}

export function applyExecutionPlan(context: OperationContext, plan: ExecutionPlan): void {
	context.transport.gate.setLimit(plan.concurrency);
	if (plan.useJsonBatching) context.transport.useBatching();
}
