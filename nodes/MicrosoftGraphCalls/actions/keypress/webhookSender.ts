/**
 * Graph requests from the waiting webhook of Call and Wait for Keypress: the same transport,
 * credential and request defaults as the node's operations, one request at a time.
 */
import type { IExecuteFunctions, IWebhookFunctions } from 'n8n-workflow';

import { CREDENTIAL_TYPE } from '../../../../lib/entra/credentialType';
import { readEntraAppSettings, type EntraAppSettings } from '../../../../lib/entra/settings';
import { readNodeOptions } from '../../helpers/nodeOptions';
import { GraphTransport } from '../../transport/graphTransport';
import type { RequestSettings } from '../../transport/types';

export interface Sender {
	settings: EntraAppSettings;
	transport: GraphTransport;
	request: RequestSettings;
}

export async function senderFor(context: IWebhookFunctions): Promise<Sender> {
	const settings = readEntraAppSettings(await context.getCredentials(CREDENTIAL_TYPE));
	// GraphTransport reads getNode, getExecutionCancelSignal (optional) and the request helpers,
	// which a webhook's functions have too.
	const transport = new GraphTransport(
		context as unknown as IExecuteFunctions,
		settings.cloud.graphEndpoint,
		settings.clientId,
	);
	transport.configure({ concurrency: 1, useJsonBatching: false });
	return { settings, transport, request: readNodeOptions({}, settings.cloud).request };
}
