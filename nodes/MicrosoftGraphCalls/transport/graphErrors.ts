import { NodeApiError, type INode, type JsonObject } from 'n8n-workflow';

import { callResourceHint } from './callHints';
import type { TransportError } from './transportErrors';

/** Graph's answer, already read: status, lower-case headers, parsed body. */
export interface GraphResponse {
	status: number;
	headers: Record<string, string>;
	body: unknown;
}

/** The facts of a failure that continue-on-fail puts into the item and tests assert on. */
export interface GraphFailureFacts {
	status?: number;
	code?: string;
	requestId?: string;
	hint?: string;
}

/** A Graph (or transport) failure, with the facts kept as fields rather than parsed from text. */
export class GraphApiError extends NodeApiError {
	readonly facts: GraphFailureFacts;

	constructor(node: INode, message: string, facts: GraphFailureFacts, itemIndex?: number) {
		const description = [facts.hint, facts.requestId ? `request-id: ${facts.requestId}` : undefined]
			.filter(Boolean)
			.join(' ');
		// Only plain facts go in: never the HTTP exchange, which holds the Authorization header.
		const response: JsonObject = { message, ...facts } as JsonObject;
		super(node, response, {
			message,
			description: description || undefined,
			httpCode: facts.status ? String(facts.status) : undefined,
			itemIndex,
		});
		// n8n and its editor recognise API errors by this name.
		this.name = 'NodeApiError';
		this.facts = facts;
	}
}

interface GraphErrorBody {
	code?: string;
	message?: string;
	innerError?: Record<string, unknown>;
}

function graphErrorOf(body: unknown): GraphErrorBody {
	if (body && typeof body === 'object' && 'error' in body) {
		const error = (body as { error: unknown }).error;
		if (error && typeof error === 'object') return error as GraphErrorBody;
	}
	return {};
}

export interface HintContext {
	/** What the request was doing, e.g. "invite". */
	action: string;
	/** Client ID of the credential's app, so hints can name it. */
	clientId?: string;
	/** How many retries were allowed for 429s, to say so when they ran out. */
	maxRetries?: number;
}

/** Advice for the failures this API is known for, keyed by status and Graph's code. */
export function hintFor(
	status: number,
	code: string | undefined,
	context: HintContext,
): string | undefined {
	const callHint = callResourceHint(status, code, context);
	if (callHint !== undefined) return callHint;
	const app = context.clientId ? ` (client ID ${context.clientId})` : '';
	if (status === 404 && (code === '8522' || code === undefined || /notfound/i.test(code ?? ''))) {
		return `Graph does not know this call for this app. An app can only ${context.action} in calls that the same app${app} created, answered or joined, and ended calls are gone: check the call ID and that the call belongs to this credential's app.`;
	}
	if (status === 403 && code === '7503') {
		return 'The app is not registered as a calling bot: in the Azure Bot resource (or Teams Developer Portal) enable the Microsoft Teams channel with "Calling" and set its webhook (calling) URL.';
	}
	if (status === 403) {
		return `Graph refused the app${app}. It needs the Microsoft Graph application permission Calls.InitiateGroupCall.All with admin consent in this tenant (code 7504 means the tenant's permissions are insufficient). Run the credential test to see which roles the token carries.`;
	}
	if (status === 401) {
		return "Graph rejected the access token even after a fresh one was minted. Check that the credential's Cloud (or Graph Endpoint) matches the tenant, then run the credential test.";
	}
	if (status === 429) {
		return `Graph is throttling this app (calls API: 50,000 requests per 15 seconds per tenant). The node waited as Retry-After asked${context.maxRetries !== undefined ? `, up to ${context.maxRetries} retries` : ''}: raise "Max Retries" / "Max Total Retry Wait" in the options, or send fewer requests at once.`;
	}
	if (status === 400) {
		return "Graph rejected the request body: check the participants' IDs (Entra object IDs, E.164 phone numbers), the client context, and that beta-only fields are sent to the beta API.";
	}
	if (status >= 300 && status < 400) {
		return 'Graph answered with a redirect. It was not followed, because the token must never leave the configured Graph origin.';
	}
	if (status >= 500) {
		return "Graph failed on its side. The request was not retried, because Graph may already have acted on it (an invite could ring twice): check the call's participants before running again.";
	}
	return undefined;
}

/** Turns a non-2xx Graph answer into a NodeApiError that says what happened and what to do. */
export function graphApiErrorFrom(
	node: INode,
	response: GraphResponse,
	context: HintContext,
	itemIndex?: number,
): GraphApiError {
	const error = graphErrorOf(response.body);
	const requestId =
		response.headers['request-id'] ??
		(typeof error.innerError?.['request-id'] === 'string'
			? error.innerError['request-id']
			: undefined);
	const what =
		error.message ??
		(typeof response.body === 'string' && response.body
			? response.body.slice(0, 200)
			: 'no error details');
	const code = error.code;
	const message = `Graph answered ${response.status}${code ? ` (${code})` : ''} to the ${context.action} request: ${what}`;
	return new GraphApiError(
		node,
		message,
		{ status: response.status, code, requestId, hint: hintFor(response.status, code, context) },
		itemIndex,
	);
}

const TRANSPORT_HINTS: Record<TransportError['kind'], string> = {
	authentication:
		'Fix the credential (see the message), then run its test in the credential editor.',
	connection:
		"Nothing came back, so Graph may or may not have acted on the request; it was not retried, because an invite could ring twice. Check the call's participants before running again.",
	timeout:
		'Graph may still have acted on the request; it was not retried, because an invite could ring twice. Check the call\'s participants, or raise "Timeout" in the options.',
	refused: 'The request was stopped before leaving n8n.',
	cancelled: 'The execution was cancelled.',
	tooLarge:
		"The answer was larger than this node reads (4 MiB), so it was dropped unread. Graph may have acted on the request; it was not retried. Check the call's participants before running again.",
};

export function transportApiError(
	node: INode,
	error: TransportError,
	itemIndex?: number,
): GraphApiError {
	return new GraphApiError(
		node,
		error.message,
		{ code: error.kind, hint: TRANSPORT_HINTS[error.kind] },
		itemIndex,
	);
}
