import type { INodeProperties } from 'n8n-workflow';

import type { Operation } from '../operation';
import { create } from './create.operation';
import { get } from './get.operation';
import { hangUp } from './hangUp.operation';
import { keepAlive } from './keepAlive.operation';

export const operations: Record<string, Operation> = { create, get, hangUp, keepAlive };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['call'] } },
		options: [
			{
				name: 'Create',
				value: 'create',
				action: 'Create a call',
				description: 'Start a call to Teams users or a phone number, or join a Teams meeting',
			},
			{
				name: 'Get',
				value: 'get',
				action: 'Get a call',
				description: 'Get the state of a call the app is in',
			},
			{
				name: 'Hang Up',
				value: 'hangUp',
				action: 'Hang up a call',
				description: 'Leave the call (in a group call or meeting, the others stay)',
			},
			{
				name: 'Keep Alive',
				value: 'keepAlive',
				action: 'Keep a call alive',
				description:
					'Tell Graph the call is still wanted; calls not kept alive within 45 minutes end',
			},
		],
		default: 'create',
	},
	...create.description,
	...get.description,
	...hangUp.description,
	...keepAlive.description,
];
