/**
 * The one builder of a credential that points at a simulator: the Custom cloud with the
 * simulator as both Entra (authority) and Graph, and the default app's secret. The in-process
 * tests, the e2e suites and dev mode all use it. It imports only the constants, so the e2e
 * suites' stricter tsconfig can follow it.
 */
import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

import { DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET, DEFAULT_TENANT_ID } from './constants';

export function simulatorCredentialData(
	origin: string,
	overrides: Record<string, unknown> = {},
): Record<string, unknown> {
	return {
		cloud: 'custom',
		authorityHost: origin,
		graphEndpoint: origin,
		tenantId: DEFAULT_TENANT_ID,
		clientId: DEFAULT_CLIENT_ID,
		authentication: 'clientSecret',
		clientSecret: DEFAULT_CLIENT_SECRET,
		...overrides,
	};
}

/** The same for a running simulator, as n8n-workflow's credential data. */
export function simulatorCredential(
	sim: { origin: string },
	overrides: Record<string, unknown> = {},
): ICredentialDataDecryptedObject {
	return simulatorCredentialData(sim.origin, overrides) as ICredentialDataDecryptedObject;
}
