/**
 * WAV files for the media simulation: a generator (prompts and recordings for tests, no audio
 * tools needed) and the header check the simulator applies to every prompt it fetches. Written
 * apart from the node's own reader on purpose, so that a mistake in one is caught by the other.
 */

export interface WavSpec {
	sampleRate?: number;
	channels?: number;
	bitsPerSample?: number;
	/** 1 = PCM (default); 3 = IEEE float, 6 = A-law... */
	audioFormat?: number;
	durationMs?: number;
	/** Sine frequency; 0 = silence. */
	frequencyHz?: number;
	/** Extra chunk (e.g. LIST metadata) placed before `fmt `, as some tools write it. */
	leadingChunk?: { id: string; data: Buffer };
}

/** A complete RIFF/WAVE file: header, `fmt `, `data` with a sine tone. */
export function makeWav(spec: WavSpec = {}): Buffer {
	const sampleRate = spec.sampleRate ?? 16_000;
	const channels = spec.channels ?? 1;
	const bits = spec.bitsPerSample ?? 16;
	const bytesPerSample = bits / 8;
	const frames = Math.round((sampleRate * (spec.durationMs ?? 200)) / 1000);
	const data = Buffer.alloc(frames * channels * bytesPerSample);
	const frequency = spec.frequencyHz ?? 440;
	for (let frame = 0; frame < frames; frame++) {
		const value = Math.sin((2 * Math.PI * frequency * frame) / sampleRate) * 0.3;
		for (let channel = 0; channel < channels; channel++) {
			const at = (frame * channels + channel) * bytesPerSample;
			if (bits === 16) data.writeInt16LE(Math.round(value * 32_767), at);
			else if (bits === 8) data.writeUInt8(Math.round(128 + value * 127), at);
			else if (bits === 32) data.writeInt32LE(Math.round(value * 2_147_483_647), at);
		}
	}
	const fmt = Buffer.alloc(16);
	fmt.writeUInt16LE(spec.audioFormat ?? 1, 0);
	fmt.writeUInt16LE(channels, 2);
	fmt.writeUInt32LE(sampleRate, 4);
	fmt.writeUInt32LE(sampleRate * channels * bytesPerSample, 8);
	fmt.writeUInt16LE(channels * bytesPerSample, 12);
	fmt.writeUInt16LE(bits, 14);
	const chunk = (id: string, body: Buffer): Buffer => {
		const header = Buffer.alloc(8);
		header.write(id, 0, 'ascii');
		header.writeUInt32LE(body.length, 4);
		return Buffer.concat([header, body, body.length % 2 ? Buffer.alloc(1) : Buffer.alloc(0)]);
	};
	const chunks = Buffer.concat([
		...(spec.leadingChunk ? [chunk(spec.leadingChunk.id, spec.leadingChunk.data)] : []),
		chunk('fmt ', fmt),
		chunk('data', data),
	]);
	const riff = Buffer.alloc(12);
	riff.write('RIFF', 0, 'ascii');
	riff.writeUInt32LE(4 + chunks.length, 4);
	riff.write('WAVE', 8, 'ascii');
	return Buffer.concat([riff, chunks]);
}

/**
 * Graph's prompt rule (mediaInfo: "Wave file (.wav) format, single-channel, 16-bit samples with
 * a 16,000 (16 KHz) sampling rate"): undefined when the file follows it, else why not.
 */
export function promptFileProblem(file: Buffer): string | undefined {
	if (
		file.length < 12 ||
		file.toString('ascii', 0, 4) !== 'RIFF' ||
		file.toString('ascii', 8, 12) !== 'WAVE'
	)
		return 'not a RIFF/WAVE file';
	for (let at = 12; at + 8 <= file.length;) {
		const id = file.toString('ascii', at, at + 4);
		const size = file.readUInt32LE(at + 4);
		if (id === 'fmt ' && at + 24 <= file.length) {
			const format = file.readUInt16LE(at + 8);
			const channels = file.readUInt16LE(at + 10);
			const rate = file.readUInt32LE(at + 12);
			const bits = file.readUInt16LE(at + 22);
			if (format !== 1) return `audio format ${format}, not PCM`;
			if (channels !== 1) return `${channels} channels, not mono`;
			if (bits !== 16) return `${bits}-bit, not 16-bit`;
			if (rate !== 16_000) return `${rate} Hz, not 16 kHz`;
			return undefined;
		}
		at += 8 + size + (size % 2);
	}
	return 'no fmt chunk';
}

/**
 * How long a PCM WAV plays: its `data` chunk's bytes over the byte rate of its `fmt ` chunk.
 * Undefined when the file has neither (the softphone then shows no duration).
 */
export function wavDurationMs(file: Buffer): number | undefined {
	if (file.length < 12 || file.toString('ascii', 0, 4) !== 'RIFF') return undefined;
	let byteRate: number | undefined;
	for (let at = 12; at + 8 <= file.length;) {
		const id = file.toString('ascii', at, at + 4);
		const size = file.readUInt32LE(at + 4);
		if (id === 'fmt ' && at + 20 <= file.length) byteRate = file.readUInt32LE(at + 16);
		if (id === 'data' && byteRate !== undefined && byteRate > 0) {
			// A streamed WAV may say 0 or more than it holds: count what is there.
			const bytes = Math.min(size === 0 ? Infinity : size, file.length - at - 8);
			return Math.round((bytes * 1000) / byteRate);
		}
		at += 8 + size + (size % 2);
	}
	return undefined;
}
