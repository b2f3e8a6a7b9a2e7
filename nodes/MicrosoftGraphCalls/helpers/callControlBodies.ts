/**
 * Bodies of the incoming-call actions (answer, reject, redirect) and of transfer, from the form's
 * values. Each field is checked with the name the form shows for it; Graph's limits are from its
 * reference pages (call-answer.md, call-reject.md, call-redirect.md, call-transfer.md).
 */
import type { GraphVersion } from '../transport/types';
import { readCallbackUrl, readModalities, SERVICE_HOSTED_MEDIA, text } from './callBodies/shared';
import { validateGuid, validatePathId, validateTenantId } from './idFields';
import { InputProblem, wrongType } from './inputProblem';
import { readAdditionalFields, readNumber } from './optionValues';
import { participantFromEntry, type ParticipantEntry } from './participants';

/** answer's acceptedModalities (the reference page names these three). */
const ANSWER_MODALITIES = ['audio', 'video', 'videoBasedScreenSharing'] as const;
/** reject's reason: the page's table capitalises them, its examples and the enum are lowercase. */
const REJECT_REASONS = ['none', 'busy', 'forbidden'] as const;
/** redirect: "up to 25" targets (more than one rings them all; the first to pick up wins). */
export const MAX_REDIRECT_TARGETS = 25;
/** redirect's timeout: 15 to 90 seconds inclusive. */
export const REDIRECT_TIMEOUT = { min: 15, max: 90 } as const;
/** serviceHostedMediaConfig.preFetchMedia: not capped by Graph's page; a sane bound for a form. */
export const MAX_PREFETCH = 20;

type Body = Record<string, unknown>;

/** Prompts fetched at answer time, so a later Play Prompt starts without delay. */
function preFetchMedia(raw: unknown, field: string): Body[] {
	const entries = raw && typeof raw === 'object' && !Array.isArray(raw) ? (raw as Body).media : raw;
	if (entries === undefined || entries === null || entries === '') return [];
	const list = Array.isArray(entries) ? entries : [entries];
	if (list.length > MAX_PREFETCH)
		throw new InputProblem(field, `has ${list.length} entries; give at most ${MAX_PREFETCH}.`);
	return list.map((entry, index) => {
		const label = `${field} ${index + 1}`;
		if (!entry || typeof entry !== 'object') throw wrongType(label, 'an entry with a URL', entry);
		const { uri, resourceId } = entry as Body;
		const url = text(uri, `${label} › URL`);
		if (url === undefined)
			throw new InputProblem(
				`${label} › URL`,
				'is empty. Give the https URL of a WAV file (16 kHz, 16-bit, mono).',
			);
		if (!/^https:\/\//i.test(url))
			throw new InputProblem(
				`${label} › URL`,
				`must be an https URL (got "${url.slice(0, 80)}"). To prefetch typed words, add a Typed Prompt instead.`,
			);
		const media: Body = { uri: url };
		const id = text(resourceId, `${label} › Resource ID`);
		if (id !== undefined)
			media.resourceId = validatePathId(
				id,
				`${label} › Resource ID`,
				'1D6DE2D4-CD51-4309-8DAA-70768651088E',
			);
		return media;
	});
}

/** POST /communications/calls/{id}/answer */
export function answerBody(input: {
	acceptedModalities: unknown;
	callbackUrl: unknown;
	extra: unknown;
}): Body {
	const extra = readAdditionalFields(input.extra);
	const body: Body = {};
	const callbackUri = readCallbackUrl(input.callbackUrl, 'Callback URL', false);
	if (callbackUri !== undefined) body.callbackUri = callbackUri;
	body.acceptedModalities = readModalities(
		input.acceptedModalities,
		'Accepted Modalities',
		ANSWER_MODALITIES,
	);
	const prefetch = preFetchMedia(extra.preFetchMedia, 'Additional Fields › Prefetch Media');
	// Service-hosted media always: the workflow has no media server of its own.
	body.mediaConfig = {
		...SERVICE_HOSTED_MEDIA,
		...(prefetch.length > 0 ? { preFetchMedia: prefetch } : {}),
	};
	if (extra.participantCapacity !== undefined && extra.participantCapacity !== '') {
		body.participantCapacity = readNumber(extra.participantCapacity, {
			field: 'Additional Fields › Participant Capacity',
			default: 0,
			min: 1,
			max: 1000,
			whole: true,
		});
	}
	const callOptions: Body = {};
	for (const [key, label] of [
		['hideBotAfterEscalation', 'Hide Bot After Escalation'],
		['isContentSharingNotificationEnabled', 'Content Sharing Notifications'],
	] as const) {
		const value = extra[key];
		if (value === undefined || value === '') continue;
		if (typeof value !== 'boolean')
			throw wrongType(`Additional Fields › ${label}`, 'true or false', value);
		callOptions[key] = value;
	}
	if (Object.keys(callOptions).length > 0) {
		body.callOptions = { '@odata.type': '#microsoft.graph.incomingCallOptions', ...callOptions };
	}
	return body;
}

/** POST /communications/calls/{id}/reject */
export function rejectBody(input: { reason: unknown; extra: unknown }): Body {
	const extra = readAdditionalFields(input.extra);
	const raw = input.reason === undefined || input.reason === '' ? 'none' : input.reason;
	if (typeof raw !== 'string') throw wrongType('Reason', 'text', raw);
	const reason = raw.trim().toLowerCase();
	if (!(REJECT_REASONS as readonly string[]).includes(reason)) {
		throw new InputProblem('Reason', `"${raw}" is not one of ${REJECT_REASONS.join(', ')}.`);
	}
	const body: Body = { reason };
	const callbackUri = readCallbackUrl(extra.callbackUrl, 'Additional Fields › Callback URL', false);
	if (callbackUri !== undefined) body.callbackUri = callbackUri;
	return body;
}

function entriesOf(raw: unknown, field: string): ParticipantEntry[] {
	if (raw === undefined || raw === null || raw === '') return [];
	if (Array.isArray(raw)) return raw as ParticipantEntry[];
	if (typeof raw === 'object') return [raw as ParticipantEntry];
	throw wrongType(field, 'a list of participants', raw);
}

/** POST /communications/calls/{id}/redirect */
export function redirectBody(input: {
	targets: unknown;
	extra: unknown;
	version: GraphVersion;
}): Body {
	const extra = readAdditionalFields(input.extra);
	const entries = entriesOf(input.targets, 'Targets');
	if (entries.length === 0) {
		throw new InputProblem(
			'Targets',
			'is empty. Add who the call goes to instead: a Teams user, a phone number or a resource account.',
		);
	}
	if (entries.length > MAX_REDIRECT_TARGETS) {
		throw new InputProblem(
			'Targets',
			`has ${entries.length} entries; Graph redirects to at most ${MAX_REDIRECT_TARGETS} at once.`,
		);
	}
	const body: Body = {
		targets: entries.map((entry, index) =>
			participantFromEntry(entry, index, input.version, { entry: 'Target', id: 'ID' }),
		),
	};
	if (extra.timeout !== undefined && extra.timeout !== '') {
		body.timeout = readNumber(extra.timeout, {
			field: 'Additional Fields › Timeout (Seconds)',
			default: 55,
			min: REDIRECT_TIMEOUT.min,
			max: REDIRECT_TIMEOUT.max,
			whole: true,
		});
	}
	const callbackUri = readCallbackUrl(extra.callbackUrl, 'Additional Fields › Callback URL', false);
	if (callbackUri !== undefined) body.callbackUri = callbackUri;
	return body;
}

/** POST /communications/calls/{id}/transfer */
export function transferBody(input: {
	target: unknown;
	extra: unknown;
	version: GraphVersion;
}): Body {
	const extra = readAdditionalFields(input.extra);
	const [entry, ...others] = entriesOf(input.target, 'Transfer Target');
	if (entry === undefined) {
		throw new InputProblem(
			'Transfer Target',
			'is empty. Say who the call goes to: a Teams user of this tenant, or a phone number (resource accounts only).',
		);
	}
	if (others.length > 0)
		throw new InputProblem(
			'Transfer Target',
			'names more than one participant; a call is transferred to one.',
		);
	const body: Body = {
		transferTarget: participantFromEntry(entry, 0, input.version, {
			entry: 'Transfer Target',
			id: 'ID',
		}),
	};
	const userField = 'Additional Fields › Transferee User ID';
	const participantField = 'Additional Fields › Transferee Participant ID';
	const userId = text(extra.transfereeUserId, userField);
	const participantId = text(extra.transfereeParticipantId, participantField);
	if (userId !== undefined || participantId !== undefined) {
		// Graph needs the transferee only when transferring out of a group call.
		if (userId === undefined)
			throw new InputProblem(
				userField,
				'is empty while Transferee Participant ID is set. Give both: the user being transferred, and their participant ID in this call.',
			);
		if (participantId === undefined)
			throw new InputProblem(
				participantField,
				'is empty while Transferee User ID is set. Give both; Call Participant › Get Many shows the participant ID.',
			);
		const user: Body = {
			'@odata.type': '#microsoft.graph.identity',
			id: validateGuid(userId, userField, 'a Teams user'),
		};
		const tenantField = 'Additional Fields › Transferee Tenant ID';
		const tenantId = text(extra.transfereeTenantId, tenantField);
		if (tenantId !== undefined) user.tenantId = validateTenantId(tenantId, tenantField);
		body.transferee = {
			'@odata.type': '#microsoft.graph.participantInfo',
			identity: { '@odata.type': '#microsoft.graph.identitySet', user },
			participantId: validatePathId(
				participantId,
				participantField,
				'909c6581-5130-43e9-88f3-fcb3582cde37',
			),
		};
	}
	return body;
}
