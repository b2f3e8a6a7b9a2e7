/**
 * Graph's downloads of a page's prompt links, as this process serves them. The waiting URL that
 * serves a page's messages is gone once the execution resumes, so a webhook that asks Graph to
 * play "someone else has taken this" waits (bounded) for Graph to fetch it before resuming. In
 * queue mode Graph's GET may reach another webhook processor: the wait then runs out and the
 * page goes on all the same (the others are hung up either way).
 */
import { sleep } from 'n8n-workflow';

type Watcher = { served: number; changed: () => void };

const watchers = new Map<string, Set<Watcher>>();

const keyOf = (executionId: string, nodeId: string, which: string): string =>
	`${executionId}\u0000${nodeId}\u0000${which}`;

/** Called by the link's GET once the WAV went out. */
export function promptDownloaded(executionId: string, nodeId: string, which: string): void {
	for (const watcher of watchers.get(keyOf(executionId, nodeId, which)) ?? []) {
		watcher.served += 1;
		watcher.changed();
	}
}

export interface DownloadWatch {
	/**
	 * Resolves true once `count` downloads were served since the watch began, false after
	 * `limitMs`; the watch ends either way.
	 */
	until(count: number, limitMs: number): Promise<boolean>;
}

/** Counts the downloads of one message's link from now on; start it before asking Graph to play. */
export function watchDownloads(executionId: string, nodeId: string, which: string): DownloadWatch {
	const key = keyOf(executionId, nodeId, which);
	const watcher: Watcher = { served: 0, changed: () => undefined };
	const set = watchers.get(key) ?? new Set<Watcher>();
	watchers.set(key, set);
	set.add(watcher);
	return {
		async until(count, limitMs) {
			try {
				const done = new Promise<boolean>((resolve) => {
					watcher.changed = () => {
						if (watcher.served >= count) resolve(true);
					};
					watcher.changed();
				});
				return await Promise.race([done, sleep(limitMs).then(() => false)]);
			} finally {
				set.delete(watcher);
				if (set.size === 0) watchers.delete(key);
			}
		},
	};
}
