import {
	NodeConnectionTypes,
	NodeOperationError,
	type IDataObject,
	type IHookFunctions,
	type INodeType,
	type INodeTypeDescription,
	type IWebhookFunctions,
	type IWebhookResponseData,
} from 'n8n-workflow';

import { CREDENTIAL_TYPE } from '../../lib/entra/credentialType';
import { guardedWebhook } from '../../lib/notifications/callbackReceiver';
import { readReceiverSettings } from '../../lib/notifications/receiverSettings';
import { emitNotifications, RECEIVER } from './emitNotifications';
import { servePrompt } from './servePrompt';
import { triggerProperties, type TriggerOptions } from './triggerDescription';

export class MicrosoftGraphCallsTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Microsoft Graph Calls Trigger',
		name: 'microsoftGraphCallsTrigger',
		icon: {
			light: 'file:../../icons/microsoftGraphCalls.svg',
			dark: 'file:../../icons/microsoftGraphCalls.dark.svg',
		},
		group: ['trigger'],
		// Version 2 folds "Only Operation Results" into Events; version 1 workflows keep their toggle.
		version: [1, 2],
		defaultVersion: 2,
		subtitle:
			'={{ ($parameter["onlyOperationResults"] ? "operation results" : $parameter["events"].join(", ")) }}',
		// n8n's node picker merges this trigger into the action node and shows this text as the
		// header of the node's actions: it describes the package's actions first, then the trigger.
		description:
			'Call people on Teams or by phone and wait for a keypress, start or join calls, invite, mute and remove participants; this trigger starts the workflow on call events (incoming calls, keys pressed, people joining, results)',
		// Opened as it is (see the action node).
		documentationUrl: 'https://www.npmjs.com/package/n8n-nodes-microsoft-graph-calls#trigger',
		defaults: { name: 'Microsoft Graph Calls Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [
			{ name: CREDENTIAL_TYPE, required: true },
			{
				name: 'azureAiSpeechApi',
				required: true,
				displayOptions: { show: { speakWithAzure: [true] } },
			},
		],
		webhooks: [
			{ name: 'default', httpMethod: 'POST', responseMode: 'onReceived', path: 'notifications' },
			// Graph downloads typed prompts of Play Prompt, Record Response, hold music and Answer here.
			{ name: 'default', httpMethod: 'GET', responseMode: 'onReceived', path: 'notifications' },
		],
		properties: triggerProperties,
	};

	/**
	 * Graph has no subscription API for call notifications: the callback URL travels with each
	 * call (Call › Create's Callback URL), so there is nothing to register remotely. checkExists
	 * runs on activation and on "Listen for test event": a trigger that could never accept a
	 * notification (no tenant GUID to compare with) refuses to start, saying what to enter.
	 */
	webhookMethods = {
		default: {
			async checkExists(this: IHookFunctions): Promise<boolean> {
				const fields = (await this.getCredentials(CREDENTIAL_TYPE)) as IDataObject;
				const options = this.getNodeParameter('options', {}) as TriggerOptions;
				const read = readReceiverSettings(fields, options.allowedTenantIds);
				if (!read.ok) throw new NodeOperationError(this.getNode(), read.message);
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
		const context = this;
		return await guardedWebhook(context, RECEIVER, async () =>
			context.getRequestObject().method === 'GET'
				? await servePrompt(context)
				: await emitNotifications(context),
		);
	}
}
