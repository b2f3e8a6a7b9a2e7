import type { INodeProperties } from 'n8n-workflow';

import type { Operation } from '../operation';
import { get } from './get.operation';
import { invite } from './invite.operation';
import { list } from './list.operation';
import { mute } from './mute.operation';
import { remove } from './remove.operation';
import { startHoldMusic } from './startHoldMusic.operation';
import { stopHoldMusic } from './stopHoldMusic.operation';

export const operations: Record<string, Operation> = {
	invite,
	get,
	list,
	mute,
	remove,
	startHoldMusic,
	stopHoldMusic,
};

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['callParticipant'] } },
		options: [
			{
				name: 'Get',
				value: 'get',
				action: 'Get a call participant',
				description: 'Get one participant of a call by its participant ID',
			},
			{
				name: 'Invite',
				value: 'invite',
				action: 'Invite call participant',
				description: 'Add people, phone numbers or bots to an active call',
			},
			{
				name: 'List',
				value: 'list',
				action: 'List call participants',
				description: 'List the participants of a group call or meeting',
			},
			{
				name: 'Mute',
				value: 'mute',
				action: 'Mute a call participant',
				description: 'Mute a participant of a group call or meeting',
			},
			{
				name: 'Remove',
				value: 'remove',
				action: 'Remove a call participant',
				description: 'Drop a participant from the call, or cancel their invitation',
			},
			{
				name: 'Start Hold Music',
				value: 'startHoldMusic',
				action: 'Start hold music for a call participant',
				description: 'Put a participant on hold with music or your own prompt',
			},
			{
				name: 'Stop Hold Music',
				value: 'stopHoldMusic',
				action: 'Stop hold music for a call participant',
				description: 'Take a participant off hold',
			},
		],
		default: 'invite',
	},
	...invite.description,
	...get.description,
	...list.description,
	...mute.description,
	...remove.description,
	...startHoldMusic.description,
	...stopHoldMusic.description,
];
