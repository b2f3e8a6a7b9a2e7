/** Sample-level helpers: channels to mono, float to 16-bit and back, level. */

/** Averages all channels into one (Teams plays prompts in mono). */
export function downmixToMono(channels: readonly Float32Array[]): Float32Array {
	const [first] = channels;
	if (!first) return new Float32Array(0);
	if (channels.length === 1) return first;
	const mono = new Float32Array(first.length);
	for (const channel of channels)
		for (let i = 0; i < mono.length; i++) mono[i] = (mono[i] as number) + (channel[i] ?? 0);
	for (let i = 0; i < mono.length; i++) mono[i] = (mono[i] as number) / channels.length;
	return mono;
}

const clampInt16 = (value: number): number =>
	value > 32_767 ? 32_767 : value < -32_768 ? -32_768 : value;

/**
 * Floats in [-1, 1] to 16-bit with rounding and clipping. No dither: speech from a synthesiser
 * sits far above the 16-bit noise floor, so truncation noise is inaudible.
 */
export function floatToInt16(samples: Float32Array): Int16Array {
	const out = new Int16Array(samples.length);
	for (let i = 0; i < samples.length; i++)
		out[i] = clampInt16(Math.round((samples[i] as number) * 32_768));
	return out;
}

export function int16ToFloat(samples: Int16Array): Float32Array {
	const out = new Float32Array(samples.length);
	for (let i = 0; i < samples.length; i++) out[i] = (samples[i] as number) / 32_768;
	return out;
}

/** Joins sample runs (speech chunks and silences) into one. */
export function concatInt16(parts: readonly Int16Array[]): Int16Array {
	const out = new Int16Array(parts.reduce((sum, part) => sum + part.length, 0));
	let at = 0;
	for (const part of parts) {
		out.set(part, at);
		at += part.length;
	}
	return out;
}

/**
 * Scales in place so the loudest sample sits at `targetDbfs`, with at most `maxGainDb` of gain:
 * Flite's voices come out 3-10 dB apart and quieter than other prompts, and a phone call has
 * no volume knob the caller could reach. Returns the gain applied.
 */
export function normalizePeak(samples: Int16Array, targetDbfs: number, maxGainDb: number): number {
	let peak = 0;
	for (let i = 0; i < samples.length; i++) peak = Math.max(peak, Math.abs(samples[i] as number));
	if (peak === 0) return 1;
	const gain = Math.min((32_767 * 10 ** (targetDbfs / 20)) / peak, 10 ** (maxGainDb / 20));
	for (let i = 0; i < samples.length; i++)
		samples[i] = clampInt16(Math.round((samples[i] as number) * gain));
	return gain;
}

/** Root-mean-square and peak level in dBFS, for checks that audio is speech, not silence or clipping. */
export function levels(samples: Int16Array): { rmsDbfs: number; peakDbfs: number } {
	let sumOfSquares = 0;
	let peak = 0;
	for (let i = 0; i < samples.length; i++) {
		const value = samples[i] as number;
		sumOfSquares += value * value;
		peak = Math.max(peak, Math.abs(value));
	}
	const dbfs = (x: number): number => (x > 0 ? 20 * Math.log10(x / 32_768) : -Infinity);
	return {
		rmsDbfs: dbfs(Math.sqrt(sumOfSquares / Math.max(1, samples.length))),
		peakDbfs: dbfs(peak),
	};
}
