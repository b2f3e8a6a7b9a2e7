/**
 * The offline voice: text or SSML to Graph's prompt samples with CMU Flite, bounded in length
 * and time, safe for any number of concurrent renders (every Flite run has its own instance).
 *
 * Threads: by default Flite runs in ONE worker thread (DEFAULT_OFFLINE_WORKERS). Measured on
 * the 2-core machine this was built on (docs/speech.md, `npm run bench:speech`): in-thread, 10
 * concurrent renders of ~300 characters blocked the event loop for up to 0.6 s at a time (one
 * chunk), which in n8n delays every webhook, Graph callback and timer of the instance; in one
 * worker the longest block was tens of milliseconds for about the same total time. A second
 * worker shortens a burst of renders but takes a core away from n8n itself on small machines,
 * so it is opt-in (`workers: 2`). `workers: 0` renders on the calling thread (scripts, tests).
 */
import { setImmediate as nextTurn } from 'node:timers/promises';

import { pcm16ToPromptRate, PROMPT_FORMAT, promptSilence } from '../../audio/graphPrompt';
import { concatInt16, normalizePeak } from '../../audio/pcm';
import { readPcm16Mono } from '../../audio/wav';
import { SpeechError } from '../errors';
import { formatCount, LIMIT_SOURCES, MAX_PROMPT_SECONDS } from '../limits';
import type { SpeechSegment } from '../ssml/offlineSegments';
import { CHUNK_CHARS, chunkText } from '../text/chunkText';
import { textForFlite } from '../text/fliteText';
import { loadFliteModule, locateFliteWasm } from './fliteModule';
import { FliteRunError, runFlite, type FliteJob } from './fliteRun';
import type { OfflineVoiceId } from './voices';
import { FliteWorkerPool } from './workerPool';

export const DEFAULT_OFFLINE_WORKERS = 1;
/** Flite's voices come out 3-10 dB apart: the peak is brought to -1 dBFS, with at most +12 dB. */
const PEAK_DBFS = -1;
const MAX_GAIN_DB = 12;

export interface OfflineEngineOptions {
	/** Worker threads for Flite (default 1); 0 runs it on the calling thread. */
	workers?: number;
	/** Where to look for flite.wasm instead of the normal resolution (tests). */
	wasmSearchPaths?: readonly string[];
	/** Characters per Flite run (default 400). */
	chunkChars?: number;
}

export interface OfflineRenderRequest {
	segments: readonly SpeechSegment[];
	voice: OfflineVoiceId;
	/** Field named in errors about the text (e.g. "Text" or "SSML"). */
	field: string;
	/** Longest audio accepted (default 600 s). */
	maxSeconds?: number;
	signal?: AbortSignal;
}

export interface OfflineRender {
	/** Mono 16-bit samples at Graph's 16 kHz. */
	samples: Int16Array;
	/** Flite runs it took. */
	chunks: number;
	warnings: string[];
}

type Step = { kind: 'speech'; job: FliteJob } | { kind: 'silence'; ms: number };

/** The steps of a render, worked out and bounded before anything runs. */
function plan(request: OfflineRenderRequest, chunkChars: number, warnings: Set<string>): Step[] {
	const steps: Step[] = [];
	for (const segment of request.segments) {
		if (segment.kind === 'break') {
			if (segment.ms > 0) steps.push({ kind: 'silence', ms: segment.ms });
			continue;
		}
		const cleaned = textForFlite(segment.text);
		if (cleaned.dropped.length > 0)
			warnings.add(
				`Characters the offline voice cannot say were left out: ${cleaned.dropped.join(' ')}`,
			);
		const voice = (segment.voice as OfflineVoiceId | undefined) ?? request.voice;
		for (const text of chunkText(cleaned.text, chunkChars)) {
			// Punctuation alone makes Flite write an empty file: nothing to say, nothing to run.
			if (/[A-Za-z0-9]/.test(text))
				steps.push({ kind: 'speech', job: { voice, rate: segment.rate, text } });
		}
	}
	if (!steps.some((step) => step.kind === 'speech')) {
		throw new SpeechError(
			'badInput',
			`"${request.field}" has nothing the offline voice can say (no letters or digits).`,
			{ field: request.field },
		);
	}
	return steps;
}

function tooLong(request: OfflineRenderRequest, maxSeconds: number, what: string): SpeechError {
	return new SpeechError(
		'tooLong',
		`"${request.field}" ${what}; a prompt may last at most ${formatCount(maxSeconds)} seconds (${LIMIT_SOURCES.promptSeconds}).`,
		{ field: request.field },
	);
}

function engineFailure(error: unknown): Error {
	if (error instanceof FliteRunError)
		return new SpeechError('engineFailed', `The offline voice failed: ${error.message}`, {
			cause: error,
		});
	return error as Error;
}

export class OfflineEngine {
	private pool: FliteWorkerPool | undefined;
	/** In-thread runs go one at a time, one per event-loop turn, whatever the number of renders. */
	private inThreadQueue: Promise<unknown> = Promise.resolve();
	private readonly workers: number;
	private readonly chunkChars: number;

	constructor(private readonly options: OfflineEngineOptions = {}) {
		this.workers = options.workers ?? DEFAULT_OFFLINE_WORKERS;
		if (!(Number.isInteger(this.workers) && this.workers >= 0 && this.workers <= 16))
			throw new RangeError('workers must be a whole number from 0 to 16.');
		this.chunkChars = options.chunkChars ?? CHUNK_CHARS;
	}

	/** Finds and compiles flite.wasm (once per process); renders call it themselves. */
	async load(): Promise<WebAssembly.Module> {
		const module = await loadFliteModule(locateFliteWasm(this.options.wasmSearchPaths));
		if (this.workers > 0 && !this.pool) this.pool = new FliteWorkerPool(module, this.workers);
		return module;
	}

	/** Worker threads running now. */
	get workerCount(): number {
		return this.pool?.workerCount ?? 0;
	}

	private runChunk(module: WebAssembly.Module, job: FliteJob): Promise<Uint8Array> {
		if (this.pool) return this.pool.run(job);
		const run = this.inThreadQueue.then(nextTurn).then(() => runFlite(module, job));
		this.inThreadQueue = run.catch(() => undefined);
		return run;
	}

	async render(request: OfflineRenderRequest): Promise<OfflineRender> {
		const maxSeconds = request.maxSeconds ?? MAX_PROMPT_SECONDS;
		const maxSamples = Math.round(maxSeconds * PROMPT_FORMAT.sampleRate);
		const warnings = new Set<string>();
		const steps = plan(request, this.chunkChars, warnings);
		const silenceMs = steps.reduce((sum, step) => sum + (step.kind === 'silence' ? step.ms : 0), 0);
		if (silenceMs / 1000 > maxSeconds)
			throw tooLong(
				request,
				maxSeconds,
				`asks for ${formatCount(Math.round(silenceMs / 1000))} seconds of breaks alone`,
			);
		const module = await this.load();
		// With workers, chunks are handed over a few at a time (not all at once): a render
		// that fails or runs too long does not leave a queue of useless work behind it.
		const window = this.pool ? this.pool.size + 1 : 1;
		const pending = new Map<number, Promise<Uint8Array>>();
		const start = (index: number): void => {
			const step = steps[index];
			if (step?.kind !== 'speech' || pending.has(index)) return;
			const running = this.runChunk(module, step.job);
			running.catch(() => undefined); // awaited below, or abandoned after a failure
			pending.set(index, running);
		};
		const parts: Int16Array[] = [];
		let total = 0;
		let chunks = 0;
		for (let index = 0; index < steps.length; index++) {
			for (let ahead = index; ahead < steps.length && pending.size < window; ahead++) start(ahead);
			if (request.signal?.aborted)
				throw new SpeechError('aborted', 'The speech render was cancelled.', {
					cause: request.signal.reason,
				});
			const step = steps[index] as Step;
			let part: Int16Array;
			if (step.kind === 'silence') part = promptSilence(step.ms);
			else {
				start(index);
				const wav = await (pending.get(index) as Promise<Uint8Array>).catch((error: unknown) => {
					throw engineFailure(error);
				});
				pending.delete(index);
				const pcm = readPcm16Mono(wav);
				if (!pcm)
					throw new SpeechError(
						'engineFailed',
						'The offline voice wrote audio that is not 16-bit mono PCM.',
					);
				part = pcm16ToPromptRate(pcm.samples, pcm.sampleRate);
				chunks++;
			}
			total += part.length;
			if (total > maxSamples)
				throw tooLong(request, maxSeconds, 'would be spoken for longer than that');
			parts.push(part);
		}
		const samples = concatInt16(parts);
		normalizePeak(samples, PEAK_DBFS, MAX_GAIN_DB);
		return { samples, chunks, warnings: [...warnings] };
	}

	/** Stops the worker threads; a later render starts them again. */
	async close(): Promise<void> {
		const pool = this.pool;
		this.pool = undefined;
		await pool?.close();
	}
}
