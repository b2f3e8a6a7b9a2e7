/**
 * Microsoft's examples, read from the fixtures that quote them (each with its page or issue and
 * a date), as shapes the conformance test compares the simulator's output with:
 * - notifications: test/fixtures/graph-notifications.json (the reference pages' examples, the
 *   notifications logged in GitHub issues, and the legacy Skype-era incoming call), by kind;
 * - answers: test/fixtures/graph-answers.json, by route (the call record's body is quoted in
 *   test/fixtures/call-records.json);
 * - errors: test/fixtures/graph-answers.json, by status and code.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { notificationKind } from './kinds';
import { shapeEntries, type JsonValue } from './shapes';

type JsonObject = { [key: string]: JsonValue };

const FIXTURES = join(__dirname, '..', 'fixtures');

/** One quoted example as shapes: all its entries, and its frame (the first levels only). */
export interface DocumentedShape {
	name: string;
	source: string;
	date: string;
	entries: Set<string>;
	frame: Set<string>;
}

export interface DocumentedAnswer extends DocumentedShape {
	status: number;
	contentType?: string;
}

export interface Catalogue {
	/** By notificationKind(). */
	notifications: Map<string, DocumentedShape[]>;
	/** The commsNotifications envelopes (their own keys; the notifications are compared above). */
	envelopes: DocumentedShape[];
	/** The legacy (Skype Bot Platform) Conversation body. */
	legacyIncoming: DocumentedShape[];
	/** By route ("POST /communications/calls/{id}/playPrompt"). */
	answers: Map<string, DocumentedAnswer[]>;
	/** By "status code" ("404 8522"). */
	errors: Map<string, DocumentedAnswer[]>;
	/** Every quoted entry with its source and date, for the fixture checks. */
	quoted: Array<{ name: string; source: string; date: string }>;
}

/** How deep a frame goes: a notification's own keys and those of its resourceData. */
export const NOTIFICATION_FRAME_DEPTH = 2;
/** An answer's own keys. */
export const ANSWER_FRAME_DEPTH = 1;

function readFixture(name: string): JsonObject {
	return JSON.parse(readFileSync(join(FIXTURES, name), 'utf8')) as JsonObject;
}

const text = (value: JsonValue | undefined): string => (typeof value === 'string' ? value : '');
const objects = (value: JsonValue | undefined): JsonObject[] =>
	Array.isArray(value)
		? value.filter((v): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v))
		: [];

export function shapeOf(
	value: JsonValue,
	frameDepth: number,
	about: { name: string; source: string; date: string },
): DocumentedShape {
	return {
		...about,
		entries: shapeEntries(value),
		frame: shapeEntries(value, { maxDepth: frameDepth }),
	};
}

function add<T>(map: Map<string, T[]>, key: string, value: T): void {
	const list = map.get(key) ?? [];
	list.push(value);
	map.set(key, list);
}

export function loadCatalogue(): Catalogue {
	const notifications = new Map<string, DocumentedShape[]>();
	const envelopes: DocumentedShape[] = [];
	const legacyIncoming: DocumentedShape[] = [];
	const answers = new Map<string, DocumentedAnswer[]>();
	const errors = new Map<string, DocumentedAnswer[]>();
	const quoted: Catalogue['quoted'] = [];

	const notificationFixture = readFixture('graph-notifications.json');
	for (const example of objects(notificationFixture.examples)) {
		const about = {
			name: text(example.name),
			source: text(example.source),
			date: text(example.date),
		};
		quoted.push(about);
		const envelope = example.envelope as JsonObject;
		const { value, ...envelopeKeys } = envelope;
		envelopes.push(shapeOf({ ...envelopeKeys, value: [] }, 1, about));
		for (const notification of objects(value))
			add(
				notifications,
				notificationKind(notification),
				shapeOf(notification, NOTIFICATION_FRAME_DEPTH, about),
			);
	}
	for (const example of objects(notificationFixture.loggedExamples)) {
		const about = {
			name: text(example.name),
			source: text(example.source),
			date: text(example.date),
		};
		quoted.push(about);
		const notification = example.notification as JsonObject;
		add(
			notifications,
			notificationKind(notification),
			shapeOf(notification, NOTIFICATION_FRAME_DEPTH, about),
		);
	}
	for (const example of objects(notificationFixture.legacyExamples)) {
		const about = {
			name: text(example.name),
			source: text(example.source),
			date: text(example.date),
		};
		quoted.push(about);
		legacyIncoming.push(shapeOf(example.body as JsonValue, 1, about));
	}

	const answerFixture = readFixture('graph-answers.json');
	const record = readFixture('call-records.json').record as JsonValue;
	for (const answer of objects(answerFixture.answers)) {
		const about = { name: text(answer.name), source: text(answer.source), date: text(answer.date) };
		quoted.push(about);
		const body: JsonValue =
			text(answer.bodyFrom) === 'test/fixtures/call-records.json#record'
				? record
				: (answer.body ?? null);
		add(answers, text(answer.route), {
			...shapeOf(body, ANSWER_FRAME_DEPTH, about),
			status: Number(answer.status),
			...(typeof answer.contentType === 'string' ? { contentType: answer.contentType } : {}),
		});
	}
	for (const error of objects(answerFixture.errors)) {
		const about = { name: text(error.name), source: text(error.source), date: text(error.date) };
		quoted.push(about);
		const body = error.body as JsonObject;
		const code = text((body.error as JsonObject | undefined)?.code);
		const key = error.status === null ? 'any' : `${Number(error.status)} ${code}`;
		add(errors, key, {
			...shapeOf(body, ANSWER_FRAME_DEPTH, about),
			status: Number(error.status),
		});
	}
	return { notifications, envelopes, legacyIncoming, answers, errors, quoted };
}

/**
 * Routes answered with the same resource as another route's examples: a call read back (GET) is
 * the call the create examples show in full (the GET examples are shortened: no callChainId, no
 * mediaState).
 */
const SAME_RESOURCE: Record<string, readonly string[]> = {
	'GET /communications/calls/{id}': ['POST /communications/calls'],
};

/** The examples an answer of `route` with `status` is held against. */
export function answerExamples(
	catalogue: Catalogue,
	route: string,
	status: number,
): DocumentedAnswer[] {
	const own = (catalogue.answers.get(route) ?? []).filter((a) => a.status === status);
	const alike = (SAME_RESOURCE[route] ?? []).flatMap((r) => catalogue.answers.get(r) ?? []);
	// A shortened example together with a full one of the same resource.
	const together = own.flatMap((o) =>
		alike.map((a) => ({
			...o,
			name: `${o.name} (with "${a.name}")`,
			entries: new Set([...o.entries, ...a.entries]),
			frame: new Set([...o.frame, ...a.frame]),
		})),
	);
	return own.length === 0 ? [] : [...own, ...together];
}

/** Every entry any of these examples shows. */
export function unionOf(shapes: readonly DocumentedShape[]): Set<string> {
	const union = new Set<string>();
	for (const shape of shapes) for (const entry of shape.entries) union.add(entry);
	return union;
}
