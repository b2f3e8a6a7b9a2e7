import type { INodeProperties } from 'n8n-workflow';

import { WAIT_LIMITS } from '../limits';

/** Wait for Outcome (Invite and Call › Create): the form's side; the poller is in features/outcome/. */
export function waitOptionFields(what: 'invite' | 'create'): INodeProperties[] {
	const until =
		what === 'invite'
			? "until every invited person is in the call's participants list (joined), or the timeout passes (notJoined, with who is missing)"
			: 'until the call is established or terminated, or the timeout passes (timeout)';
	return [
		{
			displayName: 'Wait for Outcome',
			name: 'waitForOutcome',
			type: 'boolean',
			default: false,
			description: `Whether to poll Graph ${until}. The item gets an "outcome". Works whatever the callback URL is. The execution stays busy while it waits, never longer than the timeout; for long waits use the Microsoft Graph Calls Trigger instead.`,
		},
		{
			displayName: 'Wait Timeout (Seconds)',
			name: 'waitTimeoutSeconds',
			type: 'number',
			typeOptions: {
				minValue: WAIT_LIMITS.timeoutSeconds.min,
				maxValue: WAIT_LIMITS.timeoutSeconds.max,
			},
			default: 60,
			displayOptions: { show: { waitForOutcome: [true] } },
			description:
				'With Wait for Outcome: the longest the node waits (and keeps the execution busy) for this item. Retries after throttling count against it.',
		},
		{
			displayName: 'Poll Interval (Seconds)',
			name: 'pollIntervalSeconds',
			type: 'number',
			typeOptions: {
				minValue: WAIT_LIMITS.pollIntervalSeconds.min,
				maxValue: WAIT_LIMITS.pollIntervalSeconds.max,
			},
			default: 5,
			displayOptions: { show: { waitForOutcome: [true] } },
			description:
				"With Wait for Outcome: time between two reads. Each read counts against Graph's limits like any request.",
		},
	];
}
