/**
 * Sample-rate conversion for prompts: Graph plays only 16 kHz, Flite's kal voice speaks at 8 kHz
 * and Azure's neural voices are made at 24 or 48 kHz. A band-limited (windowed-sinc) resampler,
 * because a plain linear one folds everything above 8 kHz back into the band when going down
 * to 16 kHz (audible as hiss on sibilants), and images when going up from 8 kHz.
 */

/** Zero crossings of the sinc on each side: 16 gives a steep enough filter for speech. */
const ZERO_CROSSINGS = 16;
/** Kaiser window beta: about 80 dB stop-band attenuation. */
const KAISER_BETA = 8.6;
/** Pass band as a fraction of the lower Nyquist frequency, leaving room for the transition. */
const ROLLOFF = 0.95;
/** Kernel samples per zero crossing; values between them are interpolated linearly. */
const TABLE_STEPS = 512;

/** Modified Bessel function of the first kind, order 0 (the Kaiser window's shape). */
function besselI0(x: number): number {
	let sum = 1;
	let term = 1;
	const quarterSquare = (x * x) / 4;
	for (let k = 1; k < 50 && term >= 1e-12 * sum; k++) {
		term *= quarterSquare / (k * k);
		sum += term;
	}
	return sum;
}

let kernelTable: Float64Array | undefined;

/** The windowed sinc from 0 to ZERO_CROSSINGS, computed once per process. */
function kernel(): Float64Array {
	if (kernelTable) return kernelTable;
	const table = new Float64Array(ZERO_CROSSINGS * TABLE_STEPS + 2);
	const i0Beta = besselI0(KAISER_BETA);
	for (let i = 0; i < table.length; i++) {
		const x = i / TABLE_STEPS;
		const r = x / ZERO_CROSSINGS;
		const window = r >= 1 ? 0 : besselI0(KAISER_BETA * Math.sqrt(1 - r * r)) / i0Beta;
		table[i] = (x === 0 ? 1 : Math.sin(Math.PI * x) / (Math.PI * x)) * window;
	}
	kernelTable = table;
	return table;
}

/** Resamples one channel from `fromRate` to `toRate` (Hz). */
export function resample(input: Float32Array, fromRate: number, toRate: number): Float32Array {
	if (!(fromRate > 0 && toRate > 0)) throw new RangeError('Sample rates must be positive.');
	if (fromRate === toRate) return input.slice();
	const table = kernel();
	const outLength = Math.round((input.length * toRate) / fromRate);
	const out = new Float32Array(outLength);
	const step = fromRate / toRate;
	// The cut-off follows the lower of the two rates: going down, it is the anti-aliasing filter.
	const cutoff = Math.min(1, toRate / fromRate) * ROLLOFF;
	const halfWidth = ZERO_CROSSINGS / cutoff;
	const last = input.length - 1;
	for (let i = 0; i < outLength; i++) {
		const t = i * step;
		const from = Math.max(0, Math.ceil(t - halfWidth));
		const to = Math.min(last, Math.floor(t + halfWidth));
		let sum = 0;
		for (let k = from; k <= to; k++) {
			const position = Math.abs(t - k) * cutoff * TABLE_STEPS;
			const j = Math.floor(position);
			const a = table[j] as number;
			sum += (input[k] as number) * (a + ((table[j + 1] as number) - a) * (position - j));
		}
		out[i] = sum * cutoff;
	}
	return out;
}
