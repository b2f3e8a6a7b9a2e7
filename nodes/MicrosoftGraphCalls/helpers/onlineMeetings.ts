/**
 * Online meetings (application-post-onlinemeetings.md, onlinemeeting-get.md): the organizer's
 * path, the create body from the form, and the $filter that finds a meeting by its join link.
 */
import { text } from './callBodies/shared';
import { validateGuid, validatePathId } from './idFields';
import { InputProblem, wrongType } from './inputProblem';
import { decodeTeamsJoinUrl, unwrappedJoinLink } from './meetingJoinUrl';

const MAX_SUBJECT_LENGTH = 255;

/** The organizer: Graph creates the meeting on this user's behalf (Entra object ID). */
export function readOrganizerId(raw: unknown, field = 'Organizer User ID'): string {
	const value = text(raw, field);
	if (value === undefined)
		throw new InputProblem(
			field,
			'is empty. Give the Entra object ID of the user the meeting is created for (the organizer), e.g. 278405a3-f568-4b3e-b684-009193463064; the application access policy must be granted to that user.',
		);
	return validateGuid(value, field, 'a user');
}

export function meetingsPath(userId: string, meetingId?: string): string {
	const base = `/users/${encodeURIComponent(userId)}/onlineMeetings`;
	return meetingId === undefined ? base : `${base}/${encodeURIComponent(meetingId)}`;
}

/** A meeting's ID from the form, or from an item Online Meeting › Create/Get produced. */
export function readMeetingId(raw: unknown, field = 'Meeting ID'): string {
	const value =
		raw && typeof raw === 'object' && !Array.isArray(raw)
			? (raw as Record<string, unknown>).id
			: raw;
	return validatePathId(
		typeof value === 'string' ? value.trim() : value,
		field,
		'MSpkYzE3Njc0Yy04MWQ5LTRhZGItYmZiMi04ZjZhNDQyZTRkZTMqMCoqMTk6bWVldGluZ19…',
	);
}

/**
 * GET …/onlineMeetings?$filter=JoinWebUrl eq '…': Graph wants the join link URL-encoded inside
 * the filter (its example shows %3a as %253a on the wire), so it is encoded once here and the
 * rest of the filter as a query string would be.
 */
export function meetingByJoinUrlPath(userId: string, raw: unknown, field = 'Join URL'): string {
	decodeTeamsJoinUrl(joinUrlText(raw, field), field); // a Teams join link, or a clear refusal naming the field
	// Graph knows the meeting by its own link, not by the Safe Links wrapper around it.
	const joinUrl = unwrappedJoinLink(joinUrlText(raw, field));
	if (joinUrl.includes("'"))
		throw new InputProblem(
			field,
			'contains a quote ("\'"), which no Teams join link has. Copy the link again.',
		);
	return `${meetingsPath(userId)}?$filter=JoinWebUrl%20eq%20'${encodeURIComponent(joinUrl)}'`;
}

/**
 * The join link as text: an onlineMeeting item (Online Meeting › Create or Get) is accepted as it
 * is, so its output can be mapped into Call › Create › Join URL without picking a field.
 */
function joinUrlText(raw: unknown, field = 'Join URL'): string {
	if (raw && typeof raw === 'object' && !Array.isArray(raw)) {
		const meeting = raw as Record<string, unknown>;
		const url = meeting.joinWebUrl ?? meeting.joinUrl;
		if (typeof url === 'string') return url.trim();
		throw new InputProblem(
			field,
			'is an object without "joinWebUrl": give the join link, or an Online Meeting item as Online Meeting › Create or Get produce it.',
		);
	}
	if (typeof raw !== 'string') throw wrongType(field, 'text (the join link)', raw);
	return raw.trim();
}

function dateTime(raw: unknown, field: string): string | undefined {
	if (raw === undefined || raw === null || raw === '') return undefined;
	const value = raw instanceof Date ? raw.toISOString() : raw;
	if (typeof value !== 'string') throw wrongType(field, 'a date and time', raw);
	if (Number.isNaN(Date.parse(value)))
		throw new InputProblem(
			field,
			`"${value.slice(0, 40)}" is not a date and time, e.g. 2026-12-01T14:30:00Z.`,
		);
	return value;
}

/** POST /users/{id}/onlineMeetings: an onlineMeeting with the fields the form offers. */
export function meetingBody(input: {
	subject: unknown;
	startDateTime: unknown;
	endDateTime: unknown;
	extra: Record<string, unknown>;
}): Record<string, unknown> {
	const body: Record<string, unknown> = {};
	const subject = text(input.subject, 'Subject');
	if (subject !== undefined) {
		if (subject.length > MAX_SUBJECT_LENGTH)
			throw new InputProblem('Subject', `is longer than ${MAX_SUBJECT_LENGTH} characters.`);
		body.subject = subject;
	}
	const start = dateTime(input.startDateTime, 'Start');
	const end = dateTime(input.endDateTime, 'End');
	if (start !== undefined) body.startDateTime = start;
	if (end !== undefined) body.endDateTime = end;
	if (start !== undefined && end !== undefined && Date.parse(end) <= Date.parse(start))
		throw new InputProblem('End', 'must be after Start.');
	const passcode = input.extra.isPasscodeRequired;
	if (passcode !== undefined && passcode !== '') {
		if (typeof passcode !== 'boolean')
			throw wrongType('Additional Fields › Passcode Required', 'true or false', passcode);
		body.joinMeetingIdSettings = { isPasscodeRequired: passcode };
	}
	return body;
}
