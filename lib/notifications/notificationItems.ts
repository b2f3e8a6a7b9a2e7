/**
 * Turns Graph's `commsNotifications` envelope into readable items: one per notification, with
 * the kind of event, the call, the operation and its outcome, and the raw notification.
 *
 * Shapes handled (every example of Microsoft's calling documentation is in
 * test/fixtures/graph-notifications.json, with the item it must give):
 * - `resourceData` is a list on `…/participants` or `…/operations/participants`, or a list of
 *   `participant`s → rosterUpdated: the invite page shows roster updates posted on both URLs.
 *   Other lists (content sharing sessions) → other.
 * - `/communications/calls/{id}/operations/{opId}` or a `…Operation` type → operationResult. The
 *   operation's own `id` may be null (several people invited at once): the ID is then taken
 *   from the resource URL, unless the URL names no operation (`…/operations/participants`).
 * - `/communications/calls/{id}/participants` → rosterUpdated.
 * - `/communications/calls/{id}` + a call → callStateChanged (`deleted`: the call ended; an
 *   incoming call is state `incoming`).
 * - A call `created` in state `incoming` → incomingCall, with the caller, the callee and what
 *   answering takes (incomingCall.ts). Version 1 of the trigger still calls it callStateChanged.
 * - A call update carrying `toneInfo` (after subscribeToTone) → tone: the key pressed, as Graph
 *   names it (`tone1`, `pound`) and as a key (`1`, `#`), with its sequenceId. Version 1 of the
 *   trigger still calls it callStateChanged.
 * - Media operation results also carry what they add: completionReason (sendDtmfTones reports
 *   "completed" even on failure), and a recording's location and access token.
 * - A call that ended (`deleted`, or state `terminated`) also carries `endReason`: Graph's code,
 *   subcode and message as sent, the documented reason for them, and one readable line
 *   (callEndReasons.ts).
 * - IDs written in upper case without dashes (as some of Graph's notifications do) are given in
 *   the GUID form of its answers; the raw notification keeps them as sent.
 * - Graph writes its enumerations in camelCase ("updated", "established"), but notifications
 *   logged from tenants also show them capitalised ("Updated", "Established":
 *   microsoft-graph-comms-samples#632, #700); changeType and status are given in camelCase
 *   whichever way they came (the raw notification keeps Graph's spelling).
 */
import { isJsonObject, type JsonObject as Json } from '../jsonObject';
import { readCallEnd } from './callEndReasons';
import { incomingCallFields, isIncomingCall } from './incomingCall';

export type NotificationEvent =
	'incomingCall' | 'callStateChanged' | 'tone' | 'rosterUpdated' | 'operationResult' | 'other';

/** Graph's toneInfo names for the keys that are not digits or letters. */
const TONE_KEYS: Record<string, string> = { star: '*', pound: '#', flash: 'flash' };

/** The key a toneInfo names: tone0-tone9 → 0-9, star → *, pound → #, a-d → A-D. */
function keyOfTone(tone: string | null): string | null {
	if (tone === null) return null;
	const digit = /^tone([0-9])$/i.exec(tone);
	if (digit) return digit[1];
	if (/^[a-d]$/i.test(tone)) return tone.toUpperCase();
	return TONE_KEYS[tone.toLowerCase()] ?? null;
}

function text(value: unknown): string | null {
	return typeof value === 'string' && value !== '' ? value : null;
}

/**
 * A call or operation ID in the form Graph's answers use: notifications may write it in upper case
 * without dashes (call-answer.md, call-playprompt.md: "57DAB8B1894C409AB240BD8BEAE78896"), and
 * the next request should name the call as it was created.
 */
function guidForm(id: string | null): string | null {
	if (id === null || !/^[0-9a-f]{32}$/i.test(id)) return id;
	const hex = id.toLowerCase();
	return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** An enumeration value in Graph's camelCase, however it was capitalised ("Established"). */
function enumValue(value: unknown): string | null {
	const raw = text(value);
	return raw === null ? null : raw.charAt(0).toLowerCase() + raw.slice(1);
}

/** The `{kind, id, displayName}` of the first identity in an identitySet. */
export function identityOf(
	identitySet: unknown,
): { kind: string; id: string | null; displayName: string | null } | null {
	if (!isJsonObject(identitySet)) return null;
	for (const [kind, value] of Object.entries(identitySet)) {
		if (kind.startsWith('@') || !isJsonObject(value)) continue;
		return { kind, id: text(value.id), displayName: text(value.displayName) };
	}
	return null;
}

/** A participant (roster entry) or an invitationParticipantInfo, flattened for reading. */
function participantSummary(entry: unknown): Json {
	if (!isJsonObject(entry)) return { raw: entry ?? null };
	const info = isJsonObject(entry.info) ? entry.info : undefined;
	const identity = identityOf(info ? info.identity : entry.identity);
	const summary: Json = {
		participantId: text(entry.id) ?? text(entry.participantId),
		identityKind: identity?.kind ?? null,
		identityId: identity?.id ?? null,
		displayName: identity?.displayName ?? null,
	};
	if (typeof entry.isMuted === 'boolean') summary.isMuted = entry.isMuted;
	if (typeof entry.isInLobby === 'boolean') summary.isInLobby = entry.isInLobby;
	return summary;
}

/**
 * What an operation ID looks like in a resource URL: a GUID, with or without dashes, in either
 * case (the documentation shows both). `participants` in `…/operations/participants` is not one.
 */
const OPERATION_ID = /^(?!participants$)[A-Za-z0-9-]{1,64}$/i;

interface ResourcePath {
	callId: string | null;
	kind: 'call' | 'participants' | 'operation' | 'other';
	operationId: string | null;
	/** `…/operations/participants`: a roster update, or an invite result without its own ID. */
	operationsParticipants?: boolean;
}

function parseResource(resource: string | null): ResourcePath {
	if (!resource) return { callId: null, kind: 'other', operationId: null };
	const path = resource.replace(/^https?:\/\/[^/]+/i, '').split('?')[0];
	const segments = path.split('/').filter(Boolean);
	// Tolerate a version prefix and the older /app/calls alias.
	const callsIndex = segments.findIndex(
		(segment, index) => segment.toLowerCase() === 'calls' && index > 0,
	);
	if (callsIndex < 0 || segments[callsIndex + 1] === undefined)
		return { callId: null, kind: 'other', operationId: null };
	const callId = segments[callsIndex + 1];
	const rest = segments.slice(callsIndex + 2).map((segment) => segment.toLowerCase());
	if (rest.length === 0) return { callId, kind: 'call', operationId: null };
	if (rest.length === 1 && rest[0] === 'participants')
		return { callId, kind: 'participants', operationId: null };
	if (rest.length === 2 && rest[0] === 'operations') {
		const id = segments[callsIndex + 3];
		return {
			callId,
			kind: 'operation',
			operationId: OPERATION_ID.test(id) ? id : null,
			operationsParticipants: rest[1] === 'participants',
		};
	}
	return { callId, kind: 'other', operationId: null };
}

function odataType(value: unknown): string {
	return isJsonObject(value) && typeof value['@odata.type'] === 'string'
		? value['@odata.type']
		: '';
}

function isParticipant(entry: unknown): boolean {
	return odataType(entry).toLowerCase() === '#microsoft.graph.participant';
}

/** One readable item for one notification of the envelope. */
export function describeNotification(notification: unknown): Json {
	const raw = isJsonObject(notification) ? notification : {};
	const resourceUrl = text(raw.resourceUrl) ?? text(raw.resource);
	const changeType = enumValue(raw.changeType);
	const resourceData = raw.resourceData;
	const path = parseResource(resourceUrl);
	const item: Json = {
		event: 'other',
		changeType,
		resourceUrl,
		callId: guidForm(path.callId),
		operationId: null,
		clientContext: null,
		status: null,
		resultInfo: null,
		participants: [],
	};

	const type = odataType(resourceData).toLowerCase();
	if (Array.isArray(resourceData)) {
		if (
			path.kind === 'participants' ||
			path.operationsParticipants === true ||
			(resourceData.length > 0 && resourceData.every(isParticipant))
		) {
			item.event = 'rosterUpdated';
			item.participants = resourceData.map(participantSummary);
		}
	} else if (path.kind === 'operation' || type.endsWith('operation')) {
		const operation = isJsonObject(resourceData) ? resourceData : {};
		item.event = 'operationResult';
		item.operationType = odataType(operation).replace(/^#microsoft\.graph\./, '') || null;
		item.operationId = guidForm(text(operation.id) ?? path.operationId);
		item.clientContext = text(operation.clientContext);
		item.status = enumValue(operation.status);
		item.resultInfo = isJsonObject(operation.resultInfo) ? operation.resultInfo : null;
		item.participants = Array.isArray(operation.participants)
			? operation.participants.map(participantSummary)
			: [];
		// Media operations: only when Graph sends them, so other results stay as they were.
		for (const field of ['completionReason', 'recordingLocation', 'recordingAccessToken']) {
			if (typeof operation[field] === 'string') item[field] = operation[field];
		}
	} else if (path.kind === 'participants') {
		item.event = 'rosterUpdated';
		const list =
			isJsonObject(resourceData) && Array.isArray(resourceData.participants)
				? resourceData.participants
				: [];
		item.participants = list.map(participantSummary);
	} else if (path.kind === 'call' || type === '#microsoft.graph.call') {
		const call = isJsonObject(resourceData) ? resourceData : {};
		item.event = 'callStateChanged';
		item.callId = guidForm(path.callId ?? text(call.id));
		item.status = enumValue(call.state) ?? (changeType === 'deleted' ? 'terminated' : null);
		item.clientContext = text(call.clientContext);
		item.resultInfo = isJsonObject(call.resultInfo) ? call.resultInfo : null;
		item.participants = [];
		if (item.status === 'terminated' || changeType === 'deleted')
			item.endReason = { ...readCallEnd(call.resultInfo, call.terminationReason) };
		if (isIncomingCall(changeType, { ...call, state: item.status })) {
			item.event = 'incomingCall';
			Object.assign(item, incomingCallFields(call, Date.now()));
		} else if (isJsonObject(call.toneInfo)) {
			item.event = 'tone';
			item.tone = text(call.toneInfo.tone);
			item.key = keyOfTone(item.tone as string | null);
			item.sequenceId =
				typeof call.toneInfo.sequenceId === 'number' ? call.toneInfo.sequenceId : null;
		}
	}
	item.notification = raw;
	return item;
}

export type EnvelopeRead = { ok: true; notifications: unknown[] } | { ok: false; reason: string };

/** A commsNotification names what it is about: `resourceUrl` (or the legacy `resource`). */
const isNotification = (entry: unknown): boolean =>
	isJsonObject(entry) &&
	(typeof entry.resourceUrl === 'string' || typeof entry.resource === 'string');

/**
 * The `value` list of a commsNotifications envelope (a single bare notification is accepted too).
 * Every entry must be a notification object: anything else in the list is not Graph's.
 */
export function readEnvelope(body: unknown): EnvelopeRead {
	if (!isJsonObject(body)) return { ok: false, reason: 'the body is not a JSON object' };
	if (Array.isArray(body.value)) {
		const index = body.value.findIndex((entry) => !isNotification(entry));
		if (index >= 0)
			return {
				ok: false,
				reason: `entry ${index + 1} of "value" is not a notification (an object with a resourceUrl)`,
			};
		return { ok: true, notifications: body.value };
	}
	if (isNotification(body)) return { ok: true, notifications: [body] };
	return { ok: false, reason: 'the body is not a commsNotifications envelope (no "value" list)' };
}
