import { NodeConnectionTypes, type INodeTypeDescription } from 'n8n-workflow';

import * as callParticipant from './callParticipant';

export const versionDescription: INodeTypeDescription = {
	displayName: 'Microsoft Graph Calls',
	name: 'microsoftGraphCalls',
	icon: { light: 'file:../../icons/microsoftGraphCalls.svg', dark: 'file:../../icons/microsoftGraphCalls.dark.svg' },
	group: ['output'],
	version: 1,
	subtitle: '={{ $parameter["operation"] + ": " + $parameter["resource"] }}',
	description: 'Add people, phone numbers and bots to a live Microsoft Teams call through Microsoft Graph',
	defaults: { name: 'Microsoft Graph Calls' },
	usableAsTool: true,
	inputs: [NodeConnectionTypes.Main],
	outputs: [NodeConnectionTypes.Main],
	credentials: [{ name: 'microsoftGraphCallsApi', required: true, testedBy: 'microsoftGraphCallsApiTest' }],
	properties: [
		{
			displayName: 'Resource',
			name: 'resource',
			type: 'options',
			noDataExpression: true,
			options: [{ name: 'Call Participant', value: 'callParticipant' }],
			default: 'callParticipant',
		},
		...callParticipant.description,
	],
};
