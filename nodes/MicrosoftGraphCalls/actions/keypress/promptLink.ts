/**
 * The link at which this node's waiting webhook serves a prompt taken from a binary field of the
 * input item (Call and Wait for Keypress › Prompt From › Binary Field). Graph downloads prompts
 * itself, so the audio must sit at an https URL; the waiting URL of the execution is one, and it
 * exists exactly as long as the execution waits.
 *
 * The link carries a token only holders of the credential can compute: an HMAC of the execution
 * and node IDs under a key derived from the credential's secret or private key. Nothing is
 * stored, so the webhook can check it in any process (queue mode), and a guessed or altered link
 * gets 404 like any other unknown path.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

import type { EntraAppSettings } from '../../../../lib/entra/settings';

function linkKey(settings: EntraAppSettings): Buffer {
	const secret =
		settings.authentication.kind === 'clientSecret'
			? settings.authentication.clientSecret
			: settings.authentication.privateKeyPem;
	// A key of its own, never the secret itself: the token reveals nothing that signs in to Entra.
	return createHmac('sha256', 'n8n-nodes-microsoft-graph-calls/prompt-link')
		.update(secret)
		.digest();
}

export function promptLinkToken(
	settings: EntraAppSettings,
	executionId: string,
	nodeId: string,
): string {
	return createHmac('sha256', linkKey(settings))
		.update(`${executionId}/${nodeId}`)
		.digest('base64url');
}

export function isPromptLinkToken(candidate: unknown, expected: string): boolean {
	if (typeof candidate !== 'string' || candidate.length !== expected.length) return false;
	return timingSafeEqual(Buffer.from(candidate), Buffer.from(expected));
}
