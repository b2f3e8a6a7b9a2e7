/**
 * Flite runs in worker threads, so n8n's main thread is never blocked by one (a 400-character
 * chunk of slt takes 0.2-0.6 s of CPU; see docs/speech.md for the measurements behind the
 * default). Workers start on first use, are unreferenced while idle (they never keep n8n or a
 * test process alive), stop after a minute without work, and a crashed one only fails its own
 * job: the next job starts a fresh worker.
 */
import { setTimeout as startTimer } from 'node:timers';
import { Worker } from 'node:worker_threads';

import { FliteRunError, type FliteJob } from './fliteRun';
import type { WorkerAnswer, WorkerJob } from './fliteWorker';

const IDLE_STOP_MS = 60_000;

/**
 * The worker's first lines. The entry is resolved relative to this file: fliteWorker.js next to
 * it in the published package. When this package runs from its TypeScript sources (its own
 * tests and benchmark, under tsx), Node 20 does not apply tsx's loader to a worker's entry
 * file, so the bootstrap registers tsx's require hook first; the published code never does.
 */
const WORKER_BOOTSTRAP = `
const { workerData } = require('node:worker_threads');
if (workerData.entry.endsWith('.ts')) require('tsx/cjs');
require(workerData.entry);
`;

interface Waiting {
	id: number;
	job: FliteJob;
	resolve: (wav: Uint8Array) => void;
	reject: (error: Error) => void;
}

interface Slot {
	worker: Worker;
	job?: Waiting;
	idleTimer?: ReturnType<typeof startTimer>;
}

export class FliteWorkerPool {
	private readonly slots = new Set<Slot>();
	private readonly queue: Waiting[] = [];
	private nextId = 1;
	private closed = false;

	constructor(
		private readonly module: WebAssembly.Module,
		readonly size: number,
		private readonly idleStopMs = IDLE_STOP_MS,
	) {}

	/** Runs one job on the next free worker. */
	run(job: FliteJob): Promise<Uint8Array> {
		if (this.closed) return Promise.reject(new FliteRunError('The offline voice was closed.'));
		return new Promise((resolve, reject) => {
			this.queue.push({ id: this.nextId++, job, resolve, reject });
			this.dispatch();
		});
	}

	/** Workers running now (for tests and diagnostics). */
	get workerCount(): number {
		return this.slots.size;
	}

	private dispatch(): void {
		while (this.queue.length > 0) {
			const slot = this.freeSlot();
			if (!slot) return;
			const waiting = this.queue.shift() as Waiting;
			slot.job = waiting;
			if (slot.idleTimer) clearTimeoutOf(slot);
			slot.worker.ref();
			const message: WorkerJob = { id: waiting.id, job: waiting.job };
			slot.worker.postMessage(message);
		}
	}

	private freeSlot(): Slot | undefined {
		for (const slot of this.slots) if (!slot.job) return slot;
		return this.slots.size < this.size ? this.spawn() : undefined;
	}

	private spawn(): Slot {
		const worker = new Worker(WORKER_BOOTSTRAP, {
			eval: true,
			workerData: { module: this.module, entry: require.resolve('./fliteWorker') },
		});
		const slot: Slot = { worker };
		worker.on('message', (answer: WorkerAnswer) => this.settle(slot, answer));
		worker.on('error', (error: Error) => this.lose(slot, error.message));
		worker.on('exit', (code) => this.lose(slot, `it exited with code ${code}`));
		this.slots.add(slot);
		return slot;
	}

	private settle(slot: Slot, answer: WorkerAnswer): void {
		const waiting = slot.job;
		if (!waiting || waiting.id !== answer.id) return;
		slot.job = undefined;
		if (answer.ok) waiting.resolve(answer.wav);
		else waiting.reject(new FliteRunError(answer.message));
		this.idle(slot);
		this.dispatch();
	}

	/** An idle worker lets the process exit, and stops after a while without work. */
	private idle(slot: Slot): void {
		if (slot.job) return;
		slot.worker.unref();
		slot.idleTimer = startTimer(() => {
			if (!slot.job) void this.stop(slot);
		}, this.idleStopMs);
		slot.idleTimer.unref();
	}

	private lose(slot: Slot, why: string): void {
		if (!this.slots.delete(slot)) return;
		clearTimeoutOf(slot);
		slot.job?.reject(new FliteRunError(`The offline voice's worker thread stopped: ${why}.`));
		slot.job = undefined;
		if (!this.closed) this.dispatch();
	}

	private async stop(slot: Slot): Promise<void> {
		this.slots.delete(slot);
		clearTimeoutOf(slot);
		await slot.worker.terminate();
	}

	/** Stops every worker; queued and running jobs fail. */
	async close(): Promise<void> {
		this.closed = true;
		const closedError = (): FliteRunError => new FliteRunError('The offline voice was closed.');
		for (const waiting of this.queue.splice(0)) waiting.reject(closedError());
		const slots = [...this.slots];
		for (const slot of slots) {
			slot.job?.reject(closedError());
			slot.job = undefined;
		}
		await Promise.all(slots.map(async (slot) => await this.stop(slot)));
	}
}

function clearTimeoutOf(slot: Slot): void {
	slot.idleTimer?.close();
	slot.idleTimer = undefined;
}
