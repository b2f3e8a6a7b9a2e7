/**
 * n8n's request helper re-wraps whatever a credential's preAuthentication or authenticate throws
 * into a NodeApiError that keeps only the message. To still tell "the token could not be minted"
 * from "the network failed", the credential code registers the messages it produced here.
 *
 * Why process-wide, and not state of one execution: the credential's code runs inside n8n's
 * request helper, which hands it no execution, so there is nothing per execution to write to;
 * the node meets only the re-wrapped message. Sharing is harmless: an entry is a message this
 * package wrote itself (never a secret: see tokenMinter.ts) and maps to the same kind in every
 * execution, so one execution's entry can only classify another's identical message the same
 * way. The map is bounded (oldest out first).
 */
type OwnFailureKind = 'authentication' | 'refused';

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
