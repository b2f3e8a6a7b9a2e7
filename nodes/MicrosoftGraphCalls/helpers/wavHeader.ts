/**
 * Reads the RIFF/WAVE header of a prompt file. Graph plays only "Wave file (.wav) format,
 * single-channel, 16-bit samples with a 16,000 (16 KHz) sampling rate" (Graph reference,
 * mediaInfo resource); anything else fails on the call, long after the node reported success.
 */

/** What the `fmt ` chunk says. */
export interface WavFormat {
	/** 1 = PCM; 0xFFFE = WAVE_FORMAT_EXTENSIBLE (then `pcm` tells the subformat). */
	audioFormat: number;
	pcm: boolean;
	channels: number;
	sampleRate: number;
	bitsPerSample: number;
}

export type WavReading = { ok: true; format: WavFormat } | { ok: false; problem: string };

/** Graph's documented prompt format. */
export const PROMPT_FORMAT = { channels: 1, sampleRate: 16_000, bitsPerSample: 16 } as const;
export const PROMPT_FORMAT_TEXT = 'WAV (PCM), mono, 16-bit, 16 kHz';

const EXTENSIBLE = 0xfffe;
const ascii = (bytes: Uint8Array, at: number): string =>
	String.fromCharCode(...bytes.subarray(at, at + 4));

/** Reads the first bytes of a file (the header is within them unless metadata chunks come first). */
export function readWavHeader(bytes: Uint8Array): WavReading {
	if (bytes.length < 12 || ascii(bytes, 0) !== 'RIFF' || ascii(bytes, 8) !== 'WAVE') {
		return { ok: false, problem: 'is not a WAV file (no RIFF/WAVE header)' };
	}
	const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
	let at = 12;
	// Chunks follow one another, each padded to an even length; `fmt ` may come after LIST etc.
	while (at + 8 <= bytes.length) {
		const id = ascii(bytes, at);
		const size = view.getUint32(at + 4, true);
		if (id === 'fmt ') {
			if (size < 16 || at + 8 + 16 > bytes.length) break;
			const audioFormat = view.getUint16(at + 8, true);
			const subformat =
				audioFormat === EXTENSIBLE && size >= 40 && at + 8 + 26 <= bytes.length
					? view.getUint16(at + 8 + 24, true)
					: undefined;
			return {
				ok: true,
				format: {
					audioFormat,
					pcm: audioFormat === 1 || subformat === 1,
					channels: view.getUint16(at + 10, true),
					sampleRate: view.getUint32(at + 12, true),
					bitsPerSample: view.getUint16(at + 22, true),
				},
			};
		}
		at += 8 + size + (size % 2);
	}
	return {
		ok: false,
		problem: 'has a RIFF/WAVE header but no readable "fmt " chunk near its start',
	};
}

/** What differs from Graph's prompt format, as a phrase; undefined when the format is right. */
export function promptFormatProblem(format: WavFormat): string | undefined {
	const wrong: string[] = [];
	if (!format.pcm) wrong.push(`audio format ${format.audioFormat} (not PCM)`);
	if (format.channels !== PROMPT_FORMAT.channels) wrong.push(`${format.channels} channels`);
	if (format.bitsPerSample !== PROMPT_FORMAT.bitsPerSample)
		wrong.push(`${format.bitsPerSample}-bit samples`);
	if (format.sampleRate !== PROMPT_FORMAT.sampleRate) wrong.push(`${format.sampleRate} Hz`);
	return wrong.length > 0 ? wrong.join(', ') : undefined;
}
