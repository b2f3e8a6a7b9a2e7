/**
 * Online Meeting › Create and Get against the simulator: Graph's documented create bodies
 * (test/fixtures/online-meeting-examples.json), the join link that feeds Call › Create › Join a
 * Teams Meeting as produced, Get by ID and by join URL (encoded as Graph's page shows), the
 * application-access-policy refusal with its PowerShell hint, and the form's validation.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, beforeEach, describe, it } from 'node:test';

import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { DEFAULT_APP_ROLES, defaultApp } from '../simulator';
import { worldOf } from '../simulator/meetingsAndRecords';
import { CALLBACK, DEFAULT_CLIENT_ID, ENGINEER } from './support/calls';
import {
	assertRefusedBeforeSending,
	outputJson,
	startFixture,
	type Fixture,
} from './support/fixture';

interface Fixtures {
	source: string;
	examples: Array<{ heading: string; parameters: INodeParameters; body: Record<string, unknown> }>;
	accessPolicyRefusals: Array<{
		name: string;
		source: string;
		date: string;
		status: number | null;
		body: { error: { code: string; message: string } };
	}>;
}
const documented = JSON.parse(
	readFileSync(join(__dirname, 'fixtures', 'online-meeting-examples.json'), 'utf8'),
) as Fixtures;

const ORGANIZER = ENGINEER;
const MEETING_ROLES = ['OnlineMeetings.ReadWrite.All', 'CallRecords.Read.All'];

describe('Online Meeting › Create, Get', () => {
	let fx: Fixture;
	before(async () => {
		fx = await startFixture({
			simulator: { apps: [{ ...defaultApp(), roles: [...DEFAULT_APP_ROLES, ...MEETING_ROLES] }] },
		});
	});
	after(async () => await fx.close());
	beforeEach(() => {
		fx.sim.reset();
		const world = worldOf(fx.sim.origin);
		world.policy.global = true;
		world.policy.users.clear();
	});

	const create = async (extra: INodeParameters = {}) =>
		await fx.run(
			{ resource: 'onlineMeeting', operation: 'create', userId: ORGANIZER, ...extra },
			undefined,
			false,
			2,
		);
	const posts = () =>
		fx.sim.graphRequests().filter((r) => r.method === 'POST' && r.path.endsWith('/onlineMeetings'));

	for (const example of documented.examples) {
		it(`the documented body: ${example.heading}`, async () => {
			assert.match(documented.source, /application-post-onlinemeetings/);
			const [meeting] = outputJson(await create(example.parameters));
			const [request] = posts();
			assert.equal(request.path, `/v1.0/users/${ORGANIZER}/onlineMeetings`);
			assert.deepEqual(JSON.parse(request.body), example.body);
			assert.equal(request.status, 201);
			assert.equal(meeting.subject, example.body.subject);
			assert.match(
				String(meeting.joinWebUrl),
				/^https:\/\/teams\.microsoft\.com\/l\/meetup-join\/19%3ameeting_/,
			);
		});
	}

	it('Create → Call › Create › Join a Teams Meeting: the whole item as Join URL, and {{ $json.joinWebUrl }}, both join the meeting just created', async () => {
		const [meeting] = outputJson(await create({ subject: 'P1 incident bridge' }));
		const joins: Array<[string, INodeParameters]> = [
			['the whole item', { joinUrl: '={{ $json }}' }],
			['{{ $json.joinWebUrl }}', { joinUrl: '={{ $json.joinWebUrl }}' }],
		];
		for (const [label, joinUrl] of joins) {
			fx.sim.reset();
			const [call] = outputJson(
				await fx.run(
					{
						resource: 'call',
						operation: 'create',
						callType: 'joinMeeting',
						callbackUrl: CALLBACK,
						...joinUrl,
					},
					[{ json: meeting }],
					false,
					2,
				),
			);
			assert.equal(typeof call.id, 'string', label);
			const body = JSON.parse(fx.sim.graphRequests()[0].body) as Record<
				string,
				Record<string, unknown>
			>;
			assert.equal(body.chatInfo.threadId, (meeting.chatInfo as IDataObject).threadId, label);
			const organizer = body.meetingInfo.organizer as Record<string, Record<string, unknown>>;
			assert.equal(organizer.user.id, ORGANIZER, label);
		}
	});

	it("Get by join URL: the filter carries the link URL-encoded (…19%253ameeting_…) as Graph's page shows; the item is the meeting", async () => {
		const [meeting] = outputJson(await create({ subject: 'find me' }));
		fx.sim.reset();
		const [found] = outputJson(
			await fx.run(
				{
					resource: 'onlineMeeting',
					operation: 'get',
					userId: ORGANIZER,
					findBy: 'joinUrl',
					joinUrl: meeting.joinWebUrl as string,
				},
				undefined,
				false,
				2,
			),
		);
		assert.equal(found.id, meeting.id);
		assert.equal(found.subject, 'find me');
		const [request] = fx.sim.graphRequests();
		assert.match(
			request.path,
			/\?\$filter=JoinWebUrl%20eq%20(?:'|%27)https%3A%2F%2Fteams\.microsoft\.com%2Fl%2Fmeetup-join%2F19%253ameeting_/,
		);
	});

	it('Get by join URL of another organizer: an error naming Join URL, after Graph answered an empty list', async () => {
		const [meeting] = outputJson(await create());
		const result = await fx.run(
			{
				resource: 'onlineMeeting',
				operation: 'get',
				userId: '7e1b4346-85a6-4bdd-abe3-d11c5d420efe',
				findBy: 'joinUrl',
				joinUrl: meeting.joinWebUrl as string,
			},
			undefined,
			false,
			2,
		);
		assert.ok(result.error);
		assert.match(result.error.message, /Join URL .*matches no meeting of this user/);
	});

	it('Get by meeting ID (or by the Create item itself)', async () => {
		const [meeting] = outputJson(await create({ subject: 'by id' }));
		const [found] = outputJson(
			await fx.run(
				{
					resource: 'onlineMeeting',
					operation: 'get',
					userId: ORGANIZER,
					findBy: 'meetingId',
					meetingId: '={{ $json }}',
				},
				[{ json: meeting }],
				false,
				2,
			),
		);
		assert.equal(found.subject, 'by id');
		assert.equal(
			fx.sim.graphRequests().at(-1)?.path,
			`/v1.0/users/${ORGANIZER}/onlineMeetings/${String(meeting.id)}`,
		);
	});

	const policyHint = (error: unknown): string =>
		String((error as { description?: unknown }).description);
	const POWERSHELL = new RegExp(
		`New-CsApplicationAccessPolicy -Identity n8n-meetings -AppIds "${DEFAULT_CLIENT_ID}".*Grant-CsApplicationAccessPolicy`,
	);

	for (const refusal of documented.accessPolicyRefusals.filter((r) => r.status !== null)) {
		it(`no application access policy for the organizer, Graph's ${refusal.name} refusal (${refusal.date}): the hint gives the PowerShell with this app's client ID`, async () => {
			worldOf(fx.sim.origin).policy.global = false;
			fx.sim.variants.force('access policy refusal', refusal.name);
			const result = await create();
			assert.ok(result.error);
			assert.equal(posts()[0].status, refusal.status);
			assert.match(result.error.message, new RegExp(`^Graph answered 403 \\(${refusal.name}\\)`));
			assert.ok(
				result.error.message.includes(refusal.body.error.message),
				`${result.error.message} quotes Graph's message`,
			);
			assert.match(policyHint(result.error), POWERSHELL);
			// Granted to that user only: it works.
			worldOf(fx.sim.origin).policy.users.add(ORGANIZER);
			outputJson(await create());
		});
	}

	it("the access-policy page's superseded Unauthorized refusal is still recognised: the same PowerShell hint", async () => {
		const superseded = documented.accessPolicyRefusals.find((r) => r.status === null);
		assert.ok(superseded, 'the fixture keeps the superseded shape');
		fx.sim.faults.nextGraphFaults.push({
			kind: 'status',
			status: 403,
			code: superseded.body.error.code,
			message: superseded.body.error.message,
		});
		const result = await create();
		assert.ok(result.error);
		assert.match(policyHint(result.error), POWERSHELL);
	});

	it('a 403 Forbidden without the access-policy words is not blamed on the policy: the permission advice instead', async () => {
		fx.sim.faults.nextGraphFaults.push({
			kind: 'status',
			status: 403,
			code: 'Forbidden',
			message: 'Insufficient privileges to complete the operation.',
		});
		const result = await create();
		assert.ok(result.error);
		assert.doesNotMatch(policyHint(result.error), /CsApplicationAccessPolicy/);
		assert.match(policyHint(result.error), /OnlineMeetings\.ReadWrite\.All/);
	});

	it('without OnlineMeetings.ReadWrite.All: 403 naming the permission', async () => {
		const other = await startFixture({
			simulator: { apps: [{ ...defaultApp(), roles: [...DEFAULT_APP_ROLES] }] },
		});
		try {
			const result = await other.run(
				{ resource: 'onlineMeeting', operation: 'create', userId: ORGANIZER },
				undefined,
				false,
				2,
			);
			assert.ok(result.error);
			assert.match(JSON.stringify(result.error), /OnlineMeetings\.ReadWrite\.All/);
		} finally {
			await other.close();
		}
	});

	const refusals: Array<[INodeParameters, RegExp]> = [
		[
			{ operation: 'create', userId: 'someone@contoso.com' },
			/Organizer User ID \(item 0\): "someone@contoso.com" is not a GUID/,
		],
		[{ operation: 'create', userId: '' }, /Organizer User ID \(item 0\): is empty/],
		[
			{
				operation: 'create',
				userId: ORGANIZER,
				startDateTime: '2026-12-01T15:00:00Z',
				endDateTime: '2026-12-01T14:00:00Z',
			},
			/End \(item 0\): must be after Start/,
		],
		[
			{ operation: 'create', userId: ORGANIZER, startDateTime: 'tomorrow' },
			/Start \(item 0\): "tomorrow" is not a date and time/,
		],
		[
			{ operation: 'create', userId: ORGANIZER, subject: 'x'.repeat(300) },
			/Subject \(item 0\): is longer than 255/,
		],
		[
			{
				operation: 'get',
				userId: ORGANIZER,
				findBy: 'joinUrl',
				joinUrl: 'https://example.com/meet',
			},
			/Join URL \(item 0\): points to example\.com/,
		],
		[
			{ operation: 'get', userId: ORGANIZER, findBy: 'meetingId', meetingId: 'a/b' },
			/Meeting ID \(item 0\): contains "\/"/,
		],
	];
	for (const [parameters, expect] of refusals) {
		it(`refuses before sending: ${expect.source.slice(0, 70)}`, async () => {
			await assertRefusedBeforeSending(fx, { resource: 'onlineMeeting', ...parameters }, expect);
		});
	}
});
