import { CredentialConfigError } from './errors';
import { readEntraAppSettings, type CredentialFields } from './settings';
import { readAccessTokenClaims } from './tokenClaims';
import { mintAccessToken, TokenRequestError } from './tokenMinter';
import type { TokenHttpSender } from './tokenHttp';

export const INVITE_ROLE = 'Calls.InitiateGroupCall.All';

export interface CredentialCheckResult {
	status: 'OK' | 'Error';
	message: string;
}

/**
 * The credential test: mint a fresh token and read which application roles it carries.
 * A token without the invite permission is reported as an error, because n8n's editor shows
 * only the message of a failed test and such a credential cannot invite anyone.
 */
export async function checkEntraAppCredential(
	fields: CredentialFields,
	send: TokenHttpSender,
): Promise<CredentialCheckResult> {
	try {
		const settings = readEntraAppSettings(fields);
		const token = await mintAccessToken(settings, send, { forceRefresh: true });
		const claims = readAccessTokenClaims(token);
		const roles = claims?.roles ?? [];
		const roleList = roles.length ? roles.join(', ') : 'none';
		if (!roles.includes(INVITE_ROLE)) {
			return {
				status: 'Error',
				message: `Signed in to ${settings.cloud.label} as app ${settings.clientId}, but the token lacks the application permission ${INVITE_ROLE} (its roles: ${roleList}). In the app registration add Microsoft Graph > Application permissions > ${INVITE_ROLE}, then "Grant admin consent"; new roles reach tokens within a few minutes.`,
			};
		}
		return {
			status: 'OK',
			message: `Signed in to ${settings.cloud.label} as app ${settings.clientId} in tenant ${claims?.tid ?? settings.tenantId}. Application roles: ${roleList}.`,
		};
	} catch (error) {
		if (error instanceof CredentialConfigError || error instanceof TokenRequestError) {
			return { status: 'Error', message: error.message };
		}
		return { status: 'Error', message: `The credential test failed: ${(error as Error).message}` };
	}
}
