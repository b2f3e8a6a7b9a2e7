/**
 * The node's RIFF/WAVE reader (helpers/wavHeader.ts) against files written by the simulator's
 * independent generator: the header shapes real tools write, and each way a file can miss
 * Graph's prompt format (mediaInfo: WAV, single-channel, 16-bit, 16 kHz).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { promptFormatProblem, readWavHeader } from '../nodes/MicrosoftGraphCalls/helpers/wavHeader';
import { makeWav, promptFileProblem } from '../simulator';

function read(file: Buffer) {
	const reading = readWavHeader(file.subarray(0, 4096));
	assert.ok(reading.ok, reading.ok ? '' : reading.problem);
	return reading.format;
}

describe('Prompt format: the RIFF/WAVE header', () => {
	it("Graph's format passes, in the node and in the simulator alike", () => {
		const file = makeWav();
		assert.equal(promptFormatProblem(read(file)), undefined);
		assert.equal(promptFileProblem(file), undefined);
	});

	it('a LIST chunk before "fmt " (as sox and other tools write metadata) is skipped', () => {
		const file = makeWav({ leadingChunk: { id: 'LIST', data: Buffer.alloc(301, 7) } });
		assert.equal(promptFormatProblem(read(file)), undefined, 'odd-sized chunk padded');
	});

	for (const [name, spec, expected] of [
		['stereo', { channels: 2 }, /2 channels/],
		['8-bit', { bitsPerSample: 8 }, /8-bit samples/],
		['8 kHz', { sampleRate: 8000 }, /8000 Hz/],
		['44.1 kHz stereo', { sampleRate: 44_100, channels: 2 }, /2 channels.*44100 Hz/],
		['IEEE float', { audioFormat: 3, bitsPerSample: 32 }, /audio format 3 \(not PCM\).*32-bit/],
	] as const) {
		it(`${name}: named in the problem, refused by the simulator too`, () => {
			const file = makeWav(spec);
			assert.match(promptFormatProblem(read(file)) ?? '', expected);
			assert.ok(promptFileProblem(file));
		});
	}

	it('not a WAV file (an MP3 header), and a header cut before "fmt ": problems, not crashes', () => {
		const mp3 = Buffer.from('ID3\u0004\u0000\u0000\u0000\u0000\u0000\u0000', 'latin1');
		const notWav = readWavHeader(mp3);
		assert.equal(notWav.ok, false);
		const cut = readWavHeader(makeWav().subarray(0, 20));
		assert.equal(cut.ok, false);
	});

	it('WAVE_FORMAT_EXTENSIBLE with a PCM subformat counts as PCM', () => {
		const fmt = Buffer.alloc(40);
		fmt.writeUInt16LE(0xfffe, 0);
		fmt.writeUInt16LE(1, 2);
		fmt.writeUInt32LE(16_000, 4);
		fmt.writeUInt32LE(32_000, 8);
		fmt.writeUInt16LE(2, 12);
		fmt.writeUInt16LE(16, 14);
		fmt.writeUInt16LE(22, 16);
		fmt.writeUInt16LE(16, 18);
		fmt.writeUInt32LE(0x4, 20);
		fmt.writeUInt16LE(1, 24); // KSDATAFORMAT_SUBTYPE_PCM starts with 0x0001
		const header = Buffer.alloc(20);
		header.write('RIFF', 0, 'ascii');
		header.writeUInt32LE(4 + 8 + 40, 4);
		header.write('WAVE', 8, 'ascii');
		header.write('fmt ', 12, 'ascii');
		header.writeUInt32LE(40, 16);
		const format = read(Buffer.concat([header, fmt]));
		assert.equal(format.pcm, true);
		assert.equal(promptFormatProblem(format), undefined);
	});
});
