/**
 * Rendered prompts kept in memory, least recently used first out, bounded by bytes (a prompt is
 * 32 KB a second of audio, so a count would bound nothing). Renders of the same key that start
 * together share one render. Errors are never kept.
 */

export const DEFAULT_SPEECH_CACHE_BYTES = 64 * 1024 * 1024;

export interface SizedEntry {
	wav: Buffer;
}

export class SpeechCache<T extends SizedEntry = SizedEntry> {
	/** Map iteration order is insertion order: the first entry is the least recently used. */
	private readonly entries = new Map<string, T>();
	private readonly pending = new Map<string, Promise<T>>();
	private total = 0;

	constructor(readonly maxBytes = DEFAULT_SPEECH_CACHE_BYTES) {
		if (!(maxBytes >= 0)) throw new RangeError('maxBytes must be 0 or more.');
	}

	get bytes(): number {
		return this.total;
	}

	get size(): number {
		return this.entries.size;
	}

	get(key: string): T | undefined {
		const entry = this.entries.get(key);
		if (entry) {
			this.entries.delete(key);
			this.entries.set(key, entry);
		}
		return entry;
	}

	/** Keeps an entry; one larger than half the cache is not kept (it would flush everything else). */
	set(key: string, entry: T): void {
		this.delete(key);
		const size = entry.wav.length;
		if (size > this.maxBytes / 2) return;
		this.entries.set(key, entry);
		this.total += size;
		for (const [oldest, old] of this.entries) {
			if (this.total <= this.maxBytes) break;
			this.entries.delete(oldest);
			this.total -= old.wav.length;
		}
	}

	delete(key: string): void {
		const entry = this.entries.get(key);
		if (!entry) return;
		this.entries.delete(key);
		this.total -= entry.wav.length;
	}

	/** The kept entry, or the one being made for the same key, or a new one from `make`. */
	async getOrMake(key: string, make: () => Promise<T>): Promise<{ entry: T; hit: boolean }> {
		const kept = this.get(key);
		if (kept) return { entry: kept, hit: true };
		let making = this.pending.get(key);
		const joined = making !== undefined;
		if (!making) {
			making = make().then((entry) => {
				this.set(key, entry);
				return entry;
			});
			this.pending.set(key, making);
			void making.then(
				() => this.pending.delete(key),
				() => this.pending.delete(key),
			);
		}
		return { entry: await making, hit: joined };
	}

	clear(): void {
		this.entries.clear();
		this.total = 0;
	}
}
