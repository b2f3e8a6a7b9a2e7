/**
 * Call notifications: what Graph POSTs to a call's callback URL, signed like Graph's
 * calling platform signs them, and the call behaviour that produces them.
 *
 * - Signing: an RS256 key of its own (not the access-token key), published through an OpenID
 *   configuration at `/v1/.well-known/OpenIdConfiguration` (the path of
 *   api.aps.skype.com's) whose `jwks_uri` is `/v1/.well-known/keys`. Claims: iss
 *   https://api.botframework.com, aud = the call's app (client ID), tid = the call's tenant.
 * - Delivery: only to callback URLs on 127.0.0.1 (https, trusting the simulator's CA, or http);
 *   any other host is recorded as skipped, never contacted. Per call, in order.
 * - Behaviour (knobs, defaults keep the old behaviour: everyone at once):
 *   `answerDelayMs` before an invitee or target joins; `neverAnswer` identity keys never join
 *   (the invite fails after `noAnswerTimeoutMs`; a peer-to-peer/PSTN call terminates then);
 *   `establishDelayMs` a created group/meeting call stays `establishing`; `manualPhones` hands
 *   the answering to the softphone (phones.ts): each target rings until answered or declined
 *   there, and a person who hangs up ends a one-to-one call with call-delete's documented code.
 * - Notifications: call state (establishing, established, terminated with resultInfo), roster
 *   updates, operation results with success or failure resultInfo. When several people are
 *   invited at once, the operation's `id` is null and only the resource URL names it.
 */
import { createHash, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';

import { callJson, participantJson, type GraphCallScope } from './callsApi';
import type { SimulatorContext } from './context';
import type { DocumentedVariants } from './documentedVariants';
import type { GraphResult } from './graphErrors';
import { isJsonObject, type JsonObject } from './json';
import { nowSeconds, signJwt, type JwtAlgorithm } from './jwt';
import { callStateNotification, rosterNotification } from './notificationStyles';
import type { PhoneCenter } from './phones';
import { jsonResponse, type SimResponse } from './responses';
import type { RosterParticipant, SimulatedCall } from './types';

export const NOTIFICATION_ISSUER = 'https://api.botframework.com';
export const OPENID_CONFIGURATION_PATH = '/v1/.well-known/OpenIdConfiguration';
export const JWKS_PATH = '/v1/.well-known/keys';

export interface CallingKnobs {
	/** Before an invitee / a created call's target joins. 0 (default): at once. */
	answerDelayMs: number;
	/** Identity keys (`user:<id>`, `phone:+1…`) that never answer. */
	neverAnswer: string[];
	/**
	 * Identity keys that decline a peer-to-peer or phone call this app places: after answerDelayMs
	 * the call ends with `declineWith`.
	 */
	decline: string[];
	/**
	 * The resultInfo a declined call ends with. Default: SIP's 603 Decline, which is not Graph's:
	 * Graph documents no code for a person declining (call-delete's list of end codes), so the
	 * default exercises a client's reading of an undocumented code. A documented one instead, e.g.
	 * `{ code: 480, subcode: 10199, message: 'Call rejected as private calling is disabled for the user.' }`.
	 */
	declineWith: JsonObject;
	/** After this, an unanswered invite fails and an unanswered peer-to-peer call terminates. */
	noAnswerTimeoutMs: number;
	/** A created call stays `establishing` this long (peer-to-peer: until the target answers). 0: at once. */
	establishDelayMs: number;
	/**
	 * Invented (Graph documents no retry policy for callbacks): a delivery answered 503 with
	 * Retry-After is sent again after that many seconds, at most this many times. 0: never.
	 */
	deliveryRetries: number;
	/** Caps the Retry-After wait honoured before a retry (tests keep it short). */
	maxRetryAfterMs: number;
	/** The signing keys' endpoints (OpenID configuration and JWKS) answer 503: a key outage. */
	keysUnavailable: boolean;
	/**
	 * The softphone's mode (phones.ts): everyone the bot calls or invites rings until answered or
	 * declined there, or until noAnswerTimeoutMs; answerDelayMs, neverAnswer and decline are then
	 * not used. Default false.
	 */
	manualPhones: boolean;
}

export interface NotificationDelivery {
	url: string;
	callId: string;
	/** The commsNotifications envelope as sent. */
	body: JsonObject;
	token: string;
	at: number;
	/** Not on 127.0.0.1: never sent. */
	skipped?: boolean;
	status?: number;
	error?: string;
	/** Every answer's status, retries included (status is the last one's). */
	attempts?: number[];
}

export interface TokenOptions {
	/** Claims replacing or adding to the defaults; a value of undefined removes the claim. */
	claims?: Record<string, unknown>;
	header?: JsonObject;
	alg?: JwtAlgorithm;
	/** Sign with this key instead of the published one (a forgery). */
	privateKey?: KeyObject;
}

function defaultKnobs(): CallingKnobs {
	return {
		answerDelayMs: 0,
		neverAnswer: [],
		decline: [],
		declineWith: DECLINED,
		noAnswerTimeoutMs: 30_000,
		establishDelayMs: 0,
		deliveryRetries: 3,
		maxRetryAfterMs: 60_000,
		keysUnavailable: false,
		manualPhones: false,
	};
}

const sameId = (a: string, b: string): boolean => a.toLowerCase() === b.toLowerCase();
const is = (segment: string | undefined, ...names: string[]): boolean =>
	segment !== undefined && names.includes(segment.toLowerCase());

/** call-delete's "Call end reason codes": nobody picked up. */
const NOT_ANSWERED: JsonObject = {
	'@odata.type': '#microsoft.graph.resultInfo',
	code: 408,
	subcode: 10057,
	message: 'Call timed out due to no signaling from callee endpoints.',
};
/** Invented: SIP's 603 Decline; Graph documents no code for a person declining a call. */
const DECLINED: JsonObject = {
	'@odata.type': '#microsoft.graph.resultInfo',
	code: 603,
	subcode: 0,
	message: 'The call was declined.',
};
/** call-delete's "Call end reason codes": a Teams user hung up a peer-to-peer call. */
const ENDED_BY_PEER: JsonObject = {
	'@odata.type': '#microsoft.graph.resultInfo',
	code: 200,
	subcode: 4521,
	message: 'Call ended by the other participant in peer-to-peer call.',
};
/** call-delete's "Call end reason codes": the person on the phone hung up (540000/560000). */
const ENDED_BY_PSTN_USER: JsonObject = {
	'@odata.type': '#microsoft.graph.resultInfo',
	code: 200,
	subcode: 540000,
	message: 'Call ended by the PSTN User.',
};
/** call-delete's own example of the notification after DELETE. */
const HUNG_UP: JsonObject = {
	'@odata.type': '#microsoft.graph.resultInfo',
	code: 200,
	subcode: 5001,
	message: 'The conversation has ended.',
};

export class CallbackCenter {
	readonly knobs: CallingKnobs = defaultKnobs();
	/** Every notification POST attempted or skipped, in order (live array). */
	readonly deliveries: NotificationDelivery[] = [];
	readonly openIdConfigurationUrl: string;
	readonly jwksUrl: string;
	/** The people's phones (phones.ts), told who rings, joins and hangs up; set by the simulator. */
	phones?: PhoneCenter;
	private privateKey: KeyObject;
	private publicKey: KeyObject;
	kid: string;
	private readonly timers = new Set<ReturnType<typeof setTimeout>>();
	private readonly chains = new Map<string, Promise<void>>();
	private closed = false;

	constructor(
		private readonly origin: string,
		private readonly caCertPem: string,
		/** Chooses among the documented styles of each notification (notificationStyles.ts). */
		readonly variants: DocumentedVariants,
	) {
		({
			privateKey: this.privateKey,
			publicKey: this.publicKey,
			kid: this.kid,
		} = CallbackCenter.newSigningKey());
		this.openIdConfigurationUrl = `${origin}${OPENID_CONFIGURATION_PATH}`;
		this.jwksUrl = `${origin}${JWKS_PATH}`;
	}

	// ---- keys and tokens ------------------------------------------------------------------

	private static newSigningKey(): { privateKey: KeyObject; publicKey: KeyObject; kid: string } {
		const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
		const kid = createHash('sha256')
			.update(publicKey.export({ type: 'spki', format: 'der' }))
			.digest('base64url')
			.slice(0, 27);
		return { privateKey, publicKey, kid };
	}

	/**
	 * A key rotation: tokens are signed with a new key (a new kid), and the JWKS publishes only
	 * it. A receiver that cached the old key must fetch the keys again to check a new token.
	 */
	rotateSigningKey(): void {
		({
			privateKey: this.privateKey,
			publicKey: this.publicKey,
			kid: this.kid,
		} = CallbackCenter.newSigningKey());
	}

	jwks(): JsonObject {
		const jwk = this.publicKey.export({ format: 'jwk' });
		return {
			keys: [
				{
					kty: 'RSA',
					use: 'sig',
					kid: this.kid,
					n: jwk.n ?? '',
					e: jwk.e ?? '',
					endorsements: ['msteams'],
				},
			],
		};
	}

	/** Serves the OpenID configuration and the JWKS; undefined for any other path. */
	route(method: string, pathname: string): SimResponse | undefined {
		const path = pathname.toLowerCase();
		if (path !== OPENID_CONFIGURATION_PATH.toLowerCase() && path !== JWKS_PATH.toLowerCase())
			return undefined;
		if (method !== 'GET')
			return jsonResponse(405, { error: 'Only GET is supported.' }, { allow: 'GET' });
		if (this.knobs.keysUnavailable)
			return jsonResponse(503, { error: 'The keys are unavailable (simulated outage).' });
		if (path === JWKS_PATH.toLowerCase()) return jsonResponse(200, this.jwks());
		return jsonResponse(200, {
			issuer: NOTIFICATION_ISSUER,
			authorization_endpoint: `${this.origin}/v1/authorize`,
			jwks_uri: this.jwksUrl,
			id_token_signing_alg_values_supported: ['RS256'],
			token_endpoint_auth_methods_supported: ['private_key_jwt'],
		});
	}

	/** A notification token like the platform's, for the given app and tenant; options make forgeries. */
	signToken(audience: string, tenantId: string, options: TokenOptions = {}): string {
		const now = nowSeconds();
		const claims: Record<string, unknown> = {
			iss: NOTIFICATION_ISSUER,
			aud: audience,
			tid: tenantId,
			iat: now,
			nbf: now - 5,
			exp: now + 3600,
			...options.claims,
		};
		for (const [name, value] of Object.entries(claims))
			if (value === undefined) delete claims[name];
		return signJwt(
			{ typ: 'JWT', kid: this.kid, ...options.header },
			claims as JsonObject,
			options.privateKey ?? this.privateKey,
			options.alg ?? 'RS256',
		);
	}

	// ---- delivery -------------------------------------------------------------------------

	/** POSTs one envelope to the call's callback URL (after the call's earlier ones). */
	notify(call: SimulatedCall, notifications: JsonObject[]): void {
		if (this.closed || notifications.length === 0) return;
		this.phones?.callChanged(call);
		const body: JsonObject = {
			'@odata.type': '#microsoft.graph.commsNotifications',
			value: notifications,
		};
		const token = this.signToken(call.ownerClientId, call.tenantId);
		const delivery: NotificationDelivery = {
			url: call.callbackUri,
			callId: call.id,
			body,
			token,
			at: Date.now(),
		};
		this.deliveries.push(delivery);
		let url: URL | undefined;
		try {
			url = new URL(call.callbackUri);
		} catch {
			url = undefined;
		}
		if (
			!url ||
			url.hostname !== '127.0.0.1' ||
			(url.protocol !== 'https:' && url.protocol !== 'http:')
		) {
			delivery.skipped = true;
			return;
		}
		const target = url;
		const previous = this.chains.get(call.id) ?? Promise.resolve();
		const next = previous.then(
			async () => await this.deliver(target, JSON.stringify(body), token, delivery),
		);
		this.chains.set(call.id, next);
	}

	/** Posts, and posts again while the answer is 503 with Retry-After (knobs.deliveryRetries). */
	private async deliver(
		url: URL,
		body: string,
		token: string,
		delivery: NotificationDelivery,
	): Promise<void> {
		for (let attempt = 0; ; attempt++) {
			const retryAfter = await this.post(url, body, token, delivery);
			delivery.attempts = [...(delivery.attempts ?? []), delivery.status ?? 0];
			if (
				this.closed ||
				delivery.status !== 503 ||
				retryAfter === undefined ||
				attempt >= this.knobs.deliveryRetries
			)
				return;
			await new Promise((resolve) =>
				setTimeout(resolve, Math.min(retryAfter * 1000, this.knobs.maxRetryAfterMs)),
			);
		}
	}

	/** One POST; resolves with the answer's Retry-After in seconds, if it has one. */
	private post(
		url: URL,
		body: string,
		token: string,
		delivery: NotificationDelivery,
	): Promise<number | undefined> {
		return new Promise((resolve) => {
			const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
			const req = send(
				url,
				{
					method: 'POST',
					headers: {
						'content-type': 'application/json',
						authorization: `Bearer ${token}`,
						'content-length': Buffer.byteLength(body),
					},
					timeout: 10_000,
					...(url.protocol === 'https:' ? { ca: [this.caCertPem] } : {}),
				},
				(res) => {
					res.resume();
					const retryAfter = Number(res.headers['retry-after']);
					res.on('end', () => {
						delivery.status = res.statusCode;
						resolve(Number.isFinite(retryAfter) && retryAfter >= 0 ? retryAfter : undefined);
					});
					res.on('error', () => resolve(undefined));
				},
			);
			req.on('timeout', () => req.destroy(new Error('timed out')));
			req.on('error', (error) => {
				delivery.error = error.message;
				resolve(undefined);
			});
			req.end(body);
		});
	}

	/** Resolves when every delivery started so far has been answered (or failed). */
	async settled(): Promise<void> {
		for (;;) {
			const pending = [...this.chains.values()];
			await Promise.all(pending);
			if ([...this.chains.values()].every((chain) => pending.includes(chain))) return;
		}
	}

	/** Waits until `predicate` holds over the deliveries, or fails after timeoutMs. */
	async waitForDeliveries(
		predicate: (deliveries: NotificationDelivery[]) => boolean,
		timeoutMs = 5000,
	): Promise<void> {
		const deadline = Date.now() + timeoutMs;
		for (;;) {
			await this.settled();
			if (predicate(this.deliveries)) return;
			if (Date.now() > deadline)
				throw new Error(
					`Expected notifications did not arrive within ${timeoutMs} ms (${this.deliveries.length} so far).`,
				);
			await new Promise((resolve) => setTimeout(resolve, 20));
		}
	}

	private later(ms: number, action: () => void): void {
		if (this.closed) return;
		const timer = setTimeout(() => {
			this.timers.delete(timer);
			if (!this.closed) action();
		}, ms);
		this.timers.add(timer);
	}

	reset(): void {
		Object.assign(this.knobs, defaultKnobs());
		this.deliveries.length = 0;
		for (const timer of this.timers) clearTimeout(timer);
		this.timers.clear();
	}

	close(): void {
		this.closed = true;
		for (const timer of this.timers) clearTimeout(timer);
		this.timers.clear();
	}

	// ---- notifications --------------------------------------------------------------------

	private callNotification(call: SimulatedCall, resultInfo?: JsonObject): JsonObject {
		return callStateNotification(this.variants, call, resultInfo ? { resultInfo } : {});
	}

	private rosterNotification(call: SimulatedCall): JsonObject {
		return rosterNotification(
			this.variants,
			call,
			call.participants.filter((p) => !p.hidden).map((p) => participantJson(p, 'notification')),
		);
	}

	/**
	 * An invite's result, as participant-invite.md shows it: the legacy `resource` beside
	 * resourceUrl; several people invited at once: posted on `…/operations/participants` with a
	 * null `id` (example 2). A failure carries resultInfo (comms-samples#410's PSTN failure shows
	 * one); a success none.
	 */
	private operationNotification(
		call: SimulatedCall,
		operation: JsonObject,
		outcome: { status: 'completed' } | { status: 'failed'; resultInfo: JsonObject },
		several: boolean,
	): JsonObject {
		const id = String(operation.id);
		const path = `/operations/${several ? 'participants' : id}`;
		const invited = Array.isArray(operation.participants) ? operation.participants : [];
		return {
			'@odata.type': '#microsoft.graph.commsNotification',
			changeType: 'deleted',
			resourceUrl: `/communications/calls/${call.id}${path}`,
			// Example 2 (several) writes resource like resourceUrl; examples 1 and 3 the legacy /app/calls/….
			resource: `${several ? '/communications' : '/app'}/calls/${call.id}${path}`,
			resourceData: {
				'@odata.type': operation['@odata.type'] ?? '#microsoft.graph.inviteParticipantsOperation',
				participants: invited.map((participant) => ({
					'@odata.type': '#microsoft.graph.invitationParticipantInfo',
					identity: isJsonObject(participant) ? (participant.identity ?? null) : null,
				})),
				status: outcome.status,
				clientContext: operation.clientContext ?? null,
				...(outcome.status === 'failed' ? { resultInfo: outcome.resultInfo } : {}),
				id: several ? null : id,
			},
		};
	}

	// ---- hooks around the Graph router ----------------------------------------------------

	/** A GET of a call the far side ended still answers for a while, with its resultInfo. */
	intercept(
		ctx: SimulatorContext,
		scope: GraphCallScope,
		method: string,
		segments: string[],
	): GraphResult | undefined {
		const [root, collection, callId, sub] = segments;
		if (
			method !== 'GET' ||
			!is(root, 'communications') ||
			!is(collection, 'calls') ||
			callId === undefined ||
			sub !== undefined
		)
			return undefined;
		const call = ctx.registry.getCall(callId);
		if (!call || call.state !== 'terminated' || call.details?.endedRemotely !== true)
			return undefined;
		if (!sameId(call.ownerClientId, scope.claims.appid) || !sameId(call.tenantId, scope.claims.tid))
			return undefined;
		return { status: 200, body: callJson(ctx, call, scope.apiVersion) };
	}

	/** The roster ids of the call a request names, before it runs. */
	before(ctx: SimulatorContext, segments: string[]): Set<string> | undefined {
		const [root, collection, callId] = segments;
		if (!is(root, 'communications') || !is(collection, 'calls') || callId === undefined)
			return undefined;
		const call = ctx.registry.getCall(callId);
		return call ? new Set(call.participants.map((p) => p.id)) : undefined;
	}

	/** Reacts to what a request did: created a call, invited people, hung up. */
	after(
		ctx: SimulatorContext,
		method: string,
		segments: string[],
		result: GraphResult,
		before: Set<string> | undefined,
	): void {
		const [root, collection, callId, sub, action, extra] = segments;
		if (!is(root, 'communications') || !is(collection, 'calls') || result.status >= 300) return;
		if (method === 'POST' && callId === undefined && result.status === 201) {
			const body = result.body as JsonObject | undefined;
			const call = typeof body?.id === 'string' ? ctx.registry.getCall(body.id) : undefined;
			if (call) this.onCreated(call);
			return;
		}
		const call = callId !== undefined ? ctx.registry.getCall(callId) : undefined;
		if (!call) return;
		if (method === 'DELETE' && sub === undefined) {
			this.phones?.callEnded(call, 'the bot hung up');
			this.notify(call, [this.callNotification(call, HUNG_UP)]);
			return;
		}
		if (
			method === 'POST' &&
			is(sub, 'participants') &&
			is(action, 'invite', 'microsoft.graph.invite') &&
			extra === undefined &&
			result.status === 200
		) {
			const added = call.participants.filter((p) => !before?.has(p.id));
			const moved = this.movedFrom(ctx, result.body as JsonObject, added);
			this.onInvited(
				call,
				result.body as JsonObject,
				added.filter((p) => !moved.has(p)),
			);
			for (const [person, from] of moved) this.moveInto(call, person, from);
		}
	}

	/**
	 * The invitees whose invitation named a peer-to-peer or phone call of this app in
	 * replacesCallId that is still up: they are already talking to the bot, so they move without
	 * ringing.
	 */
	private movedFrom(
		ctx: SimulatorContext,
		operation: JsonObject,
		added: RosterParticipant[],
	): Map<RosterParticipant, SimulatedCall> {
		const moved = new Map<RosterParticipant, SimulatedCall>();
		const invitations = ctx.registry.invitations.filter((i) => i.operationId === operation.id);
		for (const person of added) {
			const invitation = invitations.find((i) =>
				sameId(`${i.identityKind}:${i.identityId}`, person.identityKey),
			);
			const replaces = invitation?.participant.replacesCallId;
			if (typeof replaces !== 'string') continue;
			const from = ctx.registry.getCall(replaces);
			if (
				from &&
				from.state !== 'terminated' &&
				(from.kind === 'peerToPeer' || from.kind === 'pstn')
			)
				moved.set(person, from);
		}
		return moved;
	}

	/**
	 * invitationParticipantInfo (v1.0, read 2026-12-08): replacesCallId is "the call which the
	 * target identity is currently a part of. For peer-to-peer case, the call will be dropped once
	 * the participant is added successfully." The invite completes with the roster (as for anyone
	 * who answers at once), then the dropped call ends. Invented: Microsoft publishes no example of
	 * the dropped call's notification; it is the documented terminated-call notification with
	 * call-delete's "conversation has ended" resultInfo.
	 */
	private moveInto(call: SimulatedCall, person: RosterParticipant, from: SimulatedCall): void {
		this.phones?.joined(call, person);
		this.later(0, () => {
			if (from.state === 'terminated') return;
			from.state = 'terminated';
			this.phones?.callEnded(from, `moved into call ${call.id}`);
			this.notify(from, [this.callNotification(from, HUNG_UP)]);
		});
	}

	private neverAnswers(participant: RosterParticipant): boolean {
		return (
			this.knobs.neverAnswer.some((key) => sameId(key, participant.identityKey)) ||
			this.declines(participant)
		);
	}

	private declines(participant: RosterParticipant): boolean {
		return this.knobs.decline.some((key) => sameId(key, participant.identityKey));
	}

	/** The softphone decides who answers: on with the knob, and only when a phone centre listens. */
	private answeredByPhones(people: RosterParticipant[]): boolean {
		return this.knobs.manualPhones && this.phones !== undefined && people.length > 0;
	}

	/**
	 * Takes people out of the roster again; returns them split by whether they will answer. With
	 * manualPhones everyone is held back: the softphone answers (or not) for each of them.
	 */
	private holdBack(
		call: SimulatedCall,
		added: RosterParticipant[],
	): { later: RosterParticipant[]; never: RosterParticipant[] } {
		const manual = this.answeredByPhones(added);
		const never = manual ? [] : added.filter((p) => this.neverAnswers(p));
		const later =
			manual || this.knobs.answerDelayMs > 0 ? added.filter((p) => !never.includes(p)) : [];
		for (const p of [...never, ...later]) call.participants.splice(call.participants.indexOf(p), 1);
		// Those who stayed in the roster answered at once (the simulator's default).
		for (const p of added)
			if (!never.includes(p) && !later.includes(p)) this.phones?.joined(call, p);
		return { later, never };
	}

	private join(call: SimulatedCall, people: RosterParticipant[]): void {
		if (call.state === 'terminated') return;
		const at = Date.now();
		for (const p of people) {
			if (!call.participants.some((q) => sameId(q.identityKey, p.identityKey)))
				call.participants.push({ ...p, joinedAt: at });
			this.phones?.joined(call, p);
		}
	}

	/**
	 * manualPhones: the person's phone rings on the softphone. Answer, decline or no answer within
	 * noAnswerTimeoutMs, whichever comes first, settles it; nothing does once the call ended.
	 */
	private ringPhone(
		call: SimulatedCall,
		participant: RosterParticipant,
		outcome: { answered(): void; declined(): void; unanswered(): void },
	): void {
		let open = true;
		const settle = (then: () => void, because?: string) => (): boolean => {
			if (!open || call.state === 'terminated') return false;
			open = false;
			// Said first: the notification `then` sends would otherwise end the leg vaguely.
			if (because !== undefined) this.phones?.notReached(call, participant.identityKey, because);
			then();
			return true;
		};
		this.phones?.ring(call, participant, {
			answer: settle(outcome.answered),
			decline: settle(outcome.declined, 'declined'),
		});
		const timedOut = settle(outcome.unanswered, 'not answered');
		this.later(this.knobs.noAnswerTimeoutMs, () => void timedOut());
	}

	/** The far side ended the call (declined, no answer, hung up): terminated with resultInfo. */
	private endedRemotely(call: SimulatedCall, resultInfo: JsonObject): void {
		if (call.state === 'terminated') return;
		call.state = 'terminated';
		call.details = { ...call.details, resultInfo, endedRemotely: true };
		this.notify(call, [this.callNotification(call, resultInfo)]);
	}

	/**
	 * A person hung up (the softphone). A peer-to-peer or phone call, or one they placed to the
	 * bot, ends with call-delete's documented code for who ended it; a group call only loses
	 * them (a roster update).
	 */
	personHungUp(call: SimulatedCall, personKey: string): void {
		if (call.state === 'terminated') return;
		const oneToOne =
			call.kind === 'peerToPeer' || call.kind === 'pstn' || call.direction === 'incoming';
		if (!oneToOne) {
			const index = call.participants.findIndex((p) => sameId(p.identityKey, personKey));
			if (index <= 0) return;
			call.participants.splice(index, 1);
			this.notify(call, [this.rosterNotification(call)]);
			return;
		}
		this.endedRemotely(
			call,
			personKey.toLowerCase().startsWith('phone:') ? ENDED_BY_PSTN_USER : ENDED_BY_PEER,
		);
	}

	private onInvited(call: SimulatedCall, operation: JsonObject, added: RosterParticipant[]): void {
		const { later, never } = this.holdBack(call, added);
		const several = Array.isArray(operation.participants) && operation.participants.length > 1;
		const finish = (failure?: JsonObject): void => {
			this.notify(call, [
				this.operationNotification(
					call,
					operation,
					failure ? { status: 'failed', resultInfo: failure } : { status: 'completed' },
					several,
				),
			]);
		};
		if (later.length === 0 && never.length === 0) {
			this.notify(call, [
				this.operationNotification(call, operation, { status: 'completed' }, several),
				this.rosterNotification(call),
			]);
			return;
		}
		if (this.answeredByPhones(later)) {
			// The operation ends once every invitee answered, declined or did not answer.
			let open = later.length;
			let joined = false;
			let declined = false;
			const settled = (): void => {
				if (--open > 0 || call.state === 'terminated') return;
				finish(joined ? undefined : declined ? this.knobs.declineWith : NOT_ANSWERED);
			};
			for (const p of later)
				this.ringPhone(call, p, {
					answered: () => {
						joined = true;
						this.join(call, [p]);
						this.notify(call, [this.rosterNotification(call)]);
						settled();
					},
					declined: () => {
						declined = true;
						settled();
					},
					unanswered: settled,
				});
			return;
		}
		const failed = added.length > 0 && never.length === added.length;
		if (later.length > 0) {
			this.later(this.knobs.answerDelayMs, () => {
				this.join(call, later);
				this.notify(call, [this.rosterNotification(call)]);
				if (never.length === 0) finish();
			});
		}
		if (never.length > 0)
			this.later(this.knobs.noAnswerTimeoutMs, () => finish(failed ? NOT_ANSWERED : undefined));
	}

	private onCreated(call: SimulatedCall): void {
		const targets = call.participants.slice(1);
		const peerToPeer = call.kind === 'peerToPeer' || call.kind === 'pstn';
		const byPhones = this.answeredByPhones(targets);
		const { later, never } = this.holdBack(call, targets);
		const establish = (): void => {
			if (call.state !== 'establishing') return;
			call.state = 'established';
			this.notify(call, [this.callNotification(call), this.rosterNotification(call)]);
		};
		const establishAfter =
			peerToPeer && (later.length > 0 || never.length > 0)
				? undefined
				: this.knobs.establishDelayMs;
		if (establishAfter === 0) {
			call.state = 'established';
			this.notify(call, [this.callNotification(call), this.rosterNotification(call)]);
		} else {
			call.state = 'establishing';
			this.notify(call, [this.callNotification(call)]);
			if (establishAfter !== undefined) this.later(establishAfter, establish);
		}
		const answered = (people: RosterParticipant[], afterMs: number): void => {
			this.join(call, people);
			if (peerToPeer && never.length === 0)
				this.later(Math.max(0, this.knobs.establishDelayMs - afterMs), establish);
			else this.notify(call, [this.rosterNotification(call)]);
		};
		if (byPhones) {
			for (const p of later)
				this.ringPhone(call, p, {
					answered: () => answered([p], 0),
					// Only a peer-to-peer or phone call ends when its one target does not come.
					declined: () => {
						if (peerToPeer) this.endedRemotely(call, this.knobs.declineWith);
					},
					unanswered: () => {
						if (peerToPeer) this.endedRemotely(call, NOT_ANSWERED);
					},
				});
			return;
		}
		if (later.length > 0)
			this.later(this.knobs.answerDelayMs, () => answered(later, this.knobs.answerDelayMs));
		if (never.length > 0 && peerToPeer) {
			const declined = never.some((p) => this.declines(p));
			const resultInfo = declined ? this.knobs.declineWith : NOT_ANSWERED;
			this.later(declined ? this.knobs.answerDelayMs : this.knobs.noAnswerTimeoutMs, () =>
				this.endedRemotely(call, resultInfo),
			);
		}
	}
}
