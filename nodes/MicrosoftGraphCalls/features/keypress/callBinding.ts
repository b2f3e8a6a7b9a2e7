/**
 * Which call a waiting execution listens to.
 *
 * Graph posts a call's notifications to the call's callbackUri, which for the call this node
 * placed is the execution's waiting URL with a binding token (waitingUrls.ts, linkTokens.ts). A
 * correctly signed notification about *another* call of the same app (captured and re-posted, or
 * about a call on another n8n instance of the same app) must not play this node's prompt into
 * that call or resume this execution. n8n gives the waiting webhook no place to read back the
 * call ID execute() learned (its own output is popped before the webhook runs), so Graph is
 * asked: GET the call, and act only if its callbackUri is exactly the URL this node gave Graph.
 * (A notification that itself states another callbackUri is turned away before that.)
 *
 * - A call Graph no longer knows (404) is `gone`: only the news that it ended is acted on.
 * - A check that cannot be completed (throttled, 5xx, no answer in time, no callbackUri in the
 *   answer) is `unchecked`, which is never a yes: the webhook answers 503 with Retry-After, so
 *   that Graph sends the notification again, and acts on nothing.
 * - Each call's answer is kept (`bindings`): at most one GET per call and waiting URL, shared by
 *   notifications arriving at once. The GET never waits out throttling: it is one attempt with
 *   a short timeout, so a callback is not held.
 */
import { isJsonObject } from '../../../../lib/jsonObject';
import { printable } from '../../../../lib/notifications/logText';
import { callPath } from '../../helpers/graphPaths';
import { GraphApiError } from '../../transport/graphErrors';
import { TransportPolicy } from '../../transport/types';
import { ACTIONS } from '../../engine/actionProfiles';
import { isSameCallbackUrl } from './waitingUrls';
import type { WebhookGraph } from './webhookGraph';

export type CallBinding =
	| { kind: 'this call' }
	| { kind: 'another call'; callbackUri: string }
	| { kind: 'gone' }
	| { kind: 'unchecked'; reason: string };

/** One attempt, no waiting for throttling, a few seconds at most. */
const BINDING_CHECK_POLICY = new TransportPolicy(0, 0, 5_000);

/** How long a call's binding is kept: far longer than Graph keeps notifying about a call. */
const BINDING_MEMORY_MS = 60 * 60 * 1000;
/** A page has one call, a rota a handful; this bounds the memory of one webhook process. */
const MAX_BINDINGS = 20_000;

interface Kept {
	binding: Promise<CallBinding>;
	until: number;
}

/** Per process: the GETs made (or in flight), by waiting URL and call. */
const bindings = new Map<string, Kept>();

/** Forget every binding (tests). */
export function clearBindings(): void {
	bindings.clear();
}

async function askGraph(
	graph: WebhookGraph,
	callId: string,
	callbackUrl: string,
): Promise<CallBinding> {
	try {
		const result = await graph.transport.request(
			{ method: 'GET', path: callPath(callId) },
			{ ...graph.request, policy: BINDING_CHECK_POLICY },
			ACTIONS.getCall,
			0,
		);
		const callbackUri = isJsonObject(result.json) ? result.json.callbackUri : undefined;
		if (typeof callbackUri !== 'string')
			return { kind: 'unchecked', reason: 'Graph did not show the call’s callbackUri' };
		return isSameCallbackUrl(callbackUri, callbackUrl)
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

/**
 * The binding of `callId` (Graph's form, see callIds.ts) to the waiting URL `callbackUrl`:
 * from memory, or from one GET. Unchecked answers are not kept (the retry asks again).
 */
export async function callBinding(
	graph: WebhookGraph,
	callId: string,
	callbackUrl: string,
	now = Date.now(),
): Promise<CallBinding> {
	const key = `${callbackUrl}\u0000${callId}`;
	const kept = bindings.get(key);
	if (kept && kept.until > now) return await kept.binding;
	bindings.delete(key);
	if (bindings.size >= MAX_BINDINGS) bindings.delete(bindings.keys().next().value as string);
	const binding = askGraph(graph, callId, callbackUrl);
	bindings.set(key, { binding, until: now + BINDING_MEMORY_MS });
	const known = await binding;
	if (known.kind === 'unchecked') bindings.delete(key);
	return known;
}

/**
 * The callbackUris a call notification states about its call: Microsoft's examples put it in
 * `resourceData` (incoming and terminated calls) or on the notification itself (some of
 * application-post-calls' examples); many notifications state none.
 */
export function statedCallbackUris(notification: unknown): string[] {
	if (!isJsonObject(notification)) return [];
	const data = isJsonObject(notification.resourceData) ? notification.resourceData : {};
	return [data.callbackUri, notification.callbackUri].filter(
		(uri): uri is string => typeof uri === 'string' && uri !== '',
	);
}
