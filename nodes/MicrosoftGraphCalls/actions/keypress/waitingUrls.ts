/**
 * URLs of this node's waiting webhook for one execution: `$execution.resumeUrl` with the node ID
 * as the last path segment (how n8n routes a waiting request to its node) and parameters of
 * ours in the query. n8n 2.x puts a resume token in the query of `resumeUrl` (`?signature=…`)
 * and refuses waiting requests without it, so the URL is edited as a URL, never by appending text.
 */

/** Callback URL: when the call was placed (ms since 1970), for durationSeconds. */
export const STARTED_AT_PARAMETER = 'startedAt';
/** Prompt link: the token of promptLink.ts. */
export const PROMPT_PARAMETER = 'prompt';

function waitingNodeUrl(resumeUrl: string, nodeId: string, name: string, value: string): string {
	const url = new URL(resumeUrl);
	url.pathname = `${url.pathname.replace(/\/+$/, '')}/${encodeURIComponent(nodeId)}`;
	url.searchParams.set(name, value);
	return url.toString();
}

/** The call's callbackUri: Graph posts the call's notifications here. */
export function waitingCallbackUrl(resumeUrl: string, nodeId: string, startedAt: number): string {
	return waitingNodeUrl(resumeUrl, nodeId, STARTED_AT_PARAMETER, String(startedAt));
}

/** Where Graph downloads a prompt taken from a binary field (GET, served by the webhook). */
export function promptLinkUrl(resumeUrl: string, nodeId: string, token: string): string {
	return waitingNodeUrl(resumeUrl, nodeId, PROMPT_PARAMETER, token);
}

/**
 * Whether a call's callbackUri names the waiting URL a request arrived at: the same execution and
 * node (the last two path segments, which is how n8n routes a waiting request) and, where both
 * carry one, the same start time. Host and leading path are not compared (a reverse proxy may
 * rewrite them), nor a missing query (what Graph echoes of the URL is not documented; the path is
 * what it posts to).
 */
export function namesThisWaitingUrl(callbackUri: string, requestUrl: string): boolean {
	let callback: URL;
	let request: URL;
	try {
		callback = new URL(callbackUri);
		request = new URL(requestUrl, 'https://request.invalid');
	} catch {
		return false;
	}
	const tail = (url: URL) => url.pathname.replace(/\/+$/, '').split('/').slice(-2).join('/');
	const startedAt = [callback, request].map((url) => url.searchParams.get(STARTED_AT_PARAMETER));
	return (
		tail(callback) === tail(request) &&
		(startedAt[0] === null || startedAt[1] === null || startedAt[0] === startedAt[1])
	);
}
