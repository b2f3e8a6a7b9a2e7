/**
 * JSON value types and guards. Request bodies arrive as untrusted text, so every handler
 * narrows `unknown` through these guards instead of casting.
 */

export type JsonPrimitive = string | number | boolean | null;
export type JsonValue = JsonPrimitive | JsonValue[] | JsonObject;
export interface JsonObject {
	[key: string]: JsonValue;
}

export function isJsonObject(value: unknown): value is JsonObject {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export type JsonParseResult = { ok: true; value: JsonValue } | { ok: false; error: string };

/** Parses JSON without throwing: malformed input is an expected case for a test double. */
export function parseJson(text: string): JsonParseResult {
	try {
		return { ok: true, value: JSON.parse(text) as JsonValue };
	} catch (error) {
		return { ok: false, error: error instanceof Error ? error.message : String(error) };
	}
}

/** Reads a string property, treating any other type as absent. */
export function stringProp(object: JsonObject, key: string): string | undefined {
	const value = object[key];
	return typeof value === 'string' ? value : undefined;
}
