/**
 * Which audio format is asked of Azure, and its conversion to Graph's prompt format.
 *
 * Decision: ask for `riff-16khz-16bit-mono-pcm`, Graph's format exactly. Azure's REST page lists
 * no such RIFF format among its non-streaming ones (riff-8khz, riff-22050hz, riff-24khz,
 * riff-44100hz, riff-48khz), but the Speech SDK's documented SpeechSynthesisOutputFormat enum
 * names it (Riff16Khz16BitMonoPcm), the service behind SDK and REST is the same, and public
 * REST clients send it to `{region}.tts.speech.microsoft.com` today. RIFF, not the listed
 * `raw-16khz-16bit-mono-pcm`, because the answer then carries its own header: the shared WAV
 * reader checks what came back and converts whatever it is (a headerless stream at another rate
 * would be garbled silently). The other formats here stay selectable (`outputFormat`) in case a
 * resource refuses the default: a RIFF at 24 kHz (the neural voices' native rate) is resampled
 * here, raw 16 kHz gets the header added.
 */
import { pcm16ToPromptRate, wavToPromptSamples } from '../../audio/graphPrompt';
import { int16Le } from '../../audio/wav';
import { SpeechError } from '../errors';

export const AZURE_OUTPUT_FORMATS = {
	'riff-16khz-16bit-mono-pcm': { container: 'riff', sampleRate: 16_000 },
	'riff-24khz-16bit-mono-pcm': { container: 'riff', sampleRate: 24_000 },
	'riff-48khz-16bit-mono-pcm': { container: 'riff', sampleRate: 48_000 },
	'raw-16khz-16bit-mono-pcm': { container: 'raw', sampleRate: 16_000 },
	'raw-24khz-16bit-mono-pcm': { container: 'raw', sampleRate: 24_000 },
} as const;

export type AzureOutputFormat = keyof typeof AZURE_OUTPUT_FORMATS;

export const DEFAULT_AZURE_OUTPUT_FORMAT: AzureOutputFormat = 'riff-16khz-16bit-mono-pcm';

export function isAzureOutputFormat(value: string): value is AzureOutputFormat {
	return Object.prototype.hasOwnProperty.call(AZURE_OUTPUT_FORMATS, value);
}

function notAudio(format: AzureOutputFormat, why: string): SpeechError {
	return new SpeechError(
		'badAudio',
		`Azure AI Speech answered 200 OK, but not with ${format} audio: ${why}. (Azure does this for text of punctuation only; otherwise try another output format.)`,
	);
}

/** Azure's answer to a synthesis request as Graph's prompt samples (mono, 16-bit, 16 kHz). */
export function promptSamplesFromAzure(format: AzureOutputFormat, body: Buffer): Int16Array {
	const { container, sampleRate } = AZURE_OUTPUT_FORMATS[format];
	if (container === 'raw') {
		if (body.length < 2) throw notAudio(format, `the body has ${body.length} bytes`);
		if (body.toString('ascii', 0, 4) === 'RIFF') return wavToPromptSamples(body);
		return pcm16ToPromptRate(int16Le(body, 0, Math.floor(body.length / 2)), sampleRate);
	}
	let samples: Int16Array;
	try {
		samples = wavToPromptSamples(body);
	} catch (error) {
		// Whatever the reader found wrong (no RIFF header, no data, an encoding it cannot convert).
		throw notAudio(format, (error as Error).message.replace(/^The audio /, 'it '));
	}
	if (samples.length === 0) throw notAudio(format, 'the WAV holds no samples');
	return samples;
}
