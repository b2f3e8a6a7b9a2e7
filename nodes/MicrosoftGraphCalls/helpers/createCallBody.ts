import { isGuid } from '../../../lib/entra/identifiers';
import { tryParseUrl } from '../../../lib/safeParse';
import type { GraphVersion } from '../transport/graphTransport';
import { validateGuid, validatePhoneNumber } from './identifiers';
import { describeType, InputProblem } from './inputProblem';
import { parseJsonObject } from './jsonInput';
import { decodeTeamsJoinUrl, MEETING_ID } from './meetingJoinUrl';
import {
	checkParticipant,
	MAX_DISPLAY_NAME_LENGTH,
	participantFromEntry,
	type ParticipantEntry,
} from './participants';

export const CALL_TYPES = ['peerToPeer', 'groupCall', 'pstn', 'joinMeeting'] as const;
export type CallType = (typeof CALL_TYPES)[number];
export const MODALITIES = ['audio', 'video', 'videoBasedScreenSharing', 'data'] as const;
/** Graph documents group calls of up to five VoIP users. */
export const MAX_GROUP_CALL_TARGETS = 5;
export const MAX_SUBJECT_LENGTH = 256;
export const MAX_CALLBACK_URL_LENGTH = 2048;
const MAX_PASSCODE_LENGTH = 64;

export interface CreateCallInput {
	callType: unknown;
	callbackUrl: unknown;
	modalities: unknown;
	/** Peer-to-peer and group calls: the panel's participant collection (as Invite uses). */
	targets: readonly ParticipantEntry[];
	subject: unknown;
	botDisplayName: unknown;
	/** PSTN */
	applicationInstanceId: unknown;
	applicationInstanceDisplayName: unknown;
	phoneNumber: unknown;
	/** PSTN and Meeting ID: tenant of the call; empty means the credential's tenant. */
	tenantId: unknown;
	/** Join meeting */
	joinMethod: unknown;
	joinUrl: unknown;
	meetingId: unknown;
	passcode: unknown;
	additionalBodyProperties: unknown;
	/** From the credential. */
	clientId: string;
	credentialTenantId: string;
	version: GraphVersion;
}

const identity = (id: string, displayName?: string): Record<string, unknown> => ({
	'@odata.type': '#microsoft.graph.identity',
	...(displayName !== undefined ? { displayName } : {}),
	id,
});

function text(raw: unknown, field: string): string | undefined {
	if (raw === undefined || raw === null) return undefined;
	if (typeof raw !== 'string')
		throw new InputProblem(field, `must be text, but the value is ${describeType(raw)}.`);
	const trimmed = raw.trim();
	return trimmed === '' ? undefined : trimmed;
}

function displayName(raw: unknown, field: string): string | undefined {
	const value = text(raw, field);
	if (value !== undefined && value.length > MAX_DISPLAY_NAME_LENGTH)
		throw new InputProblem(field, `is longer than ${MAX_DISPLAY_NAME_LENGTH} characters.`);
	return value;
}

/** Graph delivers every notification of the call to this URL, and accepts only https. */
export function validateCallbackUrl(raw: unknown, field = 'Callback URL'): string {
	const value = text(raw, field);
	if (value === undefined) {
		throw new InputProblem(
			field,
			"is empty. Graph requires an https URL where it sends the call's notifications: your bot's calling webhook, or the URL of a webhook that receives them.",
		);
	}
	if (value.length > MAX_CALLBACK_URL_LENGTH)
		throw new InputProblem(
			field,
			`is ${value.length} characters long; keep it under ${MAX_CALLBACK_URL_LENGTH}.`,
		);
	const url = tryParseUrl(value);
	if (!url)
		throw new InputProblem(
			field,
			`"${value}" is not a URL. Give an https URL such as https://bot.contoso.com/api/calls.`,
		);
	if (url.protocol !== 'https:') {
		throw new InputProblem(
			field,
			`must use https (got ${url.protocol.replace(':', '')}): Graph delivers call notifications only to https URLs.`,
		);
	}
	if (url.username || url.password)
		throw new InputProblem(field, 'must not contain a user name or password.');
	if (url.hash) throw new InputProblem(field, 'must not contain a #fragment.');
	return value;
}

function modalitiesOf(raw: unknown): string[] {
	const field = 'Requested Modalities';
	if (raw === undefined || raw === null || raw === '') return ['audio'];
	const list =
		typeof raw === 'string'
			? raw
					.split(',')
					.map((entry) => entry.trim())
					.filter(Boolean)
			: raw;
	if (!Array.isArray(list))
		throw new InputProblem(field, `must be a list, but the value is ${describeType(raw)}.`);
	if (list.length === 0) throw new InputProblem(field, 'is empty. Choose at least Audio.');
	for (const entry of list) {
		if (typeof entry !== 'string' || !(MODALITIES as readonly string[]).includes(entry)) {
			throw new InputProblem(field, `"${String(entry)}" is not one of ${MODALITIES.join(', ')}.`);
		}
	}
	return [...new Set(list as string[])];
}

function tenantOf(raw: unknown, credentialTenantId: string, field: string): string {
	const value = text(raw, field);
	if (value !== undefined) return validateGuid(value, field, 'a tenant');
	if (isGuid(credentialTenantId)) return credentialTenantId;
	throw new InputProblem(
		field,
		`is empty and the credential names its tenant by domain ("${credentialTenantId}"). Graph wants the tenant GUID here: give it.`,
	);
}

/** Peer-to-peer and group calls ring Teams users, given in the same collection Invite uses. */
function userTargets(
	entries: readonly ParticipantEntry[],
	callType: 'peerToPeer' | 'groupCall',
	version: GraphVersion,
): Record<string, unknown>[] {
	if (entries.length === 0)
		throw new InputProblem('Targets', 'is empty. Add the Teams user to call.');
	if (callType === 'peerToPeer' && entries.length > 1) {
		throw new InputProblem(
			'Targets',
			`has ${entries.length} entries; a peer-to-peer call rings one user. Choose Call Type › Group Call for 2 to ${MAX_GROUP_CALL_TARGETS} users.`,
		);
	}
	if (callType === 'groupCall' && entries.length === 1) {
		throw new InputProblem(
			'Targets',
			`has one entry; a group call rings 2 to ${MAX_GROUP_CALL_TARGETS} users. For one user choose Call Type › Peer-to-Peer (Teams User); invite more people later with Call Participant › Invite.`,
		);
	}
	if (entries.length > MAX_GROUP_CALL_TARGETS) {
		throw new InputProblem(
			'Targets',
			`has ${entries.length} entries; Graph starts group calls with at most ${MAX_GROUP_CALL_TARGETS} users. Start with five, then add the others with Call Participant › Invite.`,
		);
	}
	return entries.map((entry, position) => {
		const target = participantFromEntry(entry, position);
		checkParticipant(target, position, version);
		const label = `Participant ${position + 1}`;
		const kinds = Object.keys(target.identity).filter((key) => key !== '@odata.type');
		if (kinds.length !== 1 || kinds[0] !== 'user') {
			throw new InputProblem(
				`${label} › Type`,
				'must be Teams / Entra User for peer-to-peer and group calls. To dial a phone number choose Call Type › Phone Number (PSTN); to add bots or resource accounts, invite them once the call is up.',
			);
		}
		for (const key of ['replacesCallId', 'participantId'] as const) {
			if (target[key] !== undefined) {
				throw new InputProblem(
					`${label} › ${key === 'replacesCallId' ? 'Replaces Call ID' : 'Participant ID'}`,
					'applies only to Call Participant › Invite (moving someone into an existing call). Leave it empty when starting a call.',
				);
			}
		}
		return target;
	});
}

function meetingInfo(input: CreateCallInput): Record<string, unknown> {
	const method = text(input.joinMethod, 'Join Method') ?? 'joinUrl';
	if (method === 'joinUrl') {
		const decoded = decodeTeamsJoinUrl(input.joinUrl, 'Join URL');
		if (decoded.kind === 'meetingId') {
			return {
				meetingInfo: {
					'@odata.type': '#microsoft.graph.joinMeetingIdMeetingInfo',
					joinMeetingId: decoded.joinMeetingId,
					...(decoded.passcode !== undefined ? { passcode: decoded.passcode } : {}),
				},
				tenantId: tenantOf(input.tenantId, input.credentialTenantId, 'Tenant ID'),
			};
		}
		return {
			chatInfo: {
				'@odata.type': '#microsoft.graph.chatInfo',
				threadId: decoded.threadId,
				messageId: decoded.messageId,
			},
			meetingInfo: {
				'@odata.type': '#microsoft.graph.organizerMeetingInfo',
				organizer: {
					'@odata.type': '#microsoft.graph.identitySet',
					user: {
						'@odata.type': '#microsoft.graph.identity',
						id: decoded.organizerId,
						tenantId: decoded.tenantId,
					},
				},
			},
			tenantId: decoded.tenantId,
		};
	}
	if (method !== 'meetingId')
		throw new InputProblem('Join Method', `"${method}" is not one of joinUrl, meetingId.`);
	const rawId = text(input.meetingId, 'Meeting ID');
	if (rawId === undefined)
		throw new InputProblem(
			'Meeting ID',
			'is empty. Give the meeting ID from the invitation ("Meeting ID: 123 456 789 012").',
		);
	const joinMeetingId = rawId.replace(/\s+/g, '');
	if (!MEETING_ID.test(joinMeetingId)) {
		throw new InputProblem(
			'Meeting ID',
			`"${rawId}" is not a meeting ID: digits only (spaces are removed), as the invitation shows after "Meeting ID:".`,
		);
	}
	const passcode = text(input.passcode, 'Passcode');
	if (passcode !== undefined && (passcode.length > MAX_PASSCODE_LENGTH || /\s/.test(passcode))) {
		throw new InputProblem(
			'Passcode',
			'must be the passcode alone, without spaces, as the invitation shows after "Passcode:".',
		);
	}
	return {
		meetingInfo: {
			'@odata.type': '#microsoft.graph.joinMeetingIdMeetingInfo',
			joinMeetingId,
			...(passcode !== undefined ? { passcode } : {}),
		},
		tenantId: tenantOf(input.tenantId, input.credentialTenantId, 'Tenant ID'),
	};
}

/** The body of POST /communications/calls for the chosen call type, complete and checked. */
export function buildCreateCallBody(input: CreateCallInput): Record<string, unknown> {
	const callType = text(input.callType, 'Call Type') ?? 'peerToPeer';
	if (!(CALL_TYPES as readonly string[]).includes(callType))
		throw new InputProblem('Call Type', `"${callType}" is not one of ${CALL_TYPES.join(', ')}.`);
	const callbackUri = validateCallbackUrl(input.callbackUrl);
	const requestedModalities = modalitiesOf(input.modalities);
	const mediaConfig = { '@odata.type': '#microsoft.graph.serviceHostedMediaConfig' };
	const botName = displayName(input.botDisplayName, 'Bot Display Name');
	const botSource = {
		'@odata.type': '#microsoft.graph.participantInfo',
		identity: {
			'@odata.type': '#microsoft.graph.identitySet',
			application: identity(input.clientId, botName),
		},
	};

	let body: Record<string, unknown>;
	switch (callType as CallType) {
		case 'peerToPeer':
			body = {
				'@odata.type': '#microsoft.graph.call',
				callbackUri,
				...(botName !== undefined ? { source: botSource } : {}),
				targets: userTargets(input.targets, 'peerToPeer', input.version),
				requestedModalities,
				mediaConfig,
			};
			break;
		case 'groupCall': {
			const subject = text(input.subject, 'Subject');
			if (subject !== undefined && subject.length > MAX_SUBJECT_LENGTH)
				throw new InputProblem('Subject', `is longer than ${MAX_SUBJECT_LENGTH} characters.`);
			body = {
				'@odata.type': '#microsoft.graph.call',
				direction: 'outgoing',
				...(subject !== undefined ? { subject } : {}),
				callbackUri,
				source: botSource,
				targets: userTargets(input.targets, 'groupCall', input.version),
				requestedModalities,
				mediaConfig,
			};
			break;
		}
		case 'pstn': {
			const instanceId = text(input.applicationInstanceId, 'Resource Account ID');
			if (instanceId === undefined) {
				throw new InputProblem(
					'Resource Account ID',
					'is empty. Calls to phone numbers start from a Teams resource account (application instance) with a phone number, linked to this app: give its Entra object ID.',
				);
			}
			validateGuid(instanceId, 'Resource Account ID', 'a resource account');
			const phone = text(input.phoneNumber, 'Phone Number');
			if (phone === undefined)
				throw new InputProblem(
					'Phone Number',
					'is empty. Give the number to call in E.164, e.g. +12345678901.',
				);
			validatePhoneNumber(phone, 'Phone Number');
			body = {
				'@odata.type': '#microsoft.graph.call',
				callbackUri,
				source: {
					'@odata.type': '#microsoft.graph.participantInfo',
					identity: {
						'@odata.type': '#microsoft.graph.identitySet',
						applicationInstance: identity(
							instanceId,
							displayName(input.applicationInstanceDisplayName, 'Resource Account Display Name'),
						),
					},
				},
				targets: [
					{
						'@odata.type': '#microsoft.graph.invitationParticipantInfo',
						identity: { '@odata.type': '#microsoft.graph.identitySet', phone: identity(phone) },
					},
				],
				requestedModalities,
				mediaConfig,
				tenantId: tenantOf(input.tenantId, input.credentialTenantId, 'Tenant ID'),
			};
			break;
		}
		case 'joinMeeting':
			body = {
				'@odata.type': '#microsoft.graph.call',
				callbackUri,
				requestedModalities,
				mediaConfig,
				...meetingInfo(input),
			};
			break;
	}

	const extra = input.additionalBodyProperties;
	if (extra !== undefined && extra !== null && extra !== '' && extra !== '{}') {
		const properties = parseJsonObject(extra, 'Options › Additional Body Properties');
		for (const key of ['callbackUri', 'mediaConfig', '@odata.type']) {
			if (key in properties) {
				throw new InputProblem(
					'Options › Additional Body Properties',
					key === 'mediaConfig'
						? 'may not set "mediaConfig": this node always uses service-hosted media (app-hosted media needs a media bot this node is not).'
						: `may not set "${key}": use the node's own field.`,
				);
			}
		}
		body = { ...body, ...properties };
	}
	return body;
}
