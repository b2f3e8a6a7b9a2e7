import type { GraphVersion } from '../transport/types';
import { describeType, InputProblem, wrongType } from './inputProblem';
import { parseJsonInput, parseJsonObject } from './jsonInput';
import {
	checkParticipant,
	checkSingleParticipantRule,
	participantFromEntry,
	type ParticipantEntry,
} from './participants';

export const MAX_CLIENT_CONTEXT_LENGTH = 256;
/** Graph documents up to five participants in one invite. */
const MAX_PARTICIPANTS = 5;
/** The whole request body as sent (participants, client context and additional properties). */
export const MAX_BODY_BYTES = 256 * 1024;

interface InviteInput {
	mode: 'defineBelow' | 'json';
	entries: readonly ParticipantEntry[];
	json: unknown;
	clientContext: unknown;
	additionalBodyProperties: unknown;
	version: GraphVersion;
}

/** JSON mode takes a participants list, or a whole body as the cmdlet's -BodyParameter. */
function bodyFromJson(raw: unknown): Record<string, unknown> {
	const value = parseJsonInput(raw, 'Participants (JSON)');
	if (Array.isArray(value)) return { participants: value };
	if (value && typeof value === 'object' && 'participants' in value)
		return { ...(value as Record<string, unknown>) };
	throw new InputProblem(
		'Participants (JSON)',
		`must be a participants list ([{"identity": …}]) or a request body with "participants", but it is ${value && typeof value === 'object' ? 'an object without "participants"' : describeType(value)}.`,
	);
}

/** The client context Graph echoes back: optional text of at most 256 characters. */
export function clientContextOf(raw: unknown): string | undefined {
	if (raw === undefined || raw === null || raw === '') return undefined;
	if (typeof raw !== 'string') throw wrongType('Client Context', 'text', raw);
	if (raw.length > MAX_CLIENT_CONTEXT_LENGTH) {
		throw new InputProblem(
			'Client Context',
			`is ${raw.length} characters long; Graph accepts at most ${MAX_CLIENT_CONTEXT_LENGTH}.`,
		);
	}
	return raw;
}

/** The invite request body, complete and checked: what Graph will receive, byte for byte. */
export function buildInviteBody(input: InviteInput): Record<string, unknown> {
	let body: Record<string, unknown>;
	if (input.mode === 'json') {
		body = bodyFromJson(input.json);
	} else {
		if (input.entries.length === 0)
			throw new InputProblem('Participants', 'is empty. Add at least one participant.');
		body = {
			participants: input.entries.map((entry, position) =>
				participantFromEntry(entry, position, input.version),
			),
		};
	}
	const extra = input.additionalBodyProperties;
	if (extra !== undefined && extra !== null && extra !== '' && extra !== '{}') {
		const properties = parseJsonObject(extra, 'Options › Additional Body Properties');
		if ('participants' in properties) {
			throw new InputProblem(
				'Options › Additional Body Properties',
				'may not set "participants": use the Participants field.',
			);
		}
		body = { ...body, ...properties };
	}
	const fieldContext = clientContextOf(input.clientContext);
	if (fieldContext !== undefined) body.clientContext = fieldContext;
	else if (body.clientContext !== undefined)
		body.clientContext = clientContextOf(body.clientContext);

	const participants = body.participants;
	if (!Array.isArray(participants)) {
		throw wrongType('Participants', 'a list', participants);
	}
	if (participants.length === 0)
		throw new InputProblem('Participants', 'is empty. Add at least one participant.');
	if (participants.length > MAX_PARTICIPANTS) {
		throw new InputProblem(
			'Participants',
			`has ${participants.length} entries; Graph accepts at most ${MAX_PARTICIPANTS} in one invite. Split them over several items.`,
		);
	}
	participants.forEach((participant, position) =>
		checkParticipant(participant, position, input.version),
	);
	checkSingleParticipantRule(participants as Record<string, unknown>[]);
	const bytes = Buffer.byteLength(JSON.stringify(body), 'utf8');
	if (bytes > MAX_BODY_BYTES) {
		throw new InputProblem(
			'Request Body',
			`is ${bytes} bytes as JSON; the limit is ${MAX_BODY_BYTES}. Shorten the additional body properties.`,
		);
	}
	return body;
}
