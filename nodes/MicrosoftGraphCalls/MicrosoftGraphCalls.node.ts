import {
	NodeConnectionTypes,
	type ICredentialsDecrypted,
	type ICredentialTestFunctions,
	type IExecuteFunctions,
	type INodeCredentialTestResult,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

import { checkEntraAppCredential } from '../../lib/entra/credentialCheck';
import { senderFromFetch } from '../../lib/entra/senders';
import { OPERATION_PERMISSIONS } from './actions/actionProfiles';
import * as app from './actions/app';
import * as call from './actions/call';
import * as callParticipant from './actions/callParticipant';
import { router } from './actions/router';

export class MicrosoftGraphCalls implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Microsoft Graph Calls',
		name: 'microsoftGraphCalls',
		icon: {
			light: 'file:../../icons/microsoftGraphCalls.svg',
			dark: 'file:../../icons/microsoftGraphCalls.dark.svg',
		},
		group: ['output'],
		version: 1,
		subtitle: '={{ $parameter["operation"] + ": " + $parameter["resource"] }}',
		description:
			'Start or join Microsoft Teams calls and add, list, mute and remove their participants through Microsoft Graph',
		defaults: { name: 'Microsoft Graph Calls' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [
			// A literal (= CREDENTIAL_TYPE): n8n's lint reads it to find the credential's test.
			{ name: 'microsoftGraphCallsApi', required: true, testedBy: 'microsoftGraphCallsApiTest' },
		],
		properties: [
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				options: [
					{ name: 'App', value: 'app' },
					{ name: 'Call', value: 'call' },
					{ name: 'Call Participant', value: 'callParticipant' },
				],
				default: 'callParticipant',
			},
			...app.description,
			...call.description,
			...callParticipant.description,
		],
	};

	methods = {
		credentialTest: {
			async microsoftGraphCallsApiTest(
				this: ICredentialTestFunctions,
				credential: ICredentialsDecrypted,
			): Promise<INodeCredentialTestResult> {
				return await checkEntraAppCredential(
					credential.data ?? {},
					senderFromFetch(),
					OPERATION_PERMISSIONS,
				);
			},
		},
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
