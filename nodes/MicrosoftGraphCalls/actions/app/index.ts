import type { INodeProperties } from 'n8n-workflow';

import type { Operation } from '../operation';
import { checkSetup } from './checkSetup.operation';

export const operations: Record<string, Operation> = { checkSetup };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['app'] } },
		options: [
			{
				name: 'Check Setup',
				value: 'checkSetup',
				action: 'Check the app setup',
				description:
					"Show the credential's cloud, tenant, app, roles and which operations they allow",
			},
		],
		default: 'checkSetup',
	},
	...checkSetup.description,
];
