/**
 * Records every request in arrival order. A record is pushed when the request is complete
 * (so order is arrival order even when answers are delayed) and finished once the outcome is
 * known, so tests see the final status.
 */
import type { IncomingHttpHeaders } from 'node:http';

import type { RecordedRequest, RequestKind } from './types';

/** A request as handlers see it: the raw text, already read and size-checked. */
export interface IncomingRequest {
	method: string;
	/** Path and query as received. */
	url: string;
	pathname: string;
	query: URLSearchParams;
	headers: Record<string, string>;
	body: string;
}

export function flattenHeaders(headers: IncomingHttpHeaders): Record<string, string> {
	const flat: Record<string, string> = {};
	for (const [name, value] of Object.entries(headers)) {
		if (value === undefined) continue;
		flat[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
	}
	return flat;
}

export class RequestRecorder {
	/** Exposed as GraphSimulator.requests; cleared in place so held references stay live. */
	readonly requests: RecordedRequest[] = [];

	constructor(private readonly onRequest?: (request: RecordedRequest) => void) {}

	begin(incoming: IncomingRequest, kind: RequestKind): RecordedRequest {
		const record: RecordedRequest = {
			method: incoming.method,
			path: incoming.url,
			headers: { ...incoming.headers },
			body: incoming.body,
			at: Date.now(),
			kind,
		};
		this.requests.push(record);
		return record;
	}

	/** status undefined = no answer was sent (reset or hang). */
	finish(record: RecordedRequest, status: number | undefined): void {
		record.status = status;
		record.answeredAt = Date.now();
		if (!this.onRequest) return;
		try {
			this.onRequest(record);
		} catch {
			// A faulty observer (e.g. a closed log stream) must not break the simulated service.
		}
	}

	ofKind(kind: RequestKind): RecordedRequest[] {
		return this.requests.filter((r) => r.kind === kind);
	}

	clear(): void {
		this.requests.length = 0;
	}
}
