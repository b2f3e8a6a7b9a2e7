/**
 * Which call a waiting execution listens to, and that it decides once.
 *
 * Graph posts a call's notifications to the call's callbackUri, which for the call this node
 * placed is the execution's waiting URL. A correctly signed notification about *another* call of
 * the same app (captured and re-posted, or a call placed with a copied URL) must not play this
 * node's prompt into that call or resume this execution. n8n gives the waiting webhook no place
 * to read back the call ID execute() learned (its own output is popped before the webhook runs),
 * so Graph is asked instead: GET the call, and act only if its callbackUri is this waiting URL.
 * (A notification that itself states another callbackUri, as Graph's call notifications state
 * the call's, is turned away before that: `statedCallbackUri`.)
 *
 * A call Graph no longer knows (404) cannot be checked: only the news that it ended is acted on
 * (that is what a call one GETs too late looks like); a key or a prompt's end reported for it is
 * not. A check that failed for another reason (throttled past the retry budget, 5xx) lets the
 * notification through: the node must not lose a real answer to a failed GET.
 */
import { printable } from '../../../../lib/notifications/logText';
import { ReplayGuard } from '../../../../lib/notifications/replayGuard';
import { isRecord } from '../../../../lib/records';
import { callPath } from '../../helpers/graphPaths';
import { GraphApiError } from '../../transport/graphErrors';
import { ACTIONS } from '../actionProfiles';
import type { Sender } from './webhookSender';
import { namesThisWaitingUrl } from './waitingUrls';

export type CallBinding =
	| { kind: 'this call' }
	| { kind: 'another call'; callbackUri: string }
	| { kind: 'gone' }
	| { kind: 'unchecked'; reason: string };

export async function callBinding(
	sender: Sender,
	callId: string,
	requestUrl: string,
): Promise<CallBinding> {
	try {
		const result = await sender.transport.request(
			{ method: 'GET', path: callPath(callId) },
			sender.request,
			ACTIONS.getCall,
			0,
		);
		const callbackUri = isRecord(result.json) ? result.json.callbackUri : undefined;
		if (typeof callbackUri !== 'string')
			return { kind: 'unchecked', reason: 'Graph did not show the call’s callbackUri' };
		return namesThisWaitingUrl(callbackUri, requestUrl)
			? { kind: 'this call' }
			: { kind: 'another call', callbackUri };
	} catch (error) {
		if (error instanceof GraphApiError && error.facts.status === 404) return { kind: 'gone' };
		return {
			kind: 'unchecked',
			reason: `reading the call failed: ${printable((error as Error).message, 200)}`,
		};
	}
}

/** The callbackUri a call notification states about its call (`resourceData.callbackUri`), if any. */
export function statedCallbackUri(notification: unknown): string | undefined {
	const data = isRecord(notification) ? notification.resourceData : undefined;
	const uri = isRecord(data) ? data.callbackUri : undefined;
	return typeof uri === 'string' && uri !== '' ? uri : undefined;
}

/** How long a decided call is remembered: far longer than Graph keeps notifying about a call. */
const DECISION_MEMORY_MS = 60 * 60 * 1000;

/**
 * The calls this process has resumed an execution for. The hang-up of Hang Up When Done makes
 * Graph send "terminated", which can arrive while n8n still holds the execution as waiting (the
 * webhook has not returned yet); without this it would resume the execution a second time.
 * Per process, like the trigger's replay guard (docs/media.md says what that means in queue mode).
 */
const decidedCalls = new ReplayGuard(10_000);

/** True for the first decision about a call; false for every later one. */
export function firstDecision(callId: string, now = Date.now()): boolean {
	return decidedCalls.firstSighting(callId.toLowerCase(), now + DECISION_MEMORY_MS, now);
}
