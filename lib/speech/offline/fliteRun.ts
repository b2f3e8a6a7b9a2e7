/**
 * One Flite run: one chunk of text, one voice, a fresh WebAssembly instance with its own memory
 * (so runs share nothing and any number may go at once), the WAV taken from its in-memory file.
 * Synchronous: it blocks its thread for the whole run, which is why long text is chunked.
 */
import { MemoryWasi } from './memoryWasi';
import type { OfflineVoiceId } from './voices';

export interface FliteJob {
	voice: OfflineVoiceId;
	/** Speaking-rate factor 0.5..2. */
	rate: number;
	/** Plain ASCII text (textForFlite), at most a chunk. */
	text: string;
}

/** A failed run, with what Flite said; never thrown for bad input (that is caught earlier). */
export class FliteRunError extends Error {
	constructor(message: string, options?: { cause: unknown }) {
		super(message, options);
		this.name = 'FliteRunError';
	}
}

const OUTPUT = '/work/out.wav';

/**
 * Flite's arguments. The text is one argv entry after -t: there is no shell, so quotes, ";",
 * "$( )" or a leading "-voice" in it are only words.
 */
export function fliteArguments(job: FliteJob): string[] {
	const args = ['flite', '-voice', job.voice];
	// duration_stretch is the inverse of a rate: 2 = half as fast.
	if (job.rate !== 1) args.push('--setf', `duration_stretch=${(1 / job.rate).toFixed(3)}`);
	args.push('-t', job.text, '-o', OUTPUT);
	return args;
}

/** Runs Flite once and returns the WAV file it wrote. */
export function runFlite(module: WebAssembly.Module, job: FliteJob): Uint8Array {
	const wasi = new MemoryWasi({ args: fliteArguments(job) });
	let result: ReturnType<MemoryWasi['run']>;
	try {
		result = wasi.run(module);
	} catch (error) {
		// e.g. "RuntimeError: unreachable": Flite's own abort when its memory runs out.
		return failRun(`Flite stopped: ${(error as Error).message}`, error);
	}
	const wav = result.files.get(OUTPUT);
	// Flite exits 0 even when it wrote nothing, so the file itself is the proof of success.
	if (result.exitCode !== 0 || !wav || wav.length <= 44) {
		return failRun(
			`Flite exited with code ${result.exitCode} without audio: ${result.stderr.trim().slice(0, 300)}`,
		);
	}
	return wav;
}

function failRun(message: string, cause?: unknown): never {
	throw new FliteRunError(message, cause === undefined ? undefined : { cause });
}
