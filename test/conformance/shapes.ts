/**
 * The shape of a JSON value, as the conformance test compares it with Microsoft's examples: one
 * entry per property, naming where it sits and what it holds, never its value except where the
 * value is the shape (an `@odata.type`, an enumeration whose casing matters, the form of an ID).
 *
 *   resourceData.state = Established
 *   resourceData.@odata.type = #microsoft.graph.call
 *   resourceUrl ~ /communications/calls/{GUID32}
 *   resourceData.resultInfo.code : string
 *   resourceData.participants[] : object
 *
 * IDs (the values of `id` and of keys ending in `Id`, and the segments of resource paths) are
 * written as their form: {guid} (lower case with dashes), {GUID} (upper case with dashes),
 * {GUID32} (upper case without dashes), {guid32} (lower case without dashes); an ID that is no
 * GUID (a meeting's, a phone number) is `: string`.
 */

export type JsonValue =
	null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/**
 * Enumerations whose value (and its casing) is part of the shape. (A call's terminationReason is
 * a free String in the call resource, not one of these.)
 */
const ENUM_KEYS = new Set([
	'changeType',
	'state',
	'status',
	'direction',
	'completionReason',
	'endpointType',
	'mediaType',
]);

/** Strings that are resource paths: compared as a template of their IDs. */
const PATH_KEYS = new Set(['resourceUrl', 'resource', '@odata.id']);

const GUID_FORMS: Array<[RegExp, string]> = [
	[/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/, '{guid}'],
	[/^[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}$/, '{GUID}'],
	[/^[0-9A-F]{32}$/, '{GUID32}'],
	[/^[0-9a-f]{32}$/, '{guid32}'],
];

/** The form of an ID, or undefined when the string is not one. */
export function idForm(value: string): string | undefined {
	return GUID_FORMS.find(([pattern]) => pattern.test(value))?.[1];
}

/** "/communications/calls/57DAB8…/operations/0FE0…" → "/communications/calls/{GUID32}/operations/{GUID32}". */
export function pathTemplate(value: string): string {
	return value
		.split('/')
		.map((segment) => idForm(segment) ?? segment)
		.join('/');
}

/** Keys that hold an ID (`id`, `callChainId`, `myParticipantId`…): their form is shape. */
const isIdKey = (key: string): boolean => key === 'id' || /Id$/.test(key);

function stringForm(key: string, value: string): string {
	if (key === '@odata.type' || ENUM_KEYS.has(key)) return `= ${value}`;
	if (PATH_KEYS.has(key)) return `~ ${pathTemplate(value)}`;
	const id = isIdKey(key) ? idForm(value) : undefined;
	return id ? `: ${id}` : ': string';
}

function typeOf(value: JsonValue): string {
	if (value === null) return 'null';
	if (Array.isArray(value)) return 'array';
	return typeof value;
}

export interface ShapeOptions {
	/**
	 * Paths that are what the client sent, given back: an object's or list's own entry counts and
	 * nothing below it; a value counts not at all.
	 */
	echoed?: (path: string) => boolean;
	/** How deep to go: 1 = the top-level properties, 2 = theirs too. Default: all the way. */
	maxDepth?: number;
}

/**
 * Every entry of `value`'s shape. An array's items are one level deeper than the array
 * (`resourceData : array` is at depth 1, `resourceData[] : object` at 2, `resourceData[].id` at 3).
 */
export function shapeEntries(value: JsonValue, options: ShapeOptions = {}): Set<string> {
	const maxDepth = options.maxDepth ?? Number.POSITIVE_INFINITY;
	const entries = new Set<string>();
	const walk = (node: JsonValue, path: string, key: string, depth: number): void => {
		const echoed = depth > 0 && options.echoed?.(path) === true;
		// What the client sent, given back: an object or list is there (its entry counts), a
		// value is the client's own (nothing counts).
		if (echoed && (node === null || typeof node !== 'object')) return;
		if (depth > 0) {
			if (typeof node === 'string') entries.add(`${path} ${stringForm(key, node)}`);
			else entries.add(`${path} : ${typeOf(node)}`);
		}
		if (depth >= maxDepth || echoed) return;
		if (Array.isArray(node)) for (const item of node) walk(item, `${path}[]`, key, depth + 1);
		else if (node !== null && typeof node === 'object')
			for (const [child, childValue] of Object.entries(node))
				walk(childValue, path === '' ? child : `${path}.${child}`, child, depth + 1);
	};
	walk(value, '', '', 0);
	return entries;
}

/** The path of an entry ("resourceData.state = Established" → "resourceData.state"). */
export const entryPath = (entry: string): string => entry.split(' ')[0]!;
