/**
 * How the simulator writes a call's notifications: each style imitates one of Microsoft's
 * examples, and where the examples disagree the simulator chooses among them
 * (documentedVariants.ts, seeded). The examples, quoted with page or issue and date, are in
 * test/fixtures/graph-notifications.json; simulator.conformance.test.ts holds every
 * notification the simulator sends against them.
 *
 * Where the examples disagree:
 * - the call's `callbackUri`: inside `resourceData` (incoming and terminated calls:
 *   microsoft-graph-comms-samples#191, #596, #667, call-redirect.md), on the notification itself
 *   (application-post-calls.md examples 1 and 5: establishing, established, roster), or absent
 *   (call-answer.md, call-delete.md, call-transfer.md, comms-samples#95, #632, #700);
 * - IDs: Graph's GUID form, or upper case without dashes with `@odata.id` and `@odata.etag`
 *   (call-answer.md);
 * - capitalisation: "Updated" / "Establishing" / "Established" (comms-samples#632, #700) beside
 *   the documented camelCase, with the legacy `resource` (/app/calls/…) beside resourceUrl, or
 *   (comms-samples#95) instead of it;
 * - resultInfo codes as numbers (comms-samples#667, call-transfer.md) or strings (call-delete.md).
 */
import type { DocumentedVariant, DocumentedVariants } from './documentedVariants';
import type { JsonObject } from './json';
import type { SimulatedCall } from './types';

/** Graph's notification style for IDs: "57DAB8B1894C409AB240BD8BEAE78896". */
export const upperCaseId = (id: string): string => id.replace(/-/g, '').toUpperCase();

type CallbackUriPlacement = 'resourceData' | 'notification' | 'absent';

export interface NotificationStyle extends DocumentedVariant {
	callbackUri: CallbackUriPlacement;
	/** resourceUrl and `@odata.id` in upper case without dashes, with an `@odata.etag`. */
	upperCaseIds?: boolean;
	/** changeType and state capitalised ("Updated", "Established"). */
	capitalised?: boolean;
	/** The legacy `resource` (/app/calls/…) beside resourceUrl. */
	appResource?: boolean;
	/** Only the legacy `resource`, no resourceUrl (comms-samples#95, 2019). */
	resourceOnly?: boolean;
	/** The call's `id` inside resourceData. */
	callIdInData?: boolean;
	/** The call's `direction` inside resourceData, for calls of this direction (as the example shows it). */
	direction?: 'outgoing' | 'incoming';
	/** Of the facts' extra properties (an incoming call's source, targets…), the ones the example shows. */
	keeps?: readonly string[];
	/** resultInfo code and subcode as strings. */
	codesAsStrings?: boolean;
}

const POST_CALLS = 'application-post-calls.md examples 1 and 5';
const CALL_ANSWER = 'call-answer.md examples 1 and 2 (page ms.date 2024-10-22)';

/** The documented styles of each kind of call notification. */
export const NOTIFICATION_STYLES = {
	'call establishing': [
		{
			name: 'callbackUri on the notification',
			source: POST_CALLS,
			callbackUri: 'notification',
			callIdInData: true,
		},
		{ name: 'upper-case IDs', source: CALL_ANSWER, callbackUri: 'absent', upperCaseIds: true },
		{
			name: 'capitalised',
			source: 'microsoft-graph-comms-samples#632 (2023-03-20)',
			callbackUri: 'absent',
			capitalised: true,
			appResource: true,
		},
		{
			name: 'legacy resource only',
			source: 'microsoft-graph-comms-samples#95 (2019-07-05)',
			callbackUri: 'absent',
			resourceOnly: true,
			callIdInData: true,
		},
	],
	'call established': [
		{
			name: 'callbackUri on the notification',
			source: POST_CALLS,
			callbackUri: 'notification',
			callIdInData: true,
			direction: 'outgoing',
		},
		{ name: 'upper-case IDs', source: CALL_ANSWER, callbackUri: 'absent', upperCaseIds: true },
		{
			name: 'capitalised',
			source: 'microsoft-graph-comms-samples#700 (2024-02)',
			callbackUri: 'absent',
			capitalised: true,
			appResource: true,
		},
	],
	'call terminated': [
		{
			name: 'callbackUri in resourceData',
			source: 'microsoft-graph-comms-samples#667 (2023-09-14); call-redirect.md example 1',
			callbackUri: 'resourceData',
			appResource: true,
			direction: 'incoming',
		},
		{
			name: 'codes as strings',
			source: 'call-delete.md "Notification - terminated" (page ms.date 2024-04-04)',
			callbackUri: 'absent',
			codesAsStrings: true,
		},
		{
			name: 'plain',
			source: 'call-transfer.md "Notification - transfer completed"',
			callbackUri: 'absent',
		},
	],
	'call incoming': [
		{
			name: 'upper-case IDs',
			source: 'call-answer.md example 1 "Notification - incoming"',
			callbackUri: 'absent',
			upperCaseIds: true,
			keeps: ['direction', 'source', 'targets', 'requestedModalities'],
		},
		{
			name: 'callbackUri in resourceData',
			source:
				'call-redirect.md example 1; microsoft-graph-comms-samples#191 (2020-03-11), #596 (2022-09-28)',
			callbackUri: 'resourceData',
			callIdInData: true,
			keeps: ['direction', 'source', 'targets', 'myParticipantId'],
		},
	],
	'call transferring': [
		{ name: 'plain', source: 'call-transfer.md examples 1-5', callbackUri: 'absent' },
	],
	'call transferAccepted': [
		{ name: 'plain', source: 'call-transfer.md examples 1-5', callbackUri: 'absent' },
	],
	roster: [
		{
			name: 'callbackUri on the notification',
			source: 'application-post-calls.md example 5 "Notification - roster"',
			callbackUri: 'notification',
		},
		{
			name: 'legacy resource beside resourceUrl',
			source: 'participant-invite.md examples 1-3 "roster updated"',
			callbackUri: 'absent',
			appResource: true,
		},
	],
} satisfies Record<string, NotificationStyle[]>;

export type StyledKind = keyof typeof NOTIFICATION_STYLES;

const capitalise = (value: string): string => value.charAt(0).toUpperCase() + value.slice(1);

/** Per simulator: the `@odata.etag` counter (W/"5445"-style weak tags, as the examples show). */
const etags = new WeakMap<DocumentedVariants, number>();

function nextEtag(variants: DocumentedVariants): string {
	const n = (etags.get(variants) ?? 5444) + 1;
	etags.set(variants, n);
	return `W/"${n}"`;
}

/** The style of the next notification of this kind. */
export function chooseStyle(variants: DocumentedVariants, kind: StyledKind): NotificationStyle {
	return variants.choose<NotificationStyle>(kind, NOTIFICATION_STYLES[kind]);
}

/** The notification envelope keys every style shares, and the style's placement of callbackUri. */
function frame(
	style: NotificationStyle,
	call: SimulatedCall,
	changeType: string,
	path: string,
	resourceData: JsonObject | JsonObject[],
): JsonObject {
	const id = style.upperCaseIds ? upperCaseId(call.id) : call.id;
	return {
		'@odata.type': '#microsoft.graph.commsNotification',
		changeType: style.capitalised ? capitalise(changeType) : changeType,
		...(style.resourceOnly ? {} : { resourceUrl: `/communications/calls/${id}${path}` }),
		...(style.appResource || style.resourceOnly
			? { resource: `/app/calls/${call.id}${path}` }
			: {}),
		...(style.callbackUri === 'notification' ? { callbackUri: call.callbackUri } : {}),
		resourceData,
	};
}

export interface CallStateFacts {
	resultInfo?: JsonObject;
	terminationReason?: string;
	/** More of the call, as the chosen example shows it (an incoming call's source and targets). */
	extra?: JsonObject;
}

/** A notification about the call itself (its state), in the chosen documented style. */
export function callStateNotification(
	variants: DocumentedVariants,
	call: SimulatedCall,
	facts: CallStateFacts = {},
): JsonObject {
	const state = call.state;
	const kind = `call ${state}` as StyledKind;
	const style: NotificationStyle =
		kind in NOTIFICATION_STYLES
			? chooseStyle(variants, kind)
			: { name: 'plain', source: 'call-transfer.md', callbackUri: 'absent' };
	const changeType =
		state === 'terminated' ? 'deleted' : state === 'incoming' ? 'created' : 'updated';
	const data: JsonObject = { '@odata.type': '#microsoft.graph.call' };
	if (style.upperCaseIds) {
		data['@odata.id'] = `/communications/calls/${upperCaseId(call.id)}`;
		data['@odata.etag'] = nextEtag(variants);
	}
	data.state = style.capitalised ? capitalise(state) : state;
	if (style.direction !== undefined && style.direction === call.direction)
		data.direction = call.direction;
	if (style.callbackUri === 'resourceData') data.callbackUri = call.callbackUri;
	for (const [key, value] of Object.entries(facts.extra ?? {}))
		if (style.keeps === undefined || style.keeps.includes(key)) data[key] = value;
	if (facts.resultInfo) {
		const info = { ...facts.resultInfo };
		if (style.codesAsStrings)
			for (const key of ['code', 'subcode']) if (key in info) info[key] = String(info[key]);
		data.resultInfo = info;
	}
	if (facts.terminationReason !== undefined) data.terminationReason = facts.terminationReason;
	if (style.callIdInData) data.id = call.id;
	return frame(style, call, changeType, '', data);
}

/** A roster update (resourceData: the participants), in the chosen documented style. */
export function rosterNotification(
	variants: DocumentedVariants,
	call: SimulatedCall,
	participants: JsonObject[],
): JsonObject {
	return frame(chooseStyle(variants, 'roster'), call, 'updated', '/participants', participants);
}
