/**
 * Validates the body of POST /communications/calls (Create call) and decides what kind of call it
 * is. Every failure is a 400 with a Graph-like message; nothing here has side effects.
 *
 * Rules modelled (Graph's "Create call" reference and the call resource):
 * - callbackUri is required and must be https;
 * - mediaConfig is required: serviceHostedMediaConfig, or appHostedMediaConfig (needs Calls.AccessMedia.All);
 * - requestedModalities: a non-empty list of audio, video, videoBasedScreenSharing, data;
 * - a meeting join gives meetingInfo (organizerMeetingInfo with chatInfo, or joinMeetingIdMeetingInfo)
 *   and tenantId; otherwise targets: one for peer-to-peer, up to five users for a group call;
 * - a phone (PSTN) target needs source.identity.applicationInstance and tenantId.
 */
import { isGuid } from './ids';
import { isJsonObject, parseJson, stringProp, type JsonObject, type JsonValue } from './json';
import { UNREADABLE_JSON_MESSAGE } from './inviteValidation';

export const MAX_GROUP_CALL_TARGETS = 5;
const MODALITIES = ['audio', 'video', 'videoBasedScreenSharing', 'data'];
const E164 = /^\+[1-9]\d{7,14}$/;

export type CreatedCallKind = 'peerToPeer' | 'group' | 'meeting' | 'pstn';

export interface ValidCreateCall {
	kind: CreatedCallKind;
	callbackUri: string;
	appHostedMedia: boolean;
	body: JsonObject;
	/** Targets to put in the roster: `${kind}:${id}` and the identitySet as sent. */
	targets: { identityKey: string; identity: JsonObject }[];
	/** PSTN: the resource account the call comes from. */
	applicationInstanceId?: string;
}

export type CreateCallValidation =
	{ ok: true; call: ValidCreateCall } | { ok: false; message: string };

class Rejection {
	constructor(readonly text: string) {}
}

function odataType(value: JsonValue | undefined): string | undefined {
	return isJsonObject(value) ? stringProp(value, '@odata.type')?.replace(/^#/, '') : undefined;
}

const TARGET_KINDS = ['user', 'application', 'applicationInstance', 'guest', 'phone'];

function targetOf(
	value: JsonValue,
	index: number,
): { identityKey: string; identity: JsonObject; kind: string } {
	const where = `targets[${index}]`;
	if (!isJsonObject(value))
		throw new Rejection(`${where} must be an invitationParticipantInfo object.`);
	const identity = value.identity;
	if (!isJsonObject(identity))
		throw new Rejection(`${where}.identity is required and must be an identitySet object.`);
	for (const kind of TARGET_KINDS) {
		const entry = identity[kind];
		if (entry === undefined || entry === null) continue;
		if (!isJsonObject(entry) || typeof entry.id !== 'string' || !entry.id.trim())
			throw new Rejection(`${where}.identity.${kind}.id is required.`);
		if (kind === 'phone' && !E164.test(entry.id)) {
			throw new Rejection(
				`${where}.identity.phone.id '${entry.id}' is not a valid phone number. Use E.164 format: '+' followed by 8 to 15 digits.`,
			);
		}
		return { identityKey: `${kind}:${entry.id}`, identity, kind };
	}
	throw new Rejection(
		`${where}.identity must contain one of: ${TARGET_KINDS.join(', ')}, each with an id.`,
	);
}

function checkMeetingInfo(payload: JsonObject): void {
	const meetingInfo = payload.meetingInfo as JsonObject;
	const type = odataType(meetingInfo);
	if (type === 'microsoft.graph.organizerMeetingInfo') {
		const chatInfo = payload.chatInfo;
		if (
			!isJsonObject(chatInfo) ||
			typeof chatInfo.threadId !== 'string' ||
			!chatInfo.threadId.startsWith('19:')
		) {
			throw new Rejection(
				'chatInfo.threadId is required to join a meeting with organizerMeetingInfo.',
			);
		}
		const organizer = meetingInfo.organizer;
		const user = isJsonObject(organizer) ? organizer.user : undefined;
		if (!isJsonObject(user) || typeof user.id !== 'string' || !isGuid(user.id)) {
			throw new Rejection("meetingInfo.organizer.user.id must be the organizer's object ID.");
		}
	} else if (type === 'microsoft.graph.joinMeetingIdMeetingInfo') {
		const id = meetingInfo.joinMeetingId;
		if (typeof id !== 'string' || !/^\d+$/.test(id))
			throw new Rejection('meetingInfo.joinMeetingId is required and must contain digits only.');
		if (
			meetingInfo.passcode !== undefined &&
			meetingInfo.passcode !== null &&
			typeof meetingInfo.passcode !== 'string'
		) {
			throw new Rejection('meetingInfo.passcode must be a string.');
		}
	} else {
		throw new Rejection(
			`meetingInfo of type '${type ?? 'none'}' is not supported. Use organizerMeetingInfo (with chatInfo) or joinMeetingIdMeetingInfo.`,
		);
	}
	if (typeof payload.tenantId !== 'string' || !isGuid(payload.tenantId))
		throw new Rejection('tenantId is required to join a meeting.');
}

export function validateCreateCallBody(text: string): CreateCallValidation {
	const parsed = parseJson(text);
	if (!parsed.ok) return { ok: false, message: UNREADABLE_JSON_MESSAGE };
	const payload = parsed.value;
	try {
		if (!isJsonObject(payload)) throw new Rejection('The request body must be a JSON object.');
		const callbackUri = payload.callbackUri;
		if (typeof callbackUri !== 'string' || !callbackUri)
			throw new Rejection('callbackUri is required.');
		if (!/^https:\/\/[^\s/?#]+/i.test(callbackUri))
			throw new Rejection(`callbackUri '${callbackUri}' is invalid: it must be an https URL.`);
		const mediaType = odataType(payload.mediaConfig);
		if (
			mediaType !== 'microsoft.graph.serviceHostedMediaConfig' &&
			mediaType !== 'microsoft.graph.appHostedMediaConfig'
		) {
			throw new Rejection(
				'mediaConfig is required: serviceHostedMediaConfig or appHostedMediaConfig.',
			);
		}
		const modalities = payload.requestedModalities;
		if (
			!Array.isArray(modalities) ||
			modalities.length === 0 ||
			modalities.some((m) => typeof m !== 'string' || !MODALITIES.includes(m))
		) {
			throw new Rejection(
				`requestedModalities must be a non-empty list of: ${MODALITIES.join(', ')}.`,
			);
		}
		const base = {
			callbackUri,
			appHostedMedia: mediaType === 'microsoft.graph.appHostedMediaConfig',
			body: payload,
		};
		if (payload.meetingInfo !== undefined && payload.meetingInfo !== null) {
			checkMeetingInfo(payload);
			return { ok: true, call: { ...base, kind: 'meeting', targets: [] } };
		}
		const targets = payload.targets;
		if (!Array.isArray(targets) || targets.length === 0) {
			throw new Rejection('Either targets or meetingInfo must be specified.');
		}
		if (targets.length > MAX_GROUP_CALL_TARGETS) {
			throw new Rejection(
				`Too many targets: ${targets.length}. A group call can be created with at most ${MAX_GROUP_CALL_TARGETS} participants.`,
			);
		}
		const parsedTargets = targets.map((target, index) => targetOf(target, index));
		if (parsedTargets.some((t) => t.kind === 'phone')) {
			if (parsedTargets.length > 1)
				throw new Rejection('A call to a phone number must have exactly one target.');
			const source = payload.source;
			const identity = isJsonObject(source) ? source.identity : undefined;
			const instance = isJsonObject(identity) ? identity.applicationInstance : undefined;
			if (!isJsonObject(instance) || typeof instance.id !== 'string' || !instance.id) {
				throw new Rejection(
					'source.identity.applicationInstance is required to call a phone number.',
				);
			}
			if (typeof payload.tenantId !== 'string' || !isGuid(payload.tenantId))
				throw new Rejection('tenantId is required to call a phone number.');
			const targetsOnly = parsedTargets.map(({ identityKey, identity: id }) => ({
				identityKey,
				identity: id,
			}));
			return {
				ok: true,
				call: { ...base, kind: 'pstn', targets: targetsOnly, applicationInstanceId: instance.id },
			};
		}
		const kind: CreatedCallKind = parsedTargets.length === 1 ? 'peerToPeer' : 'group';
		return {
			ok: true,
			call: {
				...base,
				kind,
				targets: parsedTargets.map(({ identityKey, identity }) => ({ identityKey, identity })),
			},
		};
	} catch (error) {
		if (error instanceof Rejection) return { ok: false, message: error.text };
		throw error;
	}
}
