import type { IExecuteFunctions } from 'n8n-workflow';

import type { EntraAppSettings } from '../../../lib/entra/settings';
import { GraphTransport } from '../transport/graphTransport';

/** What every operation of one execution shares: the checked credential and one transport. */
export interface OperationContext {
	settings: EntraAppSettings;
	transport: GraphTransport;
}

export function createOperationContext(
	functions: IExecuteFunctions,
	settings: EntraAppSettings,
): OperationContext {
	return { settings, transport: new GraphTransport(functions, settings.cloud.graphEndpoint) };
}
