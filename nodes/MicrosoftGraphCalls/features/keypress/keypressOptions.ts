/** The settings of Call and Wait for Keypress that both execute and the webhook read. */
import { isUnset, readFlag, readNumber } from '../../helpers/optionValues';
import type { KeypressSettings } from './keypressSteps';
import { readPageMenu } from './pageMenu';

export const KEYPRESS_LIMITS = {
	repeatPrompt: { min: 1, max: 10, default: 2 },
	/** At least one ring and a prompt; at most a day (n8n waits that long without trouble). */
	timeoutSeconds: { min: 30, max: 86_400, default: 120 },
} as const;

/** "Press any key to hear the alert": asked this often before the call counts as unconfirmed. */
export const PRESENCE_TRIES = 2;

export interface KeypressOptions extends KeypressSettings {
	hangUpWhenDone: boolean;
}

/** Reads one parameter of the node (expressions resolved for the item the webhook works on). */
export type ParamReader = (name: string, fallback?: unknown) => unknown;

export function readKeypressOptions(version: number, param: ParamReader): KeypressOptions {
	const extra = (param('additionalFields', {}) ?? {}) as Record<string, unknown>;
	return {
		menu: readPageMenu(version, param),
		repeatPrompt: readNumber(extra.repeatPrompt, {
			field: 'Additional Fields › Repeat Prompt',
			...KEYPRESS_LIMITS.repeatPrompt,
			whole: true,
		}),
		presenceTries: PRESENCE_TRIES,
		answersKeys: version >= 3,
		hangUpWhenDone: isUnset(extra.hangUpWhenDone)
			? true
			: readFlag(extra.hangUpWhenDone, 'Additional Fields › Hang Up When Done'),
	};
}
