/**
 * Who a page calls, in which order and how often: the rota of Call and Wait for Keypress. Read
 * from the form in execute (every problem named as the form's field, before anyone is called),
 * then carried by every call's callback URL (covered by its binding token), so that the waiting
 * webhook places the next call and reports every attempt without keeping anything between
 * Graph's notifications, in any process.
 *
 * Version 1 and 2 nodes call one person once; version 3 nodes call a list of people (from the
 * form or one per input item), in turn or all at once, for several rounds.
 */
import { deflateRawSync, inflateRawSync } from 'node:zlib';

import type { INodeExecutionData } from 'n8n-workflow';

import { isGuid } from '../../../../lib/entra/idShapes';
import { validateGuid, validatePhoneNumber } from '../../helpers/idFields';
import { InputProblem, requireText } from '../../helpers/inputProblem';
import { readNumber } from '../../helpers/optionValues';
import { isJsonObject } from '../../../../lib/jsonObject';

export interface Person {
	kind: 'user' | 'phone';
	/** A Teams user's Entra object ID, or a number in E.164. */
	id: string;
	name?: string;
	/** A user of another tenant: that tenant. */
	tenantId?: string;
}

export type PageOrder = 'inTurn' | 'allAtOnce';

export interface PagePlan {
	people: Person[];
	order: PageOrder;
	/** How many times the rota is called (in turn); all at once: 1. */
	rounds: number;
	/** Pause before each round after the first. */
	delaySeconds: number;
	/** Phones only: the alert plays after the person pressed a key, so no voicemail box "answers". */
	confirmPresence: boolean;
	/** The node's version: 3 adds the rota's fields to the output. */
	version: number;
}

/** What one call of the page came to: carried on to the next call, and into the output. */
export interface AttemptRecord {
	/** Which call of the page (0, 1, …), with its person and round. */
	attempt: number;
	person: number;
	round: number;
	callId: string | null;
	outcome: string;
	code?: number;
	subcode?: number;
	startedAt: number;
	endedAt: number;
}

/** What a call's callback URL carries: the plan, which attempt this call is, and the ones before. */
export interface PageState {
	plan: PagePlan;
	attempt: number;
	history: AttemptRecord[];
}

export const PAGE_LIMITS = {
	/** People on one rota. Ours: a rota longer than this is better split by escalation level. */
	people: { min: 1, max: 20 },
	/** All at once: every call's ID is kept for the decision (execution custom data, 512 characters). */
	peopleAtOnce: 10,
	rounds: { min: 1, max: 5, default: 1 },
	delaySeconds: { min: 0, max: 600, default: 0 },
} as const;

const PEOPLE_FIELD = 'People to Call';

export const personLabel = (person: Person): string =>
	person.name ? `${person.name} (${person.id})` : person.id;

/** One entry of People to Call (or one input item), checked as its field. */
function readPerson(raw: Record<string, unknown>, field: string): Person {
	const kind = raw.type === 'phoneNumber' || raw.type === 'phone' ? 'phone' : 'user';
	const id = requireText(
		raw.id ?? '',
		`${field} › ${kind === 'phone' ? 'Phone Number' : 'User ID'}`,
	).trim();
	if (id === '')
		throw new InputProblem(
			`${field} › ${kind === 'phone' ? 'Phone Number' : 'User ID'}`,
			kind === 'phone'
				? 'is empty. Give the number in E.164, e.g. +14255550101.'
				: "is empty. Give the Teams user's Entra object ID, e.g. 278405a3-f568-4b3e-b684-009193463064.",
		);
	if (kind === 'phone') validatePhoneNumber(id, `${field} › Phone Number`);
	else validateGuid(id, `${field} › User ID`, 'a user');
	const name = typeof raw.displayName === 'string' ? raw.displayName.trim() : '';
	const tenant = typeof raw.tenantId === 'string' ? raw.tenantId.trim() : '';
	if (tenant !== '') validateGuid(tenant, `${field} › Tenant ID`, 'a tenant');
	return {
		kind,
		id: kind === 'user' ? id.toLowerCase() : id,
		...(name !== '' ? { name: name.slice(0, 100) } : {}),
		...(tenant !== '' ? { tenantId: tenant.toLowerCase() } : {}),
	};
}

/**
 * People from the input items (Take People From › Input Items): each item's field holds a phone
 * number (E.164) or a Teams user's object ID, told apart by their shape.
 */
function peopleFromItems(
	items: INodeExecutionData[],
	idField: string,
	nameField: string,
): Person[] {
	return items.map((item, index) => {
		const field = `Input item ${index} › ${idField}`;
		const value = item.json[idField];
		if (typeof value !== 'string' || value.trim() === '')
			throw new InputProblem(
				field,
				`is ${value === undefined ? 'missing' : 'empty'}. Each input item names one person: a phone number in E.164 or a Teams user's object ID in "${idField}" (Person Field).`,
			);
		const id = value.trim();
		const name = item.json[nameField];
		return readPerson(
			{
				type: isGuid(id) ? 'teamsUser' : 'phoneNumber',
				id,
				displayName: typeof name === 'string' ? name : '',
			},
			field,
		);
	});
}

/** The same person twice would be called twice in a round (and answer for both). */
function refuseDuplicates(people: Person[], field: string): void {
	const seen = new Map<string, number>();
	for (const [index, person] of people.entries()) {
		const key = `${person.kind}:${person.id}`;
		const first = seen.get(key);
		if (first !== undefined)
			throw new InputProblem(
				`${field} › Person ${index + 1}`,
				`is Person ${first + 1} again (${person.id}). Each person once: to call someone again, use Rounds.`,
			);
		seen.set(key, index);
	}
}

export interface PlanInput {
	version: number;
	param: (name: string, fallback?: unknown) => unknown;
	inputItems: INodeExecutionData[];
}

/** Version 1 and 2: one person (Call › Teams User or Phone Number), once. */
function legacyPlan(param: PlanInput['param'], version: number): PagePlan {
	const phone = param('keypressTarget', 'teamsUser') === 'phoneNumber';
	return {
		people: [
			phone
				? { kind: 'phone', id: String(param('phoneNumber', '')).trim() }
				: { kind: 'user', id: String(param('userId', '')).trim() },
		],
		order: 'inTurn',
		rounds: 1,
		delaySeconds: 0,
		confirmPresence: false,
		version,
	};
}

export function readPagePlan(input: PlanInput): PagePlan {
	const { param, version } = input;
	if (version < 3) return legacyPlan(param, version);
	const people =
		param('peopleSource', 'form') === 'inputItems'
			? peopleFromItems(
					input.inputItems,
					requireText(param('personField', 'phone'), 'Person Field').trim() || 'phone',
					requireText(param('personNameField', 'name'), 'Person Name Field').trim() || 'name',
				)
			: ((): Person[] => {
					const raw = param('people', {}) as Record<string, unknown>;
					const entries = Array.isArray(raw.person) ? raw.person : [];
					return entries.map((entry, index) =>
						readPerson(isJsonObject(entry) ? entry : {}, `${PEOPLE_FIELD} › Person ${index + 1}`),
					);
				})();
	if (people.length === 0)
		throw new InputProblem(
			PEOPLE_FIELD,
			'is empty. Add at least one person: a Teams user or a phone number.',
		);
	if (people.length > PAGE_LIMITS.people.max)
		throw new InputProblem(
			PEOPLE_FIELD,
			`has ${people.length} people; a rota has at most ${PAGE_LIMITS.people.max} (ours: page the next escalation level with another node).`,
		);
	refuseDuplicates(people, PEOPLE_FIELD);
	const order: PageOrder = param('callOrder', 'inTurn') === 'allAtOnce' ? 'allAtOnce' : 'inTurn';
	if (order === 'allAtOnce' && people.length > PAGE_LIMITS.peopleAtOnce)
		throw new InputProblem(
			'Call Order',
			`is All at Once for ${people.length} people; at most ${PAGE_LIMITS.peopleAtOnce} are called at once (ours: every call of the page is kept in the execution for the decision). Call them In Turn, or split the rota.`,
		);
	const extra = param('additionalFields', {}) as Record<string, unknown>;
	return {
		people,
		order,
		rounds:
			order === 'allAtOnce'
				? 1
				: readNumber(param('rounds', 1), {
						field: 'Rounds',
						...PAGE_LIMITS.rounds,
						whole: true,
					}),
		delaySeconds:
			order === 'allAtOnce'
				? 0
				: readNumber(param('delaySeconds', 0), {
						field: 'Delay Between Rounds (Seconds)',
						...PAGE_LIMITS.delaySeconds,
						whole: true,
					}),
		confirmPresence: extra.confirmPresence !== false,
		version,
	};
}

/** The attempt after `attempt` in turn, or undefined when the rota's rounds are done. */
export function nextAttempt(
	plan: PagePlan,
	attempt: number,
): { person: number; round: number } | undefined {
	const next = attempt + 1;
	const round = Math.floor(next / plan.people.length);
	if (plan.order === 'allAtOnce' || round >= plan.rounds) return undefined;
	return { person: next % plan.people.length, round };
}

/** Which person and round attempt `attempt` is. */
export function attemptOf(plan: PagePlan, attempt: number): { person: number; round: number } {
	if (plan.order === 'allAtOnce') return { person: attempt, round: 0 };
	return { person: attempt % plan.people.length, round: Math.floor(attempt / plan.people.length) };
}

// ---- The callback URL's `page` parameter -------------------------------------------------------

export const PAGE_PARAMETER = 'page';
const LAYOUT = 1;
/** Inflating a page parameter never yields more than this. */
const MAX_STATE_BYTES = 32 * 1024;

export function encodePageState(state: PageState): string {
	return deflateRawSync(Buffer.from(JSON.stringify([LAYOUT, state]), 'utf8')).toString('base64url');
}

const isPerson = (value: unknown): value is Person =>
	isJsonObject(value) &&
	(value.kind === 'user' || value.kind === 'phone') &&
	typeof value.id === 'string';

/** The state of a `page` parameter; undefined for anything malformed (it is signed anyway). */
export function decodePageState(payload: unknown): PageState | undefined {
	if (typeof payload !== 'string' || payload.length > 8192) return undefined;
	let json: unknown;
	try {
		json = JSON.parse(
			inflateRawSync(Buffer.from(payload, 'base64url'), {
				maxOutputLength: MAX_STATE_BYTES,
			}).toString('utf8'),
		) as unknown;
	} catch {
		return undefined;
	}
	if (!Array.isArray(json) || json[0] !== LAYOUT || !isJsonObject(json[1])) return undefined;
	const state = json[1] as unknown as PageState;
	if (
		!isJsonObject(state.plan as unknown) ||
		!Array.isArray(state.plan.people) ||
		!state.plan.people.every(isPerson) ||
		typeof state.attempt !== 'number' ||
		!Array.isArray(state.history)
	)
		return undefined;
	return state;
}
