/**
 * What the Azure AI Speech credential does inside n8n's request helpers: preAuthentication
 * mints the Entra ID token (keys need none), authenticate adds the key or token, and only to
 * the credential's own https Speech origins; any other target is refused outright.
 */
import type {
	ICredentialDataDecryptedObject,
	IHttpRequestHelper,
	IHttpRequestOptions,
} from 'n8n-workflow';

import { senderFromHttpRequest } from '../../entra/tokenSenders';
import { mintAccessToken } from '../../entra/tokenMinter';
import { SpeechError } from '../errors';
import { entraTokenFailure } from './speechAuth';
import { isTrustedSpeechUrl, readAzureSpeechSettings } from './speechSettings';

function targetUrl(options: Pick<IHttpRequestOptions, 'url' | 'baseURL'>): string {
	try {
		return new URL(options.url, options.baseURL).href;
	} catch {
		return options.url;
	}
}

/** preAuthentication: an Entra ID token for Azure AI services (nothing for a key). */
export async function speechPreAuthentication(
	helpers: IHttpRequestHelper['helpers'],
	credentials: ICredentialDataDecryptedObject,
): Promise<{ accessToken?: string }> {
	const settings = readAzureSpeechSettings(credentials);
	if (settings.auth.kind !== 'entra') return {};
	// n8n calls this with the old token still set only after Azure refused it: skip msal's cache.
	const forceRefresh =
		typeof credentials.accessToken === 'string' && credentials.accessToken !== '';
	try {
		const accessToken = await mintAccessToken(
			settings.auth.app,
			senderFromHttpRequest(helpers.httpRequest),
			{ forceRefresh, scope: settings.auth.scope },
		);
		return { accessToken };
	} catch (error) {
		throw entraTokenFailure(error);
	}
}

/** authenticate: the key or the Entra token, for the credential's Speech origins only. */
export function bindSpeechCredential(
	credentials: ICredentialDataDecryptedObject,
	requestOptions: IHttpRequestOptions,
): IHttpRequestOptions {
	const settings = readAzureSpeechSettings(credentials);
	const target = targetUrl(requestOptions);
	if (!isTrustedSpeechUrl(settings, target)) {
		throw new SpeechError(
			'refused',
			`Refusing to send the Azure AI Speech ${settings.auth.kind === 'key' ? 'key' : 'token'} to ${target}: this credential authenticates only https requests to ${settings.trustedOrigins.join(' and ')}.`,
		);
	}
	const token = typeof credentials.accessToken === 'string' ? credentials.accessToken : '';
	const auth =
		settings.auth.kind === 'key'
			? { 'Ocp-Apim-Subscription-Key': settings.auth.key }
			: { Authorization: `Bearer aad#${settings.auth.resourceId}#${token}` };
	return {
		...requestOptions,
		headers: { ...(requestOptions.headers ?? {}), ...auth },
		// Never forwarded on redirects: the key belongs to these origins.
		sendCredentialsOnCrossOriginRedirect: false,
		disableFollowRedirect: true,
	};
}
