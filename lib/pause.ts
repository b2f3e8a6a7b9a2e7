import { sleep } from 'n8n-workflow';

/** Raised when the execution is cancelled while a pause is running. */
class PauseCancelledError extends Error {
	constructor() {
		super('The execution was cancelled while waiting.');
		this.name = 'PauseCancelledError';
	}
}

/**
 * Waits, and stops waiting when the execution is cancelled. Our own because n8n-workflow 2.x
 * (what n8n 2.x hands community nodes) no longer exports `sleepWithAbort`; `sleep` is in both.
 * The timer behind `sleep` runs out on its own: it is bounded by the waits' own limits.
 */
export async function pause(ms: number, signal?: AbortSignal): Promise<void> {
	if (!signal) {
		await sleep(ms);
		return;
	}
	if (signal.aborted) throw new PauseCancelledError();
	await new Promise<void>((resolve, reject) => {
		const onAbort = () => reject(new PauseCancelledError());
		signal.addEventListener('abort', onAbort, { once: true });
		void sleep(ms).then(() => {
			signal.removeEventListener('abort', onAbort);
			resolve();
		});
	});
}
