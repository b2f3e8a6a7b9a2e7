/**
 * What the keys of a page mean: n8n's send-and-wait Approval (approve, and optionally
 * disapprove, giving `data.approved` as Slack's or Teams' approvals do), or a menu of keys each
 * with a label and an action (finish with this choice, move the person into a call, repeat).
 * `*` always repeats the menu; any other key is "not an option". Version 1 and 2 nodes: every
 * Accepted Key finishes.
 */
import { InputProblem, requireText } from '../../helpers/inputProblem';
import { isUnset } from '../../helpers/optionValues';
import { isJsonObject } from '../../../../lib/jsonObject';
import { parseCallId } from '../../helpers/idFields';

export type MenuAction = 'finish' | 'moveIntoCall' | 'repeat';

export interface MenuChoice {
	key: string;
	label: string;
	action: MenuAction;
	/** Approval: what choosing this key means for `data.approved`. */
	approved?: boolean;
	/** moveIntoCall: the call (a group call or meeting the app is in) the person is invited into. */
	callId?: string;
}

export interface PageMenu {
	choices: MenuChoice[];
	/** Approval responses give `data.approved`, as n8n's send-and-wait nodes. */
	approval: boolean;
}

/** The key that always repeats the menu (PagerDuty's and our callers' habit). */
export const REPEAT_KEY = '*';
export const PHONE_KEYS = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9', '*', '#'];

const KEY_NAMES: Record<string, string> = { '*': 'star', '#': 'pound' };
export const spokenKey = (key: string): string => KEY_NAMES[key] ?? key;

function readKey(raw: unknown, field: string): string {
	const key = requireText(raw ?? '', field).trim();
	if (!PHONE_KEYS.includes(key))
		throw new InputProblem(field, `"${key.slice(0, 10)}" is not a phone key; use 0-9, * or #.`);
	return key;
}

/** Version 1 and 2: Additional Fields › Accepted Keys, each finishing the page. */
function legacyMenu(extra: Record<string, unknown>): PageMenu {
	const field = 'Additional Fields › Accepted Keys';
	const raw = isUnset(extra.acceptedKeys) ? '1' : requireText(extra.acceptedKeys, field);
	const keys = [...raw.replace(/[\s,]/g, '')];
	if (keys.length === 0) throw new InputProblem(field, 'is empty. Give at least one key, e.g. 1.');
	const bad = keys.find((key) => !PHONE_KEYS.includes(key));
	if (bad !== undefined)
		throw new InputProblem(field, `"${bad}" is not a phone key; use 0-9, * or #.`);
	return {
		choices: [...new Set(keys)].map((key) => ({ key, label: key, action: 'finish' })),
		approval: false,
	};
}

/** Approval Options, as n8n's send-and-wait names them (Type of Approval, the labels). */
function approvalMenu(raw: unknown): PageMenu {
	const values = isJsonObject(raw) && isJsonObject(raw.values) ? raw.values : {};
	const double = values.approvalType === 'double';
	const text = (value: unknown, fallback: string, field: string) =>
		isUnset(value) ? fallback : requireText(value, field).trim() || fallback;
	const approve: MenuChoice = {
		key: readKey(values.approveKey ?? '1', 'Approval Options › Approve Key'),
		label: text(values.approveLabel, 'approve', 'Approval Options › Approve Label'),
		action: 'finish',
		approved: true,
	};
	if (!double) return { choices: [approve], approval: true };
	const disapprove: MenuChoice = {
		key: readKey(values.disapproveKey ?? '2', 'Approval Options › Disapprove Key'),
		label: text(values.disapproveLabel, 'decline', 'Approval Options › Disapprove Label'),
		action: 'finish',
		approved: false,
	};
	return checked({ choices: [approve, disapprove], approval: true }, (index) =>
		index === 0 ? 'Approval Options › Approve Key' : 'Approval Options › Disapprove Key',
	);
}

/** Menu › Key N: key, label, action and (to move into a call) the call's ID. */
function customMenu(raw: unknown): PageMenu {
	const entries = isJsonObject(raw) && Array.isArray(raw.choice) ? raw.choice : [];
	if (entries.length === 0)
		throw new InputProblem('Menu', 'is empty. Add at least one key, e.g. 1 to acknowledge.');
	const choices = entries.map((entry, index): MenuChoice => {
		const field = `Menu › Key ${index + 1}`;
		const values = isJsonObject(entry) ? entry : {};
		const key = readKey(values.key, `${field} › Key`);
		const label = requireText(values.label ?? '', `${field} › Label`).trim();
		if (label === '')
			throw new InputProblem(
				`${field} › Label`,
				'is empty. Say what the key does, as the person hears it: "Press 1 to acknowledge".',
			);
		const action: MenuAction =
			values.does === 'moveIntoCall' || values.does === 'repeat' ? values.does : 'finish';
		const choice: MenuChoice = { key, label: label.slice(0, 200), action };
		if (action === 'moveIntoCall')
			choice.callId = parseCallId(values.callId, `${field} › Call ID to Join`);
		return choice;
	});
	return checked({ choices, approval: false }, (index) => `Menu › Key ${index + 1} › Key`);
}

/** One meaning per key, and none for the key that always repeats. */
function checked(menu: PageMenu, fieldOf: (index: number) => string): PageMenu {
	const seen = new Map<string, number>();
	for (const [index, choice] of menu.choices.entries()) {
		if (choice.key === REPEAT_KEY && choice.action !== 'repeat')
			throw new InputProblem(
				fieldOf(index),
				`"${REPEAT_KEY}" always repeats the menu; give "${choice.label}" another key.`,
			);
		const first = seen.get(choice.key);
		if (first !== undefined)
			throw new InputProblem(
				fieldOf(index),
				`"${choice.key}" already means "${menu.choices[first]?.label ?? ''}" (${fieldOf(first)}). Give each key one meaning.`,
			);
		seen.set(choice.key, index);
	}
	return menu;
}

export function readPageMenu(
	version: number,
	param: (name: string, fallback?: unknown) => unknown,
): PageMenu {
	const extra = param('additionalFields', {}) as Record<string, unknown>;
	if (version < 3) return legacyMenu(extra);
	return param('responseType', 'approval') === 'menu'
		? customMenu(param('menu', {}))
		: approvalMenu(param('approvalOptions', {}));
}

/** "Press 1 to acknowledge. Press 2 to join the bridge. Press star to hear this again." */
export function menuSpeech(menu: PageMenu): string {
	const lines = menu.choices
		.filter((choice) => choice.action !== 'repeat')
		.map((choice) => `Press ${spokenKey(choice.key)} to ${choice.label}.`);
	return [...lines, `Press ${spokenKey(REPEAT_KEY)} to hear this again.`].join(' ');
}

/** The choice a key makes, `repeat` for the repeat key, or undefined for "not an option". */
export function choiceOf(menu: PageMenu, key: string): MenuChoice | undefined {
	const choice = menu.choices.find((candidate) => candidate.key === key);
	if (choice) return choice;
	return key === REPEAT_KEY ? { key, label: 'repeat', action: 'repeat' } : undefined;
}
