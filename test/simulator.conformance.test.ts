/**
 * The simulator against Microsoft's published examples. Every test of this package talks to the
 * simulator, so where it is wrong every suite is wrong with it: here it is driven over HTTPS
 * through everything it can answer and notify (test/conformance/scenario.ts, once per documented
 * variant and once as the seed chooses), and each notification, answer and error is held against
 * the quoted examples of its kind (test/conformance/documented.ts): property names and placement,
 * `@odata.type`, enumeration casing, the form of IDs, status codes. What no example shows fails,
 * unless test/conformance/invented.ts names it with why.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';

import { judge, conforms, type Verdict } from './conformance/compare';
import {
	ANSWER_FRAME_DEPTH,
	answerExamples,
	loadCatalogue,
	NOTIFICATION_FRAME_DEPTH,
	unionOf,
	type Catalogue,
	type DocumentedShape,
} from './conformance/documented';
import { echoedIn } from './conformance/echoes';
import { INVENTED } from './conformance/invented';
import { runScenario, type Observations } from './conformance/scenario';
import { shapeEntries, type JsonValue } from './conformance/shapes';
import { ACCESS_POLICY_REFUSALS } from '../simulator/meetingsAndRecords';
import { NOTIFICATION_STYLES } from '../simulator/notificationStyles';

type JsonObject = { [key: string]: JsonValue };
const isObject = (value: JsonValue | undefined): value is JsonObject =>
	typeof value === 'object' && value !== null && !Array.isArray(value);

const catalogue: Catalogue = loadCatalogue();

/** The entries invented.ts lets through at `where`. */
function inventedAt(where: string): Set<string> {
	return new Set(INVENTED.filter((i) => i.where === where).flatMap((i) => i.entries));
}

/** The examples of a notification kind, or of the kind invented.ts says stands in for it. */
function notificationExamples(kind: string): DocumentedShape[] {
	const like = INVENTED.find((i) => i.where === kind)?.like;
	return (
		catalogue.notifications.get(kind) ?? (like ? (catalogue.notifications.get(like) ?? []) : [])
	);
}

/** One line per distinct finding, so a failure reads as a list of shapes, not of messages. */
function findings(list: Array<{ where: string; verdict: Verdict }>): string[] {
	const lines = new Set<string>();
	for (const { where, verdict } of list) {
		for (const entry of verdict.undocumented) lines.add(`${where}: no example shows «${entry}»`);
		if (verdict.closest && verdict.closest.missing.length > 0)
			lines.add(
				`${where}: no single example has this frame; closest "${verdict.closest.name}" (${verdict.closest.source}) lacks ${verdict.closest.missing.map((m) => `«${m}»`).join(', ')}`,
			);
	}
	return [...lines].sort();
}

const errorKey = (status: number, body: JsonValue | undefined): string => {
	const error = isObject(body) && isObject(body.error) ? body.error : undefined;
	return `${status} ${typeof error?.code === 'string' ? error.code : '(no error object)'}`;
};

const allErrorShapes = (): DocumentedShape[] => [...catalogue.errors.values()].flat();

describe('Microsoft Graph as documented: the quoted examples', () => {
	it('every example quotes its page or issue and a date', () => {
		assert.ok(catalogue.quoted.length >= 80, `${catalogue.quoted.length} quoted examples`);
		for (const example of catalogue.quoted) {
			assert.match(
				example.source,
				/^https:\/\/(learn\.microsoft\.com\/|github\.com\/[\w.-]+\/[\w.-]+\/issues\/\d+$)/,
				example.name,
			);
			assert.match(example.date, /\d{4}-\d{2}|^no ms\.date in the stored cop/, example.name);
		}
	});

	it('the invented shapes are not shown by any example (else they belong in the fixtures)', () => {
		for (const invented of INVENTED) {
			assert.ok(invented.why.length > 20, `${invented.where}: say why it is invented`);
			const documented =
				catalogue.notifications.get(invented.where) ??
				catalogue.answers.get(invented.where) ??
				catalogue.errors.get(invented.where) ??
				[];
			if (invented.entries.length === 0)
				assert.equal(documented.length, 0, `${invented.where} is documented`);
			const union = unionOf(documented);
			for (const entry of invented.entries)
				assert.ok(!union.has(entry), `${invented.where}: «${entry}» is documented`);
		}
	});
});

describe('Microsoft Graph as documented: everything the simulator sends', () => {
	let seen: Observations;
	before(async () => {
		seen = await runScenario();
		const entries = (value: JsonValue) => shapeEntries(value).size;
		const checked =
			seen.notifications.reduce((n, o) => n + entries(o.notification), 0) +
			seen.answers.reduce((n, a) => n + (a.body === undefined ? 1 : entries(a.body) + 1), 0);
		console.log(
			`[conformance] seed ${seen.seed}: ${catalogue.quoted.length} quoted examples; ` +
				`${seen.notifications.length} notifications of ${new Set(seen.notifications.map((n) => n.kind)).size} kinds, ` +
				`${seen.answers.length} answers (${seen.answers.filter((a) => a.status >= 400).length} errors), ` +
				`${checked} shape entries checked; ${INVENTED.length} invented shapes`,
		);
	});

	it('every notification has the shape of an example of its kind', () => {
		const verdicts = seen.notifications.map(({ kind, notification }) => ({
			where: kind,
			verdict: judge(
				notification,
				NOTIFICATION_FRAME_DEPTH,
				notificationExamples(kind),
				inventedAt(kind),
				{ echoed: echoedIn(kind) },
			),
		}));
		const unknownKinds = [...new Set(seen.notifications.map((n) => n.kind))].filter(
			(kind) => notificationExamples(kind).length === 0,
		);
		assert.deepEqual(unknownKinds, [], 'kinds no example shows');
		assert.deepEqual(findings(verdicts), []);
	});

	it('every envelope, and the legacy incoming call, has the shape of an example', () => {
		const verdicts = [
			...seen.envelopes.map((envelope) => ({
				where: 'envelope',
				verdict: judge({ ...envelope, value: [] }, 1, catalogue.envelopes),
			})),
			...seen.legacy.map((body) => ({
				where: 'legacy incoming call',
				verdict: judge(body, 1, catalogue.legacyIncoming, inventedAt('legacy incoming call')),
			})),
		];
		assert.ok(seen.legacy.length > 0, 'a legacy incoming call was placed');
		assert.deepEqual(findings(verdicts), []);
	});

	it('every answer has the status and shape of an example of its route', () => {
		const problems: string[] = [];
		const verdicts: Array<{ where: string; verdict: Verdict }> = [];
		for (const answer of seen.answers.filter((a) => a.status < 400)) {
			const documented = catalogue.answers.get(answer.route) ?? [];
			const allowed = inventedAt(answer.route);
			const statuses = new Set(documented.map((d) => d.status));
			if (!statuses.has(answer.status) && !allowed.has(`status ${answer.status}`)) {
				problems.push(
					`${answer.route}: status ${answer.status}; examples show ${[...statuses].join(', ') || 'nothing'}`,
				);
				continue;
			}
			const ofStatus = documented.filter((d) => d.status === answer.status);
			const type = ofStatus.find((d) => d.contentType)?.contentType;
			if (type && answer.contentType !== type)
				problems.push(
					`${answer.route}: content-type ${answer.contentType ?? 'none'}, documented ${type}`,
				);
			if (type) continue;
			const bodiless = ofStatus.every(
				(d) => d.entries.size === 0 || [...d.entries].every((e) => e === ' : null'),
			);
			if (answer.body === undefined) {
				if (!bodiless) problems.push(`${answer.route}: no body; the examples have one`);
				continue;
			}
			if (bodiless && !allowed.has('body')) {
				problems.push(`${answer.route}: a body; the examples have none`);
				continue;
			}
			verdicts.push({
				where: answer.route,
				verdict: judge(
					answer.body,
					ANSWER_FRAME_DEPTH,
					answerExamples(catalogue, answer.route, answer.status),
					allowed,
					{ echoed: echoedIn(answer.route) },
				),
			});
		}
		assert.deepEqual([...new Set(problems)].sort(), []);
		assert.deepEqual(findings(verdicts), []);
	});

	it('every error has a documented status and code, and the shape of an example error', () => {
		const unknown = new Set<string>();
		const verdicts: Array<{ where: string; verdict: Verdict }> = [];
		for (const answer of seen.answers.filter((a) => a.status >= 400)) {
			const key = errorKey(answer.status, answer.body);
			if (!catalogue.errors.has(key) && !INVENTED.some((i) => i.where === key)) unknown.add(key);
			if (answer.body === undefined) {
				unknown.add(`${key} without a JSON body (${answer.route})`);
				continue;
			}
			verdicts.push({
				where: `error ${key}`,
				verdict: judge(answer.body, ANSWER_FRAME_DEPTH, allErrorShapes(), inventedAt('error body')),
			});
		}
		assert.deepEqual([...unknown].sort(), [], 'errors no example shows');
		assert.deepEqual(findings(verdicts), []);
	});

	it("every route of Microsoft's examples was asked and answered as documented", () => {
		const answered = new Set(seen.answers.filter((a) => a.status < 400).map((a) => a.route));
		assert.deepEqual(
			[...catalogue.answers.keys()].filter((route) => !answered.has(route)),
			[],
		);
	});

	it("every error the simulator's sources can give was given", () => {
		const dir = join(__dirname, '..', 'simulator');
		const named = new Set<string>();
		for (const file of readdirSync(dir).filter((f) => f.endsWith('.ts'))) {
			const source = readFileSync(join(dir, file), 'utf8');
			for (const match of source.matchAll(/graphError\(\s*(\d{3}),\s*'([^']+)'/g))
				named.add(`${match[1]} ${match[2]}`);
			for (const match of source.matchAll(/^\t(\d{3}): \{\s*code: '([^']+)'/gm))
				named.add(`${match[1]} ${match[2]}`);
		}
		named.add('405 Request_BadRequest');
		for (const refusal of ACCESS_POLICY_REFUSALS) named.add(`403 ${refusal.name}`);
		const given = new Set(
			seen.answers.filter((a) => a.status >= 400).map((a) => errorKey(a.status, a.body)),
		);
		assert.ok(named.size >= 15, `${named.size} errors named`);
		assert.deepEqual([...named].filter((key) => !given.has(key)).sort(), []);
	});

	it('every documented variant was produced, and every invented shape was sent', () => {
		for (const [kind, styles] of Object.entries(NOTIFICATION_STYLES))
			for (const style of styles)
				assert.ok(
					seen.variantsForced.includes(`${kind} › ${style.name}`),
					`${kind} › ${style.name}`,
				);
		const sent = new Map<string, Set<string>>();
		const note = (where: string, value: JsonValue) => {
			const set = sent.get(where) ?? new Set<string>();
			for (const entry of shapeEntries(value)) set.add(entry);
			sent.set(where, set);
		};
		for (const { kind, notification } of seen.notifications) note(kind, notification);
		for (const answer of seen.answers) {
			if (answer.body !== undefined) note(answer.route, answer.body);
			note(answer.route, null);
			sent.get(answer.route)!.add(`status ${answer.status}`);
			if (answer.body !== undefined) sent.get(answer.route)!.add('body');
			if (answer.status >= 400) {
				note(errorKey(answer.status, answer.body), null);
				if (answer.body !== undefined) note('error body', answer.body);
			}
		}
		for (const body of seen.legacy) note('legacy incoming call', body);
		for (const invented of INVENTED) {
			const set = sent.get(invented.where);
			assert.ok(set, `${invented.where}: never sent`);
			for (const entry of invented.entries)
				assert.ok(set.has(entry), `${invented.where}: «${entry}» never sent`);
		}
	});
});

describe('Microsoft Graph as documented: the check itself', () => {
	const establishing = catalogue.notifications.get('call establishing') ?? [];
	const documented = {
		'@odata.type': '#microsoft.graph.commsNotification',
		changeType: 'updated',
		resourceUrl: '/communications/calls/2e1a0b00-2db4-4022-9570-243709c565ab',
		callbackUri: 'https://bot.contoso.com/callback',
		resourceData: {
			'@odata.type': '#microsoft.graph.call',
			state: 'establishing',
			id: '2e1a0b00-2db4-4022-9570-243709c565ab',
		},
	};

	it("passes application-post-calls' establishing notification", () => {
		assert.ok(conforms(judge(documented, NOTIFICATION_FRAME_DEPTH, establishing)));
	});

	it('fails a property no example shows, a casing no example shows, an ID form no example shows', () => {
		const extra = { ...documented, resourceData: { ...documented.resourceData, mood: 'good' } };
		assert.deepEqual(judge(extra, NOTIFICATION_FRAME_DEPTH, establishing).undocumented, [
			'resourceData.mood : string',
		]);
		const shouting = { ...documented, changeType: 'UPDATED' };
		assert.ok(!conforms(judge(shouting, NOTIFICATION_FRAME_DEPTH, establishing)));
		const dashless = {
			...documented,
			resourceData: { ...documented.resourceData, id: '2E1A0B002DB440229570243709C565AB' },
		};
		assert.ok(!conforms(judge(dashless, NOTIFICATION_FRAME_DEPTH, establishing)));
	});

	it('fails two documented variants combined: callbackUri on the notification and upper-case IDs', () => {
		const combined = {
			...documented,
			resourceUrl: '/communications/calls/57DAB8B1894C409AB240BD8BEAE78896',
			resourceData: {
				'@odata.type': '#microsoft.graph.call',
				'@odata.id': '/communications/calls/57DAB8B1894C409AB240BD8BEAE78896',
				'@odata.etag': 'W/"5445"',
				state: 'establishing',
			},
		};
		const verdict = judge(combined, NOTIFICATION_FRAME_DEPTH, establishing);
		assert.deepEqual(verdict.undocumented, [], 'each entry alone is documented');
		assert.ok(
			verdict.closest && verdict.closest.missing.length > 0,
			'but no example has them together',
		);
	});
});
