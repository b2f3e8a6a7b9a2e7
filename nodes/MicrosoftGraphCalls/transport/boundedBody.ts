/**
 * Reads Graph's answer with a byte cap. n8n's request helper buffers whole bodies without any
 * limit (axios maxContentLength -1), so the answer is taken as a stream and read here: a body
 * larger than the cap is refused (and its connection dropped) instead of filling the memory.
 */
import { flattenHeaders } from '../../../lib/httpHeaders';
import { TransportError } from './transportErrors';

/** The largest answer from Graph that is read: invite answers are a few KiB. */
export const MAX_RESPONSE_BYTES = 4 * 1024 * 1024;

type BoundedRead =
	| { ok: true; text: string }
	| { ok: false; reason: 'tooLarge'; bytes: number }
	| { ok: false; reason: 'failed'; error: unknown };

interface DestroyableStream extends AsyncIterable<unknown> {
	destroy?: (error?: Error) => void;
}

function isStream(value: unknown): value is DestroyableStream {
	return (
		!!value &&
		typeof value === 'object' &&
		typeof (value as { [Symbol.asyncIterator]?: unknown })[Symbol.asyncIterator] === 'function'
	);
}

function chunkBytes(chunk: unknown): Buffer {
	if (Buffer.isBuffer(chunk)) return chunk;
	if (typeof chunk === 'string') return Buffer.from(chunk, 'utf8');
	if (chunk instanceof Uint8Array)
		return Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
	return Buffer.from(String(chunk), 'utf8');
}

/** Frees the connection of a body that will not be read. */
export function discardBody(body: unknown): void {
	if (isStream(body) && typeof body.destroy === 'function') body.destroy();
}

/**
 * The body as text, or "too large" as soon as more than `limit` bytes are declared
 * (Content-Length) or have arrived. Strings and Buffers (helpers that already buffered) are
 * measured the same way. Never throws.
 */
async function readBoundedBody(
	body: unknown,
	headers: Record<string, string>,
	limit = MAX_RESPONSE_BYTES,
): Promise<BoundedRead> {
	const declared = Number(headers['content-length']);
	if (Number.isFinite(declared) && declared > limit) {
		discardBody(body);
		return { ok: false, reason: 'tooLarge', bytes: declared };
	}
	if (body === undefined || body === null) return { ok: true, text: '' };
	if (!isStream(body)) {
		const bytes = chunkBytes(body);
		return bytes.length > limit
			? { ok: false, reason: 'tooLarge', bytes: bytes.length }
			: { ok: true, text: bytes.toString('utf8') };
	}
	const chunks: Buffer[] = [];
	let size = 0;
	try {
		for await (const chunk of body) {
			const bytes = chunkBytes(chunk);
			size += bytes.length;
			if (size > limit) {
				discardBody(body);
				return { ok: false, reason: 'tooLarge', bytes: size };
			}
			chunks.push(bytes);
		}
	} catch (error) {
		return { ok: false, reason: 'failed', error };
	}
	return { ok: true, text: Buffer.concat(chunks).toString('utf8') };
}

/**
 * The text of a successful exchange's body, or a TransportError: "tooLarge" past the cap,
 * "connection" when the body broke off. Built from known parts only.
 */
export async function answerText(
	body: unknown,
	headers: unknown,
	url: string,
	limit = MAX_RESPONSE_BYTES,
): Promise<string> {
	const read = await readBoundedBody(body, flattenHeaders(headers), limit);
	if (read.ok) return read.text;
	const origin = new URL(url).origin;
	if (read.reason === 'tooLarge') {
		throw new TransportError(
			'tooLarge',
			`Graph at ${origin} answered with more than ${limit} bytes (${read.bytes} seen); the answer was refused, not read.`,
		);
	}
	throw new TransportError(
		'connection',
		`The connection to Graph at ${origin} broke off while its answer was being read.`,
	);
}

/** An error answer's body for the message: read within the cap, else left out. */
export async function errorBodyOf(data: unknown, limit = MAX_RESPONSE_BYTES): Promise<unknown> {
	if (!isStream(data)) return data;
	const read = await readBoundedBody(data, {}, limit);
	return read.ok ? read.text : undefined;
}
