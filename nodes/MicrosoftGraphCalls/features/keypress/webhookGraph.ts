/**
 * Graph requests from the waiting webhook of Call and Wait for Keypress: the same transport,
 * credential and request defaults as the node's operations, one request at a time, and a short
 * retry budget: Graph is holding its callback POST while these run, and its timeout for an
 * answer is not documented.
 */
import type { IWebhookFunctions } from 'n8n-workflow';

import { CREDENTIAL_TYPE } from '../../../../lib/entra/credentialType';
import { readEntraAppSettings, type EntraAppSettings } from '../../../../lib/entra/settings';
import { readNodeOptions } from '../../helpers/nodeOptions';
import { GraphTransport } from '../../transport/graphTransport';
import { TransportPolicy } from '../../transport/types';
import type { RequestSettings } from '../../transport/types';

/** Up to 15 s of throttling waits in all, 15 s per attempt. */
const WEBHOOK_POLICY = new TransportPolicy(5, 15_000, 15_000);

export interface WebhookGraph {
	settings: EntraAppSettings;
	transport: GraphTransport;
	request: RequestSettings;
}

export async function graphForWebhook(context: IWebhookFunctions): Promise<WebhookGraph> {
	const settings = readEntraAppSettings(await context.getCredentials(CREDENTIAL_TYPE));
	const transport = new GraphTransport(context, settings.cloud.graphEndpoint, settings.clientId);
	transport.configure({ concurrency: 1, useJsonBatching: false });
	const request = readNodeOptions({}, settings.cloud).request;
	return { settings, transport, request: { ...request, policy: WEBHOOK_POLICY } };
}
