/**
 * The Call resource (create, hang up, keep alive) and the participant actions other than invite
 * (get, remove, mute). Calls created here belong to the token's app, so they are invitable like
 * seeded calls; a hung-up call answers 404 8522 from then on.
 *
 * Checks run in Graph's order as far as it is known: bot registration (403 7503), body (400),
 * permission (403 7504), call ownership (404 8522), then the resource's own rules.
 */
import type { AccessTokenClaims } from './accessTokens';
import {
	callJson,
	forbidden,
	inviteParticipants,
	isGraphResult,
	metadataUrl,
	ownedCall,
	participantJson,
	type GraphCallScope,
} from './callsApi';
import { GRAPH_ROLES, MAX_CLIENT_CONTEXT_LENGTH } from './constants';
import type { SimulatorContext } from './context';
import { validateCreateCallBody, type CreatedCallKind } from './createCallValidation';
import { graphError, methodNotAllowedError, type GraphResult } from './graphErrors';
import { newId } from './ids';
import { isJsonObject, parseJson, type JsonObject } from './json';
import { UNREADABLE_JSON_MESSAGE } from './inviteValidation';
import type { SimulatedCall } from './types';

/** Roles that allow each kind of call to be created (Graph's "Create call" examples). */
const CREATE_ROLES: Record<CreatedCallKind, string[]> = {
	peerToPeer: [GRAPH_ROLES.initiateRole],
	pstn: [GRAPH_ROLES.initiateRole],
	group: [GRAPH_ROLES.inviteRole],
	meeting: [GRAPH_ROLES.joinGroupCallRole, GRAPH_ROLES.joinGroupCallAsGuestRole],
};
/** participant get/delete/mute: Calls.JoinGroupCall.All or Calls.JoinGroupCallAsGuest.All. */
const PARTICIPANT_ROLES = [GRAPH_ROLES.joinGroupCallRole, GRAPH_ROLES.joinGroupCallAsGuestRole];

const hasAny = (claims: AccessTokenClaims, roles: readonly string[]): boolean =>
	claims.roles.some((role) => roles.includes(role));
const sameId = (a: string, b: string): boolean => a.toLowerCase() === b.toLowerCase();

function groupOnly(call: SimulatedCall, what: string): GraphResult | undefined {
	return call.kind === 'peerToPeer' || call.kind === 'pstn'
		? graphError(
				400,
				'BadRequest',
				`${what} is supported only for group calls and meetings, not for peer-to-peer calls.`,
			)
		: undefined;
}

/** POST /communications/calls */
export function createCall(
	ctx: SimulatorContext,
	scope: GraphCallScope,
	text: string,
): GraphResult {
	const app = ctx.registry.findApp(scope.claims.tid, scope.claims.appid);
	// As Graph answers it (microsoft-graph-docs#10845, 2020-11-26; comms-samples#432): 403, the
	// generic code UnknownError, and the calling platform's own code inside the message.
	if (app?.callingBot === false)
		return graphError(
			403,
			'UnknownError',
			JSON.stringify({
				errorCode: '7503',
				message: 'Application is not registered in our store.',
				instanceAnnotations: [],
			}),
		);
	const validation = validateCreateCallBody(text);
	if (!validation.ok) return graphError(400, 'BadRequest', validation.message);
	const valid = validation.call;
	if (!hasAny(scope.claims, CREATE_ROLES[valid.kind])) return forbidden();
	if (valid.appHostedMedia && !scope.claims.roles.includes(GRAPH_ROLES.accessMediaRole))
		return forbidden();
	if (valid.kind === 'pstn') {
		const account = app?.resourceAccounts?.find((a) =>
			sameId(a.id, valid.applicationInstanceId ?? ''),
		);
		if (!account) {
			return graphError(
				403,
				'10151',
				`The application instance '${valid.applicationInstanceId ?? ''}' is not associated with this application, or has no phone number for dial-out.`,
			);
		}
		if (!account.phoneNumber)
			return graphError(
				403,
				'10151',
				`The application instance '${account.id}' has no phone number assigned for dial-out.`,
			);
	}

	const call = ctx.registry.addCall({
		id: newId(),
		ownerClientId: scope.claims.appid,
		tenantId: scope.claims.tid,
		state: 'established',
	});
	call.kind = valid.kind;
	call.callbackUri = valid.callbackUri;
	const details: JsonObject = {};
	for (const key of [
		'subject',
		'targets',
		'requestedModalities',
		'mediaConfig',
		'chatInfo',
		'meetingInfo',
		'tenantId',
		'source',
		'direction',
	]) {
		const value = valid.body[key];
		if (value !== undefined) details[key] = value;
	}
	call.details = details;
	const at = Date.now();
	for (const target of valid.targets) {
		call.participants.push({
			id: newId(),
			identityKey: target.identityKey,
			identity: target.identity,
			hidden: false,
			joinedAt: at,
		});
	}
	const location = `${ctx.origin}/${scope.apiVersion}/communications/calls/${call.id}`;
	// Graph answers while the call is still being set up; the simulator then has it established at once.
	return {
		status: 201,
		headers: { location },
		body: { ...callJson(ctx, call, scope.apiVersion), state: 'establishing' },
	};
}

/**
 * DELETE /communications/calls/{id}: 204; the call is gone for every later request. No role is
 * checked: "Permissions are checked when the call is created" (call-delete.md).
 */
export function hangUpCall(
	ctx: SimulatorContext,
	scope: GraphCallScope,
	callId: string,
): GraphResult {
	const call = ownedCall(ctx, scope.claims, callId);
	if (isGraphResult(call)) return call;
	call.state = 'terminated';
	return { status: 204 };
}

/** POST /communications/calls/{id}/keepAlive: 200 without a body; no role checked (call-keepalive.md). */
export function keepAlive(
	ctx: SimulatorContext,
	scope: GraphCallScope,
	callId: string,
): GraphResult {
	const call = ownedCall(ctx, scope.claims, callId);
	if (isGraphResult(call)) return call;
	call.keptAliveAt = Date.now();
	return { status: 200 };
}

function participantOf(
	call: SimulatedCall,
	participantId: string,
): SimulatedCall['participants'][number] | GraphResult {
	const participant = call.participants.find((p) => sameId(p.id, participantId));
	return (
		participant ??
		graphError(
			404,
			'NotFound',
			`Participant '${participantId}' was not found in call '${call.id}'.`,
		)
	);
}

/** GET /communications/calls/{id}/participants/{pid} */
export function getParticipant(
	ctx: SimulatorContext,
	scope: GraphCallScope,
	callId: string,
	participantId: string,
): GraphResult {
	if (!hasAny(scope.claims, PARTICIPANT_ROLES)) return forbidden();
	const call = ownedCall(ctx, scope.claims, callId);
	if (isGraphResult(call)) return call;
	const refused = groupOnly(call, 'Getting a participant');
	if (refused) return refused;
	const participant = participantOf(call, participantId);
	if ('status' in participant) return participant;
	return {
		status: 200,
		body: {
			'@odata.context': metadataUrl(
				ctx,
				scope.apiVersion,
				`communications/calls('${call.id}')/participants/$entity`,
			),
			...participantJson(participant),
		},
	};
}

/** DELETE /communications/calls/{id}/participants/{pid}: 204. */
export function removeParticipant(
	ctx: SimulatorContext,
	scope: GraphCallScope,
	callId: string,
	participantId: string,
): GraphResult {
	if (!hasAny(scope.claims, PARTICIPANT_ROLES)) return forbidden();
	const call = ownedCall(ctx, scope.claims, callId);
	if (isGraphResult(call)) return call;
	const app = ctx.registry.findApp(scope.claims.tid, scope.claims.appid);
	if (app?.allowRemoveParticipant === false) {
		return graphError(
			403,
			'Forbidden',
			'The application is not allowed to remove participants in this tenant (application meeting configuration, AllowRemoveParticipantAppIds).',
		);
	}
	const participant = participantOf(call, participantId);
	if ('status' in participant) return participant;
	if (participant.id === call.myParticipantId) {
		return graphError(
			400,
			'BadRequest',
			'The application cannot remove its own participant. Delete the call to leave it.',
		);
	}
	call.participants.splice(call.participants.indexOf(participant), 1);
	return { status: 204 };
}

/** POST /communications/calls/{id}/participants/{pid}/mute: 200 muteParticipantOperation. */
export function muteParticipant(
	ctx: SimulatorContext,
	scope: GraphCallScope,
	callId: string,
	participantId: string,
	text: string,
): GraphResult {
	if (!hasAny(scope.claims, PARTICIPANT_ROLES)) return forbidden();
	const call = ownedCall(ctx, scope.claims, callId);
	if (isGraphResult(call)) return call;
	let clientContext: string | null = null;
	if (text.trim() !== '') {
		const parsed = parseJson(text);
		if (!parsed.ok) return graphError(400, 'BadRequest', UNREADABLE_JSON_MESSAGE);
		if (!isJsonObject(parsed.value))
			return graphError(400, 'BadRequest', 'The request body must be a JSON object.');
		const value = parsed.value.clientContext;
		if (value !== undefined && value !== null && typeof value !== 'string')
			return graphError(400, 'BadRequest', 'clientContext must be a string.');
		if (typeof value === 'string' && value.length > MAX_CLIENT_CONTEXT_LENGTH) {
			return graphError(
				400,
				'BadRequest',
				`clientContext cannot be longer than ${MAX_CLIENT_CONTEXT_LENGTH} characters.`,
			);
		}
		clientContext = typeof value === 'string' ? value : null;
	}
	const refused = groupOnly(call, 'Muting a participant');
	if (refused) return refused;
	const participant = participantOf(call, participantId);
	if ('status' in participant) return participant;
	participant.muted = true;
	return {
		status: 200,
		headers: {
			location: `${ctx.origin}/${scope.apiVersion}/communications/calls/${call.id}/operations/${newId()}`,
		},
		// participant-mute.md's answer.
		body: {
			'@odata.type': '#microsoft.graph.muteParticipantOperation',
			'@odata.context': metadataUrl(ctx, scope.apiVersion, 'muteParticipantOperation'),
			id: newId(),
			status: 'completed',
			clientContext,
		},
	};
}

function methodNotAllowed(allowed: string): GraphResult {
	return methodNotAllowedError({ allow: allowed });
}

const is = (segment: string | undefined, ...names: string[]): boolean =>
	segment !== undefined && names.includes(segment.toLowerCase());

/**
 * The routes this module adds, tried before graphRouter's own; undefined hands the request on.
 * Also turns a peer-to-peer call into a group call once someone is invited into it, as Teams does.
 */
export function routeCallLifecycle(
	ctx: SimulatorContext,
	scope: GraphCallScope,
	method: string,
	segments: string[],
	body: string,
): GraphResult | undefined {
	const [root, collection, callId, sub, participantId, action, ...rest] = segments;
	if (!is(root, 'communications') || !is(collection, 'calls') || rest.length > 0) return undefined;
	if (callId === undefined)
		return method === 'POST' ? createCall(ctx, scope, body) : methodNotAllowed('POST');
	if (sub === undefined) return method === 'DELETE' ? hangUpCall(ctx, scope, callId) : undefined;
	if (is(sub, 'keepalive', 'microsoft.graph.keepalive') && participantId === undefined) {
		return method === 'POST' ? keepAlive(ctx, scope, callId) : methodNotAllowed('POST');
	}
	if (!is(sub, 'participants')) return undefined;
	if (participantId === undefined) {
		if (method !== 'GET') return undefined;
		const call = ownedCall(ctx, scope.claims, callId);
		return isGraphResult(call) ? undefined : groupOnly(call, 'Listing participants');
	}
	if (is(participantId, 'invite', 'microsoft.graph.invite') && action === undefined) {
		if (method !== 'POST') return undefined;
		const result = inviteParticipants(ctx, scope, callId, body);
		const call = ctx.registry.getCall(callId);
		if (result.status === 200 && (call?.kind === 'peerToPeer' || call?.kind === 'pstn'))
			call.kind = 'group';
		return result;
	}
	if (is(participantId, 'muteall')) return undefined;
	if (action === undefined) {
		if (method === 'GET') return getParticipant(ctx, scope, callId, participantId);
		if (method === 'DELETE') return removeParticipant(ctx, scope, callId, participantId);
		return methodNotAllowed('GET, DELETE');
	}
	if (is(action, 'mute', 'microsoft.graph.mute')) {
		return method === 'POST'
			? muteParticipant(ctx, scope, callId, participantId, body)
			: methodNotAllowed('POST');
	}
	return undefined;
}
