/**
 * A problem with one field of one item, found before anything is sent. The validators are pure
 * functions that throw this; the operation turns it into a NodeOperationError with the item index.
 */
export class InputProblem extends Error {
	constructor(
		/** The field as the user sees it in the node panel, e.g. "Call ID". */
		readonly field: string,
		/** What is wrong and how to fix it, as one or two sentences. */
		readonly problem: string,
	) {
		super(`${field}: ${problem}`);
		this.name = 'InputProblem';
	}
}

/** How a value that is not text is described in an error ("a number", "an object"...). */
export function describeType(value: unknown): string {
	if (value === null) return 'null';
	if (Array.isArray(value)) return 'a list';
	if (typeof value === 'object') return 'an object';
	if (typeof value === 'number') return 'a number';
	if (typeof value === 'boolean') return 'a boolean';
	return `a ${typeof value}`;
}

/** Expressions can hand over numbers, objects or null where text is expected. */
export function requireText(value: unknown, field: string): string {
	if (typeof value !== 'string')
		throw new InputProblem(field, `must be text, but the value is ${describeType(value)}.`);
	return value;
}
