import { NodeApiError, type INode, type JsonObject } from 'n8n-workflow';

import { isJsonObject } from '../../../lib/jsonObject';
import { tryParseJson } from '../../../lib/safeParse';
import type { TransportError } from './transportErrors';
import type { ActionProfile, GraphErrorDetails, GraphFailure, GraphResponse } from './types';

/** The facts of a failure that continue-on-fail puts into the item and tests assert on. */
interface GraphFailureFacts {
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

/** Graph's generic codes, behind which the real one may hide in the message. */
const GENERIC_CODES = new Set(['UnknownError', 'InternalServerError', 'BadRequest', 'Forbidden']);

/**
 * A calling-platform code inside Graph's message: either the message is a JSON object
 * (`{"errorCode":"7503","message":…}`), or it names the code in words ("… error code 7503").
 */
function innerCodeOf(message: string | undefined): string | undefined {
	if (!message) return undefined;
	const trimmed = message.trim();
	if (trimmed.startsWith('{')) {
		const parsed = tryParseJson(trimmed);
		if (parsed.ok && isJsonObject(parsed.value)) {
			const value = parsed.value.errorCode ?? parsed.value.code ?? parsed.value.subcode;
			if (typeof value === 'string' || typeof value === 'number') return String(value);
		}
	}
	const named = /\berror\s*code[:\s]*"?(\d{4,5})\b/i.exec(trimmed);
	return named ? named[1] : undefined;
}

/** Reads Graph's error object out of an answer body; every field is optional. */
export function readGraphError(body: unknown): GraphErrorDetails {
	const error = isJsonObject(body) && isJsonObject(body.error) ? body.error : undefined;
	if (!error) return {};
	const code = typeof error.code === 'string' ? error.code : undefined;
	const message = typeof error.message === 'string' ? error.message : undefined;
	const inner = isJsonObject(error.innerError) ? error.innerError : undefined;
	const requestId = typeof inner?.['request-id'] === 'string' ? inner['request-id'] : undefined;
	return { code, message, innerCode: innerCodeOf(message), requestId };
}

/** The code hints are keyed on: the inner one when Graph's own is generic or missing. */
function effectiveCode(details: GraphErrorDetails): string | undefined {
	if (details.innerCode && (details.code === undefined || GENERIC_CODES.has(details.code))) {
		return details.innerCode;
	}
	return details.code;
}

const CALLING_BOT_HINT =
	"The app is not registered as a calling bot (Graph code 7503). In the Azure portal open the app's Azure Bot resource › Channels › Microsoft Teams › Calling, tick \"Enable calling\" and set the Webhook (for calling) to your https callback URL (or do the same under Teams Developer Portal › Tools › Bot management); the bot's Microsoft App ID must be this credential's client ID. Changes can take a few minutes to apply. Step by step: https://www.npmjs.com/package/n8n-nodes-microsoft-graph-calls#set-up-the-entra-app-and-the-calling-bot";

/** Advice that holds for every action, keyed by status and Graph's code. */
function generalHint(failure: GraphFailure, profile: ActionProfile): string | undefined {
	const { status, code } = failure;
	const app = failure.clientId ? ` (client ID ${failure.clientId})` : '';
	if (status === 404 && (code === '8522' || code === undefined || /notfound/i.test(code))) {
		return `Graph does not know this call for this app. An app can only ${profile.action} in calls that the same app${app} created, answered or joined, and ended calls are gone: check the call ID and that the call belongs to this credential's app.`;
	}
	if (status === 403) {
		return `Graph refused the app${app}. To ${profile.action} it needs the Microsoft Graph application permission ${profile.permission} with admin consent in this tenant (code 7504 means the tenant's permissions are insufficient). Run the credential test to see which roles the token carries.`;
	}
	if (status === 401) {
		return "Graph rejected the access token even after a fresh one was minted. Check that the credential's Cloud (or Graph Endpoint) matches the tenant, then run the credential test.";
	}
	if (status === 429) {
		return `Graph is throttling this app (calls API: 50,000 requests per 15 seconds per tenant). The node waited as Retry-After asked, up to ${failure.maxRetries} retries: raise "Max Retries" / "Max Total Retry Wait" in the options, or send fewer requests at once.`;
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
	profile: ActionProfile,
	context: { clientId?: string; maxRetries: number; itemIndex?: number },
): GraphApiError {
	const details = readGraphError(response.body);
	const requestId = response.headers['request-id'] ?? details.requestId;
	const what =
		details.message ??
		(typeof response.body === 'string' && response.body
			? response.body.slice(0, 200)
			: 'no error details');
	const code = details.code;
	const message = `Graph answered ${response.status}${code ? ` (${code})` : ''} to the ${profile.action} request: ${what}`;
	const failure: GraphFailure = {
		status: response.status,
		code: effectiveCode(details),
		message: details.message,
		clientId: context.clientId,
		maxRetries: context.maxRetries,
	};
	// 7503 means the same whatever the action: the app is not a calling bot yet.
	const hint =
		failure.code === '7503'
			? CALLING_BOT_HINT
			: (profile.hint?.(failure) ?? generalHint(failure, profile));
	return new GraphApiError(
		node,
		message,
		{ status: response.status, code, requestId, hint },
		context.itemIndex,
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
	const hint = [error.advice, TRANSPORT_HINTS[error.kind]].filter(Boolean).join(' ');
	return new GraphApiError(node, error.message, { code: error.kind, hint }, itemIndex);
}
