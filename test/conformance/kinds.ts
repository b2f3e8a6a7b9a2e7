/**
 * What kind of notification a commsNotification is, so that the conformance test compares it
 * with Microsoft's examples of the same kind: a call in some state, a key pressed, an
 * operation's result, a roster update.
 */
import type { JsonValue } from './shapes';

type JsonObject = { [key: string]: JsonValue };

const isObject = (value: JsonValue | undefined): value is JsonObject =>
	typeof value === 'object' && value !== null && !Array.isArray(value);

/** "#microsoft.graph.playPromptOperation" → "playPromptOperation". */
const typeName = (value: JsonValue | undefined): string =>
	typeof value === 'string' ? value.replace(/^#?microsoft\.graph\./, '') : 'untyped';

/**
 * - `call <state>` (lower case, whatever the casing Graph used), `call without state` (the
 *   rejected call's `deleted`), `call tone` (a call update carrying toneInfo);
 * - `operation <type>` (playPromptOperation, inviteParticipantsOperation, …);
 * - `list of <type>` (participant: a roster update; contentSharingSession);
 * - `without resourceData`.
 */
export function notificationKind(notification: JsonObject): string {
	const data = notification.resourceData;
	if (data === undefined || data === null) return 'without resourceData';
	if (Array.isArray(data)) {
		const first = data.find(isObject);
		return `list of ${first ? typeName(first['@odata.type']) : 'nothing'}`;
	}
	if (!isObject(data)) return 'resourceData that is no object';
	const type = typeName(data['@odata.type']);
	if (type !== 'call') return `operation ${type}`;
	if (isObject(data.toneInfo)) return 'call tone';
	return typeof data.state === 'string' ? `call ${data.state.toLowerCase()}` : 'call without state';
}
