/**
 * What a workflow needs from an incoming-call notification (call-answer.md, "Notification -
 * incoming"): who calls, whom they call, the call ID, and what answering takes: the modalities
 * the caller requested, and the deadline (Graph drops a call not answered, rejected or redirected
 * within 15 seconds; 5 for policy-based recording, whose invites carry `incomingContext` and a
 * token meeting).
 */
import { isJsonObject, type JsonObject as Json } from '../jsonObject';

/** Graph's answer deadlines (call-answer.md). */
const ANSWER_DEADLINE_SECONDS = 15;
const RECORDING_ANSWER_DEADLINE_SECONDS = 5;

function text(value: unknown): string | null {
	return typeof value === 'string' && value !== '' ? value : null;
}

/** `{kind, id, displayName, tenantId}` of an identitySet's first identity (user, phone, application…). */
function partyOf(participantInfo: unknown): Json | null {
	if (!isJsonObject(participantInfo) || !isJsonObject(participantInfo.identity)) return null;
	for (const [kind, value] of Object.entries(participantInfo.identity)) {
		if (kind.startsWith('@') || !isJsonObject(value)) continue;
		return {
			kind,
			id: text(value.id),
			displayName: text(value.displayName),
			tenantId: text(value.tenantId),
		};
	}
	return null;
}

/** A call notification that offers a new call to the app. */
export function isIncomingCall(changeType: string | null, call: Json): boolean {
	return call.state === 'incoming' && (changeType === 'created' || call.direction === 'incoming');
}

/** The incoming-call fields added to the item (the caller is null while its source is encrypted). */
export function incomingCallFields(call: Json, receivedAtMs: number): Json {
	const targets = Array.isArray(call.targets) ? call.targets : [];
	const policyRecording =
		isJsonObject(call.incomingContext) ||
		(isJsonObject(call.meetingInfo) &&
			call.meetingInfo['@odata.type'] === '#microsoft.graph.tokenMeetingInfo');
	const deadline = policyRecording ? RECORDING_ANSWER_DEADLINE_SECONDS : ANSWER_DEADLINE_SECONDS;
	const modalities = Array.isArray(call.requestedModalities)
		? call.requestedModalities.filter((m): m is string => typeof m === 'string')
		: [];
	return {
		caller: partyOf(call.source),
		callee: partyOf(targets[0]),
		requestedModalities: modalities.length > 0 ? modalities : ['audio'],
		callChainId: text(call.callChainId),
		tenantIdOfCall: text(call.tenantId),
		isGroupCallInvite:
			isJsonObject(call.chatInfo) || (isJsonObject(call.meetingInfo) && !policyRecording),
		isPolicyBasedRecording: policyRecording,
		answerWithinSeconds: deadline,
		answerBy: new Date(receivedAtMs + deadline * 1000).toISOString(),
	};
}
