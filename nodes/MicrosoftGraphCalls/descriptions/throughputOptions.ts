import type { INodeProperties } from 'n8n-workflow';

import { CONCURRENCY } from '../limits';

/** Options of operations whose items may be sent concurrently and in JSON batches (see actions/executionPlan.ts). */
export const throughputOptionFields: INodeProperties[] = [
	{
		displayName: 'Concurrency',
		name: 'concurrency',
		type: 'number',
		typeOptions: { minValue: CONCURRENCY.min, maxValue: CONCURRENCY.max, numberPrecision: 0 },
		default: 200,
		description:
			'Throughput, with Use JSON Batching: the most requests to Graph in flight at once (with JSON batching: batches). The node starts with 10, adds one for every answer without throttling and halves when Graph throttles, so it keeps pace with Graph without flooding it. 1 sends the items one by one. Output keeps the input order. Taken from the first item.',
	},
	{
		displayName: 'Use JSON Batching',
		name: 'useJsonBatching',
		type: 'boolean',
		default: false,
		description:
			"Whether to send the items' requests in Graph JSON batches ($batch) of up to 20, one HTTP request per batch (throughput, with Concurrency). Each item still gets its own result or error. Taken from the first item. Off by default: Microsoft's batching documentation does not say that calling actions may be batched.",
	},
];
