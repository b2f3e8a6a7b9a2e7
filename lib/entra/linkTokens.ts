/**
 * Tokens that make the URLs this package gives Graph unguessable and unforgeable, whatever n8n's
 * line (n8n 1.x's waiting URL is only the execution's sequential ID and the node's ID):
 *
 * - `callback`: in a page call's callbackUri. The waiting webhook acts only on requests that
 *   carry it, so a call placed with a look-alike URL (guessed IDs, another start time) is turned
 *   away.
 * - `prompt`: in the link at which a waiting webhook serves a prompt to Graph.
 * - `speech`: in the link at which the trigger serves a spoken prompt (lib/speech/promptLinks.ts):
 *   the action node signs what to say, the trigger (same credential) checks it.
 *
 * Each is an HMAC of the purpose and the IDs under a key derived from the credential's secret or
 * private key. Nothing is stored, so any process (queue mode) can check it; only holders of the
 * credential can make one.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

import type { EntraAppSettings } from './settings';

export type LinkPurpose = 'callback' | 'prompt' | 'speech';

function linkKey(settings: EntraAppSettings): Buffer {
	const secret =
		settings.authentication.kind === 'clientSecret'
			? settings.authentication.clientSecret
			: settings.authentication.privateKeyPem;
	// A key of its own, never the secret itself: the token reveals nothing that signs in to Entra.
	return createHmac('sha256', 'n8n-nodes-microsoft-graph-calls/waiting-link')
		.update(secret)
		.digest();
}

/** The token for `purpose` and these parts (execution ID, node ID, …), base64url. */
export function linkToken(
	settings: EntraAppSettings,
	purpose: LinkPurpose,
	parts: readonly string[],
): string {
	return createHmac('sha256', linkKey(settings))
		.update([purpose, ...parts].join('/'))
		.digest('base64url');
}

/**
 * Whether a request's value is the expected token: compared in constant time, as bytes (a string
 * of the right length in characters may have another length in bytes). Anything but one string
 * (a repeated query parameter is a list) is not.
 */
export function isLinkToken(candidate: unknown, expected: string): boolean {
	if (typeof candidate !== 'string') return false;
	const given = Buffer.from(candidate, 'utf8');
	const wanted = Buffer.from(expected, 'utf8');
	return given.length === wanted.length && timingSafeEqual(given, wanted);
}
