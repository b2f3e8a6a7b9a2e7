/**
 * Answers a GET with a prompt's WAV, as the trigger and the keypress page's waiting webhook serve
 * prompts to Graph: the exact bytes, their length, and `audio/wav`.
 */
interface WavResponse {
	status(code: number): unknown;
	setHeader(name: string, value: string): unknown;
	end(body: Buffer): unknown;
}

export function sendWav(res: WavResponse, wav: Buffer): void {
	res.status(200);
	res.setHeader('content-type', 'audio/wav');
	res.setHeader('content-length', String(wav.length));
	// The link names its content (the words, or the execution's own prompt): nothing to revalidate.
	res.setHeader('cache-control', 'no-store');
	res.end(wav);
}
