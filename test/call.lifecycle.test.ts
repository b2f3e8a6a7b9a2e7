import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { inviteParameters, items, outputJson, startFixture, type Fixture } from './support/fixture';
import {
	callParameters,
	createParameters,
	DEFAULT_CALL_ID,
	ENGINEER,
	joinUrl,
	participantParameters,
} from './support/calls';

const DUTY_MANAGER_PHONE = '+14255550123';

describe('Call › Get, Hang Up, Keep Alive', () => {
	let fx: Fixture;
	before(async () => {
		fx = await startFixture();
	});
	after(async () => await fx.close());

	it('Get: the call object of a call the app is in', async () => {
		fx.sim.reset();
		const [call] = outputJson(await fx.run(callParameters('get', DEFAULT_CALL_ID)));
		assert.equal(call['@odata.type'], '#microsoft.graph.call');
		assert.equal(call.id, DEFAULT_CALL_ID);
		assert.equal(call.state, 'established');
		assert.equal(call.myParticipantId, fx.sim.getCall(DEFAULT_CALL_ID)?.myParticipantId);
		const [request] = fx.sim.graphRequests();
		assert.equal(request.method, 'GET');
		assert.equal(request.path, `/v1.0/communications/calls/${DEFAULT_CALL_ID}`);
	});

	it('Keep Alive: POST …/keepAlive without a body; the 200 becomes a success item with the next deadline', async () => {
		fx.sim.reset();
		const before = Date.now();
		const [item] = outputJson(await fx.run(callParameters('keepAlive', DEFAULT_CALL_ID)));
		assert.equal(item.success, true);
		assert.equal(item.status, 200);
		assert.equal(item.operation, 'keepAlive');
		assert.equal(item.callId, DEFAULT_CALL_ID);
		const keptAt = Date.parse(String(item.keptAliveAt));
		assert.ok(keptAt >= before - 1000);
		assert.equal(Date.parse(String(item.keepAliveAgainBefore)) - keptAt, 45 * 60_000);
		const [request] = fx.sim.graphRequests();
		assert.equal(request.method, 'POST');
		assert.equal(request.path, `/v1.0/communications/calls/${DEFAULT_CALL_ID}/keepAlive`);
		assert.equal(request.body, '', 'keepAlive has no request body');
		assert.ok(fx.sim.getCall(DEFAULT_CALL_ID)?.keptAliveAt, 'the simulator saw the keep-alive');
	});

	it('Keep Alive for several calls: one item each, paired with its input', async () => {
		const [created] = outputJson(
			await fx.run(createParameters('joinMeeting', { joinUrl: joinUrl() })),
		);
		fx.sim.reset();
		const result = await fx.run(
			callParameters('keepAlive', '={{ $json.callId }}'),
			items(2, (i) => ({ callId: i === 0 ? DEFAULT_CALL_ID : String(created.id) })),
		);
		const output = result.output?.[0] ?? [];
		assert.deepEqual(
			output.map((item) => [item.json.callId, item.pairedItem]),
			[
				[DEFAULT_CALL_ID, { item: 0 }],
				[created.id, { item: 1 }],
			],
		);
	});

	it('Hang Up: DELETE; the 204 becomes a clear success item, and the call is gone afterwards', async () => {
		const [created] = outputJson(
			await fx.run(createParameters('joinMeeting', { joinUrl: joinUrl() })),
		);
		const callId = String(created.id);
		fx.sim.reset();
		const [item] = outputJson(
			await fx.run(
				callParameters('hangUp', callId, { options: { includeResponseMetadata: true } }),
			),
		);
		assert.equal(item.success, true);
		assert.equal(item.status, 204);
		assert.equal(item.operation, 'hangUp');
		assert.equal(item.callId, callId);
		assert.match(String(item.message), /hung up/);
		assert.match(
			String((item.responseMetadata as Record<string, unknown>).requestId),
			/^[0-9a-f-]{36}$/,
		);
		const [request] = fx.sim.graphRequests();
		assert.equal(request.method, 'DELETE');
		assert.equal(request.status, 204);
		const again = await fx.run(callParameters('get', callId));
		assert.ok(again.error);
		assert.match(again.error.message, /^Graph answered 404 \(8522\) to the get call request/);
	});

	it('Hang Up as a dry run: shows the DELETE and sends nothing', async () => {
		fx.sim.reset();
		const [item] = outputJson(
			await fx.run(callParameters('hangUp', DEFAULT_CALL_ID, { options: { dryRun: true } })),
		);
		assert.equal(item.dryRun, true);
		assert.equal(item.method, 'DELETE');
		assert.equal(item.url, `${fx.sim.origin}/v1.0/communications/calls/${DEFAULT_CALL_ID}`);
		assert.equal(item.body, null);
		assert.equal(fx.sim.requests.length, 0);
		assert.equal(fx.sim.getCall(DEFAULT_CALL_ID)?.state, 'established');
	});
});

describe('Incident bridge, end to end in process: create → invite → list → mute → remove → hang up', () => {
	let fx: Fixture;
	before(async () => {
		fx = await startFixture();
	});
	after(async () => await fx.close());

	it("joins the bridge, pulls in the on-call engineer and the duty manager's phone, manages them, and leaves", async () => {
		// 1. Join the incident meeting from its join link.
		const [call] = outputJson(
			await fx.run(createParameters('joinMeeting', { joinUrl: joinUrl() })),
		);
		const callId = String(call.id);
		assert.equal(call.state, 'establishing');

		// 2. Invite the engineer (Teams user) and the duty manager (phone) in one request.
		const [operation] = outputJson(
			await fx.run(
				inviteParameters(
					[
						{ type: 'user', id: ENGINEER, displayName: 'On-call engineer' },
						{ type: 'phone', id: DUTY_MANAGER_PHONE },
					],
					{ callId, clientContext: 'INC-4711' },
				),
			),
		);
		assert.equal(operation['@odata.type'], '#microsoft.graph.inviteParticipantsOperation');
		assert.equal(operation.clientContext, 'INC-4711');

		// 3. List: the bot, the engineer and the phone, one item each.
		const roster = outputJson(await fx.run(participantParameters('list', callId)));
		assert.equal(roster.length, 3);
		const idOf = (predicate: (identity: Record<string, unknown>) => boolean) => {
			const entry = roster.find((p) =>
				predicate((p.info as Record<string, Record<string, unknown>>).identity),
			);
			assert.ok(entry, 'participant listed');
			return String(entry.id);
		};
		const botId = idOf((identity) => identity.application !== undefined);
		const engineerId = idOf(
			(identity) => (identity.user as Record<string, unknown> | undefined)?.id === ENGINEER,
		);
		const phoneId = idOf(
			(identity) =>
				(identity.phone as Record<string, unknown> | undefined)?.id === DUTY_MANAGER_PHONE,
		);
		assert.equal(botId, call.myParticipantId);

		// 4. Mute the phone line (noisy car), with a client context.
		const [mute] = outputJson(
			await fx.run(
				participantParameters('mute', callId, phoneId, { clientContext: 'mute-noisy-line' }),
			),
		);
		assert.equal(mute['@odata.type'], '#microsoft.graph.muteParticipantOperation');
		assert.equal(mute.clientContext, 'mute-noisy-line');
		const [phone] = outputJson(await fx.run(participantParameters('get', callId, phoneId)));
		assert.equal(phone.isMuted, true);

		// 5. Remove the engineer once the fix is in.
		const [removed] = outputJson(await fx.run(participantParameters('remove', callId, engineerId)));
		assert.deepEqual(
			[removed.success, removed.status, removed.participantId],
			[true, 204, engineerId],
		);
		const after = outputJson(await fx.run(participantParameters('list', callId)));
		assert.deepEqual(after.map((p) => p.id).sort(), [botId, phoneId].sort());

		// 6. Hang up: the bridge is left; the call is gone for this app.
		const [hungUp] = outputJson(await fx.run(callParameters('hangUp', callId)));
		assert.equal(hungUp.success, true);
		const late = await fx.run(inviteParameters([{ type: 'user', id: ENGINEER }], { callId }));
		assert.ok(late.error);
		assert.match(late.error.message, /^Graph answered 404 \(8522\) to the invite request/);

		const trail = fx.sim
			.graphRequests()
			.map(
				(r) =>
					`${r.method} ${r.path.replace(callId, '{call}').replace(/participants\/[0-9a-f-]{36}/, 'participants/{p}')} ${r.status}`,
			);
		assert.deepEqual(trail, [
			'POST /v1.0/communications/calls 201',
			'POST /v1.0/communications/calls/{call}/participants/invite 200',
			'GET /v1.0/communications/calls/{call}/participants 200',
			'POST /v1.0/communications/calls/{call}/participants/{p}/mute 200',
			'GET /v1.0/communications/calls/{call}/participants/{p} 200',
			'DELETE /v1.0/communications/calls/{call}/participants/{p} 204',
			'GET /v1.0/communications/calls/{call}/participants 200',
			'DELETE /v1.0/communications/calls/{call} 204',
			'POST /v1.0/communications/calls/{call}/participants/invite 404',
		]);
	});
});
