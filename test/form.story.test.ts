/**
 * The form tells the story: notices short enough to read (two sentences at most, no PowerShell:
 * that lives in the README they link), a placeholder wherever a field waits for a value, Prompt
 * URL fields whose example is a URL (and words typed into one answered with Prompt From › Text),
 * the Invite participant's ID shown per Type, the keypress output in the form, operation names in
 * n8n's style, and output items that lead with their ID, status or state, not @odata keys.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';

import type { ILoadOptionsFunctions, INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import { AzureAiSpeechApi } from '../credentials/AzureAiSpeechApi.credentials';
import { MicrosoftGraphCallsApi } from '../credentials/MicrosoftGraphCallsApi.credentials';
import { MicrosoftGraphCalls } from '../nodes/MicrosoftGraphCalls/MicrosoftGraphCalls.node.ts';
import { MicrosoftGraphCallsTrigger } from '../nodes/MicrosoftGraphCallsTrigger/MicrosoftGraphCallsTrigger.node.ts';
import { participantFields } from '../nodes/MicrosoftGraphCalls/descriptions/participantFields';
import { leadWithWhatMatters } from '../nodes/MicrosoftGraphCalls/engine/outputOrder';
import { speechVoices } from '../nodes/MicrosoftGraphCalls/features/speech/voiceOptions';
import { DEFAULT_CALL_ID, ENGINEER, MANAGER, callParameters } from './support/calls';
import { inviteParameters, items, outputJson, startFixture, type Fixture } from './support/fixture';

interface Field extends INodeProperties {
	/** Where the field sits, as "form › collection › field". */
	path: string;
}

/** Every property of a form, collections and fixed collections opened. */
function fieldsOf(properties: INodeProperties[], path: string): Field[] {
	const out: Field[] = [];
	for (const property of properties) {
		const here = `${path} › ${property.displayName}`;
		out.push({ ...property, path: here });
		if (property.type === 'collection')
			out.push(...fieldsOf((property.options ?? []) as INodeProperties[], here));
		if (property.type === 'fixedCollection')
			for (const group of (property.options ?? []) as Array<{
				displayName: string;
				values: INodeProperties[];
			}>)
				out.push(...fieldsOf(group.values, `${here} › ${group.displayName}`));
	}
	return out;
}

const node = new MicrosoftGraphCalls().description;
const trigger = new MicrosoftGraphCallsTrigger().description;
const credential = new MicrosoftGraphCallsApi();
const speechCredential = new AzureAiSpeechApi();
const fields: Field[] = [
	...fieldsOf(node.properties, 'node'),
	...fieldsOf(trigger.properties, 'trigger'),
	...fieldsOf(credential.properties, 'credential'),
	...fieldsOf(speechCredential.properties, 'speech credential'),
];
const notices = fields.filter((field) => field.type === 'notice');

/** A notice's sentences: ends at . ! ? before a capital, a quote, a link or the end. */
function sentences(text: string): string[] {
	return text
		.replace(/<[^>]+>/g, '')
		.split(/(?<=[.!?])\s+(?=[A-Z"“<(])/)
		.filter((s) => s.trim() !== '');
}

describe('The form: notices', () => {
	it('there are notices to check (node, trigger)', () => assert.ok(notices.length >= 15));

	for (const notice of notices)
		it(`${notice.path.slice(0, 90)}: two sentences at most, no PowerShell`, () => {
			const said = sentences(notice.displayName);
			assert.ok(said.length <= 2, `${said.length} sentences: ${said.join(' | ')}`);
			assert.doesNotMatch(notice.displayName, /\b(New|Set|Grant|Get)-Cs[A-Za-z]+/);
		});

	it("Online Meeting › Create and Remove link the README's PowerShell instead", () => {
		for (const [name, anchor] of [
			['accessPolicyNotice', 'online-meeting'],
			['removeNotice', 'call-participant'],
		])
			assert.match(
				notices.find((n) => n.name === name)?.displayName ?? '',
				new RegExp(
					`href="https://www\\.npmjs\\.com/package/n8n-nodes-microsoft-graph-calls#${anchor}"`,
				),
				name,
			);
		const readme = readFileSync(join(__dirname, '..', 'README.md'), 'utf8');
		assert.match(readme, /New-CsApplicationAccessPolicy/);
		assert.match(readme, /Set-CsApplicationMeetingConfiguration -AllowRemoveParticipantAppIds/);
	});

	it("Call and Wait for Keypress: the form names every outcome and what comes out when the wait ends first, for each version's form", () => {
		const steps = readFileSync(
			join(__dirname, '..', 'nodes/MicrosoftGraphCalls/features/keypress/keypressSteps.ts'),
			'utf8',
		);
		const union = /export type KeypressOutcome =([^;]+);/.exec(steps)?.[1] ?? '';
		const outcomes = [...union.matchAll(/'(\w+)'/g)].map((m) => m[1]);
		assert.deepEqual(outcomes, [
			'pressed',
			'declined',
			'unanswered',
			'hungUp',
			'ended',
			'timeout',
			'noConfirmation',
			'failed',
		]);
		const output = notices.filter((n) => n.name === 'keypressOutputNotice');
		assert.equal(output.length, 2, 'one for version 3, one for versions 1 and 2');
		const [v3, legacy] = [
			output.find((n) => n.displayOptions?.hide?.['@version']),
			output.find((n) => n.displayOptions?.show?.['@version']),
		];
		for (const outcome of outcomes)
			assert.ok(v3?.displayName.includes(`"${outcome}"`), `version 3 lacks "${outcome}"`);
		for (const outcome of outcomes.filter((o) => o !== 'noConfirmation'))
			assert.ok(legacy?.displayName.includes(`"${outcome}"`), `version 1/2 lacks "${outcome}"`);
		assert.match(v3?.displayName ?? '', /Limit Wait Time.*input item on unchanged/);
		assert.match(legacy?.displayName ?? '', /Give Up After.*input item on unchanged/);
	});
});

describe('The form: placeholders', () => {
	const named = (name: string) => fields.filter((field) => field.name === name);

	for (const [name, label] of [
		['applicationInstanceId', 'Resource Account ID'],
		['resourceId', "Play Prompt's and Answer's Resource ID"],
		['clientContext', 'Client Context'],
		[
			'notificationOpenIdConfigurationUrl',
			"the credential's Custom cloud OpenID configuration URL",
		],
	])
		it(`${label}: every one has a placeholder`, () => {
			const found = named(name).filter((field) => field.type === 'string');
			assert.ok(found.length > 0, name);
			for (const field of found) assert.ok(field.placeholder, field.path);
		});

	it('every string field a user types into without a default has a placeholder', () => {
		const bare = fields.filter(
			(field) =>
				field.type === 'string' &&
				field.default === '' &&
				!field.placeholder &&
				!field.typeOptions?.password,
		);
		assert.deepEqual(
			bare.map((field) => field.path),
			[],
		);
	});

	it('every URL field shows a URL as its example, never a sentence', () => {
		const urls = fields.filter(
			(field) => field.type === 'string' && /\bURL\b/.test(field.displayName),
		);
		assert.ok(urls.length >= 8);
		for (const field of urls)
			assert.match(
				String(field.placeholder ?? ''),
				/^(e\.g\. )?https:\/\/\S+$/,
				`${field.path}: ${field.placeholder}`,
			);
	});

	it("Invite's participant ID: one field per Type, each named ID, with that type's example", () => {
		const ids = participantFields.filter((field) => field.name === 'id');
		const byType = Object.fromEntries(
			ids.map((field) => [String(field.displayOptions?.show?.type?.[0]), field]),
		);
		const types = (
			(participantFields.find((field) => field.name === 'type')?.options ??
				[]) as INodePropertyOptions[]
		).map((option) => String(option.value));
		assert.deepEqual(Object.keys(byType).sort(), [...types].sort());
		for (const field of ids) {
			assert.equal(field.displayName, 'ID');
			assert.equal(field.required, true);
		}
		const guid = /^e\.g\. [0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
		assert.match(String(byType.user?.placeholder), guid);
		assert.match(String(byType.application?.placeholder), guid);
		assert.match(String(byType.applicationInstance?.placeholder), guid);
		assert.match(String(byType.phone?.placeholder), /^e\.g\. \+\d{8,15}$/);
		assert.match(String(byType.phone?.description), /E\.164/);
		assert.match(String(byType.application?.description), /app \(client\) ID/);
	});
});

describe('The form: no issue marks on a filled-in page node', () => {
	it("Voice Name or ID lists its empty default for the offline voice (n8n marks a value its list lacks, and the canvas shows that node's warning)", async () => {
		const listed = await speechVoices.call({
			getCurrentNodeParameter: (name: string) => (name === 'speechEngine' ? 'offline' : undefined),
		} as unknown as ILoadOptionsFunctions);
		const voice = fields.find((field) => field.name === 'speechVoice' && field.type === 'options');
		assert.equal(voice?.default, '');
		assert.equal(listed[0]?.value, '');
		assert.match(String(listed[0]?.name), /^Default \(SLT/);
		assert.ok(listed.some((option) => option.value === 'slt'));
	});
});

describe('The form: operation names in n8n’s style', () => {
	const SMALL_WORDS = new Set([
		'a',
		'an',
		'and',
		'as',
		'at',
		'for',
		'in',
		'of',
		'on',
		'or',
		'the',
		'to',
	]);
	const dropdowns = fields.filter((field) => field.name === 'operation');

	it('names in Title Case, actions in sentence case without a full stop', () => {
		assert.ok(dropdowns.length >= 5);
		for (const dropdown of dropdowns)
			for (const option of (dropdown.options ?? []) as INodePropertyOptions[]) {
				const words = option.name.split(' ');
				for (const [index, word] of words.entries())
					assert.ok(
						(index > 0 && SMALL_WORDS.has(word)) || /^[A-Z]/.test(word),
						`"${option.name}": "${word}"`,
					);
				const action = String(option.action);
				assert.match(action, /^[A-Z][^A-Z]*$|^[A-Z][a-z ]*(DTMF)[a-z ]*$/, action);
				assert.doesNotMatch(action, /\.$/, action);
			}
	});

	it('the participants list is "Get Many" (n8n’s word for a list), Invite says what it does', () => {
		const participant = dropdowns.find((d) =>
			d.displayOptions?.show?.resource?.includes('callParticipant'),
		);
		const options = (participant?.options ?? []) as INodePropertyOptions[];
		const list = options.find((o) => o.value === 'list');
		assert.equal(list?.name, 'Get Many');
		assert.equal(list?.action, 'Get many call participants');
		assert.equal(
			options.find((o) => o.value === 'invite')?.action,
			'Invite participants to a call',
		);
	});
});

describe('Output items lead with what matters', () => {
	let fx: Fixture;
	before(async () => {
		fx = await startFixture();
	});
	after(async () => await fx.close());

	it('the order: id, status, state, outcome, success, the rest as given, @odata.* keys, responseMetadata; every key kept', () => {
		const given = {
			'@odata.context': 'x',
			'@odata.type': '#microsoft.graph.call',
			responseMetadata: { status: 200 },
			direction: 'outgoing',
			state: 'established',
			id: 'c1',
			callbacks: 1,
		};
		const ordered = leadWithWhatMatters(given);
		assert.deepEqual(Object.keys(ordered), [
			'id',
			'state',
			'direction',
			'callbacks',
			'@odata.context',
			'@odata.type',
			'responseMetadata',
		]);
		assert.deepEqual(ordered, given);
	});

	it("Invite's item starts with id and status; Graph's @odata.type comes after its own fields", async () => {
		fx.sim.reset();
		const [operation] = outputJson(
			await fx.run(inviteParameters([{ type: 'user', id: ENGINEER }]), undefined, false, 2),
		);
		const keys = Object.keys(operation ?? {});
		assert.deepEqual(keys.slice(0, 2), ['id', 'status'], keys.join(', '));
		assert.equal(operation?.['@odata.type'], '#microsoft.graph.inviteParticipantsOperation');
		assert.ok(
			keys.indexOf('@odata.type') > keys.indexOf('participants'),
			`@odata.type before the operation's fields: ${keys.join(', ')}`,
		);
	});

	it("Call › Get starts with id and state; Get Many's participants each start with id", async () => {
		fx.sim.reset();
		outputJson(
			await fx.run(inviteParameters([{ type: 'user', id: MANAGER }]), undefined, false, 2),
		);
		const [call] = outputJson(
			await fx.run(callParameters('get', DEFAULT_CALL_ID), undefined, false, 2),
		);
		assert.deepEqual(Object.keys(call ?? {}).slice(0, 2), ['id', 'state']);
		const participants = outputJson(
			await fx.run(
				{ resource: 'callParticipant', operation: 'list', callId: DEFAULT_CALL_ID },
				undefined,
				false,
				2,
			),
		);
		assert.ok(participants.length >= 2);
		for (const participant of participants) assert.equal(Object.keys(participant)[0], 'id');
	});
});

describe('A Prompt URL that holds words', () => {
	let fx: Fixture;
	before(async () => {
		fx = await startFixture();
	});
	after(async () => await fx.close());

	it('Call and Wait for Keypress: the item with words gets an error that names Prompt URL and suggests Prompt From › Text', async () => {
		const result = await fx.run(
			{
				resource: 'call',
				operation: 'callAndWaitForKeypress',
				people: { person: [{ type: 'teamsUser', id: ENGINEER }] },
				promptSource: 'url',
				promptUrl: '={{ $json.prompt }}',
				options: { dryRun: true },
			},
			items(1, () => ({ prompt: 'Checkout is down. Press 1 to acknowledge.' })),
			false,
			3,
		);
		assert.match(
			result.error?.message ?? '',
			/Prompt URL \(item 0\): "Checkout is down\. Press 1 to acknowledge\." is not a URL: .*choose Prompt From › Text/,
		);
		assert.equal(fx.sim.graphRequests().length, 0, 'nobody was called');
	});
});
