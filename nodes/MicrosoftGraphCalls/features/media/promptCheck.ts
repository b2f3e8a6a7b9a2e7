/**
 * Checks a prompt's audio format before Graph is asked to play it, when n8n can see the file:
 * a GET of its first bytes through n8n's plain `helpers.httpRequest` (never the Graph token:
 * the prompt's host is not Graph), the RIFF/WAVE header read, the rest of the file not fetched.
 * A file n8n cannot reach is reported, not refused: Graph fetches from its own network.
 */
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import type { Readable } from 'node:stream';

import { InputProblem } from '../../helpers/inputProblem';
import { isUnset, readFlag } from '../../helpers/optionValues';
import { PROMPT_FORMAT_TEXT, promptFormatProblem, readWavHeader } from '../../helpers/wavHeader';

/** Enough for the header even behind metadata chunks (LIST, bext...). */
const HEADER_BYTES = 4096;
const CHECK_TIMEOUT_MS = 10_000;

/** What the item reports about each prompt's check. */
export interface PromptCheck extends IDataObject {
	url: string;
	checked: boolean;
	format?: string;
	reason?: string;
}

/** Additional Fields › Check Prompt Format: on unless switched off. */
export function wantsPromptCheck(extra: Record<string, unknown>): boolean {
	return isUnset(extra.checkPromptFormat)
		? true
		: readFlag(extra.checkPromptFormat, 'Additional Fields › Check Prompt Format');
}

async function firstBytes(stream: Readable): Promise<Buffer> {
	const chunks: Buffer[] = [];
	let length = 0;
	try {
		for await (const chunk of stream) {
			const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as Uint8Array);
			chunks.push(buffer);
			length += buffer.length;
			if (length >= HEADER_BYTES) break;
		}
	} finally {
		// Leaving the loop early (or failing) must not keep the download of a large file going.
		stream.destroy();
	}
	return Buffer.concat(chunks).subarray(0, HEADER_BYTES);
}

/** A 416's Content-Range that says the whole file is 0 bytes long ("bytes *\/0"). */
function emptyFile(contentRange: string | string[] | undefined): boolean {
	const value = Array.isArray(contentRange) ? contentRange[0] : contentRange;
	return /^bytes \*\/0$/.test((value ?? '').trim());
}

/**
 * Reads the prompt's header; throws an InputProblem naming `field` when the file is there and
 * is not Graph's format, returns what was seen otherwise.
 */
export async function checkPrompt(
	functions: IExecuteFunctions,
	url: string,
	field: string,
): Promise<PromptCheck> {
	let bytes: Buffer;
	try {
		const response = (await functions.helpers.httpRequest({
			url,
			method: 'GET',
			// Servers that honour Range send only the header; the stream is cut off for the others.
			headers: { range: `bytes=0-${HEADER_BYTES - 1}` },
			encoding: 'stream',
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
			timeout: CHECK_TIMEOUT_MS,
		})) as {
			statusCode: number;
			body: Readable;
			headers?: Record<string, string | string[] | undefined>;
		};
		if (response.statusCode === 416 && emptyFile(response.headers?.['content-range'])) {
			// A server that honours Range answers 416 "bytes */0" for a file of no bytes at all: the
			// file is there, and it is no prompt (RFC 9110, 15.5.17).
			response.body.destroy();
			bytes = Buffer.alloc(0);
		} else if (response.statusCode !== 200 && response.statusCode !== 206) {
			response.body.destroy();
			return { url, checked: false, reason: `n8n got HTTP ${response.statusCode} for the file` };
		} else bytes = await firstBytes(response.body);
	} catch (error) {
		return {
			url,
			checked: false,
			reason: `n8n could not fetch the file (${(error as Error).message.slice(0, 200)})`,
		};
	}
	return { url, checked: true, format: describePromptBytes(bytes, field) };
}

/**
 * The prompt's format as text ("PCM, 1 channel(s), 16-bit, 16000 Hz") when Graph can play it;
 * otherwise an InputProblem naming `field` with a conversion command.
 */
export function describePromptBytes(
	bytes: Uint8Array,
	field: string,
	skipHint = 'To skip this check, turn off Additional Fields › Check Prompt Format.',
): string {
	const reading = readWavHeader(bytes);
	if (!reading.ok) {
		throw new InputProblem(
			field,
			`the file ${reading.problem}. Graph plays only ${PROMPT_FORMAT_TEXT} files.`,
			`Convert the audio, e.g. sox in.mp3 -r 16000 -c 1 -b 16 out.wav (or ffmpeg -i in.mp3 -ar 16000 -ac 1 -sample_fmt s16 out.wav). ${skipHint}`.trim(),
		);
	}
	const wrong = promptFormatProblem(reading.format);
	const described = `${reading.format.pcm ? 'PCM' : `format ${reading.format.audioFormat}`}, ${reading.format.channels} channel(s), ${reading.format.bitsPerSample}-bit, ${reading.format.sampleRate} Hz`;
	if (wrong) {
		throw new InputProblem(
			field,
			`the file is ${described}; Graph plays only ${PROMPT_FORMAT_TEXT} (this one has ${wrong}).`,
			`Convert the audio, e.g. sox in.wav -r 16000 -c 1 -b 16 out.wav (or ffmpeg -i in.wav -ar 16000 -ac 1 -sample_fmt s16 out.wav). ${skipHint}`.trim(),
		);
	}
	return described;
}
