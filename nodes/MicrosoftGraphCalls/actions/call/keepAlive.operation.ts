import { callIdField } from '../../descriptions/common';
import { plainOptionsField } from '../../descriptions/requestOptions';
import { callPath } from '../../helpers/graphPaths';
import { parseCallId } from '../../helpers/idFields';
import { KEEP_ALIVE_LIMIT_MINUTES } from '../../limits';
import { ACTION_ROLES, ACTIONS } from '../../engine/actionProfiles';
import type { Operation } from '../../engine/operation';
import { successJson } from '../../engine/successJson';

/** Keep alive: POST /communications/calls/{id}/keepAlive, no body; Graph answers 200 without one. */
export const keepAlive: Operation = {
	value: 'keepAlive',
	name: 'Keep Alive',
	action: 'Keep a call alive',
	summary: 'Tell Graph the call is still wanted; calls not kept alive within 45 minutes end',
	permissions: [{ roles: ACTION_ROLES.keepAlive.roles, rolesOfTheCall: true }],
	fields: [
		{
			displayName: `Graph ends a call not kept alive within ${KEEP_ALIVE_LIMIT_MINUTES} minutes of its start or of the last keep-alive. Run this every 15 to ${KEEP_ALIVE_LIMIT_MINUTES} minutes (e.g. from a Schedule Trigger) for as long as the call should last.`,
			name: 'keepAliveNotice',
			type: 'notice',
			default: '',
		},
		callIdField,
		plainOptionsField,
	],
	usesCallsApi: true,
	async execute({ transport }, item, { request }) {
		const callId = parseCallId(item.param('callId'));
		const result = await transport.request(
			{ method: 'POST', path: callPath(callId, 'keepAlive') },
			request,
			ACTIONS.keepAlive,
			item.index,
		);
		const now = Date.now();
		return successJson(result, {
			operation: 'keepAlive',
			callId,
			keptAliveAt: new Date(now).toISOString(),
			keepAliveAgainBefore: new Date(now + KEEP_ALIVE_LIMIT_MINUTES * 60_000).toISOString(),
		});
	},
};
