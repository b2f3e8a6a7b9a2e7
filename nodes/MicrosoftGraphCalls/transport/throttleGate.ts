import { pause } from '../../../lib/pause';

/** Where an adaptive limit starts: the fixed default of earlier versions, gentle on a cold app. */
const START_LIMIT = 10;

/**
 * One execution's admission control for HTTP attempts to Graph: at most `limit` in flight, and
 * none at all while Graph has asked this app to back off.
 *
 * Graph throttles per app and tenant, not per request: once one request got a 429 with
 * Retry-After, every other request sent in that window would be refused too (and prolong the
 * throttling). So a throttled answer pauses everybody, and full speed resumes when it is over.
 *
 * The limit adapts, as TCP's congestion window does: it starts at 10 (or the ceiling, if lower),
 * grows by one with every answer Graph gives without throttling, up to the ceiling (the node's
 * Concurrency), and halves when Graph throttles, once per pause (the answers of one throttling
 * window are one signal, not many). At realistic Graph latency this keeps as many requests in
 * flight as the ceiling allows, which a fixed small limit does not.
 */
export class ThrottleGate {
	private ceiling = Number.POSITIVE_INFINITY;
	private limit = Number.POSITIVE_INFINITY;
	private active = 0;
	/** Waiters already woken for a free slot but not yet running: counted so the slot is not given twice. */
	private woken = 0;
	private pausedUntil = 0;
	private peak = 0;
	/** FIFO, so that items keep their order when the gate is the bottleneck. */
	private readonly waiters: Array<() => void> = [];

	constructor(private readonly cancelSignal?: AbortSignal) {}

	/** The most attempts that may be in flight at once (the node's Concurrency). */
	setCeiling(ceiling: number): void {
		this.ceiling = Math.max(1, ceiling);
		this.limit = Math.min(this.ceiling, START_LIMIT);
		this.wake();
	}

	/** An answer without throttling: one more attempt may be in flight, up to the ceiling. */
	recordSuccess(): void {
		if (this.limit >= this.ceiling) return;
		this.limit++;
		this.wake();
	}

	/**
	 * Graph asked for a pause (429, or 503 with Retry-After): nobody starts before it ends, and
	 * the limit halves if this is the start of a new pause.
	 */
	pauseFor(delayMs: number): void {
		const now = Date.now();
		if (this.pausedUntil <= now && Number.isFinite(this.limit)) {
			this.limit = Math.max(1, Math.floor(this.limit / 2));
		}
		this.pausedUntil = Math.max(this.pausedUntil, now + delayMs);
	}

	/** The most attempts that were in flight at once so far (for tests and benchmarks). */
	peakInFlight(): number {
		return this.peak;
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
				this.peak = Math.max(this.peak, this.active);
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
