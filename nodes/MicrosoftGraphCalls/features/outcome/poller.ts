import { NodeOperationError, type IDataObject, type IExecuteFunctions } from 'n8n-workflow';

import { pause } from '../../../../lib/pause';
import type { WaitSettings } from '../../helpers/nodeOptions';
import { readGraphError } from '../../transport/graphErrors';
import type { GraphTransport } from '../../transport/graphTransport';
import { TransportPolicy } from '../../transport/types';
import type { GraphResponse, RequestSettings } from '../../transport/types';

/** A poll is not started with less time than this left before the deadline. */
const MIN_POLL_MS = 200;

/** 404 with Graph's "call not found" (8522): the call has ended (or never belonged to this app). */
export function callGone(response: GraphResponse): boolean {
	return response.status === 404 && readGraphError(response.body).code === '8522';
}

/** The resultInfo of a call that is gone, as Graph words it in notifications. */
export function goneResultInfo(response: GraphResponse): IDataObject {
	return {
		code: 404,
		subcode: 8522,
		message: readGraphError(response.body).message ?? 'Call not found.',
	};
}

/**
 * Reads a documented resource once per interval until the deadline. Gentle: each read goes
 * through the same transport (Retry-After, the shared throttling pause, concurrency), and every
 * wait, retry waits included, ends by the timeout.
 */
export class Poller {
	private readonly startedAt = Date.now();
	private readonly deadline: number;
	private polls = 0;
	private lastError?: string;

	constructor(
		private readonly functions: IExecuteFunctions,
		private readonly transport: GraphTransport,
		private readonly request: RequestSettings,
		private readonly settings: WaitSettings,
	) {
		this.deadline = this.startedAt + settings.timeoutMs;
	}

	private remainingMs(): number {
		return this.deadline - Date.now();
	}

	/** One GET, bounded by what is left of the wait (retry waits included); undefined if it failed. */
	async get(path: string): Promise<GraphResponse | undefined> {
		const remaining = this.remainingMs();
		const base = this.request.policy;
		const policy = new TransportPolicy(
			base.maxRetries,
			Math.max(0, Math.min(base.maxTotalWaitMs, remaining - MIN_POLL_MS)),
			Math.max(MIN_POLL_MS, Math.min(base.timeoutMs, remaining)),
		);
		this.polls++;
		try {
			const response = await this.transport.exchange({ method: 'GET', path }, this.request, policy);
			if (response.status >= 200 && response.status < 300) this.lastError = undefined;
			else {
				const { code, message } = readGraphError(response.body);
				this.lastError = `Graph answered ${response.status}${code ? ` ${code}` : ''}${message ? `: ${message}` : ''}`;
			}
			return response;
		} catch (error) {
			// Cancellation ends the wait at once; any other failure is noted and polling goes on.
			if (this.functions.getExecutionCancelSignal?.()?.aborted) {
				throw new NodeOperationError(
					this.functions.getNode(),
					'The execution was cancelled while waiting for the outcome.',
				);
			}
			this.lastError = error instanceof Error ? error.message : 'the request failed';
			return undefined;
		}
	}

	/** Sleeps one interval, or what is left; false when no further poll fits before the deadline. */
	async pause(): Promise<boolean> {
		const remaining = this.remainingMs();
		if (remaining < MIN_POLL_MS) return false;
		await pause(
			Math.min(this.settings.intervalMs, remaining - MIN_POLL_MS),
			this.functions.getExecutionCancelSignal?.(),
		);
		return this.remainingMs() >= MIN_POLL_MS;
	}

	/** How the wait went, for the item's outcome. */
	facts(): IDataObject {
		return {
			waitedMs: Date.now() - this.startedAt,
			polls: this.polls,
			timeoutSeconds: this.settings.timeoutMs / 1000,
			...(this.lastError ? { lastError: this.lastError } : {}),
		};
	}
}
