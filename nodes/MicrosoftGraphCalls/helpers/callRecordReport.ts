/**
 * A call record (callrecords-callrecord-get.md) shaped for a post-incident report: who was on
 * (organizer and every identity the sessions name), when, how long, which media, and each
 * segment's quality figures exactly as Graph gives them (media → streams: jitter, packet loss,
 * round trip…), plus one flat row per stream for tables.
 */
import type { IDataObject } from 'n8n-workflow';

type Json = Record<string, unknown>;

const isRecord = (value: unknown): value is Json =>
	typeof value === 'object' && value !== null && !Array.isArray(value);
const text = (value: unknown): string | null =>
	typeof value === 'string' && value !== '' ? value : null;

/** Seconds since the epoch with every fractional digit Graph gives (it writes seven). */
function instant(value: unknown): number {
	if (typeof value !== 'string') return NaN;
	const match = /^(.*T\d\d:\d\d:\d\d)(\.\d+)?(.*)$/.exec(value);
	if (!match) return Date.parse(value) / 1000;
	return Date.parse(`${match[1]}${match[3]}`) / 1000 + (match[2] ? Number(`0${match[2]}`) : 0);
}

/** Duration in seconds, to the millisecond. */
function seconds(start: unknown, end: unknown): number | null {
	const span = instant(end) - instant(start);
	return Number.isNaN(span) ? null : Math.round(span * 1000) / 1000;
}

/** `{kind, id, displayName, tenantId, userPrincipalName}` of an identitySet or a plain identity. */
function party(value: unknown): Json | null {
	if (!isRecord(value)) return null;
	if (
		typeof value.id === 'string' &&
		!isRecord(value.identity) &&
		(value.displayName !== undefined || value.userPrincipalName !== undefined)
	) {
		return {
			kind: 'user',
			id: value.id,
			displayName: text(value.displayName),
			tenantId: text(value.tenantId),
			userPrincipalName: text(value.userPrincipalName),
		};
	}
	const identitySet = isRecord(value.identity) ? value.identity : value;
	for (const [kind, identity] of Object.entries(identitySet)) {
		if (kind.startsWith('@') || !isRecord(identity)) continue;
		return {
			kind,
			id: text(identity.id),
			displayName: text(identity.displayName),
			tenantId: text(identity.tenantId),
			userPrincipalName: text(identity.userPrincipalName),
		};
	}
	return null;
}

/** A session's caller or callee (participantEndpoint): who, on what client, and their rating. */
function endpoint(value: unknown): Json | null {
	if (!isRecord(value)) return null;
	const who = party(value.associatedIdentity) ?? party(value.identity);
	const agent = isRecord(value.userAgent) ? value.userAgent : {};
	const feedback = isRecord(value.feedback) ? value.feedback : {};
	return {
		...(who ?? { kind: null, id: null, displayName: null }),
		name: text(value.name),
		platform: text(agent.platform),
		productFamily: text(agent.productFamily),
		feedbackRating: text(feedback.rating),
	};
}

export interface ReportInput {
	record: Json;
	sessions: unknown[];
	/** False when the page bound stopped the reading before the last page. */
	allSessionsRead: boolean;
	pagesRead: number;
}

/** A session's caller or callee as a participant of the report. */
function endpointParticipant(end: ReturnType<typeof endpoint>): Json | null {
	return (
		end && {
			kind: end.kind,
			id: end.id,
			displayName: end.displayName,
			tenantId: end.tenantId ?? null,
			userPrincipalName: end.userPrincipalName ?? null,
		}
	);
}

export function callRecordReport({
	record,
	sessions,
	allSessionsRead,
	pagesRead,
}: ReportInput): IDataObject {
	const participants = new Map<string, Json>();
	const add = (who: Json | null) => {
		if (!who || typeof who.id !== 'string') return;
		const key = `${String(who.kind)}:${who.id.toLowerCase()}`;
		const known = participants.get(key);
		participants.set(
			key,
			known
				? { ...who, ...Object.fromEntries(Object.entries(known).filter(([, v]) => v !== null)) }
				: who,
		);
	};
	const organizer = party(record.organizer_v2) ?? party(record.organizer);
	add(organizer);
	for (const list of [record.participants_v2, record.participants])
		if (Array.isArray(list)) list.forEach((p) => add(party(p)));
	const streams: Json[] = [];
	const shapedSessions = sessions.filter(isRecord).map((session) => {
		const caller = endpoint(session.caller);
		const callee = endpoint(session.callee);
		add(endpointParticipant(caller));
		add(endpointParticipant(callee));
		const segments = (Array.isArray(session.segments) ? session.segments : [])
			.filter(isRecord)
			.map((segment) => {
				const media = Array.isArray(segment.media) ? segment.media.filter(isRecord) : [];
				for (const entry of media)
					for (const stream of Array.isArray(entry.streams) ? entry.streams.filter(isRecord) : [])
						streams.push({
							sessionId: text(session.id),
							segmentId: text(segment.id),
							label: text(entry.label),
							...stream,
						});
				return {
					id: text(segment.id),
					startDateTime: text(segment.startDateTime),
					endDateTime: text(segment.endDateTime),
					durationSeconds: seconds(segment.startDateTime, segment.endDateTime),
					failureInfo: isRecord(segment.failureInfo) ? segment.failureInfo : null,
					// Quality figures as Graph gives them: per media label, networks, devices, streams.
					media,
				};
			});
		return {
			id: text(session.id),
			modalities: Array.isArray(session.modalities) ? session.modalities : [],
			startDateTime: text(session.startDateTime),
			endDateTime: text(session.endDateTime),
			durationSeconds: seconds(session.startDateTime, session.endDateTime),
			isTest: session.isTest === true,
			caller,
			callee,
			failureInfo: isRecord(session.failureInfo) ? session.failureInfo : null,
			segments,
		};
	});
	return {
		id: text(record.id),
		version: typeof record.version === 'number' ? record.version : null,
		type: text(record.type),
		modalities: Array.isArray(record.modalities) ? record.modalities : [],
		startDateTime: text(record.startDateTime),
		endDateTime: text(record.endDateTime),
		durationSeconds: seconds(record.startDateTime, record.endDateTime),
		lastModifiedDateTime: text(record.lastModifiedDateTime),
		joinWebUrl: text(record.joinWebUrl),
		organizer,
		participants: [...participants.values()],
		participantCount: participants.size,
		sessionCount: shapedSessions.length,
		allSessionsRead,
		sessionPagesRead: pagesRead,
		sessions: shapedSessions,
		streams,
	} as IDataObject;
}
