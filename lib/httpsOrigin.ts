import { tryParseUrl } from './safeParse';

/**
 * An https origin and nothing else, for the credential fields that say where a token or key may
 * be sent: a path, a query or a user-info part would make that binding ambiguous.
 */
export type HttpsOriginReading = { ok: true; origin: string } | { ok: false; problem: string };

/**
 * Reads `value`; a problem is phrased to follow the field's label in quotes. `example` is shown
 * for a value that is no URL; `what` names what never travels over plain http.
 */
export function readHttpsOrigin(
	value: string,
	{ example, what }: { example: string; what: string },
): HttpsOriginReading {
	const url = tryParseUrl(value);
	if (!url) return { ok: false, problem: `is not a URL: give an https origin such as ${example}.` };
	if (url.protocol !== 'https:') {
		return {
			ok: false,
			problem: `must use https (got ${url.protocol.replace(':', '')}): ${what} never sent over plain http.`,
		};
	}
	if (
		url.username ||
		url.password ||
		url.search ||
		url.hash ||
		(url.pathname !== '/' && url.pathname !== '')
	) {
		return {
			ok: false,
			problem: `must be an origin only (scheme, host and optional port), without path, query or user name: e.g. ${url.origin}.`,
		};
	}
	return { ok: true, origin: url.origin };
}
