/**
 * lib/audio: the one WAV reader and writer, the conversion to Graph's prompt format and the
 * resampler, against files written by the simulator's independent generator (simulator/wav.ts).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import {
	checkPromptWav,
	promptFormatProblem,
	toPromptWav,
	wavToPromptSamples,
} from '../lib/audio/graphPrompt';
import { downmixToMono, levels, normalizePeak } from '../lib/audio/pcm';
import { resample } from '../lib/audio/resample';
import {
	decodeWavChannels,
	encodeWavPcm16Mono,
	readPcm16Mono,
	readWav,
	readWavHeader,
	WavFormatError,
} from '../lib/audio/wav';
import { makeWav } from '../simulator';

function sine(frequencyHz: number, sampleRate: number, seconds: number): Float32Array {
	const out = new Float32Array(Math.round(sampleRate * seconds));
	for (let i = 0; i < out.length; i++)
		out[i] = 0.5 * Math.sin((2 * Math.PI * frequencyHz * i) / sampleRate);
	return out;
}

function rms(samples: Float32Array, from = 0, to = samples.length): number {
	let sum = 0;
	for (let i = from; i < to; i++) sum += (samples[i] as number) ** 2;
	return Math.sqrt(sum / (to - from));
}

/** Sign changes between `from` and `to`: twice the frequency times the duration. */
function zeroCrossings(samples: Float32Array, from: number, to: number): number {
	let count = 0;
	for (let i = from + 1; i < to; i++)
		if ((samples[i - 1] as number) < 0 !== (samples[i] as number) < 0) count++;
	return count;
}

/** A float WAV (format 3) or 24-bit PCM: shapes the simulator's generator does not write. */
function wavOf(channels: Float32Array[], sampleRate: number, kind: 'float32' | 'pcm24'): Buffer {
	const bytesPerSample = kind === 'float32' ? 4 : 3;
	const frames = channels[0]?.length ?? 0;
	const data = Buffer.alloc(frames * channels.length * bytesPerSample);
	for (let f = 0; f < frames; f++)
		channels.forEach((channel, c) => {
			const at = (f * channels.length + c) * bytesPerSample;
			const value = channel[f] as number;
			if (kind === 'float32') data.writeFloatLE(value, at);
			else data.writeIntLE(Math.round(value * 8_388_607), at, 3);
		});
	const header = Buffer.alloc(44);
	header.write('RIFF', 0, 'ascii');
	header.writeUInt32LE(36 + data.length, 4);
	header.write('WAVEfmt ', 8, 'ascii');
	header.writeUInt32LE(16, 16);
	header.writeUInt16LE(kind === 'float32' ? 3 : 1, 20);
	header.writeUInt16LE(channels.length, 22);
	header.writeUInt32LE(sampleRate, 24);
	header.writeUInt32LE(sampleRate * channels.length * bytesPerSample, 28);
	header.writeUInt16LE(channels.length * bytesPerSample, 32);
	header.writeUInt16LE(bytesPerSample * 8, 34);
	header.write('data', 36, 'ascii');
	header.writeUInt32LE(data.length, 40);
	return Buffer.concat([header, data]);
}

describe('lib/audio: reading and writing WAV', () => {
	it('writes the canonical prompt file and reads back the same samples', () => {
		const samples = Int16Array.from([0, 1000, -1000, 32_767, -32_768]);
		const file = encodeWavPcm16Mono(samples, 16_000);
		assert.equal(file.length, 44 + samples.length * 2);
		const read = readWav(file);
		assert.deepEqual(
			[read.format.channels, read.format.sampleRate, read.format.bitsPerSample, read.frames],
			[1, 16_000, 16, samples.length],
		);
		assert.deepEqual([...(readPcm16Mono(file)?.samples ?? [])], [...samples]);
		assert.equal(promptFormatProblem(read.format), undefined);
		assert.equal(checkPromptWav(file).frames, samples.length);
	});

	it('finds the data behind a LIST chunk and cuts a declared size that runs past the end', () => {
		const file = makeWav({
			durationMs: 100,
			leadingChunk: { id: 'LIST', data: Buffer.alloc(301, 7) },
		});
		const whole = readWav(file);
		assert.equal(whole.frames, 1600);
		assert.equal(Math.round(whole.durationMs), 100);
		const streamed = readWav(file.subarray(0, file.length - 1000));
		assert.equal(streamed.frames, 1600 - 500, 'what is there is read, no more');
	});

	it('the header reader and the file reader agree, and the header reader works on a cut file', () => {
		const file = makeWav({ sampleRate: 24_000, channels: 2 });
		const header = readWavHeader(file.subarray(0, 40));
		assert.ok(header.ok);
		assert.deepEqual(header.format, readWav(file).format);
	});

	it('bad input is a WavFormatError that says what is wrong, never a RangeError', () => {
		const cases: [Buffer, RegExp][] = [
			[Buffer.from('ID3\u0004 not a wave at all'), /no RIFF\/WAVE header/],
			[makeWav().subarray(0, 30), /no readable "fmt " chunk/],
			[makeWav().subarray(0, 36), /no "data" chunk/],
			[makeWav({ audioFormat: 6, bitsPerSample: 8 }), /format 6 with 8-bit samples/],
		];
		for (const [bytes, expected] of cases) {
			assert.throws(
				() => decodeWavChannels(bytes),
				(error: unknown) => error instanceof WavFormatError && expected.test(error.message),
				String(expected),
			);
		}
	});

	it('refuses a finished prompt that is not in Graph format, naming what differs', () => {
		assert.throws(
			() => checkPromptWav(makeWav({ sampleRate: 24_000, channels: 2 })),
			/not WAV \(PCM\), mono, 16-bit, 16 kHz \(it has 2 channels, 24000 Hz\)/,
		);
	});
});

describe('lib/audio: conversion to Graph format', () => {
	const cases: [string, () => Buffer, number][] = [
		[
			'16-bit 24 kHz mono (Azure neural voices)',
			() => makeWav({ sampleRate: 24_000, durationMs: 500 }),
			24_000,
		],
		['16-bit 8 kHz mono (Flite kal)', () => makeWav({ sampleRate: 8_000, durationMs: 500 }), 8_000],
		[
			'8-bit 22.05 kHz stereo',
			() => makeWav({ sampleRate: 22_050, channels: 2, bitsPerSample: 8, durationMs: 500 }),
			22_050,
		],
		[
			'32-bit PCM 48 kHz',
			() => makeWav({ sampleRate: 48_000, bitsPerSample: 32, durationMs: 500 }),
			48_000,
		],
		[
			'24-bit PCM 44.1 kHz stereo',
			() => wavOf([sine(440, 44_100, 0.5), sine(440, 44_100, 0.5)], 44_100, 'pcm24'),
			44_100,
		],
		[
			'float 32-bit 44.1 kHz stereo',
			() => wavOf([sine(440, 44_100, 0.5), sine(440, 44_100, 0.5)], 44_100, 'float32'),
			44_100,
		],
	];
	for (const [name, make, rate] of cases) {
		it(`${name} becomes mono 16-bit 16 kHz of the same length and tone`, () => {
			const prompt = toPromptWav(make());
			const read = checkPromptWav(prompt);
			assert.ok(Math.abs(read.durationMs - 500) < 1, `${read.durationMs} ms`);
			const samples = wavToPromptSamples(prompt);
			const floats = Float32Array.from(samples, (s) => s / 32_768);
			// 440 Hz: 880 sign changes a second; the middle 0.4 s holds 352 of them.
			assert.ok(Math.abs(zeroCrossings(floats, 800, 7200) - 352) <= 2, `from ${rate} Hz`);
		});
	}

	it('a file already in Graph format keeps its samples exactly', () => {
		const file = makeWav({ durationMs: 50 });
		assert.deepEqual([...wavToPromptSamples(file)], [...(readPcm16Mono(file)?.samples ?? [])]);
	});

	it('mixes channels by averaging them', () => {
		const mono = downmixToMono([Float32Array.from([1, 0.5]), Float32Array.from([0, -0.5])]);
		assert.deepEqual([...mono], [0.5, 0]);
	});

	it('normalises the peak to the target without exceeding the gain cap', () => {
		const quiet = Int16Array.from([0, 1000, -2000]);
		normalizePeak(quiet, -1, 40);
		assert.ok(Math.abs(levels(quiet).peakDbfs - -1) < 0.01);
		const veryQuiet = Int16Array.from([0, 10, -20]);
		assert.ok(Math.abs(normalizePeak(veryQuiet, -1, 12) - 10 ** (12 / 20)) < 1e-9);
	});
});

describe('lib/audio: the resampler', () => {
	it('8 kHz to 16 kHz keeps frequency and level', () => {
		const input = sine(1000, 8000, 1);
		const output = resample(input, 8000, 16_000);
		assert.equal(output.length, 16_000);
		assert.ok(Math.abs(rms(output, 2000, 14_000) - rms(input, 1000, 7000)) < 0.005);
		assert.ok(Math.abs(zeroCrossings(output, 2000, 14_000) - 1500) <= 2);
	});

	it('removes what cannot exist at 16 kHz (a 12 kHz tone from 48 kHz) and keeps speech band', () => {
		const removed = resample(sine(12_000, 48_000, 0.5), 48_000, 16_000);
		const kept = resample(sine(3000, 48_000, 0.5), 48_000, 16_000);
		const attenuationDb = 20 * Math.log10(rms(removed, 500, 7500) / rms(kept, 500, 7500));
		assert.ok(attenuationDb < -60, `only ${attenuationDb.toFixed(1)} dB`);
		assert.ok(Math.abs(rms(kept, 500, 7500) - 0.5 / Math.SQRT2) < 0.01);
	});
});
