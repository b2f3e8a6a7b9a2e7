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

/**
 * A file for GET or HEAD, with one `bytes=a-b` range honoured (206): media players (Graph's
 * fetcher, a browser's <audio>) ask for ranges.
 */
export function fileResponse(
	method: string,
	file: Buffer,
	contentType: string,
	rangeHeader: string | undefined,
): SimResponse {
	if (method !== 'GET' && method !== 'HEAD')
		return { status: 405, headers: { allow: 'GET, HEAD' } };
	const range = /^bytes=(\d+)-(\d*)$/.exec(rangeHeader ?? '');
	const start = range ? Number(range[1]) : 0;
	const end =
		range && range[2] !== '' ? Math.min(Number(range[2]), file.length - 1) : file.length - 1;
	if (range && start > end)
		return { status: 416, headers: { 'content-range': `bytes */${file.length}` } };
	const body = file.subarray(start, end + 1);
	return {
		status: range ? 206 : 200,
		headers: {
			'content-type': contentType,
			'content-length': String(body.length),
			'accept-ranges': 'bytes',
			...(range ? { 'content-range': `bytes ${start}-${end}/${file.length}` } : {}),
		},
		...(method === 'GET' ? { body } : {}),
	};
}
