import type {
	IDataObject,
	INodeExecutionData,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';

import { answerAccepted, receiveCallback } from '../../lib/notifications/callbackReceiver';
import {
	describeNotification,
	type NotificationEvent,
} from '../../lib/notifications/notificationItems';
import type { TriggerOptions } from './triggerDescription';
import { asVersion1 } from './versionOne';

/** Who receives, at the start of the trigger's log lines. */
export const RECEIVER = 'Microsoft Graph Calls Trigger';

/**
 * A verified POST (lib/notifications/callbackReceiver.ts): answered 202 at once, then one item
 * per notification of the chosen events.
 */
export async function emitNotifications(context: IWebhookFunctions): Promise<IWebhookResponseData> {
	const options = context.getNodeParameter('options', {}) as TriggerOptions;
	const reception = await receiveCallback(context, {
		receiver: RECEIVER,
		acceptedTenantIds: options.allowedTenantIds,
	});
	if (!reception.accepted) return reception.response;
	answerAccepted(context);
	const onlyResults = context.getNodeParameter('onlyOperationResults', false) as boolean;
	const wanted = new Set<NotificationEvent>(
		onlyResults
			? ['operationResult']
			: (context.getNodeParameter('events', []) as NotificationEvent[]),
	);
	const version = context.getNode().typeVersion;
	const receivedAt = new Date().toISOString();
	const items: INodeExecutionData[] = reception.notifications
		.map((notification) => describeNotification(notification))
		.map((item) => (version < 2 ? asVersion1(item) : item))
		.filter(
			(item) =>
				wanted.has(item.event as NotificationEvent) ||
				// An incoming call and a key pressed are also call state changes (saved selections
				// keep getting them).
				((item.event === 'incomingCall' || item.event === 'tone') &&
					wanted.has('callStateChanged')),
		)
		.map((item) => ({
			json: {
				...item,
				tenantId: reception.claims.tenantId,
				receivedAt,
				...(options.includeTokenClaims ? { tokenClaims: { ...reception.claims } } : {}),
			} as IDataObject,
		}));
	if (items.length === 0) return { noWebhookResponse: true };
	return { noWebhookResponse: true, workflowData: [items] };
}
