/**
 * Validates the body of POST .../participants/invite and decides which participants Graph
 * actually processes. Every failure is a 400 with a Graph-like message; nothing here has side
 * effects, so a rejected request never records an invitation.
 */
import { MAX_CLIENT_CONTEXT_LENGTH, MAX_INVITE_PARTICIPANTS } from './constants';
import { isJsonObject, parseJson, type JsonObject } from './json';

/** identitySet keys that can name an invite target, in the order used to pick the target's kind. */
export const IDENTITY_KINDS = [
	'user',
	'application',
	'applicationInstance',
	'device',
	'guest',
	'phone',
	'acsUser',
	'azureCommunicationServicesUser',
] as const;

/** Documented values of invitationParticipantInfo.endpointType (beta only). */
const BETA_ENDPOINT_TYPES = [
	'default',
	'voicemail',
	'skypeForBusiness',
	'skypeForBusinessVoipPhone',
];

/** E.164: '+', a non-zero country code digit, 8 to 15 digits in all. */
const E164 = /^\+[1-9]\d{7,14}$/;

export const UNREADABLE_JSON_MESSAGE =
	'Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format.';

export interface InviteTarget {
	kind: string;
	id: string;
	/** The invitationParticipantInfo as sent. */
	participant: JsonObject;
	identity: JsonObject;
}

export interface ValidInvite {
	/** Only these are invited: all participants, or just the first (see processedParticipants). */
	processed: InviteTarget[];
	clientContext: string | null;
}

export type InviteValidation = { ok: true; invite: ValidInvite } | { ok: false; message: string };

class InviteRejection {
	constructor(readonly text: string) {}
}

function optionalString(participant: JsonObject, key: string, where: string): string | undefined {
	const value = participant[key];
	if (value === undefined || value === null) return undefined;
	if (typeof value !== 'string') throw new InviteRejection(`${where}.${key} must be a string.`);
	return value;
}

function optionalBoolean(participant: JsonObject, key: string, where: string): void {
	const value = participant[key];
	if (value !== undefined && value !== null && typeof value !== 'boolean') {
		throw new InviteRejection(`${where}.${key} must be a boolean.`);
	}
}

/** Picks the identity that names the target. SDKs send unset kinds as null, so null means absent. */
function targetOf(identity: JsonObject, where: string): { kind: string; id: string } {
	let target: { kind: string; id: string } | undefined;
	for (const kind of IDENTITY_KINDS) {
		const value = identity[kind];
		if (value === undefined || value === null) continue;
		if (!isJsonObject(value))
			throw new InviteRejection(`${where}.identity.${kind} must be an identity object.`);
		const id = value.id;
		if (typeof id !== 'string' || !id.trim())
			throw new InviteRejection(`${where}.identity.${kind}.id is required.`);
		if (kind === 'phone' && !E164.test(id)) {
			throw new InviteRejection(
				`${where}.identity.phone.id '${id}' is not a valid phone number. Use E.164 format: '+' followed by 8 to 15 digits.`,
			);
		}
		target ??= { kind, id };
	}
	if (!target) {
		throw new InviteRejection(
			`${where}.identity must contain at least one of: ${IDENTITY_KINDS.join(', ')}, each with an id.`,
		);
	}
	return target;
}

function validateParticipant(
	value: unknown,
	index: number,
	apiVersion: 'v1.0' | 'beta',
): InviteTarget {
	const where = `participants[${index}]`;
	if (!isJsonObject(value))
		throw new InviteRejection(`${where} must be an invitationParticipantInfo object.`);
	const identity = value.identity;
	if (!isJsonObject(identity))
		throw new InviteRejection(`${where}.identity is required and must be an identitySet object.`);
	const target = targetOf(identity, where);
	optionalString(value, 'replacesCallId', where);
	optionalString(value, 'participantId', where);
	optionalBoolean(value, 'hidden', where);
	optionalBoolean(value, 'removeFromDefaultAudioRoutingGroup', where);
	const endpointType = value.endpointType;
	if (endpointType !== undefined && endpointType !== null) {
		if (apiVersion === 'v1.0') {
			throw new InviteRejection(
				"The property 'endpointType' does not exist on type 'microsoft.graph.invitationParticipantInfo'. " +
					'Make sure to only use property names that are defined by the type or mark the type as open type.',
			);
		}
		if (typeof endpointType !== 'string' || !BETA_ENDPOINT_TYPES.includes(endpointType)) {
			throw new InviteRejection(
				`${where}.endpointType must be one of: ${BETA_ENDPOINT_TYPES.join(', ')}.`,
			);
		}
	}
	return { ...target, participant: value, identity };
}

/**
 * Graph's documented quirk: when the first participant carries replacesCallId or participantId,
 * only that first participant is processed and the others are silently ignored.
 */
function processedParticipants(targets: InviteTarget[]): InviteTarget[] {
	const first = targets[0]?.participant;
	if (!first) return targets;
	const movesOrReplaces =
		typeof first.replacesCallId === 'string' || typeof first.participantId === 'string';
	return movesOrReplaces ? targets.slice(0, 1) : targets;
}

export function validateInviteBody(body: string, apiVersion: 'v1.0' | 'beta'): InviteValidation {
	const parsed = parseJson(body);
	if (!parsed.ok) return { ok: false, message: UNREADABLE_JSON_MESSAGE };
	const payload = parsed.value;
	try {
		if (!isJsonObject(payload))
			throw new InviteRejection('The request body must be a JSON object.');
		const participants = payload.participants;
		if (!Array.isArray(participants) || participants.length === 0) {
			throw new InviteRejection(
				"The 'participants' collection is required and must contain at least one invitationParticipantInfo.",
			);
		}
		if (participants.length > MAX_INVITE_PARTICIPANTS) {
			throw new InviteRejection(
				`Too many participants: ${participants.length}. At most ${MAX_INVITE_PARTICIPANTS} participants can be invited in one request.`,
			);
		}
		const clientContext = payload.clientContext;
		if (
			clientContext !== undefined &&
			clientContext !== null &&
			typeof clientContext !== 'string'
		) {
			throw new InviteRejection('clientContext must be a string.');
		}
		if (typeof clientContext === 'string' && clientContext.length > MAX_CLIENT_CONTEXT_LENGTH) {
			throw new InviteRejection(
				`clientContext cannot be longer than ${MAX_CLIENT_CONTEXT_LENGTH} characters.`,
			);
		}
		const targets = participants.map((p, i) => validateParticipant(p, i, apiVersion));
		return {
			ok: true,
			invite: { processed: processedParticipants(targets), clientContext: clientContext ?? null },
		};
	} catch (error) {
		if (error instanceof InviteRejection) return { ok: false, message: error.text };
		throw error;
	}
}
