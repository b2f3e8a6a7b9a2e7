/**
 * The transport's vocabulary. Operations describe requests and their action in these terms; the
 * transport never imports anything from the operations.
 */
import type { Context, MiddlewareOptions } from '@microsoft/microsoft-graph-client';
import type { IDataObject, IExecuteFunctions, IWebhookFunctions } from 'n8n-workflow';

/**
 * Whose functions the transport works with: an execution's (operations) or a webhook's (Call and
 * Wait for Keypress's waiting webhook). Both have the node and n8n's authenticated request helper.
 */
export type TransportFunctions = IExecuteFunctions | IWebhookFunctions;

/**
 * Per-request limits, carried to the middleware through the Graph client's middleware options
 * so that each item can have its own (options are expressions, evaluated per item).
 */
export class TransportPolicy implements MiddlewareOptions {
	constructor(
		/** Retries after 429 / 503-with-Retry-After; 0 disables retrying. */
		readonly maxRetries: number,
		/** Upper bound on the time spent waiting between attempts, all retries together. */
		readonly maxTotalWaitMs: number,
		/** How long one attempt may take before it is abandoned. */
		readonly timeoutMs: number,
	) {}
}

const DEFAULT_POLICY = new TransportPolicy(3, 60_000, 60_000);

/** The policy attached to this request, or the defaults. */
export function policyOf(context: Context): TransportPolicy {
	const options = context.middlewareControl?.getMiddlewareOptions(TransportPolicy);
	return options instanceof TransportPolicy ? options : DEFAULT_POLICY;
}

export type GraphVersion = 'v1.0' | 'beta';
type GraphMethod = 'GET' | 'POST' | 'DELETE';

/** One request, described before it is sent (a dry run prints exactly this). */
export interface GraphRequestSpec {
	method: GraphMethod;
	version: GraphVersion;
	/** Path below the version, starting with '/', every ID already validated and encoded. */
	path: string;
	headers: Record<string, string>;
	/** The serialised JSON body, so that a dry run shows the very bytes that would be sent. */
	body?: string;
}

/** Graph's answer, already read: status, lower-case headers, parsed body. */
export interface GraphResponse {
	status: number;
	headers: Record<string, string>;
	body: unknown;
}

/** Graph's error object (`{"error": {"code", "message", "innerError"}}`), read defensively. */
export interface GraphErrorDetails {
	code?: string;
	message?: string;
	/** A code found inside the message (Graph sometimes wraps `{"errorCode":"7503",…}` there). */
	innerCode?: string;
	requestId?: string;
}

/** What a failed answer looked like, as the hints see it. */
export interface GraphFailure {
	status: number;
	/** Graph's code, or the inner code when the outer one is generic. */
	code?: string;
	/** Graph's message, for refusals whose code is generic (403 Forbidden, General). */
	message?: string;
	clientId?: string;
	/** How many retries after throttling were allowed, to say so when they ran out. */
	maxRetries: number;
}

/**
 * What an operation tells the transport about itself, so that errors can explain themselves
 * without the transport knowing any operation: its name in messages ("… to the hang up
 * request"), the least-privileged permission it needs, and advice for its own known failures.
 */
export interface ActionProfile {
	action: string;
	permission: string;
	/** Advice for this action's known failures; undefined falls back to the general advice. */
	hint?: (failure: GraphFailure) => string | undefined;
}

/** How one item's requests are sent (from the node's Options collection). */
export interface RequestSettings {
	version: GraphVersion;
	/** The user's extra headers, already checked. */
	headers: Record<string, string>;
	includeResponseMetadata: boolean;
	dryRun: boolean;
	policy: TransportPolicy;
}

/** A request as an operation states it: the transport adds headers, version and encoding. */
export interface GraphCall {
	method: GraphMethod;
	path: string;
	body?: Record<string, unknown>;
}

/**
 * The outcome of one request: the item's JSON, and the answer when one was received (a dry run
 * has none).
 */
export type GraphResult =
	{ sent: false; json: IDataObject } | { sent: true; json: IDataObject; response: GraphResponse };
