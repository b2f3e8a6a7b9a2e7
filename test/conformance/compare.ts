/**
 * The conformance test's judgement of one thing the simulator sent, against Microsoft's examples
 * of the same kind:
 * - every entry of its shape (property, placement, type, `@odata.type`, enumeration casing, ID
 *   form) must appear in at least one example of that kind;
 * - its frame (the first levels: which properties sit where, with which IDs and casing) must be
 *   one that a single example shows, so that two variants the examples show apart are never
 *   combined into a shape no example shows.
 * Entries listed as invented (invented.ts) are let through, and only those.
 */
import type { DocumentedShape } from './documented';
import { unionOf } from './documented';
import { shapeEntries, type JsonValue, type ShapeOptions } from './shapes';

export interface Verdict {
	/** Entries no example of the kind shows. */
	undocumented: string[];
	/** The example whose frame is closest, and what of the observed frame it lacks. */
	closest?: { name: string; source: string; missing: string[] };
}

export function judge(
	observed: JsonValue,
	frameDepth: number,
	documented: readonly DocumentedShape[],
	allowed: ReadonlySet<string> = new Set(),
	options: Pick<ShapeOptions, 'echoed'> = {},
): Verdict {
	const union = unionOf(documented);
	const undocumented = [...shapeEntries(observed, options)].filter(
		(entry) => !union.has(entry) && !allowed.has(entry),
	);
	const frame = [...shapeEntries(observed, { ...options, maxDepth: frameDepth })].filter(
		(entry) => !allowed.has(entry),
	);
	let closest: Verdict['closest'];
	for (const example of documented) {
		const missing = frame.filter((entry) => !example.frame.has(entry));
		if (!closest || missing.length < closest.missing.length)
			closest = { name: example.name, source: example.source, missing };
	}
	return { undocumented, ...(closest ? { closest } : {}) };
}

/** Whether the verdict finds nothing undocumented and a single example with this frame. */
export const conforms = (verdict: Verdict): boolean =>
	verdict.undocumented.length === 0 && verdict.closest?.missing.length === 0;
