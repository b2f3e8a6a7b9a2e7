/**
 * The waiting webhook of Call and Wait for Keypress: Graph posts the call's notifications here
 * (the call's callbackUri is this execution's waiting URL with a binding token), and Graph GETs a
 * prompt taken from a binary field here (promptSource.ts).
 *
 * A POST is acted on only when all of these hold, in this order:
 * 1. the receiver accepted it (lib/notifications/callbackReceiver.ts: signed by Microsoft for this
 *    app and tenant, a notification envelope, not a copy): else 400, 401 or 503;
 * 2. it arrived at a URL this node made (its binding token matches execution, node and start
 *    time): else 404, as for a URL that does not exist;
 * 3. per notification: the call ID is Graph's (callIds.ts), the notification decides something,
 *    and any callbackUri it states is this URL; at most MAX_CALLS_PER_POST calls per POST;
 * 4. Graph says each call's callbackUri is this URL (callBinding.ts, one GET per call, kept): a
 *    check that cannot be completed makes the whole POST 503 with Retry-After, acting on nothing;
 * 5. the step is new: the prompt is started once per call, each repetition played once, and the
 *    execution resumed once, whatever the spelling or whitespace of the notifications.
 * Then it plays the prompt and listens for keys when the call is up, plays it again when a
 * repetition ends, and resumes the execution on an accepted key, the end of the call or a failure.
 */
import type { IDataObject, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';

import type { EntraAppSettings } from '../../../../lib/entra/settings';
import {
	answerAccepted,
	answerError,
	guardedWebhook,
	receiveCallback,
} from '../../../../lib/notifications/callbackReceiver';
import { graphCallId } from '../../../../lib/notifications/callIds';
import { printable } from '../../../../lib/notifications/logText';
import { describeNotification } from '../../../../lib/notifications/notificationItems';
import { ReplayGuard } from '../../../../lib/notifications/replayGuard';
import { GraphApiError } from '../../transport/graphErrors';
import { callBinding, statedCallbackUris, type CallBinding } from './callBinding';
import { readKeypressOptions, type KeypressOptions } from './keypressOptions';
import { keypressStep, reportsEndOfCall, type ActingStep } from './keypressSteps';
import { isLinkToken, linkToken } from '../../../../lib/entra/linkTokens';
import { act } from './pageActions';
import { decodePageState, PAGE_PARAMETER, readPagePlan, type PageState } from './pagePlan';
import { servePrompt } from './promptSource';
import {
	BINDING_PARAMETER,
	isSameCallbackUrl,
	STARTED_AT_PARAMETER,
	waitingCallbackUrl,
} from './waitingUrls';
import { graphForWebhook } from './webhookGraph';

const RECEIVER = 'Microsoft Graph Calls › Call and Wait for Keypress';

/** A page has one call; notifications about more calls in one POST are not about this page. */
export const MAX_CALLS_PER_POST = 5;
/** Retry-After when Graph could not confirm which call a notification is about. */
const UNCHECKED_RETRY_AFTER_SECONDS = 10;

/** How long a step is remembered as done: far longer than Graph keeps notifying about a call. */
const STEP_MEMORY_MS = 60 * 60 * 1000;
/**
 * The steps this process has taken, per waiting URL. Per process, like the receiver's replay
 * guard: docs/media.md says what that means with several webhook processes in queue mode.
 */
const stepsTaken = new ReplayGuard(50_000);

/** True the first time a step is offered; false for every later offer. */
function firstTime(step: string, now = Date.now()): boolean {
	return stepsTaken.firstSighting(step, now + STEP_MEMORY_MS, now);
}

/** Forget every step taken (tests). */
export function clearStepsTaken(): void {
	stepsTaken.clear();
}

/** The waiting URL a request arrived at, when this node made it: the call's callbackUri. */
interface Page {
	callbackUrl: string;
	startedAt: number;
	/** The page's plan, which attempt this call is, and the attempts before it. */
	state: PageState;
	/** What a decision is remembered by: one per page (execution and node), whichever call. */
	key: string;
}

/**
 * The URL this node gave Graph as callbackUri, rebuilt from what n8n knows (its resume URL, the
 * node) and the request's start time and page state, if the request's binding token is the one
 * this node made for them; undefined otherwise.
 */
function pageOf(context: IWebhookFunctions, settings: EntraAppSettings): Page | undefined {
	const query = context.getQueryData() as IDataObject;
	const startedAt = query[STARTED_AT_PARAMETER];
	if (typeof startedAt !== 'string' || !/^\d{1,15}$/.test(startedAt)) return undefined;
	const pageParameter = query[PAGE_PARAMETER];
	if (pageParameter !== undefined && typeof pageParameter !== 'string') return undefined;
	const nodeId = context.getNode().id;
	const executionId = context.getExecutionId() ?? '';
	const token = linkToken(settings, 'callback', [
		executionId,
		nodeId,
		startedAt,
		...(pageParameter !== undefined ? [pageParameter] : []),
	]);
	if (!isLinkToken(query[BINDING_PARAMETER], token)) return undefined;
	// Version 1 and 2 pages carry no state: one person, once, as the form says.
	const state =
		pageParameter !== undefined
			? decodePageState(pageParameter)
			: {
					plan: readPagePlan({
						version: context.getNode().typeVersion,
						param: (name, fallback) => context.getNodeParameter(name, fallback),
						inputItems: [],
					}),
					attempt: 0,
					history: [],
				};
	if (!state) return undefined;
	const resumeUrl = String(context.evaluateExpression('{{ $execution.resumeUrl }}', 0));
	return {
		callbackUrl: waitingCallbackUrl(resumeUrl, nodeId, startedAt, token, pageParameter),
		startedAt: Number(startedAt),
		state,
		key: `${executionId}\u0000${nodeId}`,
	};
}

/** What a step is remembered by: the page or the waiting URL, the call, what it did. */
function stepKey(page: Page, callId: string, step: ActingStep): string {
	// One decision per page: whichever call (or notification) comes second, it is late.
	if (step.kind === 'choose') return `${page.key}\u0000decision`;
	// One end per attempt: the page goes on (or ends) once.
	if (step.kind === 'over') return `${page.callbackUrl}\u0000over`;
	const which =
		step.kind === 'replay'
			? `replay ${step.repetition} after ${step.after}`
			: step.kind === 'askPresence'
				? `presence ${step.repetition}`
				: step.kind === 'again'
					? `again ${step.sequence}`
					: step.kind;
	return `${page.callbackUrl}\u0000${callId}\u0000${which}`;
}

interface Candidate {
	callId: string;
	step: ActingStep;
}

/** Notifications that may decide something for this page, and the calls they are about. */
function candidatesOf(
	context: IWebhookFunctions,
	notifications: unknown[],
	page: Page,
	settings: KeypressOptions,
): { candidates: Candidate[]; calls: Set<string> } {
	const candidates: Candidate[] = [];
	const calls = new Set<string>();
	for (const notification of notifications) {
		const item = describeNotification(notification);
		const callId = graphCallId(item.callId);
		if (callId === undefined) {
			if (item.callId !== null)
				context.logger.info(
					`${RECEIVER}: ignored a notification whose call ID ${printable(item.callId, 80)} is not one of Graph's.`,
				);
			continue;
		}
		const step = keypressStep(item, settings);
		if (step.kind === 'wait') continue;
		const stated = statedCallbackUris(notification).find(
			(uri) => !isSameCallbackUrl(uri, page.callbackUrl),
		);
		if (stated !== undefined) {
			context.logger.warn(
				`${RECEIVER}: ignored a signed notification about call ${callId}, which names the callback URL ${printable(stated, 300)}, not this execution's.`,
			);
			continue;
		}
		if (!calls.has(callId) && calls.size >= MAX_CALLS_PER_POST) {
			context.logger.warn(
				`${RECEIVER}: ignored a notification about call ${callId}: one POST may concern at most ${MAX_CALLS_PER_POST} calls.`,
			);
			continue;
		}
		calls.add(callId);
		candidates.push({ callId, step });
	}
	return { candidates, calls };
}

async function handleCallback(context: IWebhookFunctions): Promise<IWebhookResponseData> {
	const reception = await receiveCallback(context, { receiver: RECEIVER });
	if (!reception.accepted) return reception.response;
	let handled = false;
	try {
		const response = await actOn(context, reception.notifications, reception.release);
		handled = true;
		return response;
	} finally {
		// A throw reaches guardedWebhook, which answers 503, and Graph sends it again: that retry
		// is not a copy.
		if (!handled) reception.release();
	}
}

async function actOn(
	context: IWebhookFunctions,
	notifications: unknown[],
	release: () => void,
): Promise<IWebhookResponseData> {
	const graph = await graphForWebhook(context);
	const page = pageOf(context, graph.settings);
	if (!page) {
		context.logger.warn(
			`${RECEIVER}: refused a signed notification at a waiting URL this node did not make (its binding token, start time or page is missing or wrong).`,
		);
		return answerError(context, 404, 'Not found.');
	}
	const options = readKeypressOptions(context.getNode().typeVersion, (name, fallback) =>
		context.getNodeParameter(name, fallback),
	);
	const { candidates, calls } = candidatesOf(context, notifications, page, options);

	// Every call is checked before anything is done: a POST is acted on whole or not at all.
	const bindings = new Map<string, CallBinding>();
	for (const callId of calls) {
		const binding = await callBinding(graph, callId, page.callbackUrl);
		if (binding.kind === 'unchecked') {
			context.logger.warn(
				`${RECEIVER}: could not check which call a notification is about (call ${callId}: ${printable(binding.reason, 300)}); answered 503 so that Graph sends it again.`,
			);
			release();
			return answerError(
				context,
				503,
				'The notification could not be checked now; try again later.',
				UNCHECKED_RETRY_AFTER_SECONDS,
			);
		}
		bindings.set(callId, binding);
	}

	let resumeWith: IDataObject | undefined;
	for (const { callId, step } of candidates) {
		const binding = bindings.get(callId);
		if (binding?.kind === 'another call') {
			context.logger.warn(
				`${RECEIVER}: ignored a signed notification about call ${callId}, which posts to ${printable(binding.callbackUri, 300)}, not to this execution.`,
			);
			continue;
		}
		// A call Graph does not know cannot have a key pressed or a prompt end now; its own
		// "terminated" notification (the one kind acted on for a gone call) ends its attempt.
		if (binding?.kind === 'gone' && !reportsEndOfCall(step)) continue;
		// Once the page is decided, nothing of any of its calls is acted on (in this process).
		if (stepsTaken.has(`${page.key}\u0000decision`) && step.kind !== 'choose') continue;
		if (!firstTime(stepKey(page, callId, step))) continue;
		const attempt = {
			state: page.state,
			callId,
			startedAt: page.startedAt,
			pageKey: page.key,
			firstTime: (key: string) => firstTime(key),
		};
		try {
			resumeWith = await act(context, graph, attempt, step, options);
		} catch (error) {
			// The call ended meanwhile (404): its own "deleted" notification ends its attempt.
			if (error instanceof GraphApiError && error.facts.status === 404) continue;
			// Any other failure (e.g. 403 without Calls.AccessMedia.All) would leave the execution
			// waiting for keys that can never be reported: resume and say why, once.
			if (!firstTime(`${page.key}\u0000decision`)) continue;
			const failure = error as Error & { description?: string | null };
			resumeWith = {
				outcome: 'failed',
				tone: null,
				key: null,
				callId,
				error: failure.message,
				...(failure.description ? { errorDescription: failure.description } : {}),
			};
		}
		if (resumeWith) {
			// Whatever ended the page, it is decided now: later notifications of any call are late.
			firstTime(`${page.key}\u0000decision`);
			break;
		}
	}
	answerAccepted(context);
	if (!resumeWith) return { noWebhookResponse: true };
	return { noWebhookResponse: true, workflowData: [[{ json: resumeWith }]] };
}

export async function keypressWebhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
	const context = this;
	return await guardedWebhook(context, RECEIVER, async () =>
		context.getRequestObject().method === 'GET'
			? await servePrompt(context)
			: await handleCallback(context),
	);
}
