/**
 * "Wait for the Outcome" (Invite and Call › Create): after the request, poll documented reads
 * until the outcome is known or the timeout passes, so that it works whatever the call's
 * callback URL is.
 * - Invite: GET …/participants until every invited (not hidden) identity is listed → joined;
 *   at the timeout → notJoined with who is missing; call gone → terminated.
 * - Create: GET the call until `established` or `terminated` → that; at the timeout → timeout.
 *
 * Gentle: one request per interval, each through the same transport (Retry-After, shared
 * throttling pause and concurrency limits); every wait, retry waits included, ends by the timeout.
 */
import {
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INodeProperties,
} from 'n8n-workflow';
import { pause } from '../../../lib/pause';

import { identityOf } from '../../../lib/notifications/notificationItems';
import { describeType, InputProblem } from '../helpers/inputProblem';
import type { RequestOptions } from '../helpers/requestOptions';
import type { GraphResponse } from '../transport/graphErrors';
import { TransportPolicy } from '../transport/policy';
import { TransportError } from '../transport/transportErrors';
import type { OperationContext } from './context';
import { standardHeaders } from './sendRequest';

export const WAIT_LIMITS = {
	maxTimeoutSeconds: 3600,
	minTimeoutSeconds: 0.5,
	minIntervalSeconds: 0.1,
	maxIntervalSeconds: 300,
} as const;
/** A poll is not started with less time than this left before the deadline. */
const MIN_POLL_MS = 200;

export function waitOptionFields(what: 'invite' | 'create'): INodeProperties[] {
	const until =
		what === 'invite'
			? "until every invited person is in the call's participants list (joined), or the timeout passes (notJoined, with who is missing)"
			: 'until the call is established or terminated, or the timeout passes (timeout)';
	return [
		{
			displayName: 'Wait for Outcome',
			name: 'waitForOutcome',
			type: 'boolean',
			default: false,
			description: `Whether to poll Graph ${until}. The item gets an "outcome". Works whatever the callback URL is. The execution stays busy while it waits, never longer than the timeout; for long waits use the Microsoft Graph Calls Trigger instead.`,
		},
		{
			displayName: 'Wait Timeout (Seconds)',
			name: 'waitTimeoutSeconds',
			type: 'number',
			typeOptions: {
				minValue: WAIT_LIMITS.minTimeoutSeconds,
				maxValue: WAIT_LIMITS.maxTimeoutSeconds,
				numberPrecision: 1,
			},
			default: 60,
			description:
				'With Wait for Outcome: the longest the node waits (and keeps the execution busy) for this item. Retries after throttling count against it.',
		},
		{
			displayName: 'Poll Interval (Seconds)',
			name: 'pollIntervalSeconds',
			type: 'number',
			typeOptions: {
				minValue: WAIT_LIMITS.minIntervalSeconds,
				maxValue: WAIT_LIMITS.maxIntervalSeconds,
				numberPrecision: 1,
			},
			default: 5,
			description:
				"With Wait for Outcome: time between two reads. Each read counts against Graph's limits like any request.",
		},
	];
}

export interface WaitSettings {
	timeoutMs: number;
	intervalMs: number;
}

function seconds(raw: unknown, fallback: number, field: string, min: number, max: number): number {
	if (raw === undefined || raw === null || raw === '') return fallback;
	if (typeof raw !== 'number' || !Number.isFinite(raw))
		throw new InputProblem(field, `must be a number, but the value is ${describeType(raw)}.`);
	if (raw < min || raw > max)
		throw new InputProblem(field, `must be between ${min} and ${max}, got ${raw}.`);
	return raw;
}

/** The wait settings of an item, or undefined when it does not wait. */
export function readWaitSettings(options: IDataObject): WaitSettings | undefined {
	const wait = options.waitForOutcome;
	if (wait === undefined || wait === null || wait === '' || wait === false) return undefined;
	if (wait !== true)
		throw new InputProblem(
			'Options › Wait for Outcome',
			`must be true or false, but the value is ${describeType(wait)}.`,
		);
	const timeout = seconds(
		options.waitTimeoutSeconds,
		60,
		'Options › Wait Timeout (Seconds)',
		WAIT_LIMITS.minTimeoutSeconds,
		WAIT_LIMITS.maxTimeoutSeconds,
	);
	const interval = seconds(
		options.pollIntervalSeconds,
		5,
		'Options › Poll Interval (Seconds)',
		WAIT_LIMITS.minIntervalSeconds,
		WAIT_LIMITS.maxIntervalSeconds,
	);
	return { timeoutMs: Math.round(timeout * 1000), intervalMs: Math.round(interval * 1000) };
}

interface PollResult {
	response?: GraphResponse;
	error?: string;
}

function isRecord(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function graphErrorOf(response: GraphResponse): { code?: string; message?: string } {
	const error = isRecord(response.body) && isRecord(response.body.error) ? response.body.error : {};
	return {
		code: typeof error.code === 'string' ? error.code : undefined,
		message: typeof error.message === 'string' ? error.message : undefined,
	};
}

/** 404 with Graph's "call not found" (8522): the call has ended (or never belonged to this app). */
function callGone(response: GraphResponse): boolean {
	return response.status === 404 && graphErrorOf(response).code === '8522';
}

class Poller {
	readonly startedAt = Date.now();
	readonly deadline: number;
	polls = 0;
	lastError?: string;

	constructor(
		private readonly functions: IExecuteFunctions,
		private readonly context: OperationContext,
		private readonly options: RequestOptions,
		private readonly settings: WaitSettings,
	) {
		this.deadline = this.startedAt + settings.timeoutMs;
	}

	remainingMs(): number {
		return this.deadline - Date.now();
	}

	/** One GET, bounded by what is left of the wait (retry waits included). */
	async get(path: string): Promise<PollResult> {
		const remaining = this.remainingMs();
		const base = this.options.policy;
		const policy = new TransportPolicy(
			base.maxRetries,
			Math.max(0, Math.min(base.maxTotalWaitMs, remaining - MIN_POLL_MS)),
			Math.max(MIN_POLL_MS, Math.min(base.timeoutMs, remaining)),
		);
		this.polls++;
		try {
			const response = await this.context.transport.send(
				{
					method: 'GET',
					version: this.options.version,
					path,
					headers: standardHeaders(this.options.headers, false),
				},
				policy,
			);
			if (response.status >= 200 && response.status < 300) this.lastError = undefined;
			else {
				const { code, message } = graphErrorOf(response);
				this.lastError = `Graph answered ${response.status}${code ? ` ${code}` : ''}${message ? `: ${message}` : ''}`;
			}
			return { response };
		} catch (error) {
			// Cancellation ends the wait at once; any other failure is noted and polling goes on.
			if (this.functions.getExecutionCancelSignal?.()?.aborted) {
				throw new NodeOperationError(
					this.functions.getNode(),
					'The execution was cancelled while waiting for the outcome.',
				);
			}
			this.lastError =
				error instanceof TransportError || error instanceof Error
					? error.message
					: 'the request failed';
			return { error: this.lastError };
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

	facts(): IDataObject {
		return {
			waitedMs: Date.now() - this.startedAt,
			polls: this.polls,
			timeoutSeconds: this.settings.timeoutMs / 1000,
			...(this.lastError ? { lastError: this.lastError } : {}),
		};
	}
}

interface IdentityRef {
	kind: string;
	id: string;
	displayName: string | null;
}

/** The identities an invite body asks for, hidden ones left out (Graph never lists them). */
export function invitedIdentities(body: Record<string, unknown>): IdentityRef[] {
	const participants = Array.isArray(body.participants) ? body.participants : [];
	const refs: IdentityRef[] = [];
	for (const participant of participants) {
		if (!isRecord(participant) || participant.hidden === true) continue;
		const identity = identityOf(participant.identity);
		if (identity?.id)
			refs.push({ kind: identity.kind, id: identity.id, displayName: identity.displayName });
	}
	return refs;
}

function rosterIdentities(body: unknown): Array<{ kind: string; id: string }> {
	const list = isRecord(body) && Array.isArray(body.value) ? body.value : [];
	const found: Array<{ kind: string; id: string }> = [];
	for (const entry of list) {
		const info = isRecord(entry) && isRecord(entry.info) ? entry.info : undefined;
		const identitySet = info?.identity;
		if (!isRecord(identitySet)) continue;
		// Every identity of the set counts (a user may be listed with their device, etc.).
		for (const [kind, value] of Object.entries(identitySet)) {
			if (isRecord(value) && typeof value.id === 'string') found.push({ kind, id: value.id });
		}
	}
	return found;
}

const describe = (ref: IdentityRef): IDataObject => ({
	identityKind: ref.kind,
	identityId: ref.id,
	displayName: ref.displayName,
});

/** Invite: poll the roster until every invited identity is listed. */
export async function waitForInviteOutcome(
	functions: IExecuteFunctions,
	context: OperationContext,
	options: RequestOptions,
	settings: WaitSettings,
	callPath: string,
	operation: IDataObject,
	invited: IdentityRef[],
): Promise<IDataObject> {
	const poller = new Poller(functions, context, options, settings);
	if (typeof operation.status === 'string' && operation.status.toLowerCase() === 'failed') {
		return {
			status: 'notJoined',
			joined: [],
			missing: invited.map(describe),
			resultInfo: operation.resultInfo ?? null,
			...poller.facts(),
		};
	}
	let missing = invited;
	for (;;) {
		const { response } = await poller.get(`${callPath}/participants`);
		if (response && callGone(response)) {
			return {
				status: 'terminated',
				resultInfo: {
					code: 404,
					subcode: 8522,
					message: graphErrorOf(response).message ?? 'Call not found.',
				},
				joined: [],
				missing: missing.map(describe),
				...poller.facts(),
			};
		}
		if (response && response.status === 200) {
			const listed = rosterIdentities(response.body);
			missing = invited.filter(
				(ref) =>
					!listed.some(
						(entry) => entry.kind === ref.kind && entry.id.toLowerCase() === ref.id.toLowerCase(),
					),
			);
			if (missing.length === 0)
				return { status: 'joined', joined: invited.map(describe), missing: [], ...poller.facts() };
		}
		if (!(await poller.pause())) break;
	}
	const joined = invited.filter((ref) => !missing.includes(ref));
	return {
		status: 'notJoined',
		joined: joined.map(describe),
		missing: missing.map(describe),
		...poller.facts(),
	};
}

/** Create: poll the call until it is established or terminated. */
export async function waitForCallOutcome(
	functions: IExecuteFunctions,
	context: OperationContext,
	options: RequestOptions,
	settings: WaitSettings,
	callPath: string,
	created: IDataObject,
): Promise<IDataObject> {
	const poller = new Poller(functions, context, options, settings);
	let lastState = typeof created.state === 'string' ? created.state : null;
	for (;;) {
		const { response } = await poller.get(callPath);
		if (response && callGone(response)) {
			return {
				status: 'terminated',
				state: 'terminated',
				resultInfo: {
					code: 404,
					subcode: 8522,
					message: graphErrorOf(response).message ?? 'Call not found.',
				},
				...poller.facts(),
			};
		}
		if (response && response.status === 200 && isRecord(response.body)) {
			const state = typeof response.body.state === 'string' ? response.body.state : null;
			lastState = state ?? lastState;
			if (state === 'established') return { status: 'established', state, ...poller.facts() };
			if (state === 'terminated')
				return {
					status: 'terminated',
					state,
					resultInfo: response.body.resultInfo ?? null,
					...poller.facts(),
				};
		}
		if (!(await poller.pause())) break;
	}
	return { status: 'timeout', state: lastState, ...poller.facts() };
}
