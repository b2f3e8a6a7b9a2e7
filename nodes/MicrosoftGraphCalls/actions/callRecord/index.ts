import type { INodeProperties } from 'n8n-workflow';

import type { Operation } from '../operation';
import { get } from './get.operation';

export const operations: Record<string, Operation> = { get };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['callRecord'] } },
		options: [
			{
				name: 'Get',
				value: 'get',
				action: 'Get a call record',
				description:
					'Who was on, when, how long, which media and the quality of each segment, after the call ended',
			},
		],
		default: 'get',
	},
	...get.description,
];
