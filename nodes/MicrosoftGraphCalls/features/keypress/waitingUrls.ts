/**
 * URLs of this node's waiting webhook for one execution: `$execution.resumeUrl` with the node ID
 * as the last path segment (how n8n routes a waiting request to its node) and parameters of
 * ours in the query. n8n 2.x puts a resume token in the query of `resumeUrl` (`?signature=…`)
 * and refuses waiting requests without it, so the URL is edited as a URL, never by appending text.
 */
import { tryParseUrl } from '../../../../lib/safeParse';
import { PAGE_PARAMETER } from './pagePlan';

/** Callback URL: when the call was placed (ms since 1970), for durationSeconds. */
export const STARTED_AT_PARAMETER = 'startedAt';
/** Callback URL: the `callback` token of linkTokens.ts over execution, node and start time. */
export const BINDING_PARAMETER = 'binding';
/** Prompt link: the `prompt` token of linkTokens.ts. */
export const PROMPT_PARAMETER = 'prompt';
/** Prompt link: which message of the page (absent: the alert). */
export const SAY_PARAMETER = 'say';

function waitingNodeUrl(resumeUrl: string, nodeId: string, parameters: Record<string, string>) {
	const url = new URL(resumeUrl);
	url.pathname = `${url.pathname.replace(/\/+$/, '')}/${encodeURIComponent(nodeId)}`;
	for (const [name, value] of Object.entries(parameters)) url.searchParams.set(name, value);
	return url.toString();
}

/**
 * The call's callbackUri: Graph posts the call's notifications here. `page`: the page's state
 * (pagePlan.ts), which the binding token covers too.
 */
export function waitingCallbackUrl(
	resumeUrl: string,
	nodeId: string,
	startedAt: string,
	binding: string,
	page?: string,
): string {
	return waitingNodeUrl(resumeUrl, nodeId, {
		[STARTED_AT_PARAMETER]: startedAt,
		...(page !== undefined ? { [PAGE_PARAMETER]: page } : {}),
		[BINDING_PARAMETER]: binding,
	});
}

/** Where Graph downloads a message the waiting webhook serves (GET). */
export function promptLinkUrl(
	resumeUrl: string,
	nodeId: string,
	token: string,
	which = 'alert',
): string {
	return waitingNodeUrl(resumeUrl, nodeId, {
		...(which !== 'alert' ? { [SAY_PARAMETER]: which } : {}),
		[PROMPT_PARAMETER]: token,
	});
}

/**
 * Whether `candidate` (a callbackUri Graph shows or a notification states) is the callback URL
 * this node gave Graph: the same scheme, host, port and path, and every query parameter of
 * `expected` (the node's, and n8n 2.x's resume token) present once with the same value. URLs are
 * compared as parsed URLs (host case, default port, percent-encoding of the path), nothing more:
 * another host, a proxy prefix, a missing parameter or a look-alike path is another URL.
 */
export function isSameCallbackUrl(candidate: string, expected: string): boolean {
	const given = tryParseUrl(candidate);
	const wanted = tryParseUrl(expected);
	if (!given || !wanted) return false;
	if (
		given.protocol !== wanted.protocol ||
		given.hostname !== wanted.hostname ||
		given.port !== wanted.port ||
		given.pathname !== wanted.pathname ||
		given.username !== '' ||
		given.password !== ''
	)
		return false;
	for (const name of new Set(wanted.searchParams.keys())) {
		const values = given.searchParams.getAll(name);
		if (values.length !== 1 || values[0] !== wanted.searchParams.get(name)) return false;
	}
	return true;
}
