import { InputProblem, wrongType } from './inputProblem';

/** RFC 9110 token characters: anything else could split or smuggle a header. */
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
/** Headers this node owns: the token, the target and the body framing are never user-set. */
const RESERVED = new Set([
	'authorization',
	'host',
	'content-length',
	'content-type',
	'transfer-encoding',
	'connection',
	'cookie',
	'proxy-authorization',
	'te',
	'upgrade',
	'expect',
	// Would let a header turn the POST into another method at a gateway that honours them.
	'x-http-method-override',
	'x-http-method',
	'x-method-override',
]);
const MAX_CUSTOM_HEADERS = 20;
const MAX_HEADER_NAME_LENGTH = 256;
const MAX_HEADER_VALUE_LENGTH = 1024;
/** Visible ASCII, space and tab: anything else is refused by Node's HTTP client or smuggles bytes. */
const HEADER_VALUE = /^[\t\x20-\x7e]*$/;

export interface HeaderEntry {
	name?: unknown;
	value?: unknown;
}

/** Checks the user's extra request headers and returns them as a plain record. */
export function buildCustomHeaders(entries: readonly HeaderEntry[]): Record<string, string> {
	if (entries.length > MAX_CUSTOM_HEADERS)
		throw new InputProblem(
			'Custom Headers',
			`has ${entries.length} headers; at most ${MAX_CUSTOM_HEADERS} are allowed.`,
		);
	const headers: Record<string, string> = {};
	entries.forEach((entry, index) => {
		const field = `Custom Headers › Header ${index + 1}`;
		if (typeof entry.name !== 'string') throw wrongType(`${field} › Name`, 'text', entry.name);
		const name = entry.name.trim();
		if (name.length > MAX_HEADER_NAME_LENGTH)
			throw new InputProblem(
				`${field} › Name`,
				`is ${name.length} characters long; header names are at most ${MAX_HEADER_NAME_LENGTH}.`,
			);
		if (!HEADER_NAME.test(name))
			throw new InputProblem(
				`${field} › Name`,
				`"${name.replace(/[\r\n]/g, '\\n')}" is not a valid header name (letters, digits and - only).`,
			);
		if (RESERVED.has(name.toLowerCase()))
			throw new InputProblem(
				`${field} › Name`,
				`"${name}" is set by the node itself and cannot be overridden.`,
			);
		const value =
			typeof entry.value === 'number' || typeof entry.value === 'boolean'
				? String(entry.value)
				: entry.value;
		if (typeof value !== 'string') throw wrongType(`${field} › Value`, 'text', entry.value);
		if (/[\r\n\0]/.test(value))
			throw new InputProblem(
				`${field} › Value`,
				'contains a line break or NUL character, which would split the header.',
			);
		if (value.length > MAX_HEADER_VALUE_LENGTH)
			throw new InputProblem(
				`${field} › Value`,
				`is longer than ${MAX_HEADER_VALUE_LENGTH} characters.`,
			);
		if (!HEADER_VALUE.test(value))
			throw new InputProblem(
				`${field} › Value`,
				'contains a control or non-ASCII character; header values may hold visible ASCII, spaces and tabs only.',
			);
		headers[name] = value;
	});
	return headers;
}
