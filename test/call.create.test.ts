import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { defaultApp } from '../simulator';
import {
	CALLBACK,
	createParameters,
	DEFAULT_CLIENT_ID,
	DEFAULT_TENANT_ID,
	ENGINEER,
	joinUrl,
	MANAGER,
	MEETING_TENANT,
	ORGANIZER,
	RESOURCE_ACCOUNT,
	targets,
	THREAD,
} from './support/calls';
import { outputJson, startFixture, type Fixture } from './support/fixture';

/** The join link exactly as printed in Graph's call resource documentation. */
const DOCS_JOIN_URL =
	'https://teams.microsoft.com/l/meetup-join/19%3ameeting_NTg0NmQ3NTctZDVkZC00YzRhLThmNmEtOGQ3M2E0ODdmZDZk%40thread.v2/0?context=%7b%22Tid%22%3a%2272f988bf-86f1-41af-91ab-2d7cd011db47%22%2c%22Oid%22%3a%224b444206-207c-42f8-92a6-e332b41c88a2%22%7d';

const SERVICE_HOSTED = { '@odata.type': '#microsoft.graph.serviceHostedMediaConfig' };
const user = (id: string, displayName?: string) => ({
	'@odata.type': '#microsoft.graph.invitationParticipantInfo',
	identity: {
		'@odata.type': '#microsoft.graph.identitySet',
		user: {
			'@odata.type': '#microsoft.graph.identity',
			...(displayName ? { displayName } : {}),
			id,
		},
	},
});

describe('Call › Create: the request body of each call type, and the call it returns', () => {
	let fx: Fixture;
	before(async () => {
		fx = await startFixture({
			simulator: {
				apps: [
					{
						...defaultApp(),
						resourceAccounts: [{ id: RESOURCE_ACCOUNT, phoneNumber: '+14255550100' }],
					},
				],
			},
		});
	});
	after(async () => await fx.close());

	async function create(
		parameters: Parameters<Fixture['run']>[0],
	): Promise<{ body: unknown; output: Record<string, unknown> }> {
		fx.sim.reset();
		const output = outputJson(await fx.run(parameters));
		assert.equal(output.length, 1);
		const posts = fx.sim
			.graphRequests()
			.filter((r) => r.method === 'POST' && r.path === '/v1.0/communications/calls');
		assert.equal(posts.length, 1, 'exactly one create request');
		assert.equal(posts[0].status, 201);
		return { body: JSON.parse(posts[0].body), output: output[0] };
	}

	it('peer-to-peer to a Teams user: targets from the participant collection, service-hosted media, audio', async () => {
		const { body, output } = await create(
			createParameters(
				'peerToPeer',
				targets({ type: 'user', id: ENGINEER, displayName: 'On-call engineer' }),
			),
		);
		assert.deepEqual(body, {
			'@odata.type': '#microsoft.graph.call',
			callbackUri: CALLBACK,
			targets: [user(ENGINEER, 'On-call engineer')],
			requestedModalities: ['audio'],
			mediaConfig: SERVICE_HOSTED,
		});
		assert.equal(output['@odata.type'], '#microsoft.graph.call');
		assert.equal(output.state, 'establishing');
		assert.match(String(output.id), /^[0-9a-f-]{36}$/);
		assert.match(String(output.myParticipantId), /^[0-9a-f-]{36}$/);
		assert.equal(output.callbackUri, CALLBACK);
		assert.equal(
			fx.sim.getCall(String(output.id))?.ownerClientId,
			DEFAULT_CLIENT_ID,
			"the call belongs to the credential's app",
		);
	});

	it('peer-to-peer with a bot display name sends the app as source', async () => {
		const { body } = await create(
			createParameters('peerToPeer', {
				...targets({ type: 'user', id: ENGINEER }),
				botDisplayName: 'Incident Bot',
			}),
		);
		assert.deepEqual((body as Record<string, unknown>).source, {
			'@odata.type': '#microsoft.graph.participantInfo',
			identity: {
				'@odata.type': '#microsoft.graph.identitySet',
				application: {
					'@odata.type': '#microsoft.graph.identity',
					displayName: 'Incident Bot',
					id: DEFAULT_CLIENT_ID,
				},
			},
		});
	});

	it('group call: up to five users and a subject, the app as source (documented example 3 shape)', async () => {
		const { body, output } = await create(
			createParameters('groupCall', {
				...targets(
					{ type: 'user', id: ENGINEER, displayName: 'user1' },
					{ type: 'user', id: MANAGER, displayName: 'user2' },
				),
				subject: 'P1 bridge',
			}),
		);
		assert.deepEqual(body, {
			'@odata.type': '#microsoft.graph.call',
			direction: 'outgoing',
			subject: 'P1 bridge',
			callbackUri: CALLBACK,
			source: {
				'@odata.type': '#microsoft.graph.participantInfo',
				identity: {
					'@odata.type': '#microsoft.graph.identitySet',
					application: { '@odata.type': '#microsoft.graph.identity', id: DEFAULT_CLIENT_ID },
				},
			},
			targets: [user(ENGINEER, 'user1'), user(MANAGER, 'user2')],
			requestedModalities: ['audio'],
			mediaConfig: SERVICE_HOSTED,
		});
		assert.equal(output.subject, 'P1 bridge');
		assert.equal((output.targets as unknown[]).length, 2);
	});

	it("phone number (PSTN): resource account as source, E.164 target, tenant ID (defaults to the credential's)", async () => {
		const { body, output } = await create(
			createParameters('pstn', {
				applicationInstanceId: RESOURCE_ACCOUNT,
				applicationInstanceDisplayName: 'Incident Line',
				phoneNumber: '+12345678901',
			}),
		);
		assert.deepEqual(body, {
			'@odata.type': '#microsoft.graph.call',
			callbackUri: CALLBACK,
			source: {
				'@odata.type': '#microsoft.graph.participantInfo',
				identity: {
					'@odata.type': '#microsoft.graph.identitySet',
					applicationInstance: {
						'@odata.type': '#microsoft.graph.identity',
						displayName: 'Incident Line',
						id: RESOURCE_ACCOUNT,
					},
				},
			},
			targets: [
				{
					'@odata.type': '#microsoft.graph.invitationParticipantInfo',
					identity: {
						'@odata.type': '#microsoft.graph.identitySet',
						phone: { '@odata.type': '#microsoft.graph.identity', id: '+12345678901' },
					},
				},
			],
			requestedModalities: ['audio'],
			mediaConfig: SERVICE_HOSTED,
			tenantId: DEFAULT_TENANT_ID,
		});
		assert.equal(output.state, 'establishing');
	});

	it("join a meeting from the documentation's join URL: decoded into chatInfo + organizerMeetingInfo + tenant", async () => {
		const { body, output } = await create(
			createParameters('joinMeeting', { joinMethod: 'joinUrl', joinUrl: DOCS_JOIN_URL }),
		);
		assert.deepEqual(body, {
			'@odata.type': '#microsoft.graph.call',
			callbackUri: CALLBACK,
			requestedModalities: ['audio'],
			mediaConfig: SERVICE_HOSTED,
			chatInfo: {
				'@odata.type': '#microsoft.graph.chatInfo',
				threadId: '19:meeting_NTg0NmQ3NTctZDVkZC00YzRhLThmNmEtOGQ3M2E0ODdmZDZk@thread.v2',
				messageId: '0',
			},
			meetingInfo: {
				'@odata.type': '#microsoft.graph.organizerMeetingInfo',
				organizer: {
					'@odata.type': '#microsoft.graph.identitySet',
					user: {
						'@odata.type': '#microsoft.graph.identity',
						id: '4b444206-207c-42f8-92a6-e332b41c88a2',
						tenantId: '72f988bf-86f1-41af-91ab-2d7cd011db47',
					},
				},
			},
			tenantId: '72f988bf-86f1-41af-91ab-2d7cd011db47',
		});
		assert.deepEqual(
			(output.chatInfo as Record<string, unknown>).threadId,
			'19:meeting_NTg0NmQ3NTctZDVkZC00YzRhLThmNmEtOGQ3M2E0ODdmZDZk@thread.v2',
		);
	});

	it('join URL variants: wrapped by Outlook Safe Links, encoded twice, and a message ID other than 0', async () => {
		const wrapped = `https://eur01.safelinks.protection.outlook.com/?url=${encodeURIComponent(joinUrl())}&data=05%7C01&reserved=0`;
		const safe = (await create(createParameters('joinMeeting', { joinUrl: wrapped })))
			.body as Record<string, unknown>;
		assert.deepEqual(safe.chatInfo, {
			'@odata.type': '#microsoft.graph.chatInfo',
			threadId: THREAD,
			messageId: '0',
		});
		assert.equal(safe.tenantId, MEETING_TENANT);

		const twice = joinUrl().replace(
			/context=(.*)$/,
			(_m, context: string) => `context=${encodeURIComponent(context)}`,
		);
		const decodedTwice = (await create(createParameters('joinMeeting', { joinUrl: twice })))
			.body as Record<string, unknown>;
		assert.equal(
			(decodedTwice.meetingInfo as Record<string, Record<string, Record<string, unknown>>>)
				.organizer.user.id,
			ORGANIZER,
		);

		const message = (
			await create(
				createParameters('joinMeeting', {
					joinUrl: joinUrl(THREAD, MEETING_TENANT, ORGANIZER, '1700000000000'),
				}),
			)
		).body as Record<string, unknown>;
		assert.equal((message.chatInfo as Record<string, unknown>).messageId, '1700000000000');
	});

	it('join by meeting ID and passcode: joinMeetingIdMeetingInfo (spaces removed) and the tenant', async () => {
		const { body } = await create(
			createParameters('joinMeeting', {
				joinMethod: 'meetingId',
				meetingId: '234 567 890 123',
				passcode: 'psw123',
				tenantId: MEETING_TENANT,
			}),
		);
		assert.deepEqual(body, {
			'@odata.type': '#microsoft.graph.call',
			callbackUri: CALLBACK,
			requestedModalities: ['audio'],
			mediaConfig: SERVICE_HOSTED,
			meetingInfo: {
				'@odata.type': '#microsoft.graph.joinMeetingIdMeetingInfo',
				joinMeetingId: '234567890123',
				passcode: 'psw123',
			},
			tenantId: MEETING_TENANT,
		});
	});

	it("the short …/meet/{ID}?p= link becomes joinMeetingIdMeetingInfo with the credential's tenant", async () => {
		const { body } = await create(
			createParameters('joinMeeting', {
				joinUrl: 'https://teams.microsoft.com/meet/234567890123?p=AbCdEf',
			}),
		);
		assert.deepEqual((body as Record<string, unknown>).meetingInfo, {
			'@odata.type': '#microsoft.graph.joinMeetingIdMeetingInfo',
			joinMeetingId: '234567890123',
			passcode: 'AbCdEf',
		});
		assert.equal((body as Record<string, unknown>).tenantId, DEFAULT_TENANT_ID);
	});

	it('requested modalities other than audio, and additional body properties, reach the body', async () => {
		const { body } = await create(
			createParameters('joinMeeting', {
				joinUrl: joinUrl(),
				requestedModalities: ['audio', 'video'],
				options: {
					additionalBodyProperties:
						'{"callOptions": {"@odata.type": "#microsoft.graph.outgoingCallOptions", "hideBotAfterEscalation": true}}',
				},
			}),
		);
		assert.deepEqual((body as Record<string, unknown>).requestedModalities, ['audio', 'video']);
		assert.deepEqual((body as Record<string, unknown>).callOptions, {
			'@odata.type': '#microsoft.graph.outgoingCallOptions',
			hideBotAfterEscalation: true,
		});
	});

	it('the created call answers Get with what was sent, and is invitable by the same app', async () => {
		const { output } = await create(createParameters('joinMeeting', { joinUrl: joinUrl() }));
		const callId = String(output.id);
		const [got] = outputJson(await fx.run({ resource: 'call', operation: 'get', callId }));
		assert.equal(got.id, callId);
		assert.equal(got.state, 'established');
		assert.equal(got.myParticipantId, output.myParticipantId);
		assert.deepEqual(got.chatInfo, output.chatInfo);
		const [operation] = outputJson(
			await fx.run({
				resource: 'callParticipant',
				operation: 'invite',
				callId,
				participantsMode: 'defineBelow',
				participants: { participant: [{ type: 'user', id: ENGINEER }] },
			}),
		);
		assert.equal(operation['@odata.type'], '#microsoft.graph.inviteParticipantsOperation');
		assert.equal(fx.sim.inviteCount(callId, `user:${ENGINEER}`), 1);
	});

	it('dry run: shows the body and sends nothing, not even a token request', async () => {
		fx.sim.reset();
		const [described] = outputJson(
			await fx.run(
				createParameters('joinMeeting', { joinUrl: joinUrl(), options: { dryRun: true } }),
			),
		);
		assert.equal(described.dryRun, true);
		assert.equal(described.method, 'POST');
		assert.equal(described.url, `${fx.sim.origin}/v1.0/communications/calls`);
		assert.equal((described.body as Record<string, unknown>).tenantId, MEETING_TENANT);
		assert.equal(fx.sim.requests.length, 0);
	});
});
