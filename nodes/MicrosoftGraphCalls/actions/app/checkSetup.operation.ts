import { operationReadiness } from '../../../../lib/entra/readiness';
import { senderFromHttpRequest } from '../../../../lib/entra/tokenSenders';
import { readAccessTokenClaims } from '../../../../lib/entra/tokenClaims';
import { mintAccessToken } from '../../../../lib/entra/tokenMinter';
import type { Operation } from '../../engine/operation';

/**
 * Check Setup: mints a fresh token and shows what it allows, as an item the user sees in the
 * editor (n8n's credential test shows only "Connection tested successfully" on success).
 */
export const checkSetup: Operation = {
	value: 'checkSetup',
	name: 'Check Setup',
	action: 'Check the app setup',
	summary: "Show the credential's cloud, tenant, app, roles and which operations they allow",
	permissions: 'sends no Graph request',
	fields: [
		{
			displayName:
				'Gets a fresh token for the credential and lists its application roles and the operations of this node they allow; nothing is sent to Graph. Whether the app is registered as a calling bot shows only when it first touches a call (Graph code 7503).',
			name: 'checkSetupNotice',
			type: 'notice',
			default: '',
		},
	],
	usesCallsApi: false,
	async execute({ functions, settings, permissionTable }) {
		const token = await mintAccessToken(
			settings,
			senderFromHttpRequest(async (request) => await functions.helpers.httpRequest(request)),
			{ forceRefresh: true },
		);
		const claims = readAccessTokenClaims(token);
		const roles = claims?.roles ?? [];
		const operations = operationReadiness(roles, permissionTable);
		const ready = operations.filter((row) => row.ready).length;
		return {
			cloud: settings.cloud.label,
			graphEndpoint: settings.cloud.graphEndpoint,
			callsApiAvailable: settings.cloud.callsApiAvailable,
			tenantId: claims?.tid ?? settings.tenantId,
			clientId: settings.clientId,
			authentication: settings.authentication.kind,
			roles,
			summary: `${ready} of ${operations.length} operations are ready.`,
			operations: operations.map((row) => ({ ...row })),
		};
	},
};
