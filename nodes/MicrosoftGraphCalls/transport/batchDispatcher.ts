import { sleep } from 'n8n-workflow';
import { pause } from '../../../lib/pause';

import {
	buildBatchBody,
	envelopeAsStepResponse,
	MAX_BATCH_STEPS,
	readBatchAnswer,
	stepId,
	stepResponse,
} from './batchContent';
import type { GraphRequestSpec, GraphResponse, GraphVersion } from './types';
import type { TransportPolicy } from './types';
import { retryDelayFor } from './retryAfter';
import type { ThrottleGate } from './throttleGate';
import { TransportError } from './transportErrors';

interface PendingStep {
	spec: GraphRequestSpec;
	policy: TransportPolicy;
	attempt: number;
	waitedMs: number;
	resolve: (response: GraphResponse) => void;
	reject: (error: unknown) => void;
}

type EnvelopeSender = (spec: GraphRequestSpec, policy: TransportPolicy) => Promise<GraphResponse>;

/**
 * Collects the items' requests into JSON batches of up to 20 steps and hands every item its own
 * step's answer, so the items above see no difference from single requests.
 *
 * A step answered 429 (or 503 with Retry-After) was not run by Graph: it alone goes into a later
 * batch once Retry-After has passed, within the item's retry budget. Every other step answer,
 * success or failure, is final: a 5xx step may have rung someone.
 */
export class BatchDispatcher {
	private readonly queues = new Map<GraphVersion, PendingStep[]>();
	private flushScheduled = false;

	constructor(
		private readonly graphOrigin: string,
		private readonly sendEnvelope: EnvelopeSender,
		private readonly gate: ThrottleGate,
		private readonly cancelSignal?: AbortSignal,
	) {}

	async submit(spec: GraphRequestSpec, policy: TransportPolicy): Promise<GraphResponse> {
		return await new Promise<GraphResponse>((resolve, reject) =>
			this.enqueue({ spec, policy, attempt: 0, waitedMs: 0, resolve, reject }),
		);
	}

	private enqueue(step: PendingStep): void {
		let queue = this.queues.get(step.spec.version);
		if (!queue) {
			queue = [];
			this.queues.set(step.spec.version, queue);
		}
		queue.push(step);
		if (queue.length >= MAX_BATCH_STEPS)
			void this.exchange(step.spec.version, queue.splice(0, MAX_BATCH_STEPS));
		else this.scheduleFlush();
	}

	/**
	 * A partial batch leaves once the current burst of submissions is over: the items started
	 * together reach this point within one turn of the event loop, so waiting one turn fills
	 * the batch without adding latency.
	 */
	private scheduleFlush(): void {
		if (this.flushScheduled) return;
		this.flushScheduled = true;
		void sleep(0).then(() => {
			this.flushScheduled = false;
			for (const [version, queue] of this.queues) {
				while (queue.length > 0) void this.exchange(version, queue.splice(0, MAX_BATCH_STEPS));
			}
		});
	}

	/** Sends one batch and settles its steps; never rejects (every failure goes to the steps). */
	private async exchange(version: GraphVersion, steps: PendingStep[]): Promise<void> {
		let envelope: GraphResponse;
		let answers: Map<string, Response> | undefined;
		try {
			const body = await buildBatchBody(
				this.graphOrigin,
				steps.map((s) => s.spec),
			);
			envelope = await this.sendEnvelope(
				{
					method: 'POST',
					version,
					path: '/$batch',
					headers: { Accept: 'application/json', 'Content-Type': 'application/json' },
					body,
				},
				steps[0].policy,
			);
			answers = readBatchAnswer(envelope);
		} catch (error) {
			for (const step of steps) step.reject(error);
			return;
		}
		await Promise.all(
			steps.map(
				async (step, position) => await this.settle(step, answers?.get(stepId(position)), envelope),
			),
		);
	}

	private async settle(
		step: PendingStep,
		answer: Response | undefined,
		envelope: GraphResponse,
	): Promise<void> {
		try {
			if (!answer) {
				step.resolve(envelopeAsStepResponse(envelope));
				return;
			}
			const delay =
				step.attempt < step.policy.maxRetries ? retryDelayFor(answer, step.attempt) : undefined;
			if (delay === undefined || step.waitedMs + delay > step.policy.maxTotalWaitMs) {
				step.resolve(await stepResponse(answer, envelope));
				return;
			}
			// Graph throttles the app, not the step: everybody waits, then the step goes again.
			this.gate.pauseFor(delay);
			await answer.body?.cancel();
			await pause(delay, this.cancelSignal);
			this.enqueue({ ...step, attempt: step.attempt + 1, waitedMs: step.waitedMs + delay });
		} catch (error) {
			step.reject(
				this.cancelSignal?.aborted
					? new TransportError('cancelled', 'The execution was cancelled.')
					: error,
			);
		}
	}
}
