/**
 * The calls of a page: placing one for an attempt (execute for the first, the waiting webhook for
 * the next person in turn), the IDs of the calls placed at once (kept in the process, as the
 * execution's custom data, and learned from each call's notifications), ending the calls
 * that did not decide the page, and moving the person who chose "join" into the bridge.
 */
import type { IExecuteFunctions, IWebhookFunctions } from 'n8n-workflow';

import { linkToken } from '../../../../lib/entra/linkTokens';
import type { EntraAppSettings } from '../../../../lib/entra/settings';
import { pstnCallBody } from '../../helpers/callBodies/pstnCall';
import { peerToPeerCallBody } from '../../helpers/callBodies/userCalls';
import { callPath } from '../../helpers/graphPaths';
import { participantFromEntry } from '../../helpers/participants';
import { ACTIONS } from '../../engine/actionProfiles';
import type { GraphTransport } from '../../transport/graphTransport';
import type { RequestSettings } from '../../transport/types';
import { GraphApiError } from '../../transport/graphErrors';
import { encodePageState, type PageState, type Person } from './pagePlan';
import { waitingCallbackUrl } from './waitingUrls';

type AnyContext = IExecuteFunctions | IWebhookFunctions;

export interface GraphAccess {
	settings: EntraAppSettings;
	transport: GraphTransport;
	request: RequestSettings;
}

/**
 * The callback URL of one attempt: the waiting URL, when the call was placed, the page's state
 * (version 3), and a binding token over all of them that only the credential can make.
 */
export function attemptCallbackUrl(
	context: AnyContext,
	settings: EntraAppSettings,
	startedAt: number,
	state: PageState | undefined,
): string {
	const resumeUrl = String(context.evaluateExpression('{{ $execution.resumeUrl }}', 0));
	const nodeId = context.getNode().id;
	const page = state ? encodePageState(state) : undefined;
	const binding = linkToken(settings, 'callback', [
		context.getExecutionId() ?? '',
		nodeId,
		String(startedAt),
		...(page !== undefined ? [page] : []),
	]);
	return waitingCallbackUrl(resumeUrl, nodeId, String(startedAt), binding, page);
}

/** POST /communications/calls for one person: a peer-to-peer call, or a phone call. */
export async function placeCall(
	graph: GraphAccess,
	person: Person,
	callbackUri: string,
	resourceAccountId: unknown,
): Promise<string | null> {
	const result = await callRequest(graph, person, callbackUri, resourceAccountId);
	if (!result.sent) return null;
	return typeof result.json.id === 'string' ? result.json.id : null;
}

/** The create-call request for one person (a dry run shows it without sending it). */
export async function callRequest(
	graph: GraphAccess,
	person: Person,
	callbackUri: string,
	resourceAccountId: unknown,
) {
	const basics = { callbackUri, requestedModalities: ['audio'] };
	const body =
		person.kind === 'phone'
			? pstnCallBody({
					basics,
					applicationInstanceId: resourceAccountId,
					applicationInstanceDisplayName: undefined,
					phoneNumber: person.id,
					tenantId: '',
					credentialTenantId: graph.settings.tenantId,
				})
			: peerToPeerCallBody({
					basics,
					targets: [
						{
							type: 'user',
							id: person.id,
							...(person.name ? { displayName: person.name } : {}),
							...(person.tenantId ? { tenantId: person.tenantId } : {}),
						},
					],
					botDisplayName: undefined,
					clientId: graph.settings.clientId,
					version: graph.request.version,
				});
	return await graph.transport.request(
		{ method: 'POST', path: '/communications/calls', body },
		graph.request,
		person.kind === 'phone' ? ACTIONS.pstn : ACTIONS.peerToPeer,
		0,
	);
}

// ---- The calls placed at once: the execution's custom data ----------------------------------

/** One custom data entry per page node: n8n allows 10 per execution, 512 characters each. */
const customDataKey = (nodeId: string): string =>
	`graphCallsPage_${nodeId.replace(/[^A-Za-z0-9]/g, '').slice(0, 32)}`;

/**
 * This process's knowledge of the calls placed at once, by page (execution and node): what
 * execute placed (n8n's regular mode runs execute and the waiting webhook in one process) and
 * what the webhook learned from each call's notifications. Bounded: the oldest page goes first.
 */
const placedHere = new Map<string, string[]>();
const PLACED_HERE_MAX = 10_000;

const pageKeyOf = (context: AnyContext): string =>
	`${context.getExecutionId() ?? ''}\u0000${context.getNode().id}`;

function remember(key: string, callIds: string[]): void {
	placedHere.delete(key);
	placedHere.set(key, callIds);
	if (placedHere.size > PLACED_HERE_MAX) {
		const oldest = placedHere.keys().next().value;
		if (oldest !== undefined) placedHere.delete(oldest);
	}
}

/**
 * Keeps the IDs of the calls placed at once (in the people's order): in this process, and as the
 * execution's custom data, which n8n saves with the waiting execution for a webhook in another
 * process (queue mode) where the n8n version gives it back to the webhook (n8n 1.x did in our
 * tests; 2.41 did not: see docs/media.md).
 */
export function keepCallsPlacedAtOnce(functions: IExecuteFunctions, callIds: string[]): void {
	remember(pageKeyOf(functions), [...callIds]);
	try {
		functions
			.getWorkflowDataProxy(0)
			.$execution?.customData?.set(customDataKey(functions.getNode().id), callIds.join(','));
	} catch (error) {
		// At most 10 entries per execution: the process's copy and the calls' own notifications
		// still name them.
		functions.logger.warn(
			`Call and Wait for Keypress: the calls placed at once could not be kept as custom data: ${(error as Error).message}`,
		);
	}
}

/** A notification of person `person`'s call placed at once names its ID: remembered here. */
export function learnCallPlacedAtOnce(
	context: IWebhookFunctions,
	person: number,
	callId: string,
): void {
	const key = pageKeyOf(context);
	const known = [...(placedHere.get(key) ?? [])];
	if (known[person] === callId) return;
	while (known.length <= person) known.push('');
	known[person] = callId;
	remember(key, known);
}

/** The IDs of the calls placed at once, by person (empty strings where none is known). */
export function callsPlacedAtOnce(context: IWebhookFunctions): string[] {
	const key = customDataKey(context.getNode().id);
	let kept: unknown;
	try {
		kept = context.evaluateExpression(`{{ $execution.customData.get(${JSON.stringify(key)}) }}`, 0);
	} catch {
		kept = undefined;
	}
	const fromData = typeof kept === 'string' && kept !== '' ? kept.split(',') : [];
	const here = placedHere.get(pageKeyOf(context)) ?? [];
	const length = Math.max(fromData.length, here.length);
	return Array.from({ length }, (_, index) => here[index] || fromData[index] || '');
}

// ---- Moving the person into the bridge ---------------------------------------------------------

/**
 * Invites the person into `bridgeCallId` with replacesCallId = their page call: "For peer-to-peer
 * case, the call will be dropped once the participant is added successfully" (participant-invite,
 * example 2). Returns Graph's inviteParticipantsOperation.
 */
export async function moveIntoCall(
	graph: GraphAccess,
	person: Person,
	bridgeCallId: string,
	pageCallId: string,
): Promise<Record<string, unknown>> {
	const participant = participantFromEntry(
		{
			type: person.kind,
			id: person.id,
			...(person.name ? { displayName: person.name } : {}),
			additionalFields: {
				replacesCallId: pageCallId,
				...(person.tenantId ? { tenantId: person.tenantId } : {}),
			},
		},
		0,
		graph.request.version,
	);
	const result = await graph.transport.request(
		{
			method: 'POST',
			path: callPath(bridgeCallId, 'participants', 'invite'),
			body: { participants: [participant], clientContext: 'keypress-move-into-call' },
		},
		graph.request,
		ACTIONS.invite,
		0,
	);
	return result.json;
}

/** What a request about a call gives when Graph no longer has the call (404). */
const GONE = Symbol('gone');

/**
 * `request`'s result, or GONE on a 404. Any other failure is the transport's GraphApiError (a
 * NodeApiError already), passed on as it is.
 */
async function unlessGone<T>(request: Promise<T>): Promise<T | typeof GONE> {
	return await request.catch((error: unknown) => {
		if (error instanceof GraphApiError && error.facts.status === 404) return GONE;
		throw error;
	});
}

/** DELETE a call; false when Graph no longer has it. */
export async function hangUp(graph: GraphAccess, callId: string): Promise<boolean> {
	const result = await unlessGone(
		graph.transport.request(
			{ method: 'DELETE', path: callPath(callId) },
			graph.request,
			ACTIONS.hangUp,
			0,
		),
	);
	return result !== GONE;
}

/** The call's state as Graph shows it now, or 'gone' (404). */
export async function callState(graph: GraphAccess, callId: string): Promise<string> {
	const result = await unlessGone(
		graph.transport.request(
			{ method: 'GET', path: callPath(callId) },
			graph.request,
			ACTIONS.getCall,
			0,
		),
	);
	if (result === GONE) return 'gone';
	return typeof result.json.state === 'string' ? result.json.state : 'unknown';
}
