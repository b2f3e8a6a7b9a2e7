import { updateDisplayOptions } from 'n8n-workflow';

import { callIdField } from '../../descriptions/common';
import { plainOptionsField } from '../../descriptions/requestOptions';
import { callPath } from '../../helpers/graphPaths';
import { parseCallId } from '../../helpers/identifiers';
import { KEEP_ALIVE_LIMIT_MINUTES } from '../../limits';
import { ACTIONS } from '../actionProfiles';
import type { Operation } from '../operation';
import { successJson } from '../results';

/** Keep alive: POST /communications/calls/{id}/keepAlive, no body; Graph answers 200 without one. */
export const keepAlive: Operation = {
	description: updateDisplayOptions({ show: { resource: ['call'], operation: ['keepAlive'] } }, [
		{
			displayName: `Graph ends a call that has not been kept alive within ${KEEP_ALIVE_LIMIT_MINUTES} minutes (of its start or of the last keep-alive). Run this every 15 to ${KEEP_ALIVE_LIMIT_MINUTES} minutes, e.g. from a Schedule Trigger every 15 minutes, for as long as the call should last.`,
			name: 'keepAliveNotice',
			type: 'notice',
			default: '',
		},
		callIdField,
		plainOptionsField,
	]),
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
