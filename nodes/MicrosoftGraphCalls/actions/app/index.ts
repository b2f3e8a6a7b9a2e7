import { defineResource } from '../../engine/resource';
import { checkSetup } from './checkSetup.operation';

export const app = defineResource({
	value: 'app',
	name: 'App',
	readmeSection: 'app',
	defaultOperation: 'checkSetup',
	operations: [checkSetup],
});
