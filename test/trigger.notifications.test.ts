/**
 * Every notification example of Microsoft's calling documentation
 * (test/fixtures/graph-notifications.json, each with its page) read by the trigger: first by
 * describeNotification alone, then posted signed to the trigger in the real n8n-core webhook
 * context, with every event wanted and with only operation results wanted (version 1's toggle
 * and version 2's Events).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';

import type { INodeParameters } from 'n8n-workflow';

import { describeNotification, readEnvelope } from '../lib/notifications/notificationItems';
import { startTriggerFixture, type TriggerFixture } from './support/trigger';

interface DocumentedExample {
	name: string;
	source: string;
	heading: string;
	date: string;
	envelope: { value: unknown[] };
	items: Array<Record<string, unknown>>;
}

/** A notification a tenant sent, as logged in a GitHub issue (one notification, maybe cut). */
interface LoggedExample {
	name: string;
	source: string;
	date: string;
	notification: Record<string, unknown>;
	items: Array<Record<string, unknown>>;
}

const fixture = JSON.parse(
	readFileSync(join(__dirname, 'fixtures', 'graph-notifications.json'), 'utf8'),
) as { examples: DocumentedExample[]; loggedExamples: LoggedExample[] };
const examples = fixture.examples;
const logged = fixture.loggedExamples;
const envelopeOf = (example: LoggedExample) => ({
	'@odata.type': '#microsoft.graph.commsNotifications',
	value: [example.notification],
});

/** Every field the fixture names must be in the item; participants entry by entry. */
function assertItem(
	actual: Record<string, unknown>,
	expected: Record<string, unknown>,
	where: string,
) {
	for (const [key, value] of Object.entries(expected)) {
		if (key === 'participants' && Array.isArray(value)) {
			const got = actual.participants as Array<Record<string, unknown>>;
			assert.equal(got.length, value.length, `${where}: participants ${JSON.stringify(got)}`);
			value.forEach((entry: Record<string, unknown>, index) => {
				for (const [field, fieldValue] of Object.entries(entry))
					assert.deepEqual(
						got[index][field],
						fieldValue,
						`${where}: participants[${index}].${field}`,
					);
			});
		} else assert.deepEqual(actual[key], value, `${where}: ${key}`);
	}
}

describe('Documented notification examples: the fixture file', () => {
	it('holds every kind the issue lists, each with its learn.microsoft.com page', () => {
		assert.ok(examples.length >= 30, `${examples.length} examples`);
		for (const example of examples) {
			assert.match(
				example.source,
				/^https:\/\/learn\.microsoft\.com\/en-us\/graph\/api\/[a-z-]+\?view=graph-rest-1\.0$/,
			);
			assert.equal(example.items.length, example.envelope.value.length, example.name);
			assert.match(
				example.date,
				/^\d{4}-\d{2}-\d{2} |^no ms\.date in the stored copy/,
				example.name,
			);
		}
		const pages = new Set(examples.map((e) => e.source.replace(/^.*\/api\/|\?.*$/g, '')));
		for (const page of [
			'participant-invite',
			'application-post-calls',
			'call-answer',
			'call-transfer',
			'participant-mute',
			'call-playprompt',
			'call-record',
			'call-subscribetotone',
			'call-delete',
		])
			assert.ok(pages.has(page), `no example from ${page}`);
		const events = new Set(examples.flatMap((e) => e.items.map((i) => i.event)));
		assert.deepEqual([...events].sort(), [
			'callStateChanged',
			'incomingCall',
			'operationResult',
			'other',
			'rosterUpdated',
			'tone',
		]);
	});
});

describe('Logged notification examples: the fixture file', () => {
	it('holds notifications from GitHub issues, each with its issue and date', () => {
		assert.ok(logged.length >= 5, `${logged.length} logged examples`);
		for (const example of logged) {
			assert.match(
				example.source,
				/^https:\/\/github\.com\/microsoftgraph\/[a-z-]+\/issues\/\d+$/,
				example.name,
			);
			assert.match(example.date, /^\d{4}-\d{2}/, example.name);
			assert.equal(example.items.length, 1, example.name);
		}
	});
});

describe('Logged notification examples: describeNotification', () => {
	for (const example of logged) {
		it(`${example.name} (${example.source.replace(/^.*github\.com\//, '')})`, () => {
			const envelope = readEnvelope(envelopeOf(example));
			assert.ok(envelope.ok);
			assertItem(describeNotification(envelope.notifications[0]!), example.items[0]!, example.name);
		});
	}
});

describe('Documented notification examples: describeNotification', () => {
	for (const example of examples) {
		it(`${example.name} (${example.heading})`, () => {
			const envelope = readEnvelope(example.envelope);
			assert.ok(envelope.ok);
			envelope.notifications.forEach((notification, index) =>
				assertItem(
					describeNotification(notification),
					example.items[index],
					`${example.name} #${index}`,
				),
			);
		});
	}
});

describe('Documented notification examples posted to the trigger', () => {
	const operationResultExamples = examples.filter((e) =>
		e.items.some((i) => i.event === 'operationResult'),
	);

	describe('every event wanted (version 2)', () => {
		let fx: TriggerFixture;
		before(async () => {
			fx = await startTriggerFixture({}, { typeVersion: 2 });
		});
		after(async () => await fx.close());

		it('each example: 202 and one execution with one item per notification, as the fixture says', async () => {
			for (const example of examples) {
				const before = fx.trigger.executions.length;
				const answer = await fx.post(example.envelope, { authorization: `Bearer ${fx.token()}` });
				assert.equal(answer.status, 202, example.name);
				assert.equal(fx.trigger.executions.length, before + 1, example.name);
				const items = fx.trigger.executions.at(-1) ?? [];
				assert.equal(items.length, example.items.length, example.name);
				items.forEach((item, index) => assertItem(item.json, example.items[index], example.name));
			}
		});

		it('each logged example: 202 and one execution with its item', async () => {
			for (const example of logged) {
				const before = fx.trigger.executions.length;
				const answer = await fx.post(envelopeOf(example), {
					authorization: `Bearer ${fx.token()}`,
				});
				assert.equal(answer.status, 202, example.name);
				assert.equal(fx.trigger.executions.length, before + 1, example.name);
				const items = fx.trigger.executions.at(-1) ?? [];
				assert.equal(items.length, 1, example.name);
				assertItem(items[0]!.json, example.items[0]!, example.name);
			}
		});
	});

	const onlyResults: Array<[string, INodeParameters, number]> = [
		['version 1, Only Operation Results on', { onlyOperationResults: true }, 1],
		['version 2, Events = Operation Results', { events: ['operationResult'] }, 2],
	];
	for (const [label, parameters, typeVersion] of onlyResults) {
		describe(label, () => {
			let fx: TriggerFixture;
			before(async () => {
				fx = await startTriggerFixture(parameters, { typeVersion });
			});
			after(async () => await fx.close());

			it('only operation results start a workflow; roster updates on …/operations/participants no longer do', async () => {
				for (const example of examples) {
					const before = fx.trigger.executions.length;
					assert.equal(
						(await fx.post(example.envelope, { authorization: `Bearer ${fx.token()}` })).status,
						202,
					);
					const started = fx.trigger.executions.length - before;
					const wanted = operationResultExamples.includes(example);
					assert.equal(started, wanted ? 1 : 0, `${example.name}: ${started} execution(s)`);
					if (wanted)
						for (const item of fx.trigger.executions.at(-1) ?? [])
							assert.equal(item.json.event, 'operationResult', example.name);
				}
			});
		});
	}
});
