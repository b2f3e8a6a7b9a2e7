import {
	NodeConnectionTypes,
	type ICredentialsDecrypted,
	type ICredentialTestFunctions,
	type IExecuteFunctions,
	type INodeCredentialTestResult,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
	type IHookFunctions,
	type IWebhookFunctions,
	type IWebhookResponseData,
} from 'n8n-workflow';

import { checkEntraAppCredential } from '../../lib/entra/credentialCheck';
import { senderFromFetch } from '../../lib/entra/tokenSenders';
import { DEFAULT_RESOURCE, RESOURCES } from './actions';
import { formFields, permissionTable, subtitleOf } from './engine/resource';
import { speechVoices } from './features/speech/voiceOptions';
import { keypressWebhook } from './features/keypress/keypressWebhook';
import { router } from './engine/router';

export class MicrosoftGraphCalls implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Microsoft Graph Calls',
		name: 'microsoftGraphCalls',
		icon: {
			light: 'file:../../icons/microsoftGraphCalls.svg',
			dark: 'file:../../icons/microsoftGraphCalls.dark.svg',
		},
		group: ['output'],
		// 2: the rarely used participant fields in Additional Fields; Create's targets are Teams users only.
		// 3: prompts start as typed text (Prompt From › Text) where an operation needs one.
		version: [1, 2, 3],
		defaultVersion: 3,
		// "Invite · Call Participant" on the canvas, in the form's own words.
		subtitle: subtitleOf(RESOURCES),
		description:
			'Microsoft Teams calls through Microsoft Graph: start or join a call, invite Teams users, phone numbers and bots into it, list, mute and remove participants',
		// n8n opens a node's own documentationUrl as it is; codex links get tracking parameters
		// appended after the #, which loses the README's section.
		documentationUrl: 'https://www.npmjs.com/package/n8n-nodes-microsoft-graph-calls#operations',
		defaults: { name: 'Microsoft Graph Calls' },
		usableAsTool: true,
		// Call › Call and Wait for Keypress: the waiting webhook Graph posts the call's events to
		// (exists only while an execution waits at this node, as in n8n's send-and-wait nodes).
		webhooks: [
			{
				name: 'default',
				httpMethod: 'POST',
				responseMode: 'onReceived',
				path: '={{ $nodeId }}',
				restartWebhook: true,
				isFullPath: true,
			},
			{
				// Call and Wait for Keypress serves a prompt from a binary field here (Graph's GET).
				name: 'default',
				httpMethod: 'GET',
				responseMode: 'onReceived',
				path: '={{ $nodeId }}',
				restartWebhook: true,
				isFullPath: true,
			},
		],
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [
			// A literal (= CREDENTIAL_TYPE): n8n's lint reads it to find the credential's test.
			{ name: 'microsoftGraphCallsApi', required: true, testedBy: 'microsoftGraphCallsApiTest' },
			// Typed prompts spoken by Azure AI Speech (Voice Engine); the offline voice needs none.
			{
				name: 'azureAiSpeechApi',
				required: true,
				displayOptions: { show: { speechEngine: ['azure'] } },
			},
		],
		properties: formFields(RESOURCES, DEFAULT_RESOURCE),
	};

	methods = {
		loadOptions: { speechVoices },
		credentialTest: {
			async microsoftGraphCallsApiTest(
				this: ICredentialTestFunctions,
				credential: ICredentialsDecrypted,
			): Promise<INodeCredentialTestResult> {
				return await checkEntraAppCredential(
					credential.data ?? {},
					senderFromFetch(),
					permissionTable(RESOURCES),
				);
			},
		},
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this, RESOURCES);
	}

	/**
	 * Nothing to register with Graph: the waiting webhook's URL travels with each call (its
	 * callbackUri), and n8n creates waiting webhooks (restartWebhook) only for a waiting execution,
	 * never on activation. n8n's lint for community nodes asks for the lifecycle all the same.
	 */
	webhookMethods = {
		default: {
			async checkExists(this: IHookFunctions): Promise<boolean> {
				return true;
			},
			async create(this: IHookFunctions): Promise<boolean> {
				return true;
			},
			async delete(this: IHookFunctions): Promise<boolean> {
				return true;
			},
		},
	};

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		return await keypressWebhook.call(this);
	}
}
