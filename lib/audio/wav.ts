/**
 * The package's one RIFF/WAVE reader and writer. The prompt check reads only the first bytes of
 * a file (its header), the speech layer reads whole files (engine and Azure output) and writes
 * Graph's prompt format; both walk the chunks here, so a header quirk is fixed once.
 */

/** Format tags of the `fmt ` chunk that this package tells apart. */
export const WAVE_FORMAT = { pcm: 1, ieeeFloat: 3, extensible: 0xfffe } as const;

/** What the `fmt ` chunk says. */
export interface WavFormat {
	/** The tag as written: 1 = PCM, 3 = IEEE float, 0xFFFE = WAVE_FORMAT_EXTENSIBLE... */
	audioFormat: number;
	/**
	 * The sample encoding: the tag itself, or for WAVE_FORMAT_EXTENSIBLE the first two bytes of
	 * its sub-format GUID (undefined when the header is cut before them).
	 */
	encoding: number | undefined;
	pcm: boolean;
	channels: number;
	sampleRate: number;
	bitsPerSample: number;
	/** Bytes per frame (all channels of one sample instant). */
	blockAlign: number;
}

export type WavReading = { ok: true; format: WavFormat } | { ok: false; problem: string };

/** A whole file: its format and where its samples are. */
export interface WavFile {
	format: WavFormat;
	/** Byte offset of the samples in the buffer that was read. */
	dataOffset: number;
	/** Bytes of samples present (a declared size past the end of the buffer is cut to it). */
	dataLength: number;
	frames: number;
	durationMs: number;
}

/** A buffer that is not a WAV file this package can read; the message says what is wrong. */
export class WavFormatError extends Error {
	constructor(readonly problem: string) {
		super(`The audio ${problem}`);
		this.name = 'WavFormatError';
	}
}

const RIFF_HEADER_BYTES = 12;
const CHUNK_HEADER_BYTES = 8;
const FMT_MIN_BYTES = 16;
/** cbSize (2), validBits (2), channel mask (4), then the sub-format GUID. */
const EXTENSIBLE_SUBFORMAT_AT = 24;

const fourCc = (bytes: Uint8Array, at: number): string =>
	String.fromCharCode(...bytes.subarray(at, at + 4));

const view = (bytes: Uint8Array): DataView =>
	new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);

interface Chunk {
	id: string;
	/** Offset of the chunk's body. */
	body: number;
	/** Size as declared in its header. */
	size: number;
}

/**
 * The chunks after the RIFF header, in order. Each is padded to an even length, and `fmt ` may
 * come after LIST or other metadata chunks, as sox and editors write them.
 */
function* chunks(bytes: Uint8Array): Generator<Chunk> {
	const dv = view(bytes);
	for (let at = RIFF_HEADER_BYTES; at + CHUNK_HEADER_BYTES <= bytes.length;) {
		const size = dv.getUint32(at + 4, true);
		yield { id: fourCc(bytes, at), body: at + CHUNK_HEADER_BYTES, size };
		at += CHUNK_HEADER_BYTES + size + (size % 2);
	}
}

function isRiffWave(bytes: Uint8Array): boolean {
	return (
		bytes.length >= RIFF_HEADER_BYTES && fourCc(bytes, 0) === 'RIFF' && fourCc(bytes, 8) === 'WAVE'
	);
}

/** Reads a `fmt ` chunk; undefined when it is cut short. */
function readFmt(bytes: Uint8Array, chunk: Chunk): WavFormat | undefined {
	if (chunk.size < FMT_MIN_BYTES || chunk.body + FMT_MIN_BYTES > bytes.length) return undefined;
	const dv = view(bytes);
	const audioFormat = dv.getUint16(chunk.body, true);
	let encoding: number | undefined = audioFormat;
	if (audioFormat === WAVE_FORMAT.extensible) {
		const at = chunk.body + EXTENSIBLE_SUBFORMAT_AT;
		encoding = chunk.size >= 40 && at + 2 <= bytes.length ? dv.getUint16(at, true) : undefined;
	}
	return {
		audioFormat,
		encoding,
		pcm: encoding === WAVE_FORMAT.pcm,
		channels: dv.getUint16(chunk.body + 2, true),
		sampleRate: dv.getUint32(chunk.body + 4, true),
		blockAlign: dv.getUint16(chunk.body + 12, true),
		bitsPerSample: dv.getUint16(chunk.body + 14, true),
	};
}

const NOT_RIFF = 'is not a WAV file (no RIFF/WAVE header)';
const NO_FMT = 'has a RIFF/WAVE header but no readable "fmt " chunk near its start';

/**
 * Reads the format from the first bytes of a file: the header is within them unless large
 * metadata chunks come first. Never throws; the problem is phrased to follow "the file".
 */
export function readWavHeader(bytes: Uint8Array): WavReading {
	if (!isRiffWave(bytes)) return { ok: false, problem: NOT_RIFF };
	for (const chunk of chunks(bytes)) {
		if (chunk.id !== 'fmt ') continue;
		const format = readFmt(bytes, chunk);
		return format ? { ok: true, format } : { ok: false, problem: NO_FMT };
	}
	return { ok: false, problem: NO_FMT };
}

/**
 * Reads a whole file: format and the place of its samples. A data chunk that declares more
 * than the buffer holds (a streamed WAV whose size was never patched) is cut to what is there.
 */
export function readWav(bytes: Uint8Array): WavFile {
	if (!isRiffWave(bytes)) throw new WavFormatError(NOT_RIFF);
	let format: WavFormat | undefined;
	for (const chunk of chunks(bytes)) {
		if (chunk.id === 'fmt ') {
			format = readFmt(bytes, chunk);
			if (!format) throw new WavFormatError(NO_FMT);
		} else if (chunk.id === 'data') {
			if (!format) throw new WavFormatError('has its "data" chunk before its "fmt " chunk');
			const dataLength = Math.max(0, Math.min(chunk.size, bytes.length - chunk.body));
			const frames = format.blockAlign > 0 ? Math.floor(dataLength / format.blockAlign) : 0;
			return {
				format,
				dataOffset: chunk.body,
				dataLength,
				frames,
				durationMs: format.sampleRate > 0 ? (frames * 1000) / format.sampleRate : 0,
			};
		}
	}
	throw new WavFormatError(format ? 'has no "data" chunk' : NO_FMT);
}

/** The canonical 44-byte header: RIFF, `fmt ` (16 bytes, PCM), `data`. */
const CANONICAL_HEADER_BYTES = 44;

/** Writes mono 16-bit PCM samples as a WAV file with the canonical 44-byte header. */
export function encodeWavPcm16Mono(samples: Int16Array, sampleRate: number): Buffer {
	const dataLength = samples.length * 2;
	const out = Buffer.alloc(CANONICAL_HEADER_BYTES + dataLength);
	out.write('RIFF', 0, 'ascii');
	out.writeUInt32LE(CANONICAL_HEADER_BYTES - 8 + dataLength, 4);
	out.write('WAVE', 8, 'ascii');
	out.write('fmt ', 12, 'ascii');
	out.writeUInt32LE(FMT_MIN_BYTES, 16);
	out.writeUInt16LE(WAVE_FORMAT.pcm, 20);
	out.writeUInt16LE(1, 22);
	out.writeUInt32LE(sampleRate, 24);
	out.writeUInt32LE(sampleRate * 2, 28);
	out.writeUInt16LE(2, 32);
	out.writeUInt16LE(16, 34);
	out.write('data', 36, 'ascii');
	out.writeUInt32LE(dataLength, 40);
	// Samples are written one by one: Int16Array is in the machine's byte order, WAV is little-endian.
	for (let i = 0; i < samples.length; i++)
		out.writeInt16LE(samples[i] as number, CANONICAL_HEADER_BYTES + i * 2);
	return out;
}

/** The samples of a 16-bit mono PCM file as they are (copied), or undefined for other formats. */
export function readPcm16Mono(
	bytes: Uint8Array,
): { sampleRate: number; samples: Int16Array } | undefined {
	const file = readWav(bytes);
	const { format } = file;
	if (!format.pcm || format.channels !== 1 || format.bitsPerSample !== 16) return undefined;
	return { sampleRate: format.sampleRate, samples: int16Le(bytes, file.dataOffset, file.frames) };
}

/** Little-endian 16-bit samples from raw bytes (headerless PCM, or a WAV's data chunk). */
export function int16Le(bytes: Uint8Array, offset: number, count: number): Int16Array {
	const samples = new Int16Array(count);
	const dv = view(bytes);
	for (let i = 0; i < count; i++) samples[i] = dv.getInt16(offset + i * 2, true);
	return samples;
}

/** Reads one sample as a float in [-1, 1), for the sample encodings this package decodes. */
type SampleReader = (dv: DataView, at: number) => number;

function sampleReader(format: WavFormat): SampleReader {
	const bits = format.bitsPerSample;
	if (format.encoding === WAVE_FORMAT.pcm) {
		if (bits === 8) return (dv, at) => (dv.getUint8(at) - 128) / 128;
		if (bits === 16) return (dv, at) => dv.getInt16(at, true) / 32_768;
		if (bits === 24)
			return (dv, at) =>
				(dv.getUint8(at) | (dv.getUint8(at + 1) << 8) | (dv.getInt8(at + 2) << 16)) / 8_388_608;
		if (bits === 32) return (dv, at) => dv.getInt32(at, true) / 2_147_483_648;
	} else if (format.encoding === WAVE_FORMAT.ieeeFloat) {
		if (bits === 32) return (dv, at) => dv.getFloat32(at, true);
		if (bits === 64) return (dv, at) => dv.getFloat64(at, true);
	}
	throw new WavFormatError(
		`is ${format.encoding === WAVE_FORMAT.ieeeFloat ? 'floating point' : `format ${format.encoding ?? format.audioFormat}`} with ${bits}-bit samples, which this package cannot convert (PCM 8/16/24/32-bit and float 32/64-bit only)`,
	);
}

/** Decodes PCM or float samples to one Float32Array per channel, for conversion. */
export function decodeWavChannels(bytes: Uint8Array): {
	sampleRate: number;
	channels: Float32Array[];
} {
	const file = readWav(bytes);
	const { format, frames } = file;
	const bytesPerSample = format.bitsPerSample / 8;
	if (format.channels < 1 || format.blockAlign < format.channels * bytesPerSample) {
		throw new WavFormatError(
			`declares ${format.channels} channel(s) of ${format.bitsPerSample}-bit samples in ${format.blockAlign}-byte frames, which does not add up`,
		);
	}
	const read = sampleReader(format);
	const dv = new DataView(bytes.buffer, bytes.byteOffset + file.dataOffset, file.dataLength);
	const channels = Array.from({ length: format.channels }, () => new Float32Array(frames));
	channels.forEach((channel, c) => {
		for (let f = 0; f < frames; f++)
			channel[f] = read(dv, f * format.blockAlign + c * bytesPerSample);
	});
	return { sampleRate: format.sampleRate, channels };
}
