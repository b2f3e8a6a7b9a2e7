/**
 * The calls of a page: placing one for an attempt (execute for the first, the waiting webhook for
 * the next person in turn), the IDs of the calls placed at once (kept as the execution's custom
 * data, the one place both execute and the webhook of any process can read), ending the calls
 * that did not decide the page, and moving the person who chose "join" into the bridge.
 */
import type { IExecuteFunctions, IWebhookFunctions } from 'n8n-workflow';

import { linkToken } from '../../../../lib/entra/linkTokens';
import type { EntraAppSettings } from '../../../../lib/entra/settings';
import { pstnCallBody } from '../../helpers/callBodies/pstnCall';
import { peerToPeerCallBody } from '../../helpers/callBodies/userCalls';
import { callPath } from '../../helpers/graphPaths';
import { InputProblem } from '../../helpers/inputProblem';
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
 * Keeps the IDs of the calls placed at once (in the people's order) with the execution. n8n saves
 * custom data with the waiting execution, and the waiting webhook of any process reads it back.
 */
export function keepCallsPlacedAtOnce(functions: IExecuteFunctions, callIds: string[]): void {
	const key = customDataKey(functions.getNode().id);
	const value = callIds.join(',');
	const customData = functions.getWorkflowDataProxy(0).$execution?.customData;
	customData?.set(key, value);
	if (customData?.get(key) !== value)
		throw new InputProblem(
			'Call Order',
			'is All at Once, and this execution could not keep the calls it placed (n8n keeps at most 10 custom data entries per execution, and this one has them all).',
			'Call the people In Turn, or use fewer Execution Data entries in this workflow.',
		);
}

/** The IDs of the calls placed at once, by person (empty strings where none was placed). */
export function callsPlacedAtOnce(context: IWebhookFunctions): string[] {
	const key = customDataKey(context.getNode().id);
	const value = context.evaluateExpression(
		`{{ $execution.customData.get(${JSON.stringify(key)}) }}`,
		0,
	);
	return typeof value === 'string' && value !== '' ? value.split(',') : [];
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
			path: callPath(bridgeCallId, 'participants/invite'),
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
