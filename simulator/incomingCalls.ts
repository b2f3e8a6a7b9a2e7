/**
 * Incoming calls the simulator places to an app: someone calls the bot (its UPN, or its
 * resource account's number), and the platform POSTs a signed notification to the bot's calling
 * webhook.
 *
 * - `format: 'legacy'` first POSTs the Skype-era Conversation shape (BotBuilder-V3
 *   calling-api-reference.md), as Teams' "Incoming call notifications" page says happens; only a
 *   `204 No Content` answer makes the platform send the call again in Graph's format. Any other
 *   answer drops the call (the caller hears it fail).
 * - The Graph-format notification is the one in call-answer.md: `changeType: created`, state
 *   `incoming`, `source` (the caller), `targets` (the bot), `requestedModalities`.
 * - If nobody answers, rejects or redirects within `deadlineMs` (Graph: 15 s), the call ends
 *   (later actions on it answer 404 8522).
 * Every POST is signed by the simulator's notification key (see callNotifications.ts), so the
 * trigger verifies them exactly as it verifies call notifications.
 */
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';

import { markIncoming } from './callControl';
import { DEFAULT_CLIENT_ID, DEFAULT_TENANT_ID } from './constants';
import type { DocumentedVariants } from './documentedVariants';
import { newId } from './ids';
import type { JsonObject } from './json';
import { callStateNotification } from './notificationStyles';
import type { GraphSimulator, SimulatedCall } from './types';

export interface IncomingCallOptions {
	/** The bot's calling webhook (only 127.0.0.1 is ever contacted). */
	callbackUri: string;
	format?: 'graph' | 'legacy';
	/** The caller; default a Teams user "Test User". */
	caller?: { kind: 'user' | 'phone'; id: string; displayName?: string };
	/** The call came to the bot's resource account (a phone number), not its UPN. Default false. */
	toResourceAccount?: boolean;
	clientId?: string;
	tenantId?: string;
	/** Graph's answer deadline: 15 000 ms. */
	deadlineMs?: number;
	/** Sign with these claims changes (forgeries for the trigger's tests). */
	tokenClaims?: Record<string, unknown>;
}

export interface PostedNotification {
	format: 'graph' | 'legacy';
	body: JsonObject;
	status?: number;
	error?: string;
}

export interface PlacedCall {
	callId: string;
	call: SimulatedCall;
	/** What was posted, in order, with the webhook's answers. */
	posts: PostedNotification[];
}

export const TEST_CALLER = {
	kind: 'user',
	id: '8a34a46b-88d8-4a83-8a2e-6e2b5e9a4d11',
	displayName: 'Test User',
} as const;

function post(
	sim: GraphSimulator,
	url: URL,
	body: JsonObject,
	token: string,
	headers: Record<string, string>,
): Promise<{ status?: number; error?: string }> {
	return new Promise((resolve) => {
		const text = JSON.stringify(body);
		const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
		const req = send(
			url,
			{
				method: 'POST',
				headers: {
					'content-type': 'application/json',
					authorization: `Bearer ${token}`,
					'content-length': Buffer.byteLength(text),
					...headers,
				},
				timeout: 10_000,
				...(url.protocol === 'https:' ? { ca: [sim.caCertPem] } : {}),
			},
			(res) => {
				res.resume();
				res.on('end', () => resolve({ status: res.statusCode }));
				res.on('error', (error) => resolve({ error: error.message }));
			},
		);
		req.on('timeout', () => req.destroy(new Error('timed out')));
		req.on('error', (error) => resolve({ error: error.message }));
		req.end(text);
	});
}

/** The identitySet of the caller, as Graph's incoming-call example shows it. */
function callerIdentity(caller: NonNullable<IncomingCallOptions['caller']>): JsonObject {
	return {
		'@odata.type': '#microsoft.graph.identitySet',
		[caller.kind]: {
			'@odata.type': '#microsoft.graph.identity',
			...(caller.displayName ? { displayName: caller.displayName } : {}),
			id: caller.id,
		},
	};
}

/**
 * Graph's incoming-call notification, in one of its documented styles (notificationStyles.ts):
 * call-answer.md's "Notification - incoming" (upper-case IDs), or as tenants log it with the
 * call's callbackUri in resourceData (microsoft-graph-comms-samples#191, #596).
 */
export function graphIncomingNotification(
	call: SimulatedCall,
	caller: NonNullable<IncomingCallOptions['caller']>,
	botName: string,
	variants: DocumentedVariants,
): JsonObject {
	return {
		'@odata.type': '#microsoft.graph.commsNotifications',
		value: [
			callStateNotification(variants, call, {
				extra: {
					direction: 'incoming',
					source: {
						'@odata.type': '#microsoft.graph.participantInfo',
						identity: callerIdentity(caller),
						region: 'westus',
						languageId: 'en-US',
					},
					targets: [
						{
							'@odata.type': '#microsoft.graph.invitationParticipantInfo',
							identity: {
								'@odata.type': '#microsoft.graph.identitySet',
								application: {
									'@odata.type': '#microsoft.graph.identity',
									displayName: botName,
									id: call.ownerClientId,
								},
							},
						},
					],
					requestedModalities: ['audio'],
					myParticipantId: call.myParticipantId,
				},
			}),
		],
	};
}

/** The legacy (Skype Bot Platform) Conversation shape of the same call. */
export function legacyIncomingNotification(
	call: SimulatedCall,
	caller: NonNullable<IncomingCallOptions['caller']>,
): JsonObject {
	return {
		id: call.id,
		participants: [
			{
				identity: caller.kind === 'phone' ? `4:${caller.id}` : `8:orgid:${caller.id}`,
				languageId: 'en-US',
				originator: true,
			},
			{ identity: `28:${call.ownerClientId}`, originator: false },
		],
		isMultiparty: false,
		presentedModalityTypes: ['audio'],
		callState: 'incoming',
	};
}

/**
 * Someone calls the app: the call exists at once (state incoming, owned by the app), and the
 * notification(s) are posted. Resolves when the posting is done (not when the call is answered).
 */
export async function placeIncomingCall(
	sim: GraphSimulator,
	options: IncomingCallOptions,
): Promise<PlacedCall> {
	const callId = newId();
	const clientId = options.clientId ?? DEFAULT_CLIENT_ID;
	const tenantId = options.tenantId ?? DEFAULT_TENANT_ID;
	sim.addCall({
		id: callId,
		ownerClientId: clientId,
		tenantId,
		state: 'incoming',
		callbackUri: options.callbackUri,
	});
	const call = sim.getCall(callId);
	if (!call) throw new Error('the simulator lost the call it just placed');
	const caller = options.caller ?? TEST_CALLER;
	call.direction = 'incoming';
	call.kind = 'peerToPeer';
	call.participants.push({
		id: newId(),
		identityKey: `${caller.kind}:${caller.id}`,
		identity: {
			[caller.kind]: {
				id: caller.id,
				...(caller.displayName ? { displayName: caller.displayName } : {}),
			},
		},
		hidden: false,
		joinedAt: Date.now(),
	});
	call.details = { direction: 'incoming', source: { identity: callerIdentity(caller) } };
	markIncoming(call, { toUpn: options.toResourceAccount !== true });
	sim.phones.calling(call, `${caller.kind}:${caller.id}`, caller.displayName);

	const deadlineMs = options.deadlineMs ?? 15_000;
	const deadline = setTimeout(() => {
		if (call.state !== 'incoming') return;
		call.state = 'terminated';
		sim.phones.callEnded(call, `the bot did not answer within ${Math.round(deadlineMs / 1000)} s`);
	}, deadlineMs);
	deadline.unref();

	const posts: PostedNotification[] = [];
	const url = new URL(options.callbackUri);
	if (url.hostname !== '127.0.0.1') throw new Error('incoming calls are only placed to 127.0.0.1');
	const token = sim.callbacks.signToken(clientId, tenantId, { claims: options.tokenClaims });
	const chainId = newId();
	if (options.format === 'legacy') {
		const body = legacyIncomingNotification(call, caller);
		const answer = await post(sim, url, body, token, {
			'x-microsoft-skype-chain-id': chainId,
			'x-microsoft-skype-message-id': newId(),
		});
		posts.push({ format: 'legacy', body, ...answer });
		if (answer.status !== 204) {
			// The bot did not ask for Graph's protocol: the platform gives up on the call.
			call.state = 'terminated';
			sim.phones.callEnded(
				call,
				`the bot answered the legacy notification ${answer.status ?? answer.error ?? ''}`,
			);
			return { callId, call, posts };
		}
	}
	const body = graphIncomingNotification(call, caller, 'Graph Simulator Bot', sim.variants);
	const answer = await post(
		sim,
		url,
		body,
		sim.callbacks.signToken(clientId, tenantId, { claims: options.tokenClaims }),
		{},
	);
	posts.push({ format: 'graph', body, ...answer });
	return { callId, call, posts };
}
