/**
 * Graph's call IDs are GUIDs. Its answers write them in lower case with dashes
 * (`57dab8b1-894c-409a-b240-bd8beae78896`); its notifications' resource URLs may write them in
 * upper case without dashes (`57DAB8B1894C409AB240BD8BEAE78896`, the playPrompt and
 * recordResponse pages' examples). Anything else (braces, spaces, other lengths) is not Graph's
 * form: a receiver that acts per call must not let one call pass as two by its spelling.
 */
const DASHED = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const COMPACT = /^[0-9a-f]{32}$/i;

/** The call ID in the one form requests use (lower case, dashed), or undefined if not Graph's. */
export function graphCallId(value: unknown): string | undefined {
	if (typeof value !== 'string') return undefined;
	if (DASHED.test(value)) return value.toLowerCase();
	if (!COMPACT.test(value)) return undefined;
	const id = value.toLowerCase();
	return `${id.slice(0, 8)}-${id.slice(8, 12)}-${id.slice(12, 16)}-${id.slice(16, 20)}-${id.slice(20)}`;
}
