import type { ICredentialDataDecryptedObject, IHttpRequestOptions } from 'n8n-workflow';

import { rememberOwnFailure } from './ownFailures';
import { readCloud } from './settings';

/** The origin a request is really going to, resolving `url` against `baseURL` as axios does. */
function requestOrigin(options: Pick<IHttpRequestOptions, 'url' | 'baseURL'>): string | undefined {
	try {
		return new URL(options.url, options.baseURL).origin;
	} catch {
		return undefined;
	}
}

/**
 * Adds the bearer token only to requests bound for the credential's own Graph origin over https.
 * Anything else is refused outright, so a crafted URL can never carry the token elsewhere.
 */
export function bindTokenToGraphOrigin(
	credentials: ICredentialDataDecryptedObject,
	requestOptions: IHttpRequestOptions,
): IHttpRequestOptions {
	const graphOrigin = readCloud(credentials).graphEndpoint;
	const target = requestOrigin(requestOptions);
	if (target !== graphOrigin || !graphOrigin.startsWith('https://')) {
		throw rememberOwnFailure(
			new Error(
				`Refusing to send the Microsoft Graph token to ${target ?? 'an unparseable URL'}: this credential only authenticates requests to ${graphOrigin}.`,
			),
			'refused',
		);
	}
	const token = typeof credentials.accessToken === 'string' ? credentials.accessToken : '';
	return {
		...requestOptions,
		headers: { ...(requestOptions.headers ?? {}), Authorization: `Bearer ${token}` },
		// Never forwarded on redirects: the token belongs to one origin.
		sendCredentialsOnCrossOriginRedirect: false,
		disableFollowRedirect: true,
	};
}
