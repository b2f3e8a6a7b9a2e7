/**
 * The protocol-neutral answer a handler produces. The server turns it into bytes on the wire,
 * or into a reset or a hang when a fault says so.
 */

export interface SimResponse {
	status: number;
	headers: Record<string, string>;
	/** Text, or bytes (media files, recordings). */
	body?: string | Buffer;
}

export type HandlerResult =
	| { kind: 'respond'; response: SimResponse }
	/** Destroy the socket without answering. */
	| { kind: 'reset' }
	/** Never answer; close() tears the socket down. */
	| { kind: 'hang' };

export function respond(response: SimResponse): HandlerResult {
	return { kind: 'respond', response };
}

export function jsonResponse(
	status: number,
	body: unknown,
	headers: Record<string, string> = {},
): SimResponse {
	return {
		status,
		headers: { 'content-type': 'application/json; charset=utf-8', ...headers },
		body: JSON.stringify(body),
	};
}
