/**
 * Online meetings and call records, with the rules Graph documents:
 *
 * Online meetings (application-post-onlinemeetings.md, onlinemeeting-get.md,
 * cloud-communication-online-meeting-application-access-policy.md):
 * - POST /users/{userId}/onlineMeetings: OnlineMeetings.ReadWrite.All; 201 with the meeting,
 *   the user as organizer. GET …/onlineMeetings/{id} and GET …/onlineMeetings?$filter=JoinWebUrl
 *   eq '…': OnlineMeetings.Read.All or ReadWrite.All; the filter answers a list of one.
 * - app-only access needs an application access policy granted to the user (or globally); without
 *   it Graph answers 403 with one of the two documented bodies (chosen as documentedVariants.ts
 *   says): code `Forbidden`, "No Application Access Policy found for this app" (the
 *   access-policy page since microsoft-graph-docs PR #21541, 2023-06-06), or code `General`, "No
 *   application access policy found for this app." (msgraph-sdk-dotnet#2350, 2024-02-20;
 *   msgraph-sdk-powershell#3348, 2025-06-19). The page's older `Unauthorized` body ("App … is not
 *   authorized to Create meeting on behalf of user …") showed no status and is no longer sent.
 *
 * Call records (callrecords-callrecord-get.md, callrecords-api-faq.md):
 * - GET /communications/callRecords/{id}[?$expand=sessions($expand=segments)]:
 *   CallRecords.Read.All. 404 until the record is generated (and after 30 days).
 * - sessions are paged (at most 60 a page): `sessions@odata.nextLink` inside the record, then
 *   GET …/callRecords/{id}/sessions?$expand=segments&$skiptoken=… pages on.
 *
 * State lives per simulator (keyed by its origin), so tests reach it through `worldOf(sim.origin)`.
 */
import { randomBytes } from 'node:crypto';

import type { GraphCallScope } from './callsApi';
import type { SimulatorContext } from './context';
import { graphError, methodNotAllowedError, type GraphResult } from './graphErrors';
import { isGuid } from './ids';
import { isJsonObject, parseJson, type JsonObject, type JsonValue } from './json';

export const MEETING_ROLES = {
	readWrite: 'OnlineMeetings.ReadWrite.All',
	read: 'OnlineMeetings.Read.All',
	callRecords: 'CallRecords.Read.All',
} as const;

/** Graph's page size for sessions in a call record (FAQ: 60). Tests may lower it. */
export const SESSIONS_PAGE_SIZE = 60;

export interface MeetingWorld {
	meetings: Map<string, JsonObject>;
	/** Users an application access policy is granted to; `global` grants it to everyone. */
	policy: { global: boolean; users: Set<string> };
	/** Call records by ID (the call's callChainId); absent: "not generated yet" (404). */
	callRecords: Map<string, JsonObject>;
	sessionsPageSize: number;
}

const worlds = new Map<string, MeetingWorld>();

/** The meetings, access policy and call records of the simulator at `origin`. */
export function worldOf(origin: string): MeetingWorld {
	let world = worlds.get(origin);
	if (!world) {
		world = {
			meetings: new Map(),
			policy: { global: true, users: new Set() },
			callRecords: new Map(),
			sessionsPageSize: SESSIONS_PAGE_SIZE,
		};
		worlds.set(origin, world);
	}
	return world;
}

const lower = (value: string | undefined): string => (value ?? '').toLowerCase();
const hasRole = (scope: GraphCallScope, ...roles: string[]): boolean =>
	scope.claims.roles.some((role) => roles.includes(role));
const forbiddenRole = (): GraphResult =>
	graphError(403, 'Forbidden', 'Insufficient privileges to complete the operation.');

function metadata(ctx: SimulatorContext, scope: GraphCallScope, fragment: string): string {
	return `${ctx.origin}/${scope.apiVersion}/$metadata#${fragment}`;
}

/** Graph's two documented refusals when no application access policy covers the user. */
export const ACCESS_POLICY_REFUSALS = [
	{
		name: 'Forbidden',
		source:
			'concepts/cloud-communication-online-meeting-application-access-policy.md since microsoft-graph-docs PR #21541 (2023-06-06)',
		message: 'No Application Access Policy found for this app',
	},
	{
		name: 'General',
		source:
			'microsoftgraph/msgraph-sdk-dotnet#2350 (2024-02-20), microsoftgraph/msgraph-sdk-powershell#3348 (2025-06-19)',
		message: 'No application access policy found for this app.',
	},
] as const;

function policyRefusal(ctx: SimulatorContext): GraphResult {
	const refusal = ctx.variants.choose('access policy refusal', ACCESS_POLICY_REFUSALS);
	return graphError(403, refusal.name, refusal.message);
}

function policyAllows(world: MeetingWorld, userId: string): boolean {
	return world.policy.global || world.policy.users.has(userId.toLowerCase());
}

/** The long meetup-join link of a meeting, as Teams writes it (lower-case escapes). */
function joinWebUrl(threadId: string, tenantId: string, organizerId: string): string {
	const low = (text: string) => text.replace(/%[0-9A-F]{2}/g, (escape) => escape.toLowerCase());
	const context = low(encodeURIComponent(JSON.stringify({ Tid: tenantId, Oid: organizerId })));
	return `https://teams.microsoft.com/l/meetup-join/${low(encodeURIComponent(threadId))}/0?context=${context}`;
}

function isDateTime(value: JsonValue | undefined): boolean {
	return typeof value === 'string' && !Number.isNaN(Date.parse(value));
}

function createMeeting(
	ctx: SimulatorContext,
	scope: GraphCallScope,
	userId: string,
	text: string,
): GraphResult {
	const parsed = parseJson(text === '' ? '{}' : text);
	if (!parsed.ok || !isJsonObject(parsed.value))
		return graphError(400, 'BadRequest', 'The request body must be a JSON object.');
	const body = parsed.value;
	for (const key of ['startDateTime', 'endDateTime'])
		if (body[key] !== undefined && !isDateTime(body[key]))
			return graphError(400, 'BadRequest', `${key} is not a valid date and time.`);
	if (body.subject !== undefined && typeof body.subject !== 'string')
		return graphError(400, 'BadRequest', 'subject must be a string.');
	if (!hasRole(scope, MEETING_ROLES.readWrite)) return forbiddenRole();
	const world = worldOf(ctx.origin);
	if (!policyAllows(world, userId)) return policyRefusal(ctx);
	const threadId = `19:meeting_${randomBytes(24).toString('base64url')}@thread.v2`;
	const id = Buffer.from(`1*${userId}*0**${threadId}`).toString('base64url');
	const now = new Date();
	const start = typeof body.startDateTime === 'string' ? body.startDateTime : now.toISOString();
	const end =
		typeof body.endDateTime === 'string'
			? body.endDateTime
			: new Date(Date.parse(start) + 3_600_000).toISOString();
	const url = joinWebUrl(threadId, scope.claims.tid, userId);
	const joinMeetingId = String(100_000_000_000 + Math.floor(Math.random() * 899_999_999_999));
	// The properties application-post-onlinemeetings.md's example 1 shows (no audioConferencing:
	// the simulator has no dial-in numbers).
	const meeting: JsonObject = {
		'@odata.type': '#microsoft.graph.onlineMeeting',
		id,
		creationDateTime: now.toISOString(),
		startDateTime: start,
		endDateTime: end,
		joinWebUrl: url,
		subject: typeof body.subject === 'string' ? body.subject : null,
		chatInfo: { threadId, messageId: '0', replyChainMessageId: null },
		joinMeetingIdSettings: {
			isPasscodeRequired: isJsonObject(body.joinMeetingIdSettings)
				? body.joinMeetingIdSettings.isPasscodeRequired === true
				: false,
			joinMeetingId,
			passcode: null,
		},
		participants: {
			organizer: {
				identity: { user: { id: userId, tenantId: scope.claims.tid, displayName: null } },
				role: 'presenter',
				upn: `${userId.slice(0, 8)}@simulator.onmicrosoft.com`,
			},
			attendees: [],
		},
	};
	world.meetings.set(id, { ...meeting, organizerId: userId.toLowerCase() });
	return {
		status: 201,
		body: {
			'@odata.context': metadata(ctx, scope, `users('${userId}')/onlineMeetings/$entity`),
			...meeting,
		},
	};
}

/** A meeting as onlinemeeting-get.md's example 1 shows it (its chatInfo has no replyChainMessageId). */
function publicMeeting(meeting: JsonObject): JsonObject {
	const { organizerId: _organizer, chatInfo, ...rest } = meeting;
	if (!isJsonObject(chatInfo)) return rest;
	const { replyChainMessageId: _reply, ...chat } = chatInfo;
	return { ...rest, chatInfo: chat };
}

/** A meeting in a $filter list, as onlinemeeting-get.md's example 3 shows it: no type, no chatInfo. */
function listedMeeting(meeting: JsonObject): JsonObject {
	const { '@odata.type': _type, chatInfo: _chat, ...rest } = publicMeeting(meeting);
	return rest;
}

function getMeetings(
	ctx: SimulatorContext,
	scope: GraphCallScope,
	userId: string,
	meetingId: string | undefined,
	query: URLSearchParams,
): GraphResult {
	if (!hasRole(scope, MEETING_ROLES.read, MEETING_ROLES.readWrite)) return forbiddenRole();
	const world = worldOf(ctx.origin);
	if (!policyAllows(world, userId)) return policyRefusal(ctx);
	if (meetingId !== undefined) {
		const meeting = world.meetings.get(meetingId);
		if (!meeting || meeting.organizerId !== userId.toLowerCase())
			return graphError(404, 'NotFound', 'The meeting does not exist or the user is not in it.');
		return { status: 200, body: publicMeeting(meeting) };
	}
	const filter = query.get('$filter');
	// onlinemeeting-get.md: the join URL in the filter is URL-encoded; one decoding of the query
	// string leaves the link as Teams writes it.
	const match = filter === null ? null : /^\s*JoinWebUrl\s+eq\s+'(.*)'\s*$/i.exec(filter);
	if (!match)
		return graphError(
			400,
			'BadRequest',
			"Listing a user's online meetings needs $filter=JoinWebUrl eq '…' (or joinMeetingIdSettings/joinMeetingId).",
		);
	const wanted = match[1];
	const found = [...world.meetings.values()].filter(
		(m) => m.organizerId === userId.toLowerCase() && m.joinWebUrl === wanted,
	);
	return { status: 200, body: { value: found.map(listedMeeting) } };
}

// ---- call records -------------------------------------------------------------------------

function sessionsPage(
	ctx: SimulatorContext,
	scope: GraphCallScope,
	recordId: string,
	sessions: JsonValue[],
	offset: number,
	withSegments: boolean,
): { value: JsonValue[]; nextLink?: string } {
	const size = worldOf(ctx.origin).sessionsPageSize;
	const page = sessions.slice(offset, offset + size).map((session) => {
		if (withSegments || !isJsonObject(session)) return session;
		const { segments: _segments, ...rest } = session;
		return rest;
	});
	const next = offset + size;
	if (next >= sessions.length) return { value: page };
	const expand = withSegments ? '$expand=segments&' : '';
	return {
		value: page,
		nextLink: `${ctx.origin}/${scope.apiVersion}/communications/callRecords/${recordId}/sessions?${expand}$skiptoken=${next}`,
	};
}

function getCallRecord(
	ctx: SimulatorContext,
	scope: GraphCallScope,
	recordId: string,
	sub: string | undefined,
	query: URLSearchParams,
): GraphResult {
	if (!hasRole(scope, MEETING_ROLES.callRecords)) return forbiddenRole();
	const world = worldOf(ctx.origin);
	const record =
		world.callRecords.get(recordId.toLowerCase()) ?? recordOfEndedCall(ctx, scope, recordId);
	if (!record)
		return graphError(
			404,
			'NotFound',
			`Call record ${recordId} was not found. Records are generated after the call ends (usually within 15 minutes, up to 60) and kept for 30 days.`,
		);
	const sessions = Array.isArray(record.sessions) ? record.sessions : [];
	const expand = (query.get('$expand') ?? '').replace(/\s/g, '').toLowerCase();
	if (sub !== undefined) {
		const offset = Number(query.get('$skiptoken') ?? '0');
		if (!Number.isInteger(offset) || offset < 0)
			return graphError(400, 'BadRequest', 'The $skiptoken is not valid.');
		const page = sessionsPage(ctx, scope, recordId, sessions, offset, expand === 'segments');
		return {
			status: 200,
			body: {
				'@odata.context': metadata(
					ctx,
					scope,
					`communications/callRecords('${recordId}')/sessions`,
				),
				value: page.value,
				...(page.nextLink ? { '@odata.nextLink': page.nextLink } : {}),
			},
		};
	}
	const { sessions: _sessions, ...rest } = record;
	const body: JsonObject = {
		'@odata.context': metadata(ctx, scope, 'communications/callRecords/$entity'),
		...rest,
	};
	if (expand.startsWith('sessions')) {
		const page = sessionsPage(ctx, scope, recordId, sessions, 0, expand.includes('segments'));
		body.sessions = page.value;
		if (page.nextLink) body['sessions@odata.nextLink'] = page.nextLink;
	}
	return { status: 200, body };
}

/** The routes of this module; undefined hands the request on. */
export function routeMeetingsAndRecords(
	ctx: SimulatorContext,
	scope: GraphCallScope,
	method: string,
	segments: string[],
	body: string,
	query: URLSearchParams,
): GraphResult | undefined {
	const [root, id, collection, itemId, ...rest] = segments;
	if (lower(root) === 'users' && lower(collection) === 'onlinemeetings' && rest.length === 0) {
		if (id === undefined || !isGuid(id))
			return graphError(404, 'NotFound', `User '${id ?? ''}' was not found (use the object ID).`);
		if (method === 'POST' && itemId === undefined) return createMeeting(ctx, scope, id, body);
		if (method === 'GET') return getMeetings(ctx, scope, id, itemId, query);
		return methodNotAllowedError();
	}
	if (lower(root) === 'communications' && lower(id) === 'callrecords' && collection !== undefined) {
		if (itemId !== undefined && lower(itemId) !== 'sessions') return undefined;
		if (rest.length > 0) return undefined;
		if (method !== 'GET') return methodNotAllowedError();
		return getCallRecord(ctx, scope, collection, itemId, query);
	}
	return undefined;
}

/**
 * A call of this app that has ended gets its record on the first request (Graph: "available only
 * after the associated call is completed"); a live call has none yet (404). The simulator's
 * record is small: the roster as participants, one audio session per person the bot talked to.
 */
function recordOfEndedCall(
	ctx: SimulatorContext,
	scope: GraphCallScope,
	recordId: string,
): JsonObject | undefined {
	const call = ctx.registry.getCall(recordId);
	if (
		!call ||
		call.state !== 'terminated' ||
		call.ownerClientId.toLowerCase() !== scope.claims.appid.toLowerCase()
	)
		return undefined;
	const start = new Date(call.createdAt).toISOString();
	const end = new Date(Math.max(Date.now(), call.createdAt + 1000)).toISOString();
	const [bot, ...others] = call.participants;
	// Every call has its bot as the first participant (registry.addCall).
	if (!bot) return undefined;
	const endpoint = (identity: JsonObject): JsonObject => ({
		'@odata.type': '#microsoft.graph.callRecords.participantEndpoint',
		identity,
	});
	const record: JsonObject = {
		version: 1,
		type: call.kind === 'peerToPeer' || call.kind === 'pstn' ? 'peerToPeer' : 'groupCall',
		modalities: ['audio'],
		lastModifiedDateTime: end,
		startDateTime: start,
		endDateTime: end,
		id: call.id,
		organizer_v2: { id: call.ownerClientId, identity: bot.identity },
		sessions: others.map((person, index) => ({
			modalities: ['audio'],
			startDateTime: start,
			endDateTime: end,
			id: `${call.id.slice(0, 24)}${String(index).padStart(12, '0')}`,
			isTest: false,
			caller: endpoint(bot.identity),
			callee: endpoint(person.identity),
			segments: [
				{
					startDateTime: start,
					endDateTime: end,
					id: `${call.id.slice(0, 24)}${String(index).padStart(12, '0')}`,
					media: [
						{
							label: 'main-audio',
							streams: [
								// The stream properties callrecords-callrecord-get.md's example shows.
								{
									streamId: '1',
									streamDirection: 'callerToCallee',
									averageAudioDegradation: null,
									averageJitter: 'PT0.012S',
								},
								{
									streamId: '2',
									streamDirection: 'calleeToCaller',
									averageAudioDegradation: null,
									averageJitter: 'PT0.015S',
								},
							],
						},
					],
				},
			],
		})),
	};
	worldOf(ctx.origin).callRecords.set(call.id.toLowerCase(), record);
	return record;
}

/** Seeds a generated call record (the call ended and Graph has produced its record). */
export function seedCallRecord(origin: string, record: JsonObject): void {
	if (typeof record.id !== 'string') throw new Error('a call record needs an id');
	worldOf(origin).callRecords.set(record.id.toLowerCase(), record);
}
