import { identityOf } from '../../../lib/notifications/notificationItems';
import { isJsonObject } from '../../../lib/jsonObject';

/** One identity of a participant: its identitySet kind (user, phone…) and ID. */
export interface IdentityRef {
	kind: string;
	id: string;
	displayName: string | null;
}

/** Identities compare by kind and ID, IDs without regard to case (GUIDs are case-free). */
export function identityKey(ref: Pick<IdentityRef, 'kind' | 'id'>): string {
	return `${ref.kind}:${ref.id.toLowerCase()}`;
}

/** The identity an invitationParticipantInfo names, if it names one. */
export function participantIdentity(participant: unknown): IdentityRef | undefined {
	if (!isJsonObject(participant)) return undefined;
	const identity = identityOf(participant.identity);
	return identity?.id
		? { kind: identity.kind, id: identity.id, displayName: identity.displayName }
		: undefined;
}

/**
 * The keys of every identity in a participants list answer (GET …/participants): every
 * identity of each entry counts, since a user may be listed with their device and so on.
 */
export function rosterKeys(body: unknown): Set<string> {
	const list = isJsonObject(body) && Array.isArray(body.value) ? body.value : [];
	const keys = new Set<string>();
	for (const entry of list) {
		const identitySet =
			isJsonObject(entry) && isJsonObject(entry.info) ? entry.info.identity : undefined;
		if (!isJsonObject(identitySet)) continue;
		for (const [kind, value] of Object.entries(identitySet)) {
			if (isJsonObject(value) && typeof value.id === 'string')
				keys.add(identityKey({ kind, id: value.id }));
		}
	}
	return keys;
}
