/**
 * The older (Skype Bot Platform) notification a bot's calling webhook may receive for an incoming
 * call before Graph's own. Teams' "Incoming call notifications" page: the bot "must determine
 * whether the notification is in a legacy format and provides the following response:
 * HTTP/1.1 204 No Content. Your bot receives the notification again, but this time in the
 * Microsoft Graph protocol." So it is read (for the log) and answered 204, and starts nothing:
 * the Graph notification that follows starts the workflow, once.
 *
 * Its shape is the Skype Bot Platform's Conversation (BotBuilder-V3 calling-api-reference.md):
 * `{id, participants[{identity, originator, languageId}], isMultiparty, presentedModalityTypes,
 * callState}`. Microsoft documents no detection rule: this one takes a body that is not a
 * commsNotifications envelope and has those Conversation fields.
 */
import { isJsonObject } from '../jsonObject';

export interface LegacyCall {
	callId: string | null;
	caller: string | null;
	callState: string | null;
	modalities: string[];
}

/** Whether the body is the legacy Conversation shape rather than Graph's envelope. */
export function isLegacyCallNotification(body: unknown): boolean {
	if (!isJsonObject(body)) return false;
	if (Array.isArray(body.value) || body.resourceUrl !== undefined || body.resource !== undefined)
		return false;
	const conversationFields = [
		Array.isArray(body.participants),
		Array.isArray(body.presentedModalityTypes),
		typeof body.isMultiparty === 'boolean',
		typeof body.callState === 'string',
	].filter(Boolean).length;
	return conversationFields >= 2;
}

/** The legacy call, read for the log line. */
export function readLegacyCall(body: unknown): LegacyCall {
	const record = isJsonObject(body) ? body : {};
	const participants = Array.isArray(record.participants) ? record.participants : [];
	const originator = participants.find((p) => isJsonObject(p) && p.originator === true);
	return {
		callId: typeof record.id === 'string' ? record.id : null,
		caller:
			isJsonObject(originator) && typeof originator.identity === 'string'
				? originator.identity
				: null,
		callState: typeof record.callState === 'string' ? record.callState : null,
		modalities: Array.isArray(record.presentedModalityTypes)
			? record.presentedModalityTypes.filter((m): m is string => typeof m === 'string')
			: [],
	};
}
