/**
 * Drives the simulator over HTTPS through everything it answers and notifies, as a bot would:
 * calls placed, joined, answered, rejected, redirected, transferred, unanswered, declined and hung
 * up; invitations (one, several, failing); participants; every media action (completed, failed,
 * cancelled); online meetings; call records; $batch; and every error it can give (permissions,
 * ended calls, bad bodies, unknown paths, wrong methods, oversized bodies, throttling, faults).
 *
 * The story runs once per documented variant (each pass forces the next variant of every kind
 * that has several, so every variant is seen), then once more as the seed chooses.
 */
import { randomUUID } from 'node:crypto';

import {
	createCertificateAuthority,
	DEFAULT_CLIENT_ID,
	DEFAULT_CLIENT_SECRET,
	DEFAULT_TENANT_ID,
	GRAPH_ROLES,
	makeWav,
	processVariantSeed,
	startGraphSimulator,
	type GraphSimulator,
} from '../../simulator';
import { placeIncomingCall } from '../../simulator/incomingCalls';
import { ACCESS_POLICY_REFUSALS, worldOf } from '../../simulator/meetingsAndRecords';
import { NOTIFICATION_STYLES, type StyledKind } from '../../simulator/notificationStyles';
import { MAX_BODY_BYTES } from '../../simulator/constants';
import { graphClient, startWebhook, type GraphClient, type ObservedAnswer } from './client';
import { notificationKind } from './kinds';
import type { JsonValue } from './shapes';

type JsonObject = { [key: string]: JsonValue };

export interface ObservedNotification {
	kind: string;
	notification: JsonObject;
}

export interface Observations {
	seed: number;
	answers: ObservedAnswer[];
	envelopes: JsonObject[];
	notifications: ObservedNotification[];
	/** The legacy (Skype-era) incoming-call bodies. */
	legacy: JsonObject[];
	/** "kind › variant" of every variant a pass forced. */
	variantsForced: string[];
}

const USERS = {
	callee: '112f7296-5fa4-42ca-bae8-6a692b15d4b8',
	invitee: '278405a3-f568-4b3e-b684-009193463064',
	second: '7e1b4346-85a6-4bdd-abe3-d11c5d420efe',
	third: '1e126418-44a0-4a94-a6f8-0efe1ad71acb',
	silent: '9b1c1a3e-47d6-4d0c-a7b5-1f4f2d1e0a11',
	declining: '4d2f6a7b-1c3e-4b5a-9d8e-2f1a0b3c4d5e',
	organizer: '5810cede-f3cc-42eb-b2c1-e9bd5d53ec96',
	transferTarget: '550fae72-d251-43ec-868c-373732c2704f',
};
const NO_ROLES_APP = 'c4b7d3a1-2e5f-4a6b-8c9d-0e1f2a3b4c5d';
const NOT_A_BOT_APP = 'd5c8e4b2-3f6a-4b7c-9d0e-1f2a3b4c5d6e';
const NO_REMOVE_APP = 'e6d9f5c3-4a7b-4c8d-8e1f-2a3b4c5d6e7f';
const SECRET = 'conformance-secret';

const userTarget = (id: string): JsonObject => ({
	'@odata.type': '#microsoft.graph.invitationParticipantInfo',
	identity: {
		'@odata.type': '#microsoft.graph.identitySet',
		user: { '@odata.type': '#microsoft.graph.identity', id, identityProvider: 'AAD' },
	},
});

const SERVICE_HOSTED: JsonObject = { '@odata.type': '#microsoft.graph.serviceHostedMediaConfig' };

const isObject = (value: JsonValue | undefined): value is JsonObject =>
	typeof value === 'object' && value !== null && !Array.isArray(value);

function idOf(answer: ObservedAnswer): string {
	const id = isObject(answer.body) ? answer.body.id : undefined;
	if (typeof id !== 'string')
		throw new Error(`${answer.route} answered ${answer.status} without an id`);
	return id;
}

/** Everything one pass needs: the simulator, a client, the webhook's URL. */
interface Stage {
	sim: GraphSimulator;
	graph: GraphClient;
	webhook: string;
	legacy: JsonObject[];
	incoming: JsonObject[];
	/** The webhook's answer to each incoming-call post (or why there was none). */
	posted: Array<number | string>;
}

/** Waits until the simulator has delivered `count` more notifications matching `match`. */
async function delivered(
	stage: Stage,
	from: number,
	match: (notification: JsonObject) => boolean,
	count = 1,
): Promise<void> {
	await stage.sim.callbacks.waitForDeliveries(
		(deliveries) =>
			deliveries
				.slice(from)
				.flatMap((d) => (Array.isArray(d.body.value) ? d.body.value : []))
				.filter((n) => isObject(n as JsonValue) && match(n as JsonObject)).length >= count,
		10_000,
	);
}

const kindIs =
	(...kinds: string[]) =>
	(notification: JsonObject): boolean =>
		kinds.includes(notificationKind(notification));

/** A peer-to-peer call to a Teams user, as Graph's "Create call" example 1 places it. */
function createCallTo(stage: Stage, target: string): Promise<ObservedAnswer> {
	return stage.graph.call('POST /communications/calls', 'POST', '/communications/calls', {
		'@odata.type': '#microsoft.graph.call',
		callbackUri: stage.webhook,
		targets: [userTarget(target)],
		requestedModalities: ['audio'],
		mediaConfig: SERVICE_HOSTED,
	});
}

async function placeCall(stage: Stage, target: string): Promise<string> {
	const from = stage.sim.callbacks.deliveries.length;
	const id = idOf(await createCallTo(stage, target));
	await delivered(stage, from, kindIs('call established'));
	return id;
}

/** A call: create, read, keep alive, invite (one, several, one who never answers), participants. */
async function callAndParticipants(stage: Stage): Promise<string> {
	const { graph, sim } = stage;
	const id = await placeCall(stage, USERS.callee);
	const call = `/communications/calls/${id}`;
	await graph.call('GET /communications/calls/{id}', 'GET', call);
	await graph.call('POST /communications/calls/{id}/keepAlive', 'POST', `${call}/keepAlive`);
	// Listing the roster of a peer-to-peer call: refused (400).
	await graph.call('GET /communications/calls/{id}/participants', 'GET', `${call}/participants`);
	let from = sim.callbacks.deliveries.length;
	await graph.call(
		'POST /communications/calls/{id}/participants/invite',
		'POST',
		`${call}/participants/invite`,
		{
			participants: [userTarget(USERS.invitee)],
			clientContext: randomUUID(),
		},
	);
	await delivered(stage, from, kindIs('operation inviteParticipantsOperation'));
	from = sim.callbacks.deliveries.length;
	await graph.call(
		'POST /communications/calls/{id}/participants/invite',
		'POST',
		`${call}/participants/invite`,
		{
			participants: [userTarget(USERS.second), userTarget(USERS.third)],
			clientContext: randomUUID(),
		},
	);
	await delivered(stage, from, kindIs('operation inviteParticipantsOperation'));
	// An invitee who never answers: the operation fails.
	sim.callbacks.knobs.neverAnswer = [`user:${USERS.silent}`];
	sim.callbacks.knobs.noAnswerTimeoutMs = 30;
	from = sim.callbacks.deliveries.length;
	await graph.call(
		'POST /communications/calls/{id}/participants/invite',
		'POST',
		`${call}/participants/invite`,
		{
			participants: [userTarget(USERS.silent)],
			clientContext: randomUUID(),
		},
	);
	await delivered(stage, from, kindIs('operation inviteParticipantsOperation'));
	sim.callbacks.knobs.neverAnswer = [];

	const roster = await graph.call(
		'GET /communications/calls/{id}/participants',
		'GET',
		`${call}/participants`,
	);
	const people = isObject(roster.body) && Array.isArray(roster.body.value) ? roster.body.value : [];
	const invited = people.filter(isObject).map((p) => String(p.id));
	const [first, second] = invited.slice(1);
	if (!first || !second)
		throw new Error(`the roster has too few people: ${JSON.stringify(roster.body)}`);
	await graph.call(
		'GET /communications/calls/{id}/participants/{id}',
		'GET',
		`${call}/participants/${first}`,
	);
	await graph.call(
		'POST /communications/calls/{id}/participants/{id}/mute',
		'POST',
		`${call}/participants/${first}/mute`,
		{
			clientContext: randomUUID(),
		},
	);
	await graph.call(
		'DELETE /communications/calls/{id}/participants/{id}',
		'DELETE',
		`${call}/participants/${second}`,
	);
	return id;
}

/** Every media action on an established call, completed, failed and cancelled. */
async function media(stage: Stage, callId: string): Promise<void> {
	const { graph, sim } = stage;
	const call = `/communications/calls/${callId}`;
	const prompt = (uri: string): JsonObject => ({
		'@odata.type': '#microsoft.graph.mediaPrompt',
		mediaInfo: { '@odata.type': '#microsoft.graph.mediaInfo', uri },
	});
	const good = sim.media.host('conformance.wav', makeWav());
	const broken = sim.media.host('broken.wav', Buffer.from('not a wav'));
	let from = sim.callbacks.deliveries.length;
	await graph.call('POST /communications/calls/{id}/playPrompt', 'POST', `${call}/playPrompt`, {
		prompts: [prompt(good)],
		clientContext: randomUUID(),
	});
	await graph.call('POST /communications/calls/{id}/playPrompt', 'POST', `${call}/playPrompt`, {
		prompts: [prompt(broken)],
		clientContext: randomUUID(),
	});
	await graph.call('POST /communications/calls/{id}/playPrompt', 'POST', `${call}/playPrompt`, {
		prompts: [prompt('https://127.0.0.1:1/unreachable.wav')],
		clientContext: randomUUID(),
	});
	await delivered(stage, from, kindIs('operation playPromptOperation'), 3);

	from = sim.callbacks.deliveries.length;
	await graph.call(
		'POST /communications/calls/{id}/recordResponse',
		'POST',
		`${call}/recordResponse`,
		{
			bargeInAllowed: true,
			clientContext: randomUUID(),
			prompts: [prompt(good)],
			maxRecordDurationInSeconds: 10,
			initialSilenceTimeoutInSeconds: 5,
			maxSilenceTimeoutInSeconds: 2,
			playBeep: true,
			stopTones: ['#', '1', '*'],
		},
	);
	await delivered(stage, from, kindIs('operation recordOperation'));
	const record = sim.callbacks.deliveries
		.slice(from)
		.flatMap((d) => (Array.isArray(d.body.value) ? d.body.value : []))
		.find(
			(n) => isObject(n as JsonValue) && kindIs('operation recordOperation')(n as JsonObject),
		) as JsonObject | undefined;
	const data = record && isObject(record.resourceData) ? record.resourceData : {};
	if (typeof data.recordingLocation === 'string' && data.recordingLocation !== '')
		await graph.get('GET {recordingLocation}', data.recordingLocation, {
			authorization: `Bearer ${String(data.recordingAccessToken)}`,
		});

	// A recording ended by a stop tone, and one whose prompt cannot be played.
	sim.media.knobs.recordMs = 5_000;
	from = sim.callbacks.deliveries.length;
	await graph.call(
		'POST /communications/calls/{id}/recordResponse',
		'POST',
		`${call}/recordResponse`,
		{
			stopTones: ['#'],
			clientContext: randomUUID(),
		},
	);
	sim.media.pressKeys(callId, [{ tone: 'pound', afterMs: 50 }]);
	await delivered(stage, from, kindIs('operation recordOperation'));
	sim.media.knobs.recordMs = 60;
	from = sim.callbacks.deliveries.length;
	await graph.call(
		'POST /communications/calls/{id}/recordResponse',
		'POST',
		`${call}/recordResponse`,
		{
			prompts: [prompt(broken)],
			clientContext: randomUUID(),
		},
	);
	await delivered(stage, from, kindIs('operation recordOperation'));

	from = sim.callbacks.deliveries.length;
	await graph.call(
		'POST /communications/calls/{id}/subscribeToTone',
		'POST',
		`${call}/subscribeToTone`,
		{
			clientContext: randomUUID(),
		},
	);
	sim.media.pressKeys(callId, [{ tone: 'tone1', afterMs: 0 }]);
	await delivered(stage, from, kindIs('call tone'));

	from = sim.callbacks.deliveries.length;
	await graph.call(
		'POST /communications/calls/{id}/sendDtmfTones',
		'POST',
		`${call}/sendDtmfTones`,
		{
			tones: ['tone1', 'tone2', 'pound'],
			delayBetweenTonesMs: 10,
			clientContext: randomUUID(),
		},
	);
	await delivered(stage, from, kindIs('operation sendDtmfTonesOperation'));

	const roster = await graph.call(
		'GET /communications/calls/{id}/participants',
		'GET',
		`${call}/participants`,
	);
	const people = isObject(roster.body) && Array.isArray(roster.body.value) ? roster.body.value : [];
	const someone = people.filter(isObject).map((p) => String(p.id))[1];
	if (!someone) throw new Error('nobody to hold');
	from = sim.callbacks.deliveries.length;
	await graph.call(
		'POST /communications/calls/{id}/participants/{id}/startHoldMusic',
		'POST',
		`${call}/participants/${someone}/startHoldMusic`,
		{ customPrompt: prompt(good), clientContext: randomUUID() },
	);
	await delivered(stage, from, kindIs('operation startHoldMusicOperation'));
	from = sim.callbacks.deliveries.length;
	await graph.call(
		'POST /communications/calls/{id}/participants/{id}/stopHoldMusic',
		'POST',
		`${call}/participants/${someone}/stopHoldMusic`,
		{ clientContext: randomUUID() },
	);
	await delivered(stage, from, kindIs('operation stopHoldMusicOperation'));
	// Hold music whose prompt cannot be fetched.
	from = sim.callbacks.deliveries.length;
	await graph.call(
		'POST /communications/calls/{id}/participants/{id}/startHoldMusic',
		'POST',
		`${call}/participants/${someone}/startHoldMusic`,
		{ customPrompt: prompt(broken), clientContext: randomUUID() },
	);
	await delivered(stage, from, kindIs('operation startHoldMusicOperation'));

	// A recording and a prompt cancelled while they run.
	sim.media.knobs.recordMs = 5_000;
	sim.media.knobs.promptPlayMs = 5_000;
	from = sim.callbacks.deliveries.length;
	await graph.call(
		'POST /communications/calls/{id}/recordResponse',
		'POST',
		`${call}/recordResponse`,
		{
			clientContext: randomUUID(),
		},
	);
	await graph.call('POST /communications/calls/{id}/playPrompt', 'POST', `${call}/playPrompt`, {
		prompts: [prompt(good)],
		clientContext: randomUUID(),
	});
	await graph.call(
		'POST /communications/calls/{id}/cancelMediaProcessing',
		'POST',
		`${call}/cancelMediaProcessing`,
		{
			clientContext: randomUUID(),
		},
	);
	await delivered(
		stage,
		from,
		kindIs('operation recordOperation', 'operation playPromptOperation'),
		2,
	);
	sim.media.knobs.recordMs = 60;
	sim.media.knobs.promptPlayMs = 20;
}

/** Transfers (blind, and consultative replacing another call), hang-up, the ended call's record. */
async function endings(stage: Stage, callId: string): Promise<void> {
	const { graph, sim } = stage;
	const blind = await placeCall(stage, USERS.callee);
	let from = sim.callbacks.deliveries.length;
	await graph.call(
		'POST /communications/calls/{id}/transfer',
		'POST',
		`/communications/calls/${blind}/transfer`,
		{
			transferTarget: {
				endpointType: 'default',
				identity: { user: { id: USERS.transferTarget, displayName: 'Heidi Steen' } },
			},
		},
	);
	await delivered(stage, from, kindIs('call terminated'));

	const consulted = await placeCall(stage, USERS.transferTarget);
	const transferred = await placeCall(stage, USERS.callee);
	from = sim.callbacks.deliveries.length;
	await graph.call(
		'POST /communications/calls/{id}/transfer',
		'POST',
		`/communications/calls/${transferred}/transfer`,
		{
			transferTarget: {
				'@odata.type': '#microsoft.graph.invitationParticipantInfo',
				endpointType: 'default',
				identity: {
					'@odata.type': '#microsoft.graph.identitySet',
					user: {
						'@odata.type': '#microsoft.graph.identity',
						id: USERS.transferTarget,
						displayName: 'Heidi Steen',
					},
				},
				replacesCallId: consulted,
			},
		},
	);
	await delivered(stage, from, kindIs('call terminated'), 2);

	from = sim.callbacks.deliveries.length;
	await graph.call(
		'DELETE /communications/calls/{id}',
		'DELETE',
		`/communications/calls/${callId}`,
	);
	await delivered(stage, from, kindIs('call terminated'));
	// The ended call: 404 8522 from now on; its record.
	await graph.call('GET /communications/calls/{id}', 'GET', `/communications/calls/${callId}`);
	await graph.call(
		'POST /communications/calls/{id}/keepAlive',
		'POST',
		`/communications/calls/${callId}/keepAlive`,
	);
	await graph.call(
		'GET /communications/callRecords/{id}',
		'GET',
		`/communications/callRecords/${callId}?$expand=sessions($expand=segments)`,
	);
	await graph.call(
		'GET /communications/callRecords/{id}/sessions',
		'GET',
		`/communications/callRecords/${callId}/sessions?$expand=segments`,
	);
	await graph.call(
		'GET /communications/callRecords/{id}',
		'GET',
		`/communications/callRecords/${randomUUID()}`,
	);
}

/** Calls nobody answers, and calls declined (the simulator's default code, and Graph's 480/10199). */
async function unanswered(stage: Stage): Promise<void> {
	const { graph, sim } = stage;
	const knobs = sim.callbacks.knobs;
	const create = (target: string) => createCallTo(stage, target);
	knobs.neverAnswer = [`user:${USERS.silent}`];
	knobs.decline = [`user:${USERS.declining}`];
	knobs.noAnswerTimeoutMs = 30;
	for (const declineWith of [
		knobs.declineWith,
		{
			'@odata.type': '#microsoft.graph.resultInfo',
			code: 480,
			subcode: 10199,
			message: 'Call rejected as private calling is disabled for the user.',
		},
	]) {
		knobs.declineWith = declineWith;
		const from = sim.callbacks.deliveries.length;
		const silent = idOf(await create(USERS.silent));
		const declined = idOf(await create(USERS.declining));
		await delivered(stage, from, kindIs('call terminated'), 2);
		// A call the far side ended is still there to GET for a while.
		await graph.call('GET /communications/calls/{id}', 'GET', `/communications/calls/${silent}`);
		await graph.call('GET /communications/calls/{id}', 'GET', `/communications/calls/${declined}`);
	}
	knobs.neverAnswer = [];
	knobs.decline = [];
}

/**
 * The softphone plays the people (manualPhones): a call rings until answered there, the person
 * presses a key and hangs up (call-delete's code for the other participant); a call declined
 * there; an invitee who answers there; a caller who hangs up on the bot.
 */
async function softphone(stage: Stage): Promise<void> {
	const { graph, sim } = stage;
	const knobs = sim.callbacks.knobs;
	knobs.manualPhones = true;
	const ringing = async (callId: string, person: string): Promise<string> => {
		const deadline = Date.now() + 10_000;
		for (;;) {
			const leg = sim.phones
				.legsOf(`user:${person}`)
				.find((l) => l.callId === callId && l.state === 'ringing');
			if (leg) return leg.id;
			if (Date.now() > deadline) throw new Error(`no ringing leg for ${person}`);
			await new Promise((resolve) => setTimeout(resolve, 10));
		}
	};
	const create = (target: string) => createCallTo(stage, target);
	try {
		let from = sim.callbacks.deliveries.length;
		const answered = idOf(await create(USERS.callee));
		const leg = await ringing(answered, USERS.callee);
		if (sim.phones.answer(leg) !== undefined) throw new Error('the softphone could not answer');
		await delivered(stage, from, kindIs('call established'));
		await graph.call(
			'POST /communications/calls/{id}/subscribeToTone',
			'POST',
			`/communications/calls/${answered}/subscribeToTone`,
			{ clientContext: 'softphone' },
		);
		from = sim.callbacks.deliveries.length;
		sim.phones.pressKey(leg, '1');
		await delivered(stage, from, kindIs('call tone'));
		from = sim.callbacks.deliveries.length;
		sim.phones.hangUp(leg, sim.getCall(answered));
		await delivered(stage, from, kindIs('call terminated'));

		from = sim.callbacks.deliveries.length;
		const declined = idOf(await create(USERS.declining));
		sim.phones.decline(await ringing(declined, USERS.declining));
		await delivered(stage, from, kindIs('call terminated'));

		const group = idOf(await create(USERS.callee));
		const calleeLeg = await ringing(group, USERS.callee);
		from = sim.callbacks.deliveries.length;
		sim.phones.answer(calleeLeg);
		await delivered(stage, from, kindIs('call established'));
		from = sim.callbacks.deliveries.length;
		await graph.call(
			'POST /communications/calls/{id}/participants/invite',
			'POST',
			`/communications/calls/${group}/participants/invite`,
			{ participants: [userTarget(USERS.invitee)], clientContext: 'softphone' },
		);
		sim.phones.answer(await ringing(group, USERS.invitee));
		await delivered(stage, from, kindIs('operation inviteParticipantsOperation'));
		await graph.call(
			'DELETE /communications/calls/{id}',
			'DELETE',
			`/communications/calls/${group}`,
		);
	} finally {
		knobs.manualPhones = false;
	}
}

/** Someone calls the bot: answered, rejected, redirected, and the legacy format first. */
async function incoming(stage: Stage): Promise<void> {
	const { graph, sim } = stage;
	const place = async (options: { toResourceAccount?: boolean; format?: 'legacy' } = {}) => {
		const placed = await placeIncomingCall(sim, {
			callbackUri: stage.webhook,
			deadlineMs: 5_000,
			...options,
		});
		for (const post of placed.posts) {
			(post.format === 'legacy' ? stage.legacy : stage.incoming).push(post.body);
			stage.posted.push(post.status ?? post.error ?? 'no answer');
		}
		return placed.callId;
	};
	const answered = await place();
	let from = sim.callbacks.deliveries.length;
	await graph.call(
		'POST /communications/calls/{id}/answer',
		'POST',
		`/communications/calls/${answered}/answer`,
		{
			callbackUri: stage.webhook,
			acceptedModalities: ['audio'],
			mediaConfig: SERVICE_HOSTED,
		},
	);
	await delivered(stage, from, kindIs('call established'));
	from = sim.callbacks.deliveries.length;
	await graph.call(
		'DELETE /communications/calls/{id}',
		'DELETE',
		`/communications/calls/${answered}`,
	);
	await delivered(stage, from, kindIs('call terminated'));

	const rejected = await place();
	from = sim.callbacks.deliveries.length;
	await graph.call(
		'POST /communications/calls/{id}/reject',
		'POST',
		`/communications/calls/${rejected}/reject`,
		{
			reason: 'none',
		},
	);
	await delivered(stage, from, kindIs('call without state'));

	const redirected = await place({ toResourceAccount: true });
	from = sim.callbacks.deliveries.length;
	await graph.call(
		'POST /communications/calls/{id}/redirect',
		'POST',
		`/communications/calls/${redirected}/redirect`,
		{
			targets: [userTarget(USERS.callee)],
			callbackUri: stage.webhook,
		},
	);
	await delivered(stage, from, kindIs('call terminated'));

	const legacy = await place({ format: 'legacy' });
	await graph.call(
		'POST /communications/calls/{id}/reject',
		'POST',
		`/communications/calls/${legacy}/reject`,
		{
			reason: 'busy',
		},
	);
}

/** A meeting joined by its organizer's chat, and by its join ID. */
async function meetingCalls(stage: Stage): Promise<void> {
	const { graph, sim } = stage;
	const join = async (body: JsonObject) => {
		const from = sim.callbacks.deliveries.length;
		await graph.call('POST /communications/calls', 'POST', '/communications/calls', {
			'@odata.type': '#microsoft.graph.call',
			callbackUri: stage.webhook,
			requestedModalities: ['audio'],
			mediaConfig: SERVICE_HOSTED,
			tenantId: DEFAULT_TENANT_ID,
			...body,
		});
		await delivered(stage, from, kindIs('call established'));
	};
	await join({
		chatInfo: {
			'@odata.type': '#microsoft.graph.chatInfo',
			threadId: '19:meeting_Win6Ydo4wsMijFjZS00ZGVjLTk5MGUtOTRjNWY2NmNkYTFm@thread.v2',
			messageId: '0',
		},
		meetingInfo: {
			'@odata.type': '#microsoft.graph.organizerMeetingInfo',
			organizer: {
				'@odata.type': '#microsoft.graph.identitySet',
				user: {
					'@odata.type': '#microsoft.graph.identity',
					id: USERS.organizer,
					tenantId: DEFAULT_TENANT_ID,
				},
			},
			allowConversationWithoutHost: true,
		},
	});
	await join({
		meetingInfo: {
			'@odata.type': '#microsoft.graph.joinMeetingIdMeetingInfo',
			joinMeetingId: '1234567',
			passcode: 'psw123',
		},
	});
}

/** Online meetings: create, get by ID and by link, and every refusal. */
async function onlineMeetings(stage: Stage, pass: number): Promise<void> {
	const { graph, sim } = stage;
	const user = USERS.organizer;
	const created = await graph.call(
		'POST /users/{id}/onlineMeetings',
		'POST',
		`/users/${user}/onlineMeetings`,
		{
			startDateTime: '2019-07-12T14:30:34.2444915-07:00',
			endDateTime: '2019-07-12T15:00:34.2464912-07:00',
			subject: 'User Token Meeting',
		},
	);
	const meeting = idOf(created);
	const link = isObject(created.body) ? String(created.body.joinWebUrl) : '';
	await graph.call(
		'GET /users/{id}/onlineMeetings/{id}',
		'GET',
		`/users/${user}/onlineMeetings/${meeting}`,
	);
	await graph.call(
		'GET /users/{id}/onlineMeetings?$filter',
		'GET',
		`/users/${user}/onlineMeetings?$filter=${encodeURIComponent(`JoinWebUrl eq '${link}'`)}`,
	);
	await graph.call(
		'GET /users/{id}/onlineMeetings/{id}',
		'GET',
		`/users/${user}/onlineMeetings/${randomUUID()}`,
	);
	await graph.call('POST /users/{id}/onlineMeetings', 'POST', `/users/${user}/onlineMeetings`, {
		startDateTime: 'tomorrow',
	});
	const policy = worldOf(sim.origin).policy;
	policy.global = false;
	sim.variants.force(
		'access policy refusal',
		ACCESS_POLICY_REFUSALS[pass % ACCESS_POLICY_REFUSALS.length]!.name,
	);
	await graph.call('POST /users/{id}/onlineMeetings', 'POST', `/users/${user}/onlineMeetings`, {
		subject: 'No policy',
	});
	policy.global = true;
}

/** $batch: two invites, the second depending on a first that fails. */
async function batch(stage: Stage, callId: string): Promise<void> {
	const invite = (id: string, user: string, dependsOn?: string[]): JsonObject => ({
		id,
		method: 'POST',
		url: `/communications/calls/${callId}/participants/invite`,
		headers: { 'Content-Type': 'application/json' },
		body: { participants: [userTarget(user)], clientContext: randomUUID() },
		...(dependsOn ? { dependsOn } : {}),
	});
	const routes: Record<string, string> = {
		'1': 'POST /communications/calls/{id}/participants/invite',
		'2': 'POST /communications/calls/{id}/participants/invite',
		'3': 'POST /communications/calls/{id}/participants/invite',
		'4': 'PATCH /communications/calls/{id}',
	};
	const answer = await stage.graph.call('POST /$batch', 'POST', '/$batch', {
		requests: [
			invite('1', USERS.third),
			{
				...invite('2', USERS.second),
				url: `/communications/calls/${randomUUID()}/participants/invite`,
			},
			invite('3', USERS.invitee, ['2']),
			{ id: '4', method: 'PATCH', url: `/communications/calls/${callId}` },
		],
	});
	// Each step's answer is an answer of its own route.
	const responses =
		isObject(answer.body) && Array.isArray(answer.body.responses) ? answer.body.responses : [];
	for (const response of responses.filter(isObject)) {
		const headers = isObject(response.headers) ? response.headers : {};
		const type = Object.entries(headers).find(
			([name]) => name.toLowerCase() === 'content-type',
		)?.[1];
		stage.graph.answers.push({
			route: routes[String(response.id)] ?? `$batch step ${String(response.id)}`,
			status: Number(response.status),
			contentType: typeof type === 'string' ? type : undefined,
			body: response.body ?? undefined,
		});
	}
}

/** The refusals: tokens, roles, bot registration, phone calls, participant removal, paths, methods, sizes, faults. */
async function refusals(stage: Stage, callId: string): Promise<void> {
	const { graph, sim } = stage;
	const call = `/communications/calls/${callId}`;
	const createBody = {
		'@odata.type': '#microsoft.graph.call',
		callbackUri: stage.webhook,
		targets: [userTarget(USERS.callee)],
		requestedModalities: ['audio'],
		mediaConfig: SERVICE_HOSTED,
	};
	await graph.call('GET /communications/calls/{id}', 'GET', call, undefined, '');
	await graph.call('GET /communications/calls/{id}', 'GET', call, undefined, 'not-a-token');
	const noRoles = await graph.token(NO_ROLES_APP, SECRET);
	await graph.call(
		'POST /communications/calls',
		'POST',
		'/communications/calls',
		createBody,
		noRoles,
	);
	await graph.call(
		'GET /users/{id}/onlineMeetings/{id}',
		'GET',
		`/users/${USERS.organizer}/onlineMeetings/x`,
		undefined,
		noRoles,
	);
	const notABot = await graph.token(NOT_A_BOT_APP, SECRET);
	await graph.call(
		'POST /communications/calls',
		'POST',
		'/communications/calls',
		createBody,
		notABot,
	);
	await graph.call('POST /communications/calls', 'POST', '/communications/calls', {
		...createBody,
		targets: [
			{
				'@odata.type': '#microsoft.graph.invitationParticipantInfo',
				identity: {
					'@odata.type': '#microsoft.graph.identitySet',
					phone: { '@odata.type': '#microsoft.graph.identity', id: '+12345678901' },
				},
			},
		],
		source: {
			'@odata.type': '#microsoft.graph.participantInfo',
			identity: {
				'@odata.type': '#microsoft.graph.identitySet',
				applicationInstance: {
					'@odata.type': '#microsoft.graph.identity',
					id: randomUUID(),
					displayName: 'Calling Bot',
				},
			},
		},
		tenantId: DEFAULT_TENANT_ID,
	});
	const noRemove = await graph.token(NO_REMOVE_APP, SECRET);
	const ownCall = idOf(
		await graph.call(
			'POST /communications/calls',
			'POST',
			'/communications/calls',
			{ ...createBody, targets: [userTarget(USERS.invitee), userTarget(USERS.second)] },
			noRemove,
		),
	);
	const roster = await graph.call(
		'GET /communications/calls/{id}/participants',
		'GET',
		`/communications/calls/${ownCall}/participants`,
		undefined,
		noRemove,
	);
	const people =
		isObject(roster.body) && Array.isArray(roster.body.value)
			? roster.body.value.filter(isObject)
			: [];
	const other = people.map((p) => String(p.id))[1] ?? randomUUID();
	await graph.call(
		'DELETE /communications/calls/{id}/participants/{id}',
		'DELETE',
		`/communications/calls/${ownCall}/participants/${other}`,
		undefined,
		noRemove,
	);
	await graph.call('POST /communications/calls', 'POST', '/communications/calls', {
		...createBody,
		callbackUri: 'http://insecure',
	});
	await graph.call('POST /communications/calls', 'POST', '/communications/calls', '{"cut');
	await graph.call(
		'GET /communications/calls/{id}',
		'GET',
		`/communications/calls/${randomUUID()}`,
	);
	await graph.call('GET /communications/calls/{id}/nothing', 'GET', `${call}/nothing`);
	await graph.call('PATCH /communications/calls/{id}/keepAlive', 'PATCH', `${call}/keepAlive`);
	await graph.call(
		'POST /communications/calls',
		'POST',
		'/communications/calls',
		'x'.repeat(MAX_BODY_BYTES + 1),
	);
	// What tests inject: every status the fault knob is used with gets the simulator's default body.
	for (const status of [400, 401, 403, 404, 409, 413, 424, 429, 500, 502, 503, 504]) {
		sim.faults.nextGraphFaults.push({ kind: 'status', status });
		await graph.call('GET /communications/calls/{id}', 'GET', call);
	}
	sim.faults.throttleRate = 1;
	await graph.call('GET /communications/calls/{id}', 'GET', call);
	sim.faults.throttleRate = 0;
}

function forcePass(sim: GraphSimulator, pass: number): string[] {
	const forced: string[] = [];
	for (const [kind, styles] of Object.entries(NOTIFICATION_STYLES)) {
		const style = styles[pass % styles.length]!;
		sim.variants.force(kind as StyledKind, style.name);
		forced.push(`${kind} › ${style.name}`);
	}
	return forced;
}

export async function runScenario(): Promise<Observations> {
	const seed = processVariantSeed();
	const ca = createCertificateAuthority();
	const app = (clientId: string, extra: object) => ({
		tenantId: DEFAULT_TENANT_ID,
		clientId,
		clientSecret: SECRET,
		...extra,
	});
	const sim = await startGraphSimulator({
		ca,
		variantSeed: seed,
		apps: [
			{
				tenantId: DEFAULT_TENANT_ID,
				clientId: DEFAULT_CLIENT_ID,
				clientSecret: DEFAULT_CLIENT_SECRET,
				roles: [
					...Object.values(GRAPH_ROLES),
					'OnlineMeetings.ReadWrite.All',
					'CallRecords.Read.All',
				],
			},
			app(NO_ROLES_APP, { roles: [] }),
			app(NOT_A_BOT_APP, { callingBot: false }),
			app(NO_REMOVE_APP, { allowRemoveParticipant: false }),
		],
	});
	const webhook = await startWebhook(ca);
	try {
		const stage: Stage = {
			sim,
			graph: await graphClient(sim),
			webhook: webhook.url,
			legacy: [],
			incoming: [],
			posted: [],
		};
		const passes = Math.max(...Object.values(NOTIFICATION_STYLES).map((styles) => styles.length));
		const variantsForced: string[] = [];
		for (let pass = 0; pass <= passes; pass++) {
			// The last pass forces nothing: the seed chooses.
			if (pass < passes) variantsForced.push(...forcePass(sim, pass));
			else sim.variants.reset();
			const callId = await callAndParticipants(stage);
			await media(stage, callId);
			await batch(stage, callId);
			if (pass === 0) await refusals(stage, callId);
			await endings(stage, callId);
			await unanswered(stage);
			await softphone(stage);
			await incoming(stage);
			await meetingCalls(stage);
			await onlineMeetings(stage, pass);
		}
		await sim.callbacks.settled();
		// Everything went over the wire to the webhook, and was taken.
		const notTaken = [
			...sim.callbacks.deliveries.map((d) => d.status ?? d.error ?? 'skipped'),
			...stage.posted,
		].filter((status) => status !== 202 && status !== 204);
		if (notTaken.length > 0)
			throw new Error(
				`notifications not taken by the webhook: ${[...new Set(notTaken)].join(', ')}`,
			);
		const envelopes = [
			...sim.callbacks.deliveries.map((d) => d.body as JsonObject),
			...stage.incoming,
		];
		const notifications = envelopes.flatMap((envelope) =>
			(Array.isArray(envelope.value) ? envelope.value : [])
				.filter(isObject)
				.map((notification) => ({
					kind: notificationKind(notification),
					notification,
				})),
		);
		return {
			seed,
			answers: stage.graph.answers,
			envelopes,
			notifications,
			legacy: stage.legacy,
			variantsForced,
		};
	} finally {
		await webhook.close();
		await sim.close();
	}
}
