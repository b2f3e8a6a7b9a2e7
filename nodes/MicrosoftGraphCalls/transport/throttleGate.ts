import { pause } from '../../../lib/pause';

/**
 * One execution's admission control for HTTP attempts to Graph: at most `limit` in flight, and
 * none at all while Graph has asked this app to back off.
 *
 * Graph throttles per app and tenant, not per request: once one request got a 429 with
 * Retry-After, every other request sent in that window would be refused too (and prolong the
 * throttling). So a throttled answer pauses everybody, and full speed resumes when it is over.
 */
export class ThrottleGate {
	private limit = Number.POSITIVE_INFINITY;
	private active = 0;
	/** Waiters already woken for a free slot but not yet running: counted so the slot is not given twice. */
	private woken = 0;
	private pausedUntil = 0;
	/** FIFO, so that items keep their order when the gate is the bottleneck. */
	private readonly waiters: Array<() => void> = [];

	constructor(private readonly cancelSignal?: AbortSignal) {}

	/** How many attempts may be in flight at once (the node's Concurrency). */
	setLimit(limit: number): void {
		this.limit = Math.max(1, limit);
		this.wake();
	}

	/** Graph asked for a pause (429, or 503 with Retry-After): nobody starts before it ends. */
	pauseFor(delayMs: number): void {
		this.pausedUntil = Math.max(this.pausedUntil, Date.now() + delayMs);
	}

	/** Waits for a free slot and for any pause to end. Pair every call with leave(). */
	async enter(): Promise<void> {
		for (;;) {
			const remainingPause = this.pausedUntil - Date.now();
			if (remainingPause > 0) {
				await pause(remainingPause, this.cancelSignal);
				continue;
			}
			if (this.active < this.limit) {
				this.active++;
				return;
			}
			await new Promise<void>((resolve) => this.waiters.push(resolve));
			this.woken--;
		}
	}

	leave(): void {
		this.active = Math.max(0, this.active - 1);
		this.wake();
	}

	private wake(): void {
		while (this.active + this.woken < this.limit && this.waiters.length > 0) {
			this.woken++;
			this.waiters.shift()?.();
		}
	}
}
