import { defineResource } from '../../engine/resource';
import { create } from './create.operation';
import { get } from './get.operation';

export const onlineMeeting = defineResource({
	value: 'onlineMeeting',
	name: 'Online Meeting',
	readmeSection: 'online-meeting',
	defaultOperation: 'create',
	operations: [create, get],
});
