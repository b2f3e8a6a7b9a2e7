/**
 * What the media operations share: their form's call ID and Additional Fields, and sending one
 * POST to a media action of a call (or of one participant) with the body built from the form.
 */
import type { IDataObject } from 'n8n-workflow';

import { callPath, readParticipantId } from '../../helpers/graphPaths';
import { parseCallId } from '../../helpers/idFields';
import { clientContextBody } from '../../helpers/mediaBodies';
import { readAdditionalFields } from '../../helpers/optionValues';
import type { NodeOptions } from '../../helpers/nodeOptions';
import type { ActionProfile } from '../../transport/types';
import type { ItemInput, Operation, OperationContext } from '../../engine/operation';

export interface MediaTarget {
	callId: string;
	participantId?: string;
	extra: Record<string, unknown>;
}

/** Call ID (and Participant ID for hold music) and the Additional Fields, checked. */
export function readMediaTarget(item: ItemInput, withParticipant = false): MediaTarget {
	const callId = parseCallId(item.param('callId'));
	const participantId = withParticipant
		? readParticipantId(item.param('participantId'))
		: undefined;
	const extra = readAdditionalFields(item.param('additionalFields', {}));
	return { callId, ...(participantId !== undefined ? { participantId } : {}), extra };
}

/** POST …/calls/{id}/{action} (or …/participants/{pid}/{action}); Graph's operation as the item. */
export async function sendMediaAction(
	{ transport }: OperationContext,
	item: ItemInput,
	{ request }: NodeOptions,
	target: MediaTarget,
	action: string,
	body: Record<string, unknown>,
	profile: ActionProfile,
): Promise<IDataObject> {
	const path =
		target.participantId !== undefined
			? callPath(target.callId, 'participants', target.participantId, action)
			: callPath(target.callId, action);
	const result = await transport.request(
		{ method: 'POST', path, body },
		request,
		profile,
		item.index,
	);
	return result.json;
}

/**
 * The execute of a media action whose body is only the optional client context (Subscribe to
 * Tone, Cancel Media Processing, Stop Hold Music): Graph's operation as the item.
 */
export function clientContextAction(
	action: string,
	profile: ActionProfile,
	withParticipant = false,
): Operation['execute'] {
	return async (context, item, options) => {
		const target = readMediaTarget(item, withParticipant);
		return await sendMediaAction(
			context,
			item,
			options,
			target,
			action,
			clientContextBody(target.extra),
			profile,
		);
	};
}
