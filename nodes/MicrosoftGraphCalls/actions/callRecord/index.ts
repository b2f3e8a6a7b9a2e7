import { defineResource } from '../../engine/resource';
import { get } from './get.operation';

export const callRecord = defineResource({
	value: 'callRecord',
	name: 'Call Record',
	readmeSection: 'call-record',
	defaultOperation: 'get',
	operations: [get],
});
