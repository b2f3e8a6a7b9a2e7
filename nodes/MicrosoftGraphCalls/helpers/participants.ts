import type { GraphVersion } from '../transport/types';
import { describeType, InputProblem, wrongType } from './inputProblem';
import { validateGuid, validatePathId, validatePhoneNumber, validateTenantId } from './idFields';

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

/** The fields of a participant's "Additional Fields" collection (flat in older workflows). */
interface AdditionalParticipantFields {
	tenantId?: unknown;
	identityProvider?: unknown;
	replacesCallId?: unknown;
	participantId?: unknown;
	hidden?: unknown;
	removeFromDefaultAudioRoutingGroup?: unknown;
	endpointType?: unknown;
}

/** One participant as the node panel collects it. */
export interface ParticipantEntry extends AdditionalParticipantFields {
	type?: unknown;
	id?: unknown;
	displayName?: unknown;
	additionalFields?: unknown;
}

/** Graph's invitationParticipantInfo: an open type, so unknown keys pass through. */
type InvitationParticipant = Record<string, unknown> & { identity: Record<string, unknown> };

function optionalText(value: unknown, field: string): string | undefined {
	if (value === undefined || value === null || value === '') return undefined;
	if (typeof value !== 'string') throw wrongType(field, 'text', value);
	const trimmed = value.trim();
	return trimmed === '' ? undefined : trimmed;
}

function optionalFlag(value: unknown, field: string): boolean | undefined {
	if (value === undefined || value === null || value === '') return undefined;
	if (typeof value !== 'boolean') throw wrongType(field, 'true or false', value);
	return value;
}

/** How each participant type is named after "ID" in errors, e.g. "ID (phone number)". */
const ID_KIND_LABELS: Record<(typeof PARTICIPANT_TYPES)[number], string> = {
	user: 'Teams / Entra user',
	phone: 'phone number',
	application: 'application',
	applicationInstance: 'resource account',
	guest: 'guest',
};

/** The rarely used fields sit in "Additional Fields"; older workflows keep them flat. */
function entryField(entry: ParticipantEntry, name: keyof AdditionalParticipantFields): unknown {
	const extra = entry.additionalFields;
	const nested =
		extra && typeof extra === 'object' && !Array.isArray(extra)
			? (extra as AdditionalParticipantFields)[name]
			: undefined;
	return nested ?? entry[name];
}

/** The entry's ID, checked as the form names it: "Participant 1 › ID (phone number)". */
function checkedId(
	raw: unknown,
	type: (typeof PARTICIPANT_TYPES)[number],
	label: string,
	idLabel: string,
	kindInId: boolean,
): string {
	const field = kindInId
		? `${label} › ${idLabel} (${ID_KIND_LABELS[type]})`
		: `${label} › ${idLabel}`;
	const id = optionalText(raw, field);
	if (!id) {
		throw new InputProblem(
			field,
			type === 'phone'
				? 'is empty. Give the phone number in E.164, e.g. +12345678901.'
				: "is empty. Give the user's or app's Entra object ID, e.g. 278405a3-f568-4b3e-b684-009193463064.",
		);
	}
	if (type === 'phone') return validatePhoneNumber(id, field);
	if (GUID_KINDS.has(type)) return validateGuid(id, field, `a ${ID_KIND_LABELS[type]}`);
	return validatePathId(id, field, '278405a3-f568-4b3e-b684-009193463064');
}

/**
 * Builds Graph's shape from one form entry, checking each field on the way with the name the
 * form shows for it (JSON paths are for JSON mode only).
 */
export function participantFromEntry(
	entry: ParticipantEntry,
	position: number,
	version: GraphVersion,
	/** How the form names the entry and its ID; a target's ID needs no kind ("User ID"). */
	naming: { entry: string; id: string; kindInId?: boolean } = { entry: 'Participant', id: 'ID' },
): InvitationParticipant {
	const label = `${naming.entry} ${position + 1}`;
	/** The field as the form shows it: inside Additional Fields (version 2) or flat (version 1). */
	const fieldName = (name: keyof AdditionalParticipantFields, display: string): string =>
		entry[name] !== undefined && entry.additionalFields === undefined
			? `${label} › ${display}`
			: `${label} › Additional Fields › ${display}`;
	const type = optionalText(entry.type, `${label} › Type`) ?? 'user';
	if (!(PARTICIPANT_TYPES as readonly string[]).includes(type)) {
		throw new InputProblem(
			`${label} › Type`,
			`"${type}" is not one of ${PARTICIPANT_TYPES.join(', ')}.`,
		);
	}
	const kind = type as (typeof PARTICIPANT_TYPES)[number];
	const identity: Record<string, unknown> = {
		'@odata.type': '#microsoft.graph.identity',
		id: checkedId(entry.id, kind, label, naming.id, naming.kindInId ?? true),
	};
	const displayName = optionalText(entry.displayName, `${label} › Display Name`);
	if (displayName !== undefined) {
		if (displayName.length > MAX_DISPLAY_NAME_LENGTH) {
			throw new InputProblem(
				`${label} › Display Name`,
				`is longer than ${MAX_DISPLAY_NAME_LENGTH} characters.`,
			);
		}
		identity.displayName = displayName;
	}
	const tenantField = fieldName('tenantId', 'Tenant ID');
	const tenantId = optionalText(entryField(entry, 'tenantId'), tenantField);
	if (tenantId !== undefined) identity.tenantId = validateTenantId(tenantId, tenantField);
	const providerField = fieldName('identityProvider', 'Identity Provider');
	const identityProvider = optionalText(entryField(entry, 'identityProvider'), providerField);
	if (identityProvider !== undefined) {
		if (identityProvider.length > MAX_DISPLAY_NAME_LENGTH) {
			throw new InputProblem(
				providerField,
				`is longer than ${MAX_DISPLAY_NAME_LENGTH} characters.`,
			);
		}
		identity.identityProvider = identityProvider;
	}

	const participant: InvitationParticipant = {
		'@odata.type': '#microsoft.graph.invitationParticipantInfo',
		identity: { '@odata.type': '#microsoft.graph.identitySet', [type]: identity },
	};
	const replacesCallId = optionalText(
		entryField(entry, 'replacesCallId'),
		fieldName('replacesCallId', 'Replaces Call ID'),
	);
	if (replacesCallId !== undefined) {
		participant.replacesCallId = validatePathId(
			replacesCallId,
			fieldName('replacesCallId', 'Replaces Call ID'),
			'a7ebfb2d-871e-419c-87af-27290b22e8db',
		);
	}
	const participantId = optionalText(
		entryField(entry, 'participantId'),
		fieldName('participantId', 'Participant ID'),
	);
	if (participantId !== undefined) {
		participant.participantId = validatePathId(
			participantId,
			fieldName('participantId', 'Participant ID'),
			'a7ebfb2d-871e-419c-87af-27290b22e8db',
		);
	}
	if (optionalFlag(entryField(entry, 'hidden'), fieldName('hidden', 'Hidden')))
		participant.hidden = true;
	if (
		optionalFlag(
			entryField(entry, 'removeFromDefaultAudioRoutingGroup'),
			fieldName('removeFromDefaultAudioRoutingGroup', 'Remove From Default Audio Routing Group'),
		)
	) {
		participant.removeFromDefaultAudioRoutingGroup = true;
	}
	const endpointField = fieldName('endpointType', 'Endpoint Type');
	const endpointType = optionalText(entryField(entry, 'endpointType'), endpointField);
	if (endpointType !== undefined) {
		if (version !== 'beta') {
			throw new InputProblem(
				endpointField,
				"exists only in Graph's beta API. Set Options › API Version to Beta, or remove Endpoint Type.",
			);
		}
		if (!ENDPOINT_TYPES.includes(endpointType)) {
			throw new InputProblem(endpointField, `must be one of ${ENDPOINT_TYPES.join(', ')}.`);
		}
		participant.endpointType = endpointType;
	}
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
			throw wrongType(field, 'an object with an "id"', value);
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
				throw wrongType(`${field}.displayName`, 'text', fields.displayName);
			if (fields.displayName.length > MAX_DISPLAY_NAME_LENGTH)
				throw new InputProblem(
					`${field}.displayName`,
					`is longer than ${MAX_DISPLAY_NAME_LENGTH} characters.`,
				);
		}
		if (fields.tenantId !== undefined) {
			if (typeof fields.tenantId !== 'string')
				throw wrongType(`${field}.tenantId`, 'text', fields.tenantId);
			validateTenantId(fields.tenantId, `${field}.tenantId`);
		}
		if (fields.identityProvider !== undefined && typeof fields.identityProvider !== 'string') {
			throw wrongType(`${field}.identityProvider`, 'text', fields.identityProvider);
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
		throw wrongType(label, 'an object with an "identity"', value);
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
			throw wrongType(`${label} › ${key}`, 'true or false', participant[key]);
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
