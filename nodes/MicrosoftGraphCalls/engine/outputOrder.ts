import type { IDataObject } from 'n8n-workflow';

/**
 * The keys an output item leads with, in this order, when it has them: what a person looks for
 * first in n8n's table and JSON views (the thing's ID, its status or state, the outcome).
 */
const LEADING_KEYS = ['id', 'status', 'state', 'outcome', 'success'] as const;
/** Kept last: Graph's type annotations (@odata.*), then the response metadata option's facts. */
const TRAILING_KEYS = ['responseMetadata'] as const;

/**
 * The same item with its keys reordered: LEADING_KEYS first, then the rest in the order Graph or
 * the operation gave them, then `@odata.*` keys, then `responseMetadata`. Every key and value is
 * kept as it is; only the top level is reordered.
 */
export function leadWithWhatMatters(json: IDataObject): IDataObject {
	const keys = Object.keys(json);
	const odata = keys.filter((key) => key.startsWith('@odata.'));
	const leading = LEADING_KEYS.filter((key) => key in json);
	const trailing = TRAILING_KEYS.filter((key) => key in json);
	const placed = new Set<string>([...leading, ...odata, ...trailing]);
	const order = [...leading, ...keys.filter((key) => !placed.has(key)), ...odata, ...trailing];
	const reordered: IDataObject = {};
	for (const key of order) reordered[key] = json[key];
	return reordered;
}
