/**
 * Call and Wait for Keypress, as pure decisions: what one notification (already read by
 * lib/notifications/notificationItems.ts) means for one call of the page. The webhook does the
 * I/O; nothing here is kept between notifications: what must be remembered travels in the
 * callback URL (the page's state) and in clientContext (which playing of which prompt ended).
 *
 * One call goes: established → (phones, version 3: "press any key" until a key shows a person is
 * there) → the alert and menu, played up to Repeat Prompt times → a key that means something
 * decides the page; a wrong key (version 3) hears "that is not an option" and the menu again; the
 * repeat key hears the menu again. A call that ends, a menu nobody answered and a presence check
 * nobody confirmed end this call's attempt (the page goes on with the next person, if any).
 */
import { readCallEnd, type CallEndReason } from '../../../../lib/notifications/callEndReasons';
import { choiceOf, type MenuChoice, type PageMenu } from './pageMenu';

export type KeypressOutcome =
	| 'pressed'
	| 'declined'
	| 'unanswered'
	| 'hungUp'
	| 'ended'
	| 'timeout'
	| 'noConfirmation'
	| 'failed';

export interface KeypressSettings {
	menu: PageMenu;
	/** How often the menu is played in all (after the last key). */
	repeatPrompt: number;
	/** How often "press any key" is played before the call counts as not confirmed. */
	presenceTries: number;
	/** Version 3: wrong keys are answered, the repeat key repeats. */
	answersKeys: boolean;
}

export type KeypressStep =
	/** The call is up: check presence, or play the menu (first time) and listen for keys. */
	| { kind: 'start' }
	/** A presence check ended without a key: ask again (its n-th time). */
	| { kind: 'askPresence'; repetition: number }
	/** A key showed a person is there: listen for keys and play the menu. */
	| { kind: 'present' }
	/** A playing of the menu ended: play it again (its n-th time since key `after`). */
	| { kind: 'replay'; repetition: number; after: number }
	/** A key that is not an option (`wrong`), or the repeat key: stop, say so, menu again. */
	| { kind: 'again'; wrong: boolean; sequence: number; key: string }
	/** A key with a meaning: the page is decided. */
	| { kind: 'choose'; choice: MenuChoice; tone: string | null }
	/**
	 * This call's attempt is over without a choice (`error`: why, for "failed"; `endReason`: how
	 * Graph said the call ended).
	 */
	| { kind: 'over'; outcome: KeypressOutcome; error?: string; endReason?: CallEndReason }
	/** Nothing to do. */
	| { kind: 'wait' };

export type ActingStep = Exclude<KeypressStep, { kind: 'wait' }>;

/** Outcomes only the end of the call produces ("terminated"); the others leave it up. */
const ENDED_OUTCOMES: readonly KeypressOutcome[] = ['declined', 'unanswered', 'hungUp', 'ended'];

export const reportsEndOfCall = (step: KeypressStep): boolean =>
	step.kind === 'over' && ENDED_OUTCOMES.includes(step.outcome);

/**
 * clientContext of the menu's n-th playing: how the webhook counts without memory. After a key
 * (wrong or repeat) the count starts again, named by the key's sequenceId.
 */
export const promptContext = (repetition: number, after = 0): string =>
	after === 0 ? `keypress-prompt-${repetition}` : `keypress-prompt-${repetition}-after-${after}`;
/** clientContext of the presence check's n-th playing (a recording that any key stops). */
export const presenceContext = (repetition: number): string => `keypress-presence-${repetition}`;

function playingOf(clientContext: unknown): { repetition: number; after: number } | undefined {
	const match =
		typeof clientContext === 'string'
			? /^keypress-prompt-(\d{1,2})(?:-after-(\d{1,6}))?$/.exec(clientContext)
			: null;
	return match ? { repetition: Number(match[1]), after: Number(match[2] ?? 0) } : undefined;
}

function presenceOf(clientContext: unknown): number | undefined {
	const match =
		typeof clientContext === 'string' ? /^keypress-presence-(\d{1,2})$/.exec(clientContext) : null;
	return match ? Number(match[1]) : undefined;
}

function describeResult(resultInfo: unknown): string {
	const info = (resultInfo ?? {}) as { code?: unknown; subcode?: unknown; message?: unknown };
	const message = typeof info.message === 'string' ? info.message : 'no message';
	return `${message} (code ${String(info.code)}/${String(info.subcode)})`;
}

/** cancelMediaProcessing ends the running prompt `failed`, 400/8508 (call-cancelmediaprocessing.md). */
function wasCancelled(item: Record<string, unknown>): boolean {
	const info = (item.resultInfo ?? {}) as { subcode?: unknown };
	return info.subcode === 8508 || item.completionReason === 'operationCanceled';
}

/** The item fields the end of a call gives, as the page reports them. */
export function overFields(step: Extract<KeypressStep, { kind: 'over' }>): {
	outcome: KeypressOutcome;
	error?: string;
	endReason?: CallEndReason;
} {
	return {
		outcome: step.outcome,
		...(step.error === undefined ? {} : { error: step.error }),
		...(step.endReason === undefined ? {} : { endReason: step.endReason }),
	};
}

function toneStep(item: Record<string, unknown>, settings: KeypressSettings): KeypressStep {
	const key = typeof item.key === 'string' ? item.key : null;
	if (key === null) return { kind: 'wait' };
	const tone = (item.tone as string | null) ?? null;
	const choice = choiceOf(settings.menu, key);
	if (choice && choice.action !== 'repeat') return { kind: 'choose', choice, tone };
	if (!settings.answersKeys) return { kind: 'wait' };
	const sequence = typeof item.sequenceId === 'number' ? item.sequenceId : 0;
	return { kind: 'again', wrong: choice === undefined, sequence, key };
}

export function keypressStep(
	item: Record<string, unknown>,
	settings: KeypressSettings,
): KeypressStep {
	if (item.event === 'tone') return toneStep(item, settings);
	if (item.event === 'callStateChanged') {
		if (item.status === 'established') return { kind: 'start' };
		if (item.status === 'terminated' || item.changeType === 'deleted') {
			const endReason = readCallEnd(item.resultInfo);
			return { kind: 'over', outcome: endReason.category, endReason };
		}
		return { kind: 'wait' };
	}
	if (item.event !== 'operationResult') return { kind: 'wait' };
	if (item.operationType === 'recordOperation') {
		const repetition = presenceOf(item.clientContext);
		if (repetition === undefined) return { kind: 'wait' };
		if (item.completionReason === 'stopToneDetected') return { kind: 'present' };
		if (item.status === 'failed' && !wasCancelled(item))
			return {
				kind: 'over',
				outcome: 'failed',
				error: `Graph could not ask whether a person answered: ${describeResult(item.resultInfo)}`,
			};
		if (repetition < settings.presenceTries)
			return { kind: 'askPresence', repetition: repetition + 1 };
		// Nobody pressed a key to hear the alert: a voicemail box or an answering service.
		return { kind: 'over', outcome: 'noConfirmation' };
	}
	if (item.operationType !== 'playPromptOperation') return { kind: 'wait' };
	const playing = playingOf(item.clientContext);
	if (playing === undefined) return { kind: 'wait' };
	if (item.status === 'failed') {
		// Stopped by the node for a key: the menu plays again from that key on.
		if (wasCancelled(item)) return { kind: 'wait' };
		// A prompt Graph could not fetch or play will not play better the next time; nobody can
		// answer a prompt they never heard.
		return {
			kind: 'over',
			outcome: 'failed',
			error: `Graph could not play the prompt: ${describeResult(item.resultInfo)}`,
		};
	}
	if (playing.repetition < settings.repeatPrompt)
		return { kind: 'replay', repetition: playing.repetition + 1, after: playing.after };
	// The last playing ended without a key that means something (keys pressed while it played
	// arrive before its completion): the person heard the menu Repeat Prompt times.
	return { kind: 'over', outcome: 'timeout' };
}
