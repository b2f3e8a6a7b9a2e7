import { GraphClientError } from '@microsoft/microsoft-graph-client';

/**
 * Failures that happen without an HTTP answer from Graph. They extend GraphClientError because
 * the Graph client passes those through untouched instead of re-wrapping them.
 * Their messages are built here from known parts only: never from an error that could hold
 * request headers (and so the token).
 */
type TransportFailureKind =
	'authentication' | 'connection' | 'timeout' | 'refused' | 'cancelled' | 'tooLarge';

export class TransportError extends GraphClientError {
	constructor(
		readonly kind: TransportFailureKind,
		message: string,
		/** What to check, for the error's description (before the general advice of its kind). */
		readonly advice?: string,
	) {
		super(message);
		// GraphClientError (compiled to ES5) resets the prototype to its own: restore ours.
		Object.setPrototypeOf(this, new.target.prototype);
		this.name = 'TransportError';
	}
}
