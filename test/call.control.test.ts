/**
 * Call › Answer, Reject, Redirect, Transfer against the simulator, which places incoming calls to
 * a stand-in bot webhook: Microsoft's documented request bodies (test/fixtures/call-control-
 * examples.json, each with its page), the 202 answers as items, Graph's state rules, the
 * validation that names the form's fields, and the hints for the known failures.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, beforeEach, describe, it } from 'node:test';

import type { INodeParameters } from 'n8n-workflow';

import { CREDENTIAL_ID } from '../harness/runNode';
import { placeIncomingCall } from '../simulator/incomingCalls';
import { startBotWebhook, type BotWebhook } from './support/botWebhook';
import { DEFAULT_CLIENT_ID, DEFAULT_TENANT_ID, ENGINEER } from './support/calls';
import {
	assertRefusedBeforeSending,
	outputJson,
	simulatorCredential,
	startFixture,
	type Fixture,
} from './support/fixture';

interface Example {
	name: string;
	source: string;
	heading: string;
	operation: string;
	parameters: INodeParameters;
	body: Record<string, unknown>;
	toResourceAccount?: boolean;
	consultative?: boolean;
}

const examples = (
	JSON.parse(readFileSync(join(__dirname, 'fixtures', 'call-control-examples.json'), 'utf8')) as {
		examples: Example[];
	}
).examples;

/** The body without @odata.type annotations: Graph's examples carry them only sometimes. */
function withoutTypes(value: unknown): unknown {
	if (Array.isArray(value)) return value.map(withoutTypes);
	if (value && typeof value === 'object')
		return Object.fromEntries(
			Object.entries(value)
				.filter(([key]) => key !== '@odata.type')
				.map(([key, entry]) => [key, withoutTypes(entry)]),
		);
	return value;
}

const CONSULT_CALL = 'e5d39592-99bd-4db8-bca8-30fb894ec51d';

describe('Call › Answer, Reject, Redirect, Transfer', () => {
	let fx: Fixture;
	let bot: BotWebhook;
	before(async () => {
		fx = await startFixture();
		bot = await startBotWebhook();
	});
	after(async () => {
		await bot.close();
		await fx.close();
	});
	beforeEach(() => {
		fx.sim.reset();
		bot.posts.length = 0;
	});

	const incoming = async (toResourceAccount = false) =>
		(await placeIncomingCall(fx.sim, { callbackUri: bot.url, toResourceAccount })).callId;
	const run = async (operation: string, callId: string, extra: INodeParameters = {}) =>
		await fx.run({ resource: 'call', operation, callId, ...extra }, undefined, false, 2);
	const sent = (action: string) =>
		fx.sim.graphRequests().filter((r) => r.path.endsWith(`/${action}`));

	describe("Microsoft's documented request bodies", () => {
		for (const example of examples) {
			it(`${example.name} (${example.heading})`, async () => {
				assert.match(example.source, /^https:\/\/learn\.microsoft\.com\/en-us\/graph\/api\/call-/);
				let callId = await incoming(example.toResourceAccount);
				if (example.operation === 'transfer') {
					outputJson(await run('answer', callId));
					if (example.consultative)
						fx.sim.addCall({
							id: CONSULT_CALL,
							ownerClientId: DEFAULT_CLIENT_ID,
							tenantId: DEFAULT_TENANT_ID,
						});
				}
				fx.sim.requests.length = 0;
				const [item] = outputJson(await run(example.operation, callId, example.parameters));
				const [request] = sent(example.operation);
				assert.ok(request, 'the action was sent');
				assert.equal(
					request.path,
					`/${example.parameters.options ? 'beta' : 'v1.0'}/communications/calls/${callId}/${example.operation}`,
				);
				assert.equal(request.headers['content-type'], 'application/json');
				assert.deepEqual(withoutTypes(JSON.parse(request.body)), withoutTypes(example.body));
				assert.equal(request.status, 202);
				assert.deepEqual(
					{
						success: item.success,
						status: item.status,
						operation: item.operation,
						callId: item.callId,
					},
					{ success: true, status: 202, operation: example.operation, callId },
				);
				callId = '';
			});
		}
	});

	it('Answer: the call becomes established; establishing and established reach the callback URL', async () => {
		const callId = await incoming();
		const [item] = outputJson(
			await run('answer', callId, { callbackUrl: bot.url.replace('http:', 'https:') }),
		);
		assert.match(String(item.message), /accepted the answer/);
		assert.deepEqual(item.acceptedModalities, ['audio']);
		assert.equal(fx.sim.getCall(callId)?.state, 'established');
		const body = JSON.parse(sent('answer')[0].body) as Record<string, unknown>;
		assert.deepEqual(body.mediaConfig, {
			'@odata.type': '#microsoft.graph.serviceHostedMediaConfig',
		});
	});

	it('Answer twice: Graph refuses the second (only an incoming call can be answered), with the hint', async () => {
		const callId = await incoming();
		outputJson(await run('answer', callId));
		const result = await run('answer', callId);
		assert.ok(result.error);
		assert.match(result.error.message, /400/);
		assert.match(
			String((result.error as { description?: unknown }).description),
			/only an incoming call/,
		);
	});

	it('Answer after the 15-second deadline: 404 8522 with the deadline hint', async () => {
		const { callId } = await placeIncomingCall(fx.sim, { callbackUri: bot.url, deadlineMs: 10 });
		await new Promise((resolve) => setTimeout(resolve, 50));
		const result = await run('answer', callId);
		assert.ok(result.error);
		assert.match(
			String((result.error as { description?: unknown }).description),
			/within 15 seconds/,
		);
	});

	it('Answer with participant capacity and call options: sent as Graph names them', async () => {
		const callId = await incoming();
		outputJson(
			await run('answer', callId, {
				acceptedModalities: ['audio', 'video'],
				additionalFields: { participantCapacity: 200, isContentSharingNotificationEnabled: true },
			}),
		);
		const body = JSON.parse(sent('answer')[0].body) as Record<string, unknown>;
		assert.equal(body.participantCapacity, 200);
		assert.deepEqual(body.acceptedModalities, ['audio', 'video']);
		assert.deepEqual(body.callOptions, {
			'@odata.type': '#microsoft.graph.incomingCallOptions',
			isContentSharingNotificationEnabled: true,
		});
	});

	it('Reject an answered call: 400 (Hang Up ends it), the call stays established', async () => {
		const callId = await incoming();
		outputJson(await run('answer', callId));
		const result = await run('reject', callId, { reason: 'busy' });
		assert.ok(result.error);
		assert.match(result.error.message, /400/);
		assert.equal(fx.sim.getCall(callId)?.state, 'established');
	});

	it('Reject: the call ends, a deleted notification reaches the bot', async () => {
		const callId = await incoming();
		outputJson(await run('reject', callId, { reason: 'forbidden' }));
		assert.equal(fx.sim.getCall(callId)?.state, 'terminated');
		await fx.sim.callbacks.waitForDeliveries((d) =>
			d.some((x) => x.callId === callId && JSON.stringify(x.body).includes('"deleted"')),
		);
	});

	it("Redirect a call to the bot's UPN to a phone number: 400 with the PSTN hint", async () => {
		const callId = await incoming(false);
		const result = await run('redirect', callId, {
			targets: { participant: [{ type: 'phone', id: '+12345678901' }] },
		});
		assert.ok(result.error);
		assert.match(
			String((result.error as { description?: unknown }).description),
			/UPN cannot go to a phone number/,
		);
	});

	it('Redirect with several targets and a timeout: simultaneous ring, timeout sent', async () => {
		const callId = await incoming();
		const [item] = outputJson(
			await run('redirect', callId, {
				targets: {
					participant: [
						{ type: 'user', id: ENGINEER },
						{ type: 'user', id: '98da8a1a-1b87-452c-a713-65d3f10b1253' },
					],
				},
				additionalFields: { timeout: 60 },
			}),
		);
		const body = JSON.parse(sent('redirect')[0].body) as Record<string, unknown>;
		assert.equal((body.targets as unknown[]).length, 2);
		assert.equal(body.timeout, 60);
		assert.equal((item.targets as unknown[]).length, 2);
		assert.equal(fx.sim.getCall(callId)?.state, 'terminated');
	});

	it('Transfer an incoming call not yet answered: 400 (only an established call)', async () => {
		const callId = await incoming();
		const result = await run('transfer', callId, {
			transferTarget: { participant: { type: 'user', id: ENGINEER } },
		});
		assert.ok(result.error);
		assert.match(
			String((result.error as { description?: unknown }).description),
			/only an established call/,
		);
	});

	it('Transfer out of a group call without the transferee: 400; with it: 202', async () => {
		// The seeded default call is a group call.
		const callId = '2f1a0b00-8e3c-4d5f-9a6b-7c8d9e0f1a2b';
		const target = { transferTarget: { participant: { type: 'user', id: ENGINEER } } };
		const refused = await run('transfer', callId, target);
		assert.ok(refused.error);
		const [item] = outputJson(
			await run('transfer', callId, {
				...target,
				additionalFields: {
					transfereeUserId: '751f6800-3180-414d-bd94-333364659951',
					transfereeParticipantId: '909c6581-5130-43e9-88f3-fcb3582cde37',
				},
			}),
		);
		assert.equal(item.status, 202);
		const body = JSON.parse(sent('transfer').at(-1)?.body ?? '{}') as Record<
			string,
			Record<string, unknown>
		>;
		assert.equal(body.transferee.participantId, '909c6581-5130-43e9-88f3-fcb3582cde37');
	});

	it('an app holding no calling role answers one peer-to-peer call to its bot and rejects another: Graph checks no permission for them', async () => {
		const clientId = '5a1d7c3e-0000-4000-8000-0000000000c1';
		fx.sim.addApp({
			tenantId: DEFAULT_TENANT_ID,
			clientId,
			clientSecret: 'roleless-secret',
			roles: ['User.Read.All'],
		});
		fx.credentials.save(
			CREDENTIAL_ID,
			simulatorCredential(fx.sim, { clientId, clientSecret: 'roleless-secret' }),
		);
		try {
			const answered = (await placeIncomingCall(fx.sim, { callbackUri: bot.url, clientId })).callId;
			outputJson(await run('answer', answered));
			assert.equal(fx.sim.getCall(answered)?.state, 'established');
			const rejected = (await placeIncomingCall(fx.sim, { callbackUri: bot.url, clientId })).callId;
			outputJson(await run('reject', rejected));
			assert.equal(fx.sim.getCall(rejected)?.state, 'terminated');
		} finally {
			fx.credentials.save(CREDENTIAL_ID, simulatorCredential(fx.sim));
		}
	});

	it('Transfer: transferring, transferAccepted and terminated (7015) reach the bot in order', async () => {
		const callId = await incoming();
		outputJson(await run('answer', callId));
		outputJson(
			await run('transfer', callId, {
				transferTarget: { participant: { type: 'user', id: ENGINEER } },
			}),
		);
		await fx.sim.callbacks.waitForDeliveries(
			(d) => d.filter((x) => x.callId === callId).length >= 5,
		);
		const states = fx.sim.callbacks.deliveries
			.filter((d) => d.callId === callId)
			.map(
				(d) => (d.body.value as Array<{ resourceData: { state: string } }>)[0].resourceData.state,
			);
		assert.deepEqual(states.slice(-3), ['transferring', 'transferAccepted', 'terminated']);
	});

	const refusals: Array<[string, INodeParameters, RegExp]> = [
		['answer', { acceptedModalities: [] }, /Accepted Modalities \(item 0\): is empty/],
		[
			'answer',
			{ acceptedModalities: ['data'] },
			/Accepted Modalities \(item 0\): "data" is not one of/,
		],
		[
			'answer',
			{ callbackUrl: 'http://bot.contoso.com/api/calls' },
			/Callback URL \(item 0\): must use https/,
		],
		[
			'answer',
			{ additionalFields: { participantCapacity: 0 } },
			/Additional Fields › Participant Capacity \(item 0\): must be between/,
		],
		[
			'answer',
			{ additionalFields: { preFetchMedia: { media: [{ uri: 'ftp://x/a.wav' }] } } },
			/Prefetch Media 1 › URL \(item 0\): must be an https URL/,
		],
		['reject', { reason: 'rude' }, /Reason \(item 0\): "rude" is not one of none, busy, forbidden/],
		[
			'reject',
			{ additionalFields: { callbackUrl: 'not a url' } },
			/Additional Fields › Callback URL \(item 0\): .*not a URL/,
		],
		['redirect', { targets: { participant: [] } }, /Targets \(item 0\): is empty/],
		[
			'redirect',
			{ targets: { participant: [{ type: 'phone', id: '12345' }] } },
			/Target 1 › ID \(phone number\)/,
		],
		[
			'redirect',
			{
				targets: { participant: [{ type: 'user', id: ENGINEER }] },
				additionalFields: { timeout: 10 },
			},
			/Additional Fields › Timeout \(Seconds\) \(item 0\): must be between 15 and 90/,
		],
		[
			'redirect',
			{
				targets: {
					participant: Array.from({ length: 26 }, () => ({ type: 'user', id: ENGINEER })),
				},
			},
			/at most 25/,
		],
		[
			'transfer',
			{ transferTarget: { participant: { type: 'user', id: 'not-a-guid' } } },
			/Transfer Target 1 › ID \(Teams \/ Entra user\) \(item 0\): "not-a-guid" is not a GUID/,
		],
		[
			'transfer',
			{ transferTarget: {} },
			/Transfer Target 1 › ID \(Teams \/ Entra user\) \(item 0\): is empty/,
		],
		[
			'transfer',
			{
				transferTarget: { participant: { type: 'user', id: ENGINEER } },
				additionalFields: { transfereeUserId: ENGINEER },
			},
			/Additional Fields › Transferee Participant ID \(item 0\): is empty while Transferee User ID is set/,
		],
		[
			'transfer',
			{
				transferTarget: { participant: { type: 'user', id: ENGINEER } },
				additionalFields: { transfereeUserId: 42, transfereeParticipantId: 'x' },
			},
			/Additional Fields › Transferee User ID \(item 0\): must be text, but the value is a number/,
		],
	];
	for (const [operation, extra, expect] of refusals) {
		it(`${operation} refuses before sending: ${expect.source.slice(0, 60)}`, async () => {
			await assertRefusedBeforeSending(
				fx,
				{ resource: 'call', operation, callId: '2f1a0b00-8e3c-4d5f-9a6b-7c8d9e0f1a2b', ...extra },
				expect,
			);
		});
	}
});
