/**
 * Replay protection: a notification whose token and body were both seen before is a copy
 * (a replay by whoever captured it, or the platform delivering twice) and must start nothing.
 *
 * The memory of what was seen is this process's: bounded (`MAX_REMEMBERED` entries, each kept
 * until its token expires), lost on restart, and not shared between n8n processes — with
 * several webhook processors in queue mode, a copy that reaches another process is not
 * recognised. docs/trigger.md states this. Only verified tokens reach it, so an attacker without
 * a genuine token cannot fill it.
 */
import { createHash } from 'node:crypto';

/** About 100 bytes each: a few MB at most. */
const MAX_REMEMBERED = 50_000;

export class ReplayGuard {
	/** fingerprint → expiry (ms). Insertion order is arrival order, which eviction uses. */
	private readonly seen = new Map<string, number>();

	constructor(private readonly capacity = MAX_REMEMBERED) {}

	/** sha256 over the token and the body's own sha256: neither is kept in memory. */
	static fingerprint(token: string, body: Buffer | string): string {
		const bodyHash = createHash('sha256').update(body).digest();
		return createHash('sha256').update(token).update('\u0000').update(bodyHash).digest('base64url');
	}

	/**
	 * True the first time a fingerprint is offered (and remembers it until `expiresAtMs`); false
	 * for a copy. Check and record happen in one synchronous step, so two copies arriving at
	 * once cannot both pass.
	 */
	firstSighting(fingerprint: string, expiresAtMs: number, now = Date.now()): boolean {
		const known = this.seen.get(fingerprint);
		if (known !== undefined && known > now) return false;
		this.seen.delete(fingerprint);
		this.prune(now);
		this.seen.set(fingerprint, expiresAtMs);
		return true;
	}

	/**
	 * Forgets a fingerprint offered before: the notification was answered 503 after all (nothing
	 * was done), and its sender's retry, the same token and bytes, must not count as a copy.
	 */
	forget(fingerprint: string): void {
		this.seen.delete(fingerprint);
	}

	/** Whether a fingerprint was offered and is still remembered (does not record it). */
	has(fingerprint: string, now = Date.now()): boolean {
		const known = this.seen.get(fingerprint);
		return known !== undefined && known > now;
	}

	get size(): number {
		return this.seen.size;
	}

	clear(): void {
		this.seen.clear();
	}

	/** Drops expired entries from the oldest end, and the oldest ones beyond capacity. */
	private prune(now: number): void {
		for (const [fingerprint, expiresAt] of this.seen) {
			if (expiresAt > now && this.seen.size < this.capacity) break;
			this.seen.delete(fingerprint);
		}
	}
}

/** The trigger's one guard per process (every trigger node shares it: fingerprints include the token). */
export const notificationReplays = new ReplayGuard();
