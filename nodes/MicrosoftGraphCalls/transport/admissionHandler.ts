import type { Context, Middleware } from '@microsoft/microsoft-graph-client';

import { retryDelayFor } from './retryAfter';
import type { ThrottleGate } from './throttleGate';
import { TransportError } from './transportErrors';

/**
 * The step of the chain that every attempt passes (after the retry step, before the wire):
 * - waits at the execution's throttle gate (bounded in flight, paused while Graph throttles),
 *   and tells the gate how Graph answered: throttled (pause, fewer in flight) or not (more);
 * - once the token could not be minted, refuses the remaining requests of the execution with
 *   the same explanation, instead of asking Entra again for every item (a wrong secret stays
 *   wrong, and msal blocks a throttled token endpoint anyway).
 */
export class AdmissionHandler implements Middleware {
	private next?: Middleware;
	private authenticationFailure?: string;

	constructor(private readonly gate: ThrottleGate) {}

	setNext(next: Middleware): void {
		this.next = next;
	}

	async execute(context: Context): Promise<void> {
		if (!this.next) throw new TransportError('refused', 'AdmissionHandler needs a next middleware');
		if (this.authenticationFailure !== undefined)
			throw new TransportError('authentication', this.authenticationFailure);
		await this.gate.enter();
		let failure: unknown;
		try {
			await this.next.execute(context);
		} catch (error) {
			failure = error;
		} finally {
			this.gate.leave();
		}
		if (failure !== undefined) {
			if (failure instanceof TransportError && failure.kind === 'authentication')
				this.authenticationFailure ??= failure.message;
			throw failure;
		}
		const response = context.response;
		if (!response) return;
		const backOff = retryDelayFor(response, 0);
		if (backOff !== undefined) this.gate.pauseFor(backOff);
		// Any other answer below 500 shows Graph keeping up: the limit may grow.
		else if (response.status < 500) this.gate.recordSuccess();
	}
}
