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

const INSUFFICIENT_PERMISSIONS =
	'Insufficient enterprise tenant permissions, you cannot access this API.';

export function forbidden(): GraphResult {
	return graphError(403, '7504', INSUFFICIENT_PERMISSIONS);
}

export function callNotFound(): GraphResult {
	return graphError(
		404,
		'8522',
		'Call not found. The call does not exist, has ended, or belongs to another application.',
	);
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

export function participantJson(participant: RosterParticipant): JsonObject {
	const info: JsonObject = {
		'@odata.type': '#microsoft.graph.participantInfo',
		identity: { '@odata.type': '#microsoft.graph.identitySet', ...participant.identity },
		languageId: null,
		region: null,
	};
	if (participant.endpointType) info.endpointType = participant.endpointType;
	return {
		'@odata.type': '#microsoft.graph.participant',
		id: participant.id,
		info,
		isMuted: participant.muted === true,
		isInLobby: false,
		mediaStreams: [],
		metadata: null,
		recordingInfo: null,
	};
}

export function callJson(
	ctx: SimulatorContext,
	call: SimulatedCall,
	apiVersion: ApiVersion,
): JsonObject {
	return {
		'@odata.context': metadataUrl(ctx, apiVersion, 'communications/calls/$entity'),
		'@odata.type': '#microsoft.graph.call',
		id: call.id,
		state: call.state,
		direction: call.direction,
		callbackUri: call.callbackUri,
		callChainId: call.id,
		myParticipantId: call.myParticipantId,
		requestedModalities: ['audio'],
		activeModalities: ['audio'],
		mediaConfig: { '@odata.type': '#microsoft.graph.serviceHostedMediaConfig', preFetchMedia: [] },
		mediaState: { audio: 'active', video: 'inactive' },
		// The bot is always the first participant (registry.addCall).
		source: participantJson(call.participants[0]!).info ?? null,
		targets: [],
		tenantId: call.tenantId,
		subject: null,
		resultInfo: null,
		chatInfo: null,
		meetingInfo: null,
		routingPolicies: [],
		callRoutes: [],
		incomingContext: null,
		toneInfo: null,
		transcription: null,
		...(call.details ?? {}),
	};
}

/** GET a call: "Permissions are checked when the call is created" (call-get.md), none here. */
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
			value: call.participants.filter((p) => !p.hidden).map(participantJson),
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
		body: {
			'@odata.type': '#microsoft.graph.inviteParticipantsOperation',
			'@odata.context': metadataUrl(
				ctx,
				scope.apiVersion,
				'microsoft.graph.inviteParticipantsOperation',
			),
			id: operationId,
			status: 'running',
			clientContext,
			resultInfo: null,
			participants: processed.map((t) => t.participant),
		},
	};
}
