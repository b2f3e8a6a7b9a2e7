import type { INodeProperties } from 'n8n-workflow';

import type { Operation } from '../operation';
import { create } from './create.operation';
import { get } from './get.operation';

export const operations: Record<string, Operation> = { create, get };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['onlineMeeting'] } },
		options: [
			{
				name: 'Create',
				value: 'create',
				action: 'Create an online meeting',
				description:
					'Create a Teams meeting for a user; its join link feeds Call › Create › Join a Teams Meeting',
			},
			{
				name: 'Get',
				value: 'get',
				action: 'Get an online meeting',
				description: 'Get a meeting by its ID or its join link',
			},
		],
		default: 'create',
	},
	...create.description,
	...get.description,
];
