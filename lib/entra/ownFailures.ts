/**
 * n8n's request helper re-wraps whatever a credential's preAuthentication or authenticate throws
 * into a NodeApiError that keeps only the message. To still tell "the token could not be minted"
 * from "the network failed", the credential code registers the messages it produced here.
 */
export type OwnFailureKind = 'authentication' | 'refused';

const MAX_REMEMBERED = 200;
const remembered = new Map<string, OwnFailureKind>();

export function rememberOwnFailure<E extends Error>(error: E, kind: OwnFailureKind): E {
	remembered.delete(error.message);
	remembered.set(error.message, kind);
	if (remembered.size > MAX_REMEMBERED) remembered.delete(remembered.keys().next().value as string);
	return error;
}

export function ownFailureKind(message: string): OwnFailureKind | undefined {
	return remembered.get(message);
}
