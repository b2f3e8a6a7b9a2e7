import type { IDataObject } from 'n8n-workflow';

import type { GraphResponse } from './types';

/** What Include Response Metadata adds to an item: the answer's status and Graph's IDs. */
export function responseMetadata(response: GraphResponse): IDataObject {
	const diagnostic = response.headers['x-ms-ags-diagnostic'];
	let parsedDiagnostic: unknown = diagnostic;
	try {
		parsedDiagnostic = diagnostic ? JSON.parse(diagnostic) : undefined;
	} catch {
		// Kept as text: Graph does not promise JSON in this header.
	}
	return {
		status: response.status,
		requestId: response.headers['request-id'],
		clientRequestId: response.headers['client-request-id'],
		location: response.headers.location,
		agsDiagnostic: parsedDiagnostic as IDataObject | string | undefined,
		date: response.headers.date,
	};
}
