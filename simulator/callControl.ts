/**
 * Incoming-call control: answer, reject, redirect and transfer, with the rules Graph's
 * reference pages state (call-answer.md, call-reject.md, call-redirect.md, call-transfer.md):
 * - answer, reject and redirect only act on a call in state `incoming` that nobody acted on yet;
 *   an answered call must be ended with DELETE (reject "does not end existing calls").
 * - transfer only acts on an `established` call; out of a group call it needs the transferee.
 * - a call that reached the bot by its UPN cannot be redirected or transferred to a phone number
 *   (only calls to the bot's resource account / PSTN number can).
 * - each answers 202 without a body; what follows arrives as notifications on the callback URL.
 * Check order as elsewhere: body (400), permission (403 7504), ownership (404 8522), state (400).
 */
import type { AccessTokenClaims } from './accessTokens';
import { forbidden, isGraphResult, ownedCall, type GraphCallScope } from './callsApi';
import { GRAPH_ROLES, MAX_CLIENT_CONTEXT_LENGTH } from './constants';
import type { SimulatorContext } from './context';
import { graphError, methodNotAllowedError, type GraphResult } from './graphErrors';
import { isJsonObject, parseJson, type JsonObject, type JsonValue } from './json';
import { callStateNotification, type CallStateFacts } from './notificationStyles';
import type { SimulatedCall } from './types';

const ANSWER_MODALITIES = ['audio', 'video', 'videobasedscreensharing'];
const ANSWER_GROUP_ROLES = [GRAPH_ROLES.joinGroupCallRole, GRAPH_ROLES.joinGroupCallAsGuestRole];
const REJECT_REASONS = ['none', 'busy', 'forbidden'];
const MAX_REDIRECT_TARGETS = 25;
const IDENTITY_KINDS = [
	'user',
	'application',
	'applicationInstance',
	'phone',
	'guest',
	'device',
	'azureCommunicationServicesUser',
];

const RESULT_TRANSFERRED: JsonObject = {
	'@odata.type': '#microsoft.graph.resultInfo',
	code: 0,
	subcode: 7015,
	message: 'GracefulTransferCompleted',
};

/** Where an incoming call came from, set when the simulator places it (incomingCalls.ts). */
export interface IncomingCallFacts {
	/** The call came to the bot's UPN: no phone-number targets for redirect or transfer. */
	toUpn: boolean;
	/** Whether answer, reject or redirect already acted on it. */
	handled?: boolean;
}

const incomingFacts = new WeakMap<SimulatedCall, IncomingCallFacts>();

export function markIncoming(call: SimulatedCall, facts: IncomingCallFacts): void {
	incomingFacts.set(call, facts);
}

const hasAny = (claims: AccessTokenClaims, roles: readonly string[]): boolean =>
	claims.roles.some((role) => roles.includes(role));

const badRequest = (message: string): GraphResult => graphError(400, 'BadRequest', message);

type Parsed = { ok: true; body: JsonObject } | { ok: false; result: GraphResult };

function parseBody(text: string): Parsed {
	const parsed = parseJson(text === '' ? '{}' : text);
	if (!parsed.ok) return { ok: false, result: badRequest('The request body is not valid JSON.') };
	if (!isJsonObject(parsed.value))
		return { ok: false, result: badRequest('The request body must be a JSON object.') };
	return { ok: true, body: parsed.value };
}

function checkCallbackUri(value: JsonValue | undefined): string | undefined {
	if (value === undefined || value === null) return undefined;
	if (typeof value !== 'string' || !/^https:\/\//i.test(value))
		return 'callbackUri must be an https URL.';
	return undefined;
}

function checkClientContext(value: JsonValue | undefined): string | undefined {
	if (value === undefined || value === null) return undefined;
	if (typeof value !== 'string' || value.length > MAX_CLIENT_CONTEXT_LENGTH)
		return `clientContext must be a string of at most ${MAX_CLIENT_CONTEXT_LENGTH} characters.`;
	return undefined;
}

/** The identity kind of an invitationParticipantInfo, or a message saying what is wrong. */
function targetKind(value: JsonValue | undefined, label: string): string | { error: string } {
	if (!isJsonObject(value) || !isJsonObject(value.identity))
		return { error: `${label} must have an identity.` };
	const kinds = Object.keys(value.identity).filter((key) => IDENTITY_KINDS.includes(key));
	const kind = kinds[0];
	if (kind === undefined) return { error: `${label}.identity names no identity.` };
	const identity = value.identity[kind];
	if (!isJsonObject(identity) || typeof identity.id !== 'string' || identity.id === '')
		return { error: `${label}.identity.${kind}.id is required.` };
	return kind;
}

/** The call if the app owns it and its state allows the action, else Graph's answer. */
function callFor(
	ctx: SimulatorContext,
	scope: GraphCallScope,
	callId: string,
): SimulatedCall | GraphResult {
	return ownedCall(ctx, scope.claims, callId);
}

function refuseUnlessIncoming(call: SimulatedCall, verb: string): GraphResult | undefined {
	const facts = incomingFacts.get(call);
	if (call.state !== 'incoming' || facts === undefined || facts.handled) {
		return badRequest(
			`Call ${call.id} cannot be ${verb}: only an incoming call that was not answered, rejected or redirected yet can be (state: ${call.state}).`,
		);
	}
	return undefined;
}

/** call-reject.md example 2, "Notification - deleted": the call, without a state. */
function rejectedNotification(call: SimulatedCall): JsonObject {
	const resourceUrl = `/communications/calls/${call.id}`;
	return {
		'@odata.type': '#microsoft.graph.commsNotification',
		changeType: 'deleted',
		resourceUrl,
		resourceData: { '@odata.type': '#microsoft.graph.call', '@odata.id': resourceUrl },
	};
}

/** call-redirect.md example 1, "Notification - terminated": the call as it came, no resultInfo. */
function redirectedNotification(call: SimulatedCall): JsonObject {
	return {
		'@odata.type': '#microsoft.graph.commsNotification',
		changeType: 'deleted',
		resourceUrl: `/communications/calls/${call.id}`,
		resourceData: {
			'@odata.type': '#microsoft.graph.call',
			state: 'terminated',
			direction: call.direction,
			callbackUri: call.callbackUri,
			...(isJsonObject(call.details?.source) ? { source: call.details.source } : {}),
			myParticipantId: call.myParticipantId,
			id: call.id,
		},
	};
}

/** Redirect targets in words for the softphone ("voicemail of user …", "+1425…"). */
function targetWords(targets: JsonValue[]): string {
	return targets
		.map((target) => {
			const t = target as JsonObject;
			const identity = t.identity as JsonObject;
			const [kind, value] =
				Object.entries(identity).find(([key]) => IDENTITY_KINDS.includes(key)) ?? [];
			const who = value as JsonObject | undefined;
			const name = typeof who?.displayName === 'string' ? who.displayName : String(who?.id ?? '');
			return t.endpointType === 'voicemail'
				? `voicemail of ${name}`
				: `${kind ?? 'someone'} ${name}`;
		})
		.join(', ');
}

function callNotification(
	ctx: SimulatorContext,
	call: SimulatedCall,
	facts: CallStateFacts = {},
): JsonObject {
	return callStateNotification(ctx.variants, call, facts);
}

function notify(ctx: SimulatorContext, call: SimulatedCall, notifications: JsonObject[]): void {
	ctx.callbacks?.notify(call, notifications);
}

/** POST …/answer */
function answerCall(ctx: SimulatorContext, scope: GraphCallScope, callId: string, text: string) {
	const parsed = parseBody(text);
	if (!parsed.ok) return parsed.result;
	const body = parsed.body;
	const modalities = body.acceptedModalities;
	if (!Array.isArray(modalities) || modalities.length === 0)
		return badRequest('acceptedModalities is required and must not be empty.');
	if (modalities.some((m) => typeof m !== 'string' || !ANSWER_MODALITIES.includes(m.toLowerCase())))
		return badRequest('acceptedModalities accepts audio, video and videoBasedScreenSharing.');
	const media = body.mediaConfig;
	const mediaType = isJsonObject(media) ? media['@odata.type'] : undefined;
	if (
		mediaType !== '#microsoft.graph.serviceHostedMediaConfig' &&
		mediaType !== '#microsoft.graph.appHostedMediaConfig'
	)
		return badRequest('mediaConfig is required: serviceHostedMediaConfig or appHostedMediaConfig.');
	const callbackProblem = checkCallbackUri(body.callbackUri);
	if (callbackProblem) return badRequest(callbackProblem);
	const capacity = body.participantCapacity;
	if (
		capacity !== undefined &&
		capacity !== null &&
		(typeof capacity !== 'number' || !Number.isInteger(capacity) || capacity < 1)
	)
		return badRequest('participantCapacity must be a positive whole number.');
	const call = callFor(ctx, scope, callId);
	if (isGraphResult(call)) return call;
	// call-answer.md: Calls.JoinGroupCall.All or Calls.JoinGroupCallAsGuest.All; "the bot doesn't
	// need any additional permissions in order to respond to the P2P call" (cloud-communications-calls).
	if (call.kind !== 'peerToPeer' && !hasAny(scope.claims, ANSWER_GROUP_ROLES)) return forbidden();
	if (
		mediaType === '#microsoft.graph.appHostedMediaConfig' &&
		!scope.claims.roles.includes(GRAPH_ROLES.accessMediaRole)
	)
		return forbidden();
	const refused = refuseUnlessIncoming(call, 'answered');
	if (refused) return refused;
	const facts = incomingFacts.get(call);
	if (facts) facts.handled = true;
	if (typeof body.callbackUri === 'string') call.callbackUri = body.callbackUri;
	call.details = { ...call.details, mediaConfig: media ?? null, activeModalities: modalities };
	if (isJsonObject(media)) ctx.media?.prefetch(media.preFetchMedia);
	call.state = 'establishing';
	notify(ctx, call, [callNotification(ctx, call)]);
	call.state = 'established';
	ctx.phones?.answeredByBot(call);
	notify(ctx, call, [callNotification(ctx, call)]);
	return { status: 202 };
}

/** POST …/reject */
function rejectCall(ctx: SimulatorContext, scope: GraphCallScope, callId: string, text: string) {
	const parsed = parseBody(text);
	if (!parsed.ok) return parsed.result;
	const { reason, callbackUri } = parsed.body;
	if (
		reason !== undefined &&
		reason !== null &&
		(typeof reason !== 'string' || !REJECT_REASONS.includes(reason.toLowerCase()))
	)
		return badRequest(`reason must be one of ${REJECT_REASONS.join(', ')}.`);
	const callbackProblem = checkCallbackUri(callbackUri);
	if (callbackProblem) return badRequest(callbackProblem);
	// call-reject.md names no permission: owning the call is enough.
	const call = callFor(ctx, scope, callId);
	if (isGraphResult(call)) return call;
	const refused = refuseUnlessIncoming(call, 'rejected');
	if (refused) return refused;
	const facts = incomingFacts.get(call);
	if (facts) facts.handled = true;
	if (typeof callbackUri === 'string') call.callbackUri = callbackUri;
	call.state = 'terminated';
	ctx.phones?.callEnded(call, 'rejected by the bot');
	notify(ctx, call, [rejectedNotification(call)]);
	return { status: 202 };
}

/** POST …/redirect */
function redirectCall(ctx: SimulatorContext, scope: GraphCallScope, callId: string, text: string) {
	const parsed = parseBody(text);
	if (!parsed.ok) return parsed.result;
	const { targets, timeout, callbackUri } = parsed.body;
	if (!Array.isArray(targets) || targets.length === 0)
		return badRequest('targets is required and must not be empty.');
	if (targets.length > MAX_REDIRECT_TARGETS)
		return badRequest(`At most ${MAX_REDIRECT_TARGETS} targets are supported.`);
	const kinds: string[] = [];
	for (const [index, target] of targets.entries()) {
		const kind = targetKind(target, `targets[${index}]`);
		if (typeof kind !== 'string') return badRequest(kind.error);
		kinds.push(kind);
	}
	if (
		timeout !== undefined &&
		timeout !== null &&
		(typeof timeout !== 'number' || !Number.isInteger(timeout) || timeout < 15 || timeout > 90)
	)
		return badRequest('timeout must be between 15 and 90 seconds.');
	const callbackProblem = checkCallbackUri(callbackUri);
	if (callbackProblem) return badRequest(callbackProblem);
	if (!scope.claims.roles.includes(GRAPH_ROLES.initiateRole)) return forbidden();
	const call = callFor(ctx, scope, callId);
	if (isGraphResult(call)) return call;
	const refused = refuseUnlessIncoming(call, 'redirected');
	if (refused) return refused;
	const facts = incomingFacts.get(call);
	if (kinds.includes('phone') && facts?.toUpn)
		return badRequest(
			"A call to the bot's UPN cannot be redirected to a phone number; only calls to its resource account can.",
		);
	if (facts) facts.handled = true;
	if (typeof callbackUri === 'string') call.callbackUri = callbackUri;
	call.state = 'terminated';
	ctx.phones?.callEnded(call, `redirected by the bot (${targetWords(targets)})`);
	notify(ctx, call, [redirectedNotification(call)]);
	return { status: 202 };
}

/** POST …/transfer */
function transferCall(ctx: SimulatorContext, scope: GraphCallScope, callId: string, text: string) {
	const parsed = parseBody(text);
	if (!parsed.ok) return parsed.result;
	const { transferTarget, transferee, clientContext } = parsed.body;
	const kind = targetKind(transferTarget, 'transferTarget');
	if (typeof kind !== 'string') return badRequest(kind.error);
	if (kind !== 'user' && kind !== 'phone')
		return badRequest(
			'Transfer is supported only to Microsoft Teams users of the same tenant, or to a phone number from an application instance.',
		);
	if (transferee !== undefined && transferee !== null) {
		const transfereeKind = targetKind(transferee, 'transferee');
		if (typeof transfereeKind !== 'string') return badRequest(transfereeKind.error);
	}
	const contextProblem = checkClientContext(clientContext);
	if (contextProblem) return badRequest(contextProblem);
	if (!scope.claims.roles.includes(GRAPH_ROLES.initiateRole)) return forbidden();
	const call = callFor(ctx, scope, callId);
	if (isGraphResult(call)) return call;
	if (call.state !== 'established')
		return badRequest(
			`Call ${call.id} cannot be transferred: only an established call can be (state: ${call.state}).`,
		);
	const group = call.kind === undefined || call.kind === 'group' || call.kind === 'meeting';
	if (group && (transferee === undefined || transferee === null))
		return badRequest('transferee is required when transferring from a group call.');
	const facts = incomingFacts.get(call);
	if (kind === 'phone' && (facts ? facts.toUpn : call.kind !== 'pstn'))
		return badRequest(
			'Transfer to a phone number is supported only for calls of an application instance.',
		);
	const target = transferTarget as JsonObject;
	const replaces = typeof target.replacesCallId === 'string' ? target.replacesCallId : undefined;
	if (replaces !== undefined) {
		const replaced = ownedCall(ctx, scope.claims, replaces);
		if (isGraphResult(replaced))
			return badRequest(
				`replacesCallId ${replaces} names no call of this application that is still alive.`,
			);
	}
	call.state = 'transferring';
	notify(ctx, call, [callNotification(ctx, call)]);
	call.state = 'transferAccepted';
	notify(ctx, call, [callNotification(ctx, call)]);
	// Before the call ends: the caller's side says where it went, the target's phone rings.
	const identity = (target.identity as JsonObject)[kind] as JsonObject;
	ctx.phones?.transferred(
		call,
		`${kind}:${String(identity.id)}`,
		typeof identity.displayName === 'string' ? identity.displayName : undefined,
	);
	call.state = 'terminated';
	notify(ctx, call, [
		callNotification(
			ctx,
			call,
			replaces !== undefined
				? { terminationReason: 'AppTransferred' }
				: { resultInfo: RESULT_TRANSFERRED },
		),
	]);
	if (replaces !== undefined) {
		const replaced = ctx.registry.getCall(replaces);
		if (replaced) {
			replaced.state = 'terminated';
			notify(ctx, replaced, [
				callNotification(ctx, replaced, { terminationReason: 'AppTransferred' }),
			]);
		}
	}
	return { status: 202 };
}

const ACTIONS: Record<
	string,
	(ctx: SimulatorContext, scope: GraphCallScope, callId: string, text: string) => GraphResult
> = {
	answer: answerCall,
	reject: rejectCall,
	redirect: redirectCall,
	transfer: transferCall,
};

/** POST /communications/calls/{id}/{answer|reject|redirect|transfer}; undefined for other paths. */
export function routeCallControl(
	ctx: SimulatorContext,
	scope: GraphCallScope,
	method: string,
	segments: string[],
	body: string,
): GraphResult | undefined {
	const [root, collection, callId, action, ...rest] = segments;
	if (
		root?.toLowerCase() !== 'communications' ||
		collection?.toLowerCase() !== 'calls' ||
		callId === undefined ||
		action === undefined ||
		rest.length > 0
	)
		return undefined;
	const name = action.toLowerCase().replace(/^microsoft\.graph\./, '');
	const handler = ACTIONS[name];
	if (!handler) return undefined;
	if (method !== 'POST') return methodNotAllowedError({ allow: 'POST' });
	return handler(ctx, scope, callId, body);
}
