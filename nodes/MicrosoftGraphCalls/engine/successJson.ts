import type { IDataObject } from 'n8n-workflow';

import type { GraphResult } from '../transport/types';

/**
 * The item for an answer without a body (204 of DELETE, 200 of keepAlive): a clear success with
 * what was done. A dry run's description passes through unchanged.
 */
export function successJson(result: GraphResult, facts: IDataObject): IDataObject {
	if (!result.sent) return result.json;
	const { responseMetadata } = result.json;
	return {
		success: true,
		status: result.response.status,
		...facts,
		...(responseMetadata !== undefined ? { responseMetadata } : {}),
	};
}
