/**
 * A problem with one field of one item, found before anything is sent. The validators are pure
 * functions that throw this; the router turns it into a NodeOperationError with the item index,
 * and the hint into the error's description.
 */
export class InputProblem extends Error {
	constructor(
		/** The field as the user sees it in the node panel, e.g. "Call ID". */
		readonly field: string,
		/** What is wrong and how to fix it, as one or two sentences. */
		readonly problem: string,
		/** The likely cause, for the error's description (n8n's "Error details"). */
		readonly hint?: string,
	) {
		super(`${field}: ${problem}`);
		this.name = 'InputProblem';
	}
}

/** What n8n shows under an input error that has no more specific cause. */
export const DEFAULT_INPUT_HINT =
	'Fix the field named above (or the expression that fills it) and run the node again. This item was refused before its request was sent.';

/** How a value of the wrong kind is described in an error ("a number", "an object"...). */
export function describeType(value: unknown): string {
	if (value === undefined) return 'nothing (undefined)';
	if (value === null) return 'null';
	if (Array.isArray(value)) return 'a list';
	if (typeof value === 'object') return 'an object';
	if (typeof value === 'number') return 'a number';
	if (typeof value === 'boolean') return 'a boolean';
	return `a ${typeof value}`;
}

/** The likely cause of a value of the wrong kind: almost always an expression. */
function wrongTypeHint(value: unknown): string {
	if (value === undefined || value === null) {
		return 'An expression in this field probably returned nothing: the field it reads may be missing from the incoming item, or be spelled differently (e.g. {{ $json.userId }}). Open the input panel to compare.';
	}
	if (Array.isArray(value) || typeof value === 'object') {
		return `An expression in this field probably returned ${describeType(value)} where a single value belongs: pick the field inside it, e.g. {{ $json.user.id }} instead of {{ $json.user }}.`;
	}
	return `An expression in this field probably returned ${describeType(value)}: convert it, e.g. {{ String($json.id) }}, or pick the field that holds the right kind of value.`;
}

/** A value of the wrong kind: says what was expected, what came, and the likely cause. */
export function wrongType(field: string, expected: string, value: unknown): InputProblem {
	return new InputProblem(
		field,
		`must be ${expected}, but the value is ${describeType(value)}.`,
		wrongTypeHint(value),
	);
}

/** Expressions can hand over numbers, objects or null where text is expected. */
export function requireText(value: unknown, field: string): string {
	if (typeof value !== 'string') throw wrongType(field, 'text', value);
	return value;
}
