import { randomUUID } from 'crypto';

import type { GraphCall, GraphRequestSpec, RequestSettings } from './types';

/** The headers every request carries, before the user's own. */
function standardHeaders(custom: Record<string, string>, hasBody: boolean): Record<string, string> {
	const headers: Record<string, string> = { Accept: 'application/json' };
	if (hasBody) headers['Content-Type'] = 'application/json';
	// Set here rather than by the telemetry step, so a dry run shows the ID the request would carry.
	if (!Object.keys(custom).some((name) => name.toLowerCase() === 'client-request-id')) {
		headers['client-request-id'] = randomUUID();
	}
	return { ...headers, ...custom };
}

/** The exact request for an operation's call: version, headers and the serialised body. */
export function specFor(call: GraphCall, settings: RequestSettings): GraphRequestSpec {
	const hasBody = call.body !== undefined;
	return {
		method: call.method,
		version: settings.version,
		path: call.path,
		headers: standardHeaders(settings.headers, hasBody),
		...(hasBody ? { body: JSON.stringify(call.body) } : {}),
	};
}
