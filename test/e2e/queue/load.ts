/** Bounded-concurrency webhook driver: a fixed list of calls, at most `concurrency` in flight. */

export interface CallResult {
	participant: string;
	status: number;
	/** Parsed answer, or undefined when the body was not JSON / the request failed. */
	body?: InviteAnswer | undefined;
	error?: string | undefined;
	startedAt: number;
	ms: number;
}

export interface InviteAnswer {
	operation?: { id?: string; status?: string; [k: string]: unknown };
	worker?: string;
	executionId?: string;
	participant?: string;
}

export interface LoadOptions {
	url: string;
	participants: readonly string[];
	concurrency: number;
	/** Per-request bound; a call that gets no answer in time counts as failed (status 0). */
	timeoutMs: number;
	/** Called after each answer with the number answered so far. */
	onAnswered?: (answered: number) => void;
}

async function callOnce(url: string, participant: string, timeoutMs: number): Promise<CallResult> {
	const startedAt = Date.now();
	try {
		const r = await fetch(url, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ participant }),
			signal: AbortSignal.timeout(timeoutMs),
		});
		const text = await r.text();
		let body: InviteAnswer | undefined;
		try {
			body = JSON.parse(text) as InviteAnswer;
		} catch {
			body = undefined;
		}
		return {
			participant,
			status: r.status,
			body,
			error: r.ok ? undefined : text.slice(0, 300),
			startedAt,
			ms: Date.now() - startedAt,
		};
	} catch (e) {
		return {
			participant,
			status: 0,
			error: (e as Error).message,
			startedAt,
			ms: Date.now() - startedAt,
		};
	}
}

export async function runLoad(opts: LoadOptions): Promise<CallResult[]> {
	const results: CallResult[] = new Array<CallResult>(opts.participants.length);
	let next = 0;
	let answered = 0;
	const lane = async (): Promise<void> => {
		for (;;) {
			const i = next++;
			const p = opts.participants[i];
			if (p === undefined) return;
			results[i] = await callOnce(opts.url, p, opts.timeoutMs);
			answered++;
			opts.onAnswered?.(answered);
		}
	};
	await Promise.all(
		Array.from({ length: Math.min(opts.concurrency, opts.participants.length) }, lane),
	);
	return results;
}

/** Distinct E.164 numbers +1425555NNNN for n in [from, from + count). */
export function phoneRange(from: number, count: number): string[] {
	return Array.from({ length: count }, (_, i) => `+1425555${String(from + i).padStart(4, '0')}`);
}

export function percentile(values: readonly number[], p: number): number {
	if (values.length === 0) return 0;
	const sorted = [...values].sort((a, b) => a - b);
	return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}
