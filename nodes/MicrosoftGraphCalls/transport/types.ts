/**
 * The transport's vocabulary. Operations describe requests and their action in these terms; the
 * transport never imports anything from the operations.
 */
import type { IDataObject } from 'n8n-workflow';

import type { TransportPolicy } from './policy';

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
