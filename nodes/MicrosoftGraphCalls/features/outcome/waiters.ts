/**
 * "Wait for Outcome" (Invite and Call › Create): after the request, poll documented reads until
 * the outcome is known or the timeout passes, so that it works whatever the call's callback URL is.
 * - Invite: GET …/participants until every invited (not hidden) identity is listed → joined;
 *   at the timeout → notJoined with who is missing; call gone → terminated.
 * - Create: GET the call until `established` or `terminated` → that; at the timeout → timeout.
 */
import type { IDataObject } from 'n8n-workflow';

import { isJsonObject } from '../../../../lib/jsonObject';
import type { WaitSettings } from '../../helpers/nodeOptions';
import {
	identityKey,
	participantIdentity,
	rosterKeys,
	type IdentityRef,
} from '../../helpers/roster';
import type { RequestSettings } from '../../transport/types';
import type { OperationContext } from '../../engine/operation';
import { callGone, goneResultInfo, Poller } from './poller';

/** The identities an invite body asks for, hidden ones left out (Graph never lists them). */
export function invitedIdentities(body: Record<string, unknown>): IdentityRef[] {
	const participants = Array.isArray(body.participants) ? body.participants : [];
	return participants
		.filter((participant) => !(isJsonObject(participant) && participant.hidden === true))
		.map(participantIdentity)
		.filter((ref): ref is IdentityRef => ref !== undefined);
}

const describe = (ref: IdentityRef): IDataObject => ({
	identityKind: ref.kind,
	identityId: ref.id,
	displayName: ref.displayName,
});

interface WaitRequest {
	context: OperationContext;
	request: RequestSettings;
	wait: WaitSettings;
	/** The call's path, e.g. /communications/calls/{id}. */
	callPath: string;
}

/** Invite: poll the roster until every invited identity is listed. */
export async function waitForInviteOutcome(
	{ context, request, wait, callPath }: WaitRequest,
	operation: IDataObject,
	invited: IdentityRef[],
): Promise<IDataObject> {
	const poller = new Poller(context.functions, context.transport, request, wait);
	if (typeof operation.status === 'string' && operation.status.toLowerCase() === 'failed') {
		return {
			status: 'notJoined',
			joined: [],
			missing: invited.map(describe),
			resultInfo: operation.resultInfo ?? null,
			...poller.facts(),
		};
	}
	let missing = invited;
	for (;;) {
		const response = await poller.get(`${callPath}/participants`);
		if (response && callGone(response)) {
			return {
				status: 'terminated',
				resultInfo: goneResultInfo(response),
				joined: [],
				missing: missing.map(describe),
				...poller.facts(),
			};
		}
		if (response && response.status === 200) {
			const listed = rosterKeys(response.body);
			missing = invited.filter((ref) => !listed.has(identityKey(ref)));
			if (missing.length === 0) {
				return { status: 'joined', joined: invited.map(describe), missing: [], ...poller.facts() };
			}
		}
		if (!(await poller.pause())) break;
	}
	const joined = invited.filter((ref) => !missing.includes(ref));
	return {
		status: 'notJoined',
		joined: joined.map(describe),
		missing: missing.map(describe),
		...poller.facts(),
	};
}

/** Create: poll the call until it is established or terminated. */
export async function waitForCallOutcome(
	{ context, request, wait, callPath }: WaitRequest,
	created: IDataObject,
): Promise<IDataObject> {
	const poller = new Poller(context.functions, context.transport, request, wait);
	let lastState = typeof created.state === 'string' ? created.state : null;
	for (;;) {
		const response = await poller.get(callPath);
		if (response && callGone(response)) {
			return {
				status: 'terminated',
				state: 'terminated',
				resultInfo: goneResultInfo(response),
				...poller.facts(),
			};
		}
		if (response && response.status === 200 && isJsonObject(response.body)) {
			const state = typeof response.body.state === 'string' ? response.body.state : null;
			lastState = state ?? lastState;
			if (state === 'established') return { status: 'established', state, ...poller.facts() };
			if (state === 'terminated') {
				return {
					status: 'terminated',
					state,
					resultInfo: (response.body.resultInfo as IDataObject | undefined) ?? null,
					...poller.facts(),
				};
			}
		}
		if (!(await poller.pause())) break;
	}
	return { status: 'timeout', state: lastState, ...poller.facts() };
}
