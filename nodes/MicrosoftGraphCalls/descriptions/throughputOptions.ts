import type { INodeProperties } from 'n8n-workflow';

import { CONCURRENCY } from '../limits';

/** Options of operations whose items may be sent concurrently and in JSON batches (see actions/executionPlan.ts). */
export const throughputOptionFields: INodeProperties[] = [
	{
		displayName: 'Concurrency',
		name: 'concurrency',
		type: 'number',
		typeOptions: { minValue: CONCURRENCY.min, maxValue: CONCURRENCY.max, numberPrecision: 0 },
		default: 10,
		description:
			'How many requests to Graph may be in flight at once (with JSON batching: how many batches). 1 sends the items one by one. Output keeps the input order. Taken from the first item. When Graph throttles, every request waits as Retry-After asks.',
	},
	{
		displayName: 'Use JSON Batching',
		name: 'useJsonBatching',
		type: 'boolean',
		default: false,
		description:
			"Whether to send the items' requests in Graph JSON batches ($batch) of up to 20, one HTTP request per batch. Each item still gets its own result or error. Taken from the first item.",
	},
];
