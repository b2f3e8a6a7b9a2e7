import { isGuid } from '../../../lib/entra/idShapes';
import { tryParseJson, tryParseUrl } from '../../../lib/safeParse';
import { InputProblem, requireText } from './inputProblem';

/** What Graph needs to join a meeting, read from a Teams join link. */
type DecodedJoinUrl =
	| {
			/** The long `…/l/meetup-join/{thread}/{message}?context={"Tid","Oid"}` link. */
			kind: 'organizer';
			threadId: string;
			messageId: string;
			tenantId: string;
			organizerId: string;
	  }
	| {
			/** The short `…/meet/{meeting ID}?p={passcode}` link. */
			kind: 'meetingId';
			joinMeetingId: string;
			passcode?: string;
	  };

const TEAMS_HOSTS = [
	'teams.microsoft.com',
	'teams.microsoft.us',
	'gov.teams.microsoft.us',
	'dod.teams.microsoft.us',
	'teams.cloud.microsoft',
];
/** Chat thread IDs of meetings: `19:meeting_…@thread.v2` (older meetings: other thread suffixes). */
const THREAD_ID = /^19:[A-Za-z0-9_=+/.-]+@thread\.[a-z0-9]+$/i;
export const MEETING_ID = /^\d{6,20}$/;
const MAX_URL_LENGTH = 4096;

const LONG_FORM_EXAMPLE =
	'https://teams.microsoft.com/l/meetup-join/19%3ameeting_…%40thread.v2/0?context=%7b%22Tid%22%3a%22…%22%2c%22Oid%22%3a%22…%22%7d';

function decodeComponent(value: string): string | undefined {
	try {
		return decodeURIComponent(value);
	} catch {
		return undefined;
	}
}

const isSafeLink = (url: URL): boolean =>
	url.hostname.toLowerCase().endsWith('.safelinks.protection.outlook.com');

/** Outlook's Safe Links wrap the real link: `https://*.safelinks.protection.outlook.com/?url=<link>&…`. */
function unwrapSafeLinks(url: URL): URL {
	if (!isSafeLink(url)) return url;
	const inner = url.searchParams.get('url');
	return (inner && tryParseUrl(inner)) || url;
}

/**
 * The join link itself, as text: a link Outlook's Safe Links wrapped is the `url` it carries (what
 * Graph knows the meeting by), any other text is returned as it is.
 */
export function unwrappedJoinLink(text: string): string {
	const url = tryParseUrl(text);
	if (!url || !isSafeLink(url)) return text;
	const inner = url.searchParams.get('url');
	return inner && tryParseUrl(inner) ? inner : text;
}

function decodeLongForm(url: URL, field: string): DecodedJoinUrl {
	// pathname keeps the percent-encoding: /l/meetup-join/19%3ameeting_…%40thread.v2/0
	const segments = url.pathname.split('/').filter((segment) => segment !== '');
	const rawThread = segments[2];
	const threadId = rawThread === undefined ? undefined : decodeComponent(rawThread);
	if (!threadId || !THREAD_ID.test(threadId)) {
		throw new InputProblem(
			field,
			`is a meetup-join link, but its meeting thread ("19:meeting_…@thread.v2") is missing or unreadable. Copy the whole link from the meeting invitation, e.g. ${LONG_FORM_EXAMPLE}.`,
		);
	}
	const messageId = segments[3] === undefined ? '0' : decodeComponent(segments[3]);
	if (!messageId || !/^\d+$/.test(messageId)) {
		throw new InputProblem(
			field,
			`is a meetup-join link, but the part after the thread ("${segments[3]}") is not a message ID (digits, usually 0).`,
		);
	}
	let context = url.searchParams.get('context');
	// Links pasted from some mail clients are encoded twice (%257b…).
	if (context && /^%7b/i.test(context)) context = decodeComponent(context) ?? context;
	if (!context) {
		throw new InputProblem(
			field,
			'is a meetup-join link without its "context" part (?context={"Tid":…,"Oid":…}), which names the tenant and the organizer. Copy the whole link, including everything after the "?".',
		);
	}
	const parsed = tryParseJson(context);
	const value = parsed.ok ? parsed.value : undefined;
	if (!value || typeof value !== 'object' || Array.isArray(value)) {
		throw new InputProblem(
			field,
			'has a "context" part that is not readable JSON, so the tenant and organizer cannot be read from it. Copy the link again from the meeting invitation.',
		);
	}
	const { Tid: tenantId, Oid: organizerId } = value as Record<string, unknown>;
	if (typeof tenantId !== 'string' || !isGuid(tenantId)) {
		throw new InputProblem(
			field,
			'has a "context" part without a tenant ID (Tid) GUID. Copy the link again from the meeting invitation, or use Join Method › Meeting ID and Passcode.',
		);
	}
	if (typeof organizerId !== 'string' || !isGuid(organizerId)) {
		throw new InputProblem(
			field,
			'has a "context" part without the organizer\'s object ID (Oid) GUID. Copy the link again from the meeting invitation, or use Join Method › Meeting ID and Passcode.',
		);
	}
	return { kind: 'organizer', threadId, messageId, tenantId, organizerId };
}

function decodeShortForm(url: URL, field: string): DecodedJoinUrl {
	const segments = url.pathname.split('/').filter((segment) => segment !== '');
	const joinMeetingId = segments[1] ?? '';
	if (!MEETING_ID.test(joinMeetingId)) {
		throw new InputProblem(
			field,
			`is a short meeting link, but "${joinMeetingId}" is not a meeting ID (digits only). Use Join Method › Meeting ID and Passcode, or paste the long meetup-join link.`,
		);
	}
	const passcode = url.searchParams.get('p') ?? undefined;
	return passcode
		? { kind: 'meetingId', joinMeetingId, passcode }
		: { kind: 'meetingId', joinMeetingId };
}

/**
 * An onlineMeeting item (Online Meeting › Create or Get) stands for its join link, so that item
 * can be mapped into Join URL as it is produced.
 */
function joinUrlOfMeeting(raw: unknown): unknown {
	if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return raw;
	const meeting = raw as Record<string, unknown>;
	return meeting.joinWebUrl ?? meeting.joinUrl ?? raw;
}

/**
 * Reads a Teams meeting join link. The long form carries the chat thread, the tenant and the
 * organizer (what Graph's chatInfo + organizerMeetingInfo need); the short /meet/ form carries
 * the meeting ID and passcode (joinMeetingIdMeetingInfo). Anything else is refused with a reason.
 */
export function decodeTeamsJoinUrl(raw: unknown, field = 'Join URL'): DecodedJoinUrl {
	const value = requireText(joinUrlOfMeeting(raw), field).trim();
	if (value === '')
		throw new InputProblem(
			field,
			`is empty. Paste the meeting's join link, e.g. ${LONG_FORM_EXAMPLE}.`,
		);
	if (value.length > MAX_URL_LENGTH)
		throw new InputProblem(
			field,
			`is ${value.length} characters long; a Teams join link is far shorter. Paste the link alone.`,
		);
	const parsed = tryParseUrl(value);
	if (!parsed || (parsed.protocol !== 'https:' && parsed.protocol !== 'http:')) {
		throw new InputProblem(
			field,
			`is not a web link. Paste the meeting's join link, e.g. ${LONG_FORM_EXAMPLE}.`,
		);
	}
	const url = unwrapSafeLinks(parsed);
	const host = url.hostname.toLowerCase();
	if (host === 'teams.live.com') {
		throw new InputProblem(
			field,
			'is a link to a Teams (free) meeting of a personal Microsoft account. Bots can join only meetings of a Microsoft 365 organisation.',
		);
	}
	if (!TEAMS_HOSTS.includes(host)) {
		throw new InputProblem(
			field,
			`points to ${host}, not to Microsoft Teams. Paste the Teams join link itself (if it was shortened or redirected, open it once and copy the teams.microsoft.com address).`,
		);
	}
	const path = url.pathname.toLowerCase();
	if (path.startsWith('/l/meetup-join/')) return decodeLongForm(url, field);
	if (path.startsWith('/meet/')) return decodeShortForm(url, field);
	throw new InputProblem(
		field,
		`is a Teams link, but not a meeting join link that can be decoded (expected …/l/meetup-join/… or …/meet/…; got …${url.pathname.slice(0, 40)}). Copy "Join the meeting now" from the invitation, or use Join Method › Meeting ID and Passcode.`,
	);
}
