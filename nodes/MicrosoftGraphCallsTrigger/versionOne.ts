/**
 * Version 1 of the trigger knew neither the Incoming Call nor the Tone event: workflows saved with
 * it keep getting those notifications as call state changes, shaped as they were.
 */
/** Version 1 knew no Tone event: a key pressed stays a call state change, as it was. */
function toneAsVersion1(item: Record<string, unknown>): Record<string, unknown> {
	const { tone: _tone, key: _key, sequenceId: _sequenceId, ...rest } = item;
	return { ...rest, event: 'callStateChanged' };
}

/** Version 1 knew no Incoming Call event: its items stay call state changes, as they were. */
export function asVersion1(item: Record<string, unknown>): Record<string, unknown> {
	if (item.event === 'tone') return toneAsVersion1(item);
	if (item.event !== 'incomingCall') return item;
	const { notification, ...rest } = item;
	const kept = Object.fromEntries(
		Object.entries(rest).filter(([key]) => !INCOMING_CALL_KEYS.has(key)),
	);
	return { ...kept, event: 'callStateChanged', notification };
}

const INCOMING_CALL_KEYS = new Set([
	'caller',
	'callee',
	'requestedModalities',
	'callChainId',
	'tenantIdOfCall',
	'isGroupCallInvite',
	'isPolicyBasedRecording',
	'answerWithinSeconds',
	'answerBy',
]);
