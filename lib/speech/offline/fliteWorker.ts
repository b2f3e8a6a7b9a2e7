/**
 * The worker thread's side of workerPool.ts: it receives the compiled module once (as
 * workerData; compiled code is shared, not recompiled) and runs one Flite job per message.
 */
import { parentPort, workerData } from 'node:worker_threads';

import { runFlite, type FliteJob } from './fliteRun';

export interface WorkerJob {
	id: number;
	job: FliteJob;
}

export type WorkerAnswer =
	{ id: number; ok: true; wav: Uint8Array } | { id: number; ok: false; message: string };

// Not named `module`: in the compiled CommonJS file that would clash with the wrapper's own
// `module`, and Node 20 would then load the file as an ES module, where relative requires break.
const fliteModule = (workerData as { module: WebAssembly.Module }).module;

parentPort?.on('message', ({ id, job }: WorkerJob) => {
	let answer: WorkerAnswer;
	try {
		answer = { id, ok: true, wav: runFlite(fliteModule, job) };
	} catch (error) {
		answer = { id, ok: false, message: (error as Error).message };
	}
	// The WAV's memory is handed over, not copied.
	parentPort?.postMessage(answer, answer.ok ? [answer.wav.buffer as ArrayBuffer] : []);
});
