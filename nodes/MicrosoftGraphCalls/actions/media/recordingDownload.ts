/**
 * Downloads a finished recording into a binary property. Graph's recordResponse page: GET
 * {recordingLocation} with "Authorization: Bearer {recordingAccessToken}" (the operation's own
 * token, not the Graph token); "the recording is discarded shortly after the call ends", so it
 * is fetched at once. Plain `helpers.httpRequest`: the credential is never attached.
 */
import type { IBinaryData, IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { tryParseUrl } from '../../../../lib/safeParse';
import { InputProblem } from '../../helpers/inputProblem';

const DOWNLOAD_TIMEOUT_MS = 60_000;

/** The recording, when Graph's operation says it is there; undefined otherwise. */
export async function downloadRecording(
	functions: IExecuteFunctions,
	operation: IDataObject,
): Promise<IBinaryData | undefined> {
	const location = operation.recordingLocation;
	const token = operation.recordingAccessToken;
	if (operation.status !== 'completed' || typeof location !== 'string' || location === '')
		return undefined;
	const url = tryParseUrl(location);
	if (!url || url.protocol !== 'https:') {
		// The access token must not travel in clear text, whatever Graph's answer says.
		throw new InputProblem(
			'Additional Fields › Download Recording',
			'Graph gave a recording location that is not an https URL; it was not downloaded.',
		);
	}
	const response = (await functions.helpers.httpRequest({
		url: url.toString(),
		method: 'GET',
		headers: typeof token === 'string' && token !== '' ? { authorization: `Bearer ${token}` } : {},
		encoding: 'arraybuffer',
		returnFullResponse: true,
		timeout: DOWNLOAD_TIMEOUT_MS,
	})) as { body: ArrayBuffer | Buffer; headers: Record<string, string | undefined> };
	const data = Buffer.isBuffer(response.body) ? response.body : Buffer.from(response.body);
	const mimeType = response.headers['content-type'] ?? 'application/octet-stream';
	const id = typeof operation.id === 'string' ? operation.id : 'recording';
	// Graph documents the body only as application/octet-stream; the file name says no more.
	return await functions.helpers.prepareBinaryData(data, `recording-${id}`, mimeType);
}
