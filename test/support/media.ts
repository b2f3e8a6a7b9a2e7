/** Parameters and helpers for the media operations against the simulator. */
import type { INodeParameters } from 'n8n-workflow';

import { DEFAULT_CALL_ID, type NotificationDelivery } from '../../simulator';
import type { GraphSimulator } from '../../simulator';

/** Node version 2 parameters for a Call › <operation> of the default call. */
export function mediaParameters(operation: string, extra: INodeParameters = {}): INodeParameters {
	return { resource: 'call', operation, callId: DEFAULT_CALL_ID, ...extra };
}

export function promptsParameter(...urls: string[]): INodeParameters {
	return { prompts: { prompt: urls.map((url) => ({ url })) } };
}

/** Every commsNotification delivered so far, flattened out of their envelopes. */
export function notifications(sim: GraphSimulator): Array<Record<string, unknown>> {
	return sim.callbacks.deliveries.flatMap(
		(delivery: NotificationDelivery) => delivery.body.value as Array<Record<string, unknown>>,
	);
}

export type ResourceData = Record<string, unknown> & { resultInfo?: Record<string, unknown> };

/** The resourceData of operation notifications of one @odata.type. */
export function operationResults(sim: GraphSimulator, type: string): ResourceData[] {
	return notifications(sim)
		.filter((n) => n.changeType === 'deleted' && String(n.resourceUrl).includes('/operations/'))
		.map((n) => n.resourceData as ResourceData)
		.filter((data) => data['@odata.type'] === `#microsoft.graph.${type}`);
}

/** Waits until `count` results of that operation type have been delivered. */
export async function waitForResults(
	sim: GraphSimulator,
	type: string,
	count = 1,
	timeoutMs = 5000,
): Promise<ResourceData[]> {
	await sim.callbacks.waitForDeliveries(
		() => operationResults(sim, type).length >= count,
		timeoutMs,
	);
	return operationResults(sim, type);
}

/** The Graph requests whose path ends with the action. */
export function actionRequests(sim: GraphSimulator, action: string) {
	return sim.graphRequests().filter((r) => r.path.split('?')[0].endsWith(`/${action}`));
}
