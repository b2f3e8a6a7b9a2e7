/**
 * Downloads a finished recording into a binary property. Graph's recordResponse page: GET
 * {recordingLocation} with "Authorization: Bearer {recordingAccessToken}" (the operation's own
 * token, not the Graph token); "the recording is discarded shortly after the call ends", so it
 * is fetched at once. Plain `helpers.httpRequest`: the credential is never attached.
 *
 * Bounds: at most MAX_RECORDING_BYTES are read (the stream is cut there, with an error naming
 * the field); redirects are followed by hand, at most MAX_REDIRECTS, https only, and the access
 * token goes only to the origin Graph named (a redirect elsewhere is fetched without it).
 */
import type { IBinaryData, IDataObject, IExecuteFunctions } from 'n8n-workflow';
import type { Readable } from 'node:stream';

import { tryParseUrl } from '../../../../lib/safeParse';
import { InputProblem } from '../../helpers/inputProblem';

const FIELD = 'Additional Fields › Download Recording';
const DOWNLOAD_TIMEOUT_MS = 60_000;
/**
 * recordResponse records at most 2 minutes (maxRecordDurationInSeconds); in Graph's prompt format
 * that is 3.84 MB. 20 MiB leaves room for any container Graph may choose, and no more.
 */
export const MAX_RECORDING_BYTES = 20 * 1024 * 1024;
const MAX_REDIRECTS = 3;

interface Answer {
	statusCode: number;
	headers: Record<string, string | string[] | undefined>;
	body: Readable;
}

function httpsUrl(value: string, what: string, base?: URL): URL {
	const url = tryParseUrl(value, base?.toString());
	// The access token must not travel in clear text, whatever Graph's answer says.
	if (!url || url.protocol !== 'https:')
		throw new InputProblem(FIELD, `${what} is not an https URL; the recording was not downloaded.`);
	return url;
}

async function readCapped(body: Readable): Promise<Buffer> {
	const chunks: Buffer[] = [];
	let size = 0;
	try {
		for await (const chunk of body) {
			const bytes = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as Uint8Array);
			size += bytes.length;
			if (size > MAX_RECORDING_BYTES)
				throw new InputProblem(
					FIELD,
					`the recording is larger than ${MAX_RECORDING_BYTES} bytes (recordResponse records at most 2 minutes); it was not kept.`,
				);
			chunks.push(bytes);
		}
	} finally {
		body.destroy();
	}
	return Buffer.concat(chunks);
}

const header = (answer: Answer, name: string): string | undefined => {
	const value = answer.headers[name];
	return Array.isArray(value) ? value[0] : value;
};

/** The recording, when Graph's operation says it is there; undefined otherwise. */
export async function downloadRecording(
	functions: IExecuteFunctions,
	operation: IDataObject,
): Promise<IBinaryData | undefined> {
	const location = operation.recordingLocation;
	const token = operation.recordingAccessToken;
	if (operation.status !== 'completed' || typeof location !== 'string' || location === '')
		return undefined;
	const first = httpsUrl(location, 'Graph gave a recording location that');
	let url = first;
	for (let redirects = 0; ; redirects++) {
		const authorized = url.origin === first.origin && typeof token === 'string' && token !== '';
		const answer = (await functions.helpers.httpRequest({
			url: url.toString(),
			method: 'GET',
			headers: authorized ? { authorization: `Bearer ${token}` } : {},
			encoding: 'stream',
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
			disableFollowRedirect: true,
			timeout: DOWNLOAD_TIMEOUT_MS,
		})) as Answer;
		const next = header(answer, 'location');
		if (answer.statusCode >= 300 && answer.statusCode < 400 && next !== undefined) {
			answer.body.destroy();
			if (redirects >= MAX_REDIRECTS)
				throw new InputProblem(
					FIELD,
					`the recording's location redirected more than ${MAX_REDIRECTS} times; it was not downloaded.`,
				);
			url = httpsUrl(next, "A redirect of the recording's location", url);
			continue;
		}
		if (answer.statusCode !== 200) {
			answer.body.destroy();
			throw new InputProblem(
				FIELD,
				`the recording's location answered HTTP ${answer.statusCode}; Graph discards a recording shortly after the call ends.`,
			);
		}
		const data = await readCapped(answer.body);
		const mimeType = header(answer, 'content-type') ?? 'application/octet-stream';
		const id = typeof operation.id === 'string' ? operation.id : 'recording';
		// Graph documents the body only as application/octet-stream; the file name says no more.
		return await functions.helpers.prepareBinaryData(data, `recording-${id}`, mimeType);
	}
}
