import type { GraphVersion } from '../transport/types';
import { describeType, InputProblem } from './inputProblem';
import { validateGuid, validatePathId, validatePhoneNumber, validateTenantId } from './identifiers';

/** The participant kinds offered in the node panel, and the identitySet key each one fills. */
const PARTICIPANT_TYPES = ['user', 'phone', 'application', 'applicationInstance', 'guest'] as const;

/** Every identity key of Graph's communications identitySet. */
const IDENTITY_KINDS = [
	'user',
	'application',
	'device',
	'applicationInstance',
	'guest',
	'phone',
	'azureCommunicationServicesUser',
	'encrypted',
	'onPremises',
];
/** Kinds identified by an Entra object ID, which is always a GUID. */
const GUID_KINDS = new Set(['user', 'application', 'applicationInstance']);
export const ENDPOINT_TYPES = [
	'default',
	'voicemail',
	'skypeForBusiness',
	'skypeForBusinessVoipPhone',
];
export const MAX_DISPLAY_NAME_LENGTH = 256;

/** One participant as the node panel collects it. */
export interface ParticipantEntry {
	type?: unknown;
	id?: unknown;
	displayName?: unknown;
	tenantId?: unknown;
	identityProvider?: unknown;
	replacesCallId?: unknown;
	participantId?: unknown;
	hidden?: unknown;
	removeFromDefaultAudioRoutingGroup?: unknown;
	endpointType?: unknown;
}

/** Graph's invitationParticipantInfo: an open type, so unknown keys pass through. */
type InvitationParticipant = Record<string, unknown> & { identity: Record<string, unknown> };

function optionalText(value: unknown, field: string): string | undefined {
	if (value === undefined || value === null || value === '') return undefined;
	if (typeof value !== 'string')
		throw new InputProblem(field, `must be text, but the value is ${describeType(value)}.`);
	const trimmed = value.trim();
	return trimmed === '' ? undefined : trimmed;
}

function optionalFlag(value: unknown, field: string): boolean | undefined {
	if (value === undefined || value === null || value === '') return undefined;
	if (typeof value !== 'boolean')
		throw new InputProblem(
			field,
			`must be true or false, but the value is ${describeType(value)}.`,
		);
	return value;
}

/** Builds Graph's shape from one panel entry, checking each field on the way. */
export function participantFromEntry(
	entry: ParticipantEntry,
	position: number,
): InvitationParticipant {
	const label = `Participant ${position + 1}`;
	const type = optionalText(entry.type, `${label} › Type`) ?? 'user';
	if (!(PARTICIPANT_TYPES as readonly string[]).includes(type)) {
		throw new InputProblem(
			`${label} › Type`,
			`"${type}" is not one of ${PARTICIPANT_TYPES.join(', ')}.`,
		);
	}
	const id = optionalText(entry.id, `${label} › ID`);
	if (!id)
		throw new InputProblem(
			`${label} › ID`,
			"is empty. Give the user's or app's Entra object ID, or the phone number in E.164.",
		);
	const identity: Record<string, unknown> = { '@odata.type': '#microsoft.graph.identity', id };
	const displayName = optionalText(entry.displayName, `${label} › Display Name`);
	if (displayName !== undefined) identity.displayName = displayName;
	const tenantId = optionalText(entry.tenantId, `${label} › Tenant ID`);
	if (tenantId !== undefined) identity.tenantId = tenantId;
	const identityProvider = optionalText(entry.identityProvider, `${label} › Identity Provider`);
	if (identityProvider !== undefined) identity.identityProvider = identityProvider;

	const participant: InvitationParticipant = {
		'@odata.type': '#microsoft.graph.invitationParticipantInfo',
		identity: { '@odata.type': '#microsoft.graph.identitySet', [type]: identity },
	};
	const replacesCallId = optionalText(entry.replacesCallId, `${label} › Replaces Call ID`);
	if (replacesCallId !== undefined) participant.replacesCallId = replacesCallId;
	const participantId = optionalText(entry.participantId, `${label} › Participant ID`);
	if (participantId !== undefined) participant.participantId = participantId;
	if (optionalFlag(entry.hidden, `${label} › Hidden`)) participant.hidden = true;
	if (
		optionalFlag(
			entry.removeFromDefaultAudioRoutingGroup,
			`${label} › Remove From Default Audio Routing Group`,
		)
	) {
		participant.removeFromDefaultAudioRoutingGroup = true;
	}
	const endpointType = optionalText(entry.endpointType, `${label} › Endpoint Type`);
	if (endpointType !== undefined) participant.endpointType = endpointType;
	return participant;
}

function checkIdentity(identity: Record<string, unknown>, label: string): void {
	const kinds = Object.keys(identity).filter((key) => key !== '@odata.type');
	const known = kinds.filter((kind) => IDENTITY_KINDS.includes(kind));
	if (known.length === 0) {
		throw new InputProblem(
			`${label} › identity`,
			`names no identity. Give one of ${IDENTITY_KINDS.join(', ')} with an id, e.g. {"user": {"id": "…"}}.`,
		);
	}
	for (const kind of known) {
		const value = identity[kind];
		const field = `${label} › identity.${kind}`;
		if (!value || typeof value !== 'object' || Array.isArray(value)) {
			throw new InputProblem(
				field,
				`must be an object with an "id", but the value is ${describeType(value)}.`,
			);
		}
		const fields = value as Record<string, unknown>;
		if (typeof fields.id !== 'string' || fields.id.trim() === '') {
			throw new InputProblem(
				`${field}.id`,
				fields.id === undefined || fields.id === ''
					? 'is missing: every participant needs an ID.'
					: `must be text, but the value is ${describeType(fields.id)}.`,
			);
		}
		if (kind === 'phone') validatePhoneNumber(fields.id, `${field}.id`);
		else if (GUID_KINDS.has(kind))
			validateGuid(
				fields.id,
				`${field}.id`,
				kind === 'user' ? 'a Teams / Entra user' : 'an application',
			);
		else validatePathId(fields.id, `${field}.id`, '278405a3-f568-4b3e-b684-009193463064');
		if (fields.displayName !== undefined) {
			if (typeof fields.displayName !== 'string')
				throw new InputProblem(
					`${field}.displayName`,
					`must be text, but the value is ${describeType(fields.displayName)}.`,
				);
			if (fields.displayName.length > MAX_DISPLAY_NAME_LENGTH)
				throw new InputProblem(
					`${field}.displayName`,
					`is longer than ${MAX_DISPLAY_NAME_LENGTH} characters.`,
				);
		}
		if (fields.tenantId !== undefined) {
			if (typeof fields.tenantId !== 'string')
				throw new InputProblem(
					`${field}.tenantId`,
					`must be text, but the value is ${describeType(fields.tenantId)}.`,
				);
			validateTenantId(fields.tenantId, `${field}.tenantId`);
		}
		if (fields.identityProvider !== undefined && typeof fields.identityProvider !== 'string') {
			throw new InputProblem(
				`${field}.identityProvider`,
				`must be text, but the value is ${describeType(fields.identityProvider)}.`,
			);
		}
		if (
			typeof fields.identityProvider === 'string' &&
			fields.identityProvider.length > MAX_DISPLAY_NAME_LENGTH
		) {
			throw new InputProblem(
				`${field}.identityProvider`,
				`is longer than ${MAX_DISPLAY_NAME_LENGTH} characters.`,
			);
		}
	}
}

/** Checks one participant in Graph's shape, however it was written (panel or JSON). */
export function checkParticipant(value: unknown, position: number, version: GraphVersion): void {
	const label = `Participant ${position + 1}`;
	if (!value || typeof value !== 'object' || Array.isArray(value)) {
		throw new InputProblem(
			label,
			`must be an object with an "identity", but the value is ${describeType(value)}.`,
		);
	}
	const participant = value as Record<string, unknown>;
	const identity = participant.identity;
	if (!identity || typeof identity !== 'object' || Array.isArray(identity)) {
		throw new InputProblem(
			`${label} › identity`,
			identity === undefined
				? 'is missing: say who to invite, e.g. {"identity": {"user": {"id": "…"}}}.'
				: `must be an object, but the value is ${describeType(identity)}.`,
		);
	}
	checkIdentity(identity as Record<string, unknown>, label);
	for (const key of ['replacesCallId', 'participantId'] as const) {
		if (participant[key] !== undefined)
			validatePathId(participant[key], `${label} › ${key}`, 'a7ebfb2d-871e-419c-87af-27290b22e8db');
	}
	for (const key of ['hidden', 'removeFromDefaultAudioRoutingGroup'] as const) {
		if (participant[key] !== undefined && typeof participant[key] !== 'boolean') {
			throw new InputProblem(
				`${label} › ${key}`,
				`must be true or false, but the value is ${describeType(participant[key])}.`,
			);
		}
	}
	if (participant.endpointType !== undefined) {
		if (version !== 'beta') {
			throw new InputProblem(
				`${label} › Endpoint Type`,
				"exists only in Graph's beta API. Set Options › API Version to beta, or leave Endpoint Type empty.",
			);
		}
		if (
			typeof participant.endpointType !== 'string' ||
			!ENDPOINT_TYPES.includes(participant.endpointType)
		) {
			throw new InputProblem(
				`${label} › Endpoint Type`,
				`must be one of ${ENDPOINT_TYPES.join(', ')}.`,
			);
		}
	}
}

/**
 * Graph's note on participant: invite: with replacesCallId or participantId only the first
 * participant is processed and the others are silently dropped. Refuse instead of losing people.
 */
export function checkSingleParticipantRule(participants: readonly Record<string, unknown>[]): void {
	if (participants.length < 2) return;
	const position = participants.findIndex(
		(p) => p.replacesCallId !== undefined || p.participantId !== undefined,
	);
	if (position === -1) return;
	const key =
		participants[position].replacesCallId !== undefined
			? 'Replaces Call ID (replacesCallId)'
			: 'Participant ID (participantId)';
	throw new InputProblem(
		'Participants',
		`${participants.length} participants with ${key} on participant ${position + 1}: Graph then processes only the first participant and silently ignores the others. Send one invite per person (one input item each), or clear ${key} to invite several people at once.`,
	);
}
