import assert from 'node:assert/strict';
import { after, afterEach, describe, it } from 'node:test';

import type { INodeParameters } from 'n8n-workflow';

import { defaultApp, defaultCall, GRAPH_ROLES, type SimulatedApp } from '../simulator';
import {
	callParameters,
	createParameters,
	DEFAULT_CALL_ID,
	DEFAULT_CLIENT_ID,
	ENGINEER,
	joinUrl,
	MANAGER,
	participantParameters,
	RESOURCE_ACCOUNT,
	targets,
} from './support/calls';
import { outputJson, startFixture, type Fixture } from './support/fixture';

interface ApiError extends Error {
	description?: string | null;
	facts?: { status?: number; code?: string; requestId?: string };
}

async function failureOf(fx: Fixture, parameters: INodeParameters): Promise<ApiError> {
	const result = await fx.run(parameters);
	assert.ok(result.error, 'the node must fail');
	assert.equal(result.error.name, 'NodeApiError');
	return result.error as ApiError;
}

describe('Call and participant operations: Graph errors become hints', () => {
	let fx: Fixture | undefined;
	const start = async (app: Partial<SimulatedApp> = {}) => {
		fx = await startFixture({
			simulator: { apps: [{ ...defaultApp(), ...app }], calls: [defaultCall()] },
		});
		return fx;
	};
	afterEach(async () => await fx?.close());
	after(async () => await fx?.close());

	it('403 7503 as Graph sends it (UnknownError wrapping {"errorCode":"7503"}): the app is not a calling bot → how to enable calling on its bot registration', async () => {
		const f = await start({ callingBot: false });
		const error = await failureOf(f, createParameters('joinMeeting', { joinUrl: joinUrl() }));
		assert.match(
			error.message,
			/^Graph answered 403 \(UnknownError\) to the join meeting request: \{"errorCode":"7503","message":"Application is not registered in our store\."/,
		);
		assert.equal(error.facts?.code, 'UnknownError');
		assert.match(
			String(error.description),
			/not registered as a calling bot.*Azure Bot resource › Channels › Microsoft Teams › Calling.*"Enable calling".*Webhook \(for calling\)/,
		);
		assert.match(String(error.description), /request-id: [0-9a-f-]{36}/);
	});

	const permissionCases: {
		name: string;
		roles: string[];
		parameters: INodeParameters;
		action: string;
		permission: RegExp;
	}[] = [
		{
			name: 'peer-to-peer',
			roles: [GRAPH_ROLES.joinGroupCallRole],
			parameters: createParameters('peerToPeer', targets({ type: 'user', id: ENGINEER })),
			action: 'start peer-to-peer call',
			permission: /Calls\.Initiate\.All/,
		},
		{
			name: 'group call',
			roles: [GRAPH_ROLES.initiateRole],
			parameters: createParameters(
				'groupCall',
				targets({ type: 'user', id: ENGINEER }, { type: 'user', id: MANAGER }),
			),
			action: 'start group call',
			permission: /Calls\.InitiateGroupCall\.All/,
		},
		{
			name: 'join meeting',
			roles: [GRAPH_ROLES.initiateRole],
			parameters: createParameters('joinMeeting', { joinUrl: joinUrl() }),
			action: 'join meeting',
			permission: /Calls\.JoinGroupCall\.All or Calls\.JoinGroupCallAsGuest\.All/,
		},
		{
			name: 'get participant',
			roles: [GRAPH_ROLES.initiateRole],
			parameters: participantParameters(
				'get',
				DEFAULT_CALL_ID,
				'0f1a2b3c-4d5e-6f70-8192-a3b4c5d6e7f8',
			),
			action: 'get participant',
			permission: /Calls\.JoinGroupCall\.All/,
		},
		{
			name: 'mute participant',
			roles: [GRAPH_ROLES.initiateRole],
			parameters: participantParameters(
				'mute',
				DEFAULT_CALL_ID,
				'0f1a2b3c-4d5e-6f70-8192-a3b4c5d6e7f8',
			),
			action: 'mute participant',
			permission: /Calls\.JoinGroupCall\.All/,
		},
		{
			name: 'list participants (no calling role at all)',
			roles: ['User.Read.All'],
			parameters: participantParameters('list', DEFAULT_CALL_ID),
			action: 'list participants',
			permission: /Calls\.Initiate\.All/,
		},
	];
	for (const c of permissionCases) {
		it(`403 7504 names the permission the operation needs: ${c.name}`, async () => {
			const f = await start({ roles: c.roles });
			const error = await failureOf(f, c.parameters);
			assert.match(
				error.message,
				new RegExp(`^Graph answered 403 \\(7504\\) to the ${c.action} request`),
			);
			assert.match(
				String(error.description),
				new RegExp(`To ${c.action} it needs the Microsoft Graph application permission`),
			);
			assert.match(String(error.description), c.permission);
			assert.match(String(error.description), new RegExp(`client ID ${DEFAULT_CLIENT_ID}`));
		});
	}

	it('hang up and keep alive check no role of their own ("Permissions are checked when the call is created"): they work in a call the app owns', async () => {
		const f = await start({ roles: ['User.Read.All'] });
		outputJson(await f.run(callParameters('keepAlive', DEFAULT_CALL_ID)));
		outputJson(await f.run(callParameters('hangUp', DEFAULT_CALL_ID)));
		assert.deepEqual(
			f.sim.graphRequests().map((r) => r.status),
			[200, 204],
		);
	});

	it('PSTN from a resource account not linked to the app → the PSTN prerequisites', async () => {
		const f = await start();
		const error = await failureOf(
			f,
			createParameters('pstn', {
				applicationInstanceId: RESOURCE_ACCOUNT,
				phoneNumber: '+12345678901',
			}),
		);
		assert.match(error.message, /^Graph answered 403 \(10151\) to the call phone number request/);
		assert.match(
			String(error.description),
			/Teams resource account \(application instance\) linked to this app.*Teams Phone Resource Account licence.*phone number assigned to it.*Calls\.Initiate\.All/,
		);
	});

	it('PSTN from a resource account without a phone number → the same prerequisites', async () => {
		const f = await start({ resourceAccounts: [{ id: RESOURCE_ACCOUNT }] });
		const error = await failureOf(
			f,
			createParameters('pstn', {
				applicationInstanceId: RESOURCE_ACCOUNT,
				phoneNumber: '+12345678901',
			}),
		);
		assert.match(error.message, /has no phone number assigned for dial-out/);
		assert.match(String(error.description), /phone number assigned to it/);
	});

	it('Remove refused by the tenant → Set-CsApplicationMeetingConfiguration -AllowRemoveParticipantAppIds with the client ID', async () => {
		const f = await start({ allowRemoveParticipant: false });
		const [invited] = outputJson(
			await f.run({
				resource: 'callParticipant',
				operation: 'invite',
				callId: DEFAULT_CALL_ID,
				participantsMode: 'defineBelow',
				participants: { participant: [{ type: 'user', id: ENGINEER }] },
			}),
		);
		assert.ok(invited.id);
		const participant = f.sim.getCall(DEFAULT_CALL_ID)?.participants[1];
		assert.ok(participant);
		const error = await failureOf(
			f,
			participantParameters('remove', DEFAULT_CALL_ID, participant.id),
		);
		assert.match(
			error.message,
			/^Graph answered 403 \(Forbidden\) to the remove participant request/,
		);
		assert.match(
			String(error.description),
			new RegExp(
				`Set-CsApplicationMeetingConfiguration -AllowRemoveParticipantAppIds @\\{Add="${DEFAULT_CLIENT_ID}"\\}`,
			),
		);
		assert.equal(f.sim.getCall(DEFAULT_CALL_ID)?.participants.length, 2, 'nobody was removed');
	});

	it('404 8522 for a call of another app (or one that ended), on every call-scoped operation', async () => {
		const f = await start();
		const unknown = 'a7ebfb2d-871e-419c-87af-27290b22e8db';
		for (const parameters of [
			callParameters('get', unknown),
			callParameters('hangUp', unknown),
			callParameters('keepAlive', unknown),
			participantParameters('list', unknown),
			participantParameters('get', unknown, 'x1'),
			participantParameters('remove', unknown, 'x1'),
			participantParameters('mute', unknown, 'x1'),
		]) {
			const error = await failureOf(f, parameters);
			assert.equal(error.facts?.code, '8522', String(parameters.operation));
			assert.match(
				String(error.description),
				/Graph does not know this call for this app.*created, answered or joined/,
			);
		}
	});

	it('404 for a participant that is not in the call → participant IDs come from List', async () => {
		const f = await start();
		const error = await failureOf(
			f,
			participantParameters('get', DEFAULT_CALL_ID, '0f1a2b3c-4d5e-6f70-8192-a3b4c5d6e7f8'),
		);
		assert.match(error.message, /^Graph answered 404 \(NotFound\) to the get participant request/);
		assert.match(
			String(error.description),
			/does not know this participant in this call.*Call Participant › Get Many/,
		);
	});

	it('Mute, List and Get in a peer-to-peer call → group calls and meetings only', async () => {
		const f = await start();
		const [call] = outputJson(
			await f.run(createParameters('peerToPeer', targets({ type: 'user', id: ENGINEER }))),
		);
		const callId = String(call.id);
		const engineer = f.sim.getCall(callId)?.participants[1];
		assert.ok(engineer);
		for (const parameters of [
			participantParameters('mute', callId, engineer.id),
			participantParameters('list', callId),
			participantParameters('get', callId, engineer.id),
		]) {
			const error = await failureOf(f, parameters);
			assert.equal(error.facts?.status, 400);
			assert.match(error.message, /only for group calls and meetings, not for peer-to-peer calls/);
			assert.match(
				String(error.description),
				/only in group calls and meetings, not in peer-to-peer calls/,
			);
		}
		assert.equal(engineer.muted, undefined, 'nobody was muted');
	});

	it('continue-on-fail keeps the code and the hint in the item', async () => {
		const f = await start({ callingBot: false });
		const result = await f.run(
			createParameters('joinMeeting', { joinUrl: joinUrl() }),
			undefined,
			true,
		);
		const [item] = outputJson(result);
		const error = item.error as Record<string, unknown>;
		assert.equal(error.status, 403);
		assert.equal(error.code, 'UnknownError');
		assert.match(String(error.description), /calling bot/);
	});
});
