/**
 * The calls resources the package touches: GET a call, GET its roster, and the invite action.
 * The calls API is bot-scoped, so every handler first checks that the token's app (and tenant)
 * owns the call; otherwise Graph pretends the call does not exist (404, code 8522).
 */
import type { AccessTokenClaims } from './accessTokens';
import { CALL_READ_ROLES, GRAPH_ROLES } from './constants';
import type { SimulatorContext } from './context';
import { graphError, type GraphRequestIds, type GraphResult } from './graphErrors';
import { newId } from './ids';
import { validateInviteBody } from './inviteValidation';
import type { JsonObject } from './json';
import type { InvitationRecord, RosterParticipant, SimulatedCall } from './types';

export type ApiVersion = 'v1.0' | 'beta';

/** Who is asking and how the answer is labelled; shared by plain requests and $batch steps. */
export interface GraphCallScope {
	claims: AccessTokenClaims;
	ids: GraphRequestIds;
	apiVersion: ApiVersion;
	batchStepId?: string | undefined;
}

/** As tenants log it (microsoft-graph-comms-samples#538, 2022-04-12: 403, code 7504). */
const INSUFFICIENT_PERMISSIONS =
	'Insufficient enterprise tenant permissions, cannot access this API.';

export function forbidden(): GraphResult {
	return graphError(403, '7504', INSUFFICIENT_PERMISSIONS);
}

/**
 * A call that has ended, never existed, or belongs to another app: 404 (call-keepalive.md: "a
 * call that has already ended will result in a 404 Not-Found error"), code 8522 "Call not found."
 * (microsoft-graph-comms-samples#191, #330, #173).
 */
export function callNotFound(): GraphResult {
	return graphError(404, '8522', 'Call not found.');
}

/** The call if the token's app owns it and it is still alive; otherwise Graph's 404. */
export function ownedCall(
	ctx: SimulatorContext,
	claims: AccessTokenClaims,
	callId: string,
): SimulatedCall | GraphResult {
	const call = ctx.registry.getCall(callId);
	const owned =
		call !== undefined &&
		call.ownerClientId.toLowerCase() === claims.appid.toLowerCase() &&
		call.tenantId.toLowerCase() === claims.tid.toLowerCase() &&
		call.state !== 'terminated';
	return owned ? call : callNotFound();
}

export function isGraphResult(value: SimulatedCall | GraphResult): value is GraphResult {
	return 'status' in value;
}

export function metadataUrl(
	ctx: SimulatorContext,
	apiVersion: ApiVersion,
	fragment: string,
): string {
	return `${ctx.origin}/${apiVersion}/$metadata#${fragment}`;
}

/**
 * A roster entry as Graph's examples show one (call-list-participants.md, participant-get.md,
 * participant-invite.md): the identitySet as it was given, one audio stream, mute and lobby
 * flags. `metadata` appears in the answers to GET, not in roster notifications.
 */
export function participantJson(
	participant: RosterParticipant,
	where: 'answer' | 'notification' = 'answer',
): JsonObject {
	const info: JsonObject = {
		'@odata.type': '#microsoft.graph.participantInfo',
		identity: { '@odata.type': '#microsoft.graph.identitySet', ...participant.identity },
	};
	if (participant.endpointType) info.endpointType = participant.endpointType;
	return {
		'@odata.type': '#microsoft.graph.participant',
		info,
		mediaStreams: [
			{
				'@odata.type': '#microsoft.graph.mediaStream',
				mediaType: 'audio',
				sourceId: '1',
				direction: 'sendReceive',
				serverMuted: false,
			},
		],
		isMuted: participant.muted === true,
		isInLobby: false,
		id: participant.id,
		...(where === 'answer' ? { metadata: null } : {}),
	};
}

/** Properties of a created call that GET returns as they were sent (Graph's examples echo them). */
const ECHOED_CALL_PROPERTIES = [
	'subject',
	'targets',
	'requestedModalities',
	'mediaConfig',
	'chatInfo',
	'meetingInfo',
	'source',
	'direction',
	'tenantId',
] as const;

/**
 * The call resource as application-post-calls.md and call-get.md show it: the call's own
 * properties, what the request set, and the rest null.
 */
export function callJson(
	ctx: SimulatorContext,
	call: SimulatedCall,
	apiVersion: ApiVersion,
): JsonObject {
	const sent: JsonObject = {};
	for (const key of ECHOED_CALL_PROPERTIES) {
		const value = call.details?.[key];
		if (value !== undefined) sent[key] = value;
	}
	const bot = participantJson(call.participants[0]!).info as JsonObject;
	return {
		'@odata.type': '#microsoft.graph.call',
		state: call.state,
		direction: call.direction,
		callbackUri: call.callbackUri,
		callChainId: call.id,
		source: bot,
		targets: [],
		requestedModalities: ['audio'],
		mediaConfig: { '@odata.type': '#microsoft.graph.serviceHostedMediaConfig', preFetchMedia: [] },
		myParticipantId: call.myParticipantId,
		id: call.id,
		'@odata.context': metadataUrl(ctx, apiVersion, 'communications/calls/$entity'),
		subject: null,
		ringingTimeoutInSeconds: null,
		mediaState: null,
		resultInfo: call.details?.resultInfo ?? null,
		answeredBy: null,
		chatInfo: null,
		meetingInfo: null,
		transcription: null,
		toneInfo: null,
		...sent,
	};
}

export function getCallResource(
	ctx: SimulatorContext,
	scope: GraphCallScope,
	callId: string,
): GraphResult {
	const call = ownedCall(ctx, scope.claims, callId);
	if (isGraphResult(call)) return call;
	return { status: 200, body: callJson(ctx, call, scope.apiVersion) };
}

export function listParticipants(
	ctx: SimulatorContext,
	scope: GraphCallScope,
	callId: string,
): GraphResult {
	if (!scope.claims.roles.some((r) => CALL_READ_ROLES.includes(r))) return forbidden();
	const call = ownedCall(ctx, scope.claims, callId);
	if (isGraphResult(call)) return call;
	return {
		status: 200,
		body: {
			'@odata.context': metadataUrl(
				ctx,
				scope.apiVersion,
				`communications/calls('${call.id}')/participants`,
			),
			value: call.participants.filter((p) => !p.hidden).map((p) => participantJson(p)),
		},
	};
}

/**
 * POST .../participants/invite. Order of checks: role (403 7504), call ownership (404 8522),
 * body (400). Only a fully valid request has side effects.
 */
export function inviteParticipants(
	ctx: SimulatorContext,
	scope: GraphCallScope,
	callId: string,
	body: string,
): GraphResult {
	if (!scope.claims.roles.includes(GRAPH_ROLES.inviteRole)) return forbidden();
	const call = ownedCall(ctx, scope.claims, callId);
	if (isGraphResult(call)) return call;
	const validation = validateInviteBody(body, scope.apiVersion);
	if (!validation.ok) return graphError(400, 'BadRequest', validation.message);

	const { processed, clientContext } = validation.invite;
	const operationId = newId();
	const at = Date.now();
	for (const target of processed) {
		const record: InvitationRecord = {
			callId: call.id,
			identityKind: target.kind,
			identityId: target.id,
			operationId,
			requestId: scope.ids.requestId,
			at,
			apiVersion: scope.apiVersion,
			participant: target.participant,
		};
		if (scope.batchStepId !== undefined) record.batchStepId = scope.batchStepId;
		ctx.registry.recordInvitation(call, record, target.identity);
	}
	const location = `${ctx.origin}/${scope.apiVersion}/communications/calls/${call.id}/operations/${operationId}`;
	return {
		status: 200,
		headers: { location },
		// participant-invite.md's answers write the status "Running".
		body: {
			'@odata.type': '#microsoft.graph.inviteParticipantsOperation',
			id: operationId,
			status: 'Running',
			clientContext,
			resultInfo: null,
			participants: processed.map((t) => invitedAsAnswered(t.participant)),
		},
	};
}

/**
 * An invited participant as participant-invite.md's answers write it: endpointType, id and
 * replacesCallId beside the identity, no `@odata.type`.
 */
function invitedAsAnswered(participant: JsonObject): JsonObject {
	return {
		endpointType: participant.endpointType ?? null,
		id: null,
		replacesCallId: participant.replacesCallId ?? null,
		identity: participant.identity ?? null,
	};
}
