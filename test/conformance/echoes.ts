/**
 * The parts of what the simulator sends that are not Graph's own shape but what the client
 * named, given back: the conformance test records such a part's own entry and nothing below it.
 *
 * - Every identitySet (`…identity`): it names the people and apps of the call as the client or
 *   the caller named them (user, phone, application, with the ids and names they had).
 * - A created call's meetingInfo, chatInfo and tenantId: the request's, as Graph echoes them; a
 *   meeting's subject (the example of the $filter list shows a meeting created without one).
 * - A $batch answer's steps: each step's body and headers are the answer of its own route, and
 *   the scenario holds them against that route's examples.
 */
const ECHOED_BY_ROUTE: Record<string, readonly string[]> = {
	'POST /communications/calls': ['meetingInfo', 'chatInfo', 'tenantId'],
	'GET /communications/calls/{id}': ['meetingInfo', 'chatInfo', 'tenantId'],
	'GET /users/{id}/onlineMeetings?$filter': ['value[].subject'],
	'POST /$batch': ['responses[].body', 'responses[].headers'],
};

export function echoedIn(where: string): (path: string) => boolean {
	const routePaths = ECHOED_BY_ROUTE[where] ?? [];
	return (path) => /(^|\.)identity$/.test(path) || routePaths.includes(path);
}
