/** The Additional Fields of Call and Wait for Keypress that both execute and the webhook read. */
import { InputProblem, requireText } from '../../helpers/inputProblem';
import { isUnset, readFlag, readNumber } from '../../helpers/optionValues';
import type { KeypressSettings } from './keypressSteps';

export const KEYPRESS_LIMITS = {
	repeatPrompt: { min: 1, max: 10, default: 2 },
	/** At least one ring and a prompt; at most a day (n8n waits that long without trouble). */
	timeoutSeconds: { min: 30, max: 86_400, default: 120 },
} as const;

const KEYS = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9', '*', '#'];

export interface KeypressOptions extends KeypressSettings {
	hangUpWhenDone: boolean;
}

export function readKeypressOptions(extra: Record<string, unknown>): KeypressOptions {
	const field = 'Additional Fields › Accepted Keys';
	const raw = isUnset(extra.acceptedKeys) ? '1' : requireText(extra.acceptedKeys, field);
	const keys = [...raw.replace(/[\s,]/g, '')];
	if (keys.length === 0) throw new InputProblem(field, 'is empty. Give at least one key, e.g. 1.');
	const bad = keys.find((key) => !KEYS.includes(key));
	if (bad !== undefined)
		throw new InputProblem(field, `"${bad}" is not a phone key; use 0-9, * or #.`);
	return {
		acceptedKeys: [...new Set(keys)],
		repeatPrompt: readNumber(extra.repeatPrompt, {
			field: 'Additional Fields › Repeat Prompt',
			...KEYPRESS_LIMITS.repeatPrompt,
			whole: true,
		}),
		hangUpWhenDone: isUnset(extra.hangUpWhenDone)
			? true
			: readFlag(extra.hangUpWhenDone, 'Additional Fields › Hang Up When Done'),
	};
}
