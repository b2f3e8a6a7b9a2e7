/**
 * Graph's prompt format and the conversion to it. Graph plays only "Wave file (.wav) format,
 * single-channel, 16-bit samples with a 16,000 (16 KHz) sampling rate" (Graph reference,
 * mediaInfo resource); anything else fails on the call, long after the node reported success.
 */
import { downmixToMono, floatToInt16, int16ToFloat } from './pcm';
import { resample } from './resample';
import {
	decodeWavChannels,
	encodeWavPcm16Mono,
	readPcm16Mono,
	readWav,
	WavFormatError,
	type WavFile,
	type WavFormat,
} from './wav';

/** Graph's documented prompt format. */
export const PROMPT_FORMAT = { channels: 1, sampleRate: 16_000, bitsPerSample: 16 } as const;
export const PROMPT_FORMAT_TEXT = 'WAV (PCM), mono, 16-bit, 16 kHz';

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

/** Mono 16-bit samples at Graph's rate, wrapped as a prompt file. */
export function encodePromptWav(samples: Int16Array): Buffer {
	return encodeWavPcm16Mono(samples, PROMPT_FORMAT.sampleRate);
}

/** Mono 16-bit samples at any rate, brought to Graph's rate. */
export function pcm16ToPromptRate(samples: Int16Array, sampleRate: number): Int16Array {
	if (sampleRate === PROMPT_FORMAT.sampleRate) return samples;
	return floatToInt16(resample(int16ToFloat(samples), sampleRate, PROMPT_FORMAT.sampleRate));
}

/**
 * Any PCM or float WAV (any rate, any channel count) as Graph's prompt samples. A file already
 * in the format is only copied; others are mixed to mono and resampled.
 */
export function wavToPromptSamples(bytes: Uint8Array): Int16Array {
	const pcm16 = readPcm16Mono(bytes);
	if (pcm16) return pcm16ToPromptRate(pcm16.samples, pcm16.sampleRate);
	const decoded = decodeWavChannels(bytes);
	return floatToInt16(
		resample(downmixToMono(decoded.channels), decoded.sampleRate, PROMPT_FORMAT.sampleRate),
	);
}

/** Any readable WAV as a prompt file with the canonical header. */
export function toPromptWav(bytes: Uint8Array): Buffer {
	return encodePromptWav(wavToPromptSamples(bytes));
}

/** Silence of `ms` milliseconds at Graph's rate. */
export function promptSilence(ms: number): Int16Array {
	return new Int16Array(Math.round((ms * PROMPT_FORMAT.sampleRate) / 1000));
}

/**
 * Reads a finished prompt and insists on Graph's format: the last check before audio leaves
 * the speech layer, so a conversion mistake fails here and not on the call.
 */
export function checkPromptWav(bytes: Uint8Array): WavFile {
	const file = readWav(bytes);
	const problem = promptFormatProblem(file.format);
	if (problem) throw new WavFormatError(`is not ${PROMPT_FORMAT_TEXT} (it has ${problem})`);
	return file;
}
