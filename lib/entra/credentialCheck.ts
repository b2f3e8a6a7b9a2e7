import { CredentialConfigError } from './errors';
import { readEntraAppSettings, type CredentialFields } from './settings';
import { readAccessTokenClaims } from './tokenClaims';
import { mintAccessToken, TokenRequestError } from './tokenMinter';
import type { TokenHttpSender } from './tokenHttp';
import {
	needsARole,
	operationList,
	operationReadiness,
	type OperationPermission,
} from './readiness';

interface CredentialCheckResult {
	status: 'OK' | 'Error';
	message: string;
}

/**
 * The credential test: mint a fresh token and read which application roles it carries. It
 * passes when at least one operation that needs a role can run, and says which can and which
 * cannot; with none, it fails (n8n's editor shows only the message of a failed test), naming what
 * works without any role (answering peer-to-peer calls to the bot, rejecting calls).
 */
export async function checkEntraAppCredential(
	fields: CredentialFields,
	send: TokenHttpSender,
	permissions: readonly OperationPermission[],
): Promise<CredentialCheckResult> {
	try {
		const settings = readEntraAppSettings(fields);
		const token = await mintAccessToken(settings, send, { forceRefresh: true });
		const claims = readAccessTokenClaims(token);
		const roles = claims?.roles ?? [];
		const roleList = roles.length ? roles.join(', ') : 'none';
		const readiness = operationReadiness(roles, permissions);
		const ready = readiness.filter((row) => row.ready);
		const missing = readiness.filter((row) => !row.ready);
		const readyByRole = readiness.filter((row, i) => row.ready && needsARole(permissions[i]));
		const who = `Signed in to ${settings.cloud.label} as app ${settings.clientId} in tenant ${claims?.tid ?? settings.tenantId}. Application roles: ${roleList}.`;
		const cannot = missing.map((row) => `${row.operation} (needs ${row.permission})`).join('; ');
		if (readyByRole.length === 0) {
			return {
				status: 'Error',
				message: `${who} The token carries none of the permissions this node's operations need: ${cannot}. Without any, Graph allows only: ${operationList(ready)}. In the app registration add them under Microsoft Graph > Application permissions, then "Grant admin consent"; new roles reach tokens within a few minutes.`,
			};
		}
		return {
			status: 'OK',
			message: `${who} Ready: ${operationList(ready)}.${missing.length > 0 ? ` Not ready: ${cannot}.` : ''}`,
		};
	} catch (error) {
		if (error instanceof TokenRequestError && error.networkCode !== undefined) {
			// The test's message reaches the editor as it is, so here the code can be named.
			return { status: 'Error', message: `${error.message} (error code ${error.networkCode})` };
		}
		if (error instanceof CredentialConfigError || error instanceof TokenRequestError) {
			return { status: 'Error', message: error.message };
		}
		return { status: 'Error', message: `The credential test failed: ${(error as Error).message}` };
	}
}
