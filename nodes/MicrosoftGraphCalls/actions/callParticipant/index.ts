import type { INodeProperties } from 'n8n-workflow';

import * as invite from './invite.operation';

export { invite };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['callParticipant'] } },
		options: [
			{
				name: 'Invite',
				value: 'invite',
				action: 'Invite call participant',
				description: 'Add people, phone numbers or bots to an active call',
			},
		],
		default: 'invite',
	},
	...invite.description,
];
