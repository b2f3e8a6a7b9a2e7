import { NodeApiError, NodeOperationError, type IDataObject } from 'n8n-workflow';

import { callPath } from '../../helpers/graphPaths';
import { identityKey, participantIdentity, rosterKeys } from '../../helpers/roster';
import type { RequestSettings } from '../../transport/types';
import { ACTIONS } from '../../engine/actionProfiles';
import type { OperationContext } from '../../engine/operation';

/** An invite body split into who still needs inviting and who the roster already lists. */
export interface RosterCheck {
	/** The participants to invite (all of them when the roster lists none). */
	toInvite: unknown[];
	/** The identities found in the roster, for the item's output. */
	alreadyInCall: IDataObject[];
}

/** Says why the roster was read, so the user knows which option to turn off. */
function withExplanation(
	context: OperationContext,
	error: unknown,
	itemIndex: number,
): NodeApiError | NodeOperationError {
	const nodeError =
		error instanceof NodeApiError || error instanceof NodeOperationError
			? error
			: new NodeOperationError(context.functions.getNode(), error as Error, { itemIndex });
	nodeError.description = [
		nodeError.description,
		"The call's participants were read because of Options › Skip People Already in the Call; turn it off to invite without that check.",
	]
		.filter(Boolean)
		.join('\n\n');
	return nodeError;
}

/**
 * Skip People Already in the Call: reads the call's roster once per execution (every item that
 * invites into the same call shares the read) and leaves out invitees whose identity it lists.
 * People still ringing are not in the roster yet, so this protects reruns, not concurrent items.
 */
export async function checkAgainstRoster(
	context: OperationContext,
	request: RequestSettings,
	callId: string,
	participants: unknown[],
	itemIndex: number,
): Promise<RosterCheck> {
	const roster = await context.once(`roster:${callId}`, async () => {
		try {
			const result = await context.transport.request(
				{ method: 'GET', path: callPath(callId, 'participants') },
				request,
				ACTIONS.listParticipants,
				itemIndex,
			);
			return rosterKeys(result.json);
		} catch (error) {
			throw withExplanation(context, error, itemIndex);
		}
	});
	const toInvite: unknown[] = [];
	const alreadyInCall: IDataObject[] = [];
	for (const participant of participants) {
		const identity = participantIdentity(participant);
		if (identity && roster.has(identityKey(identity))) {
			alreadyInCall.push({
				identityKind: identity.kind,
				identityId: identity.id,
				displayName: identity.displayName,
			});
		} else toInvite.push(participant);
	}
	return { toInvite, alreadyInCall };
}
