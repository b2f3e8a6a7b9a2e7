import { tryParseJson } from '../../../lib/safeParse';
import { InputProblem, wrongType } from './inputProblem';

/** Keys that could reach an object's prototype when a body is later merged or copied. */
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);
const MAX_JSON_DEPTH = 20;
const MAX_JSON_BYTES = 256 * 1024;

function checkTree(value: unknown, field: string, depth: number, path: string): void {
	if (depth > MAX_JSON_DEPTH)
		throw new InputProblem(
			field,
			`is nested more than ${MAX_JSON_DEPTH} levels deep (at ${path || 'the top'}).`,
		);
	if (Array.isArray(value)) {
		value.forEach((entry, index) => checkTree(entry, field, depth + 1, `${path}[${index}]`));
		return;
	}
	if (value && typeof value === 'object') {
		for (const key of Object.keys(value)) {
			if (FORBIDDEN_KEYS.has(key))
				throw new InputProblem(
					field,
					`contains the key "${key}" (at ${path || 'the top'}), which is not allowed in a request body.`,
				);
			checkTree(
				(value as Record<string, unknown>)[key],
				field,
				depth + 1,
				path ? `${path}.${key}` : key,
			);
		}
	}
}

/** JSON typed into the panel (text) or produced by an expression (already an object). */
export function parseJsonInput(raw: unknown, field: string): unknown {
	let value = raw;
	if (typeof raw === 'string') {
		if (raw.length > MAX_JSON_BYTES)
			throw new InputProblem(
				field,
				`is ${raw.length} characters long; the limit is ${MAX_JSON_BYTES}.`,
			);
		const parsed = tryParseJson(raw);
		if (!parsed.ok)
			throw new InputProblem(
				field,
				`is not valid JSON (${parsed.reason}). Check quotes, commas and brackets.`,
			);
		value = parsed.value;
	} else if (raw !== null && typeof raw === 'object') {
		// Depth first: serialising a hostile, very deep object would exhaust the stack.
		checkTree(raw, field, 0, '');
		const size = JSON.stringify(raw).length;
		if (size > MAX_JSON_BYTES)
			throw new InputProblem(
				field,
				`is ${size} characters long as JSON; the limit is ${MAX_JSON_BYTES}.`,
			);
	} else {
		throw wrongType(field, 'JSON', raw);
	}
	checkTree(value, field, 0, '');
	return value;
}

/** A JSON object (not a list, not a scalar). */
export function parseJsonObject(raw: unknown, field: string): Record<string, unknown> {
	const value = parseJsonInput(raw, field);
	if (!value || typeof value !== 'object' || Array.isArray(value)) {
		throw wrongType(field, 'a JSON object ({...})', value);
	}
	return value as Record<string, unknown>;
}
