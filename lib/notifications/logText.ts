/**
 * Values from a request (a token's kid or tid, a URL a configuration named) end up in n8n's log.
 * A line break or an ANSI escape in them would forge a log line or repaint a terminal, so every
 * such value is passed through `printable` first: control characters become visible escapes.
 */

/** C0 and C1 controls, DEL, and the Unicode line and paragraph separators. */
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g;

/**
 * A value that is not a string, as text, without calling anything of the value's own: an object
 * from a request's JSON may carry a `toString` that is not a function (String() then throws).
 */
function describeNonString(value: unknown): string {
	if (value === null || value === undefined) return String(value);
	if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint')
		return String(value);
	if (Array.isArray(value)) return `a list of ${value.length}`;
	return `a ${typeof value}`;
}

/**
 * The value as one printable line, cut to `max` characters (the cut is marked with …). Never
 * throws, whatever the value: it is called on what unauthenticated requests carry.
 */
export function printable(value: unknown, max = 120): string {
	const text = typeof value === 'string' ? value : describeNonString(value);
	const cut = text.length > max ? `${text.slice(0, max)}…` : text;
	return cut.replace(CONTROL, (character) => {
		const code = character.charCodeAt(0);
		if (code === 0x0a) return '\\n';
		if (code === 0x0d) return '\\r';
		if (code === 0x09) return '\\t';
		return `\\u${code.toString(16).padStart(4, '0')}`;
	});
}
