/**
 * Call and Wait for Keypress, as pure decisions: what one notification (already read by
 * lib/notifications/notificationItems.ts) means for the waiting execution. The webhook does the
 * I/O; nothing here is kept between notifications: what must be remembered travels in the
 * callback URL (the start time) and in clientContext (which repetition of the prompt ended).
 */

import { readCallEnd, type CallEndReason } from '../../../../lib/notifications/callEndReasons';

export type KeypressOutcome =
	'pressed' | 'declined' | 'unanswered' | 'hungUp' | 'ended' | 'timeout' | 'failed';

export interface KeypressSettings {
	/** Keys that acknowledge, as characters: "1", "#". */
	acceptedKeys: string[];
	/** How often the prompt is played in all. */
	repeatPrompt: number;
}

export type KeypressStep =
	/** The call is up: play the prompt (first time) and listen for keys. */
	| { kind: 'start' }
	/** A repetition ended: play it again. */
	| { kind: 'replay'; repetition: number }
	/**
	 * Resume the execution with this outcome (`error`: why, for "failed"; `endReason`: how Graph
	 * said the call ended, for the outcomes the end of the call gives).
	 */
	| {
			kind: 'resume';
			outcome: KeypressOutcome;
			tone: string | null;
			key: string | null;
			error?: string;
			endReason?: CallEndReason;
	  }
	/** Keep waiting. */
	| { kind: 'wait' };

/** Outcomes only the end of the call produces ("terminated"); the others leave it up. */
const ENDED_OUTCOMES: readonly KeypressOutcome[] = ['declined', 'unanswered', 'hungUp', 'ended'];

export const reportsEndOfCall = (step: KeypressStep): boolean =>
	step.kind === 'resume' && ENDED_OUTCOMES.includes(step.outcome);

/** clientContext of the prompt's n-th playing: how the webhook counts without memory. */
export const promptContext = (repetition: number): string => `keypress-prompt-${repetition}`;

function repetitionOf(clientContext: unknown): number | undefined {
	const match =
		typeof clientContext === 'string' ? /^keypress-prompt-(\d{1,2})$/.exec(clientContext) : null;
	return match ? Number(match[1]) : undefined;
}

/**
 * How a call that ended before anyone pressed a key ended, read from Graph's documented call end
 * codes (lib/notifications/callEndReasons.ts): "declined" only on a code Graph documents as a
 * rejection, "ended" with Graph's own message for any code it does not document.
 */
function endedOutcome(resultInfo: unknown): { outcome: KeypressOutcome; endReason: CallEndReason } {
	const endReason = readCallEnd(resultInfo);
	return { outcome: endReason.category, endReason };
}

/** The item fields a resume step gives, as the waiting webhook hands them to n8n. */
export function resumeFields(step: Extract<KeypressStep, { kind: 'resume' }>): {
	outcome: KeypressOutcome;
	tone: string | null;
	key: string | null;
	error?: string;
	endReason?: CallEndReason;
} {
	return {
		outcome: step.outcome,
		tone: step.tone,
		key: step.key,
		...(step.error === undefined ? {} : { error: step.error }),
		...(step.endReason === undefined ? {} : { endReason: step.endReason }),
	};
}

function describeResult(resultInfo: unknown): string {
	const info = (resultInfo ?? {}) as { code?: unknown; subcode?: unknown; message?: unknown };
	const message = typeof info.message === 'string' ? info.message : 'no message';
	return `${message} (code ${String(info.code)}/${String(info.subcode)})`;
}

export function keypressStep(
	item: Record<string, unknown>,
	settings: KeypressSettings,
): KeypressStep {
	if (item.event === 'tone') {
		const key = typeof item.key === 'string' ? item.key : null;
		return key !== null && settings.acceptedKeys.includes(key)
			? { kind: 'resume', outcome: 'pressed', tone: (item.tone as string | null) ?? null, key }
			: { kind: 'wait' };
	}
	if (item.event === 'callStateChanged') {
		if (item.status === 'established') return { kind: 'start' };
		if (item.status === 'terminated' || item.changeType === 'deleted')
			return { kind: 'resume', ...endedOutcome(item.resultInfo), tone: null, key: null };
		return { kind: 'wait' };
	}
	if (item.event === 'operationResult' && item.operationType === 'playPromptOperation') {
		const repetition = repetitionOf(item.clientContext);
		if (repetition === undefined) return { kind: 'wait' };
		// A prompt Graph could not fetch or play will not play better the next time; nobody can
		// answer a prompt they never heard.
		if (item.status === 'failed')
			return {
				kind: 'resume',
				outcome: 'failed',
				tone: null,
				key: null,
				error: `Graph could not play the prompt: ${describeResult(item.resultInfo)}`,
			};
		if (repetition < settings.repeatPrompt) return { kind: 'replay', repetition: repetition + 1 };
		// The last repetition ended without an accepted key (keys pressed while it played arrive
		// before its completion): the person heard the prompt Repeat Prompt times.
		return { kind: 'resume', outcome: 'timeout', tone: null, key: null };
	}
	return { kind: 'wait' };
}
