import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { DEFAULT_CALL_ID } from '../simulator';
import { inviteParameters, items, outputJson, startFixture, type Fixture } from './support/fixture';

const USERS = [
	'278405a3-f568-4b3e-b684-009193463064',
	'7e1b4346-85a6-4bdd-abe3-d11c5d420efe',
	'1e126418-44a0-4a94-a6f8-0efe1ad71acb',
];

describe('Invite: items, expressions, JSON mode, options', () => {
	let fx: Fixture;
	before(async () => {
		fx = await startFixture();
	});
	after(async () => await fx.close());

	it('sends one invite per item, resolving expressions per item, and pairs each output with its item', async () => {
		fx.sim.reset();
		const result = await fx.run(
			inviteParameters(
				[{ type: '={{ $json.kind }}', id: '={{ $json.who }}', displayName: '={{ $json.name }}' }],
				{ clientContext: '={{ "ticket-" + $json.ticket }}' },
			),
			[
				{ json: { kind: 'user', who: USERS[0], name: 'Alex', ticket: 101 } },
				{ json: { kind: 'phone', who: '+14255550100', name: 'Duty phone', ticket: 102 } },
				{ json: { kind: 'user', who: USERS[1], name: 'Megan', ticket: 103 } },
			],
		);
		const output = result.output?.[0] ?? [];
		assert.equal(output.length, 3);
		output.forEach((item, index) => {
			assert.deepEqual(item.pairedItem, { item: index });
			assert.equal(
				item.json.clientContext,
				`ticket-${101 + index}`,
				"each operation echoes its own item's client context",
			);
			assert.equal(item.json.status, 'Running');
		});
		const bodies = fx.invites().map(
			(r) =>
				JSON.parse(r.body) as {
					participants: { identity: Record<string, { id: string; displayName: string }> }[];
				},
		);
		assert.deepEqual(
			bodies.map(
				(b) =>
					Object.entries(b.participants[0].identity)
						.filter(([k]) => k !== '@odata.type')
						.map(([kind, v]) => `${kind}:${v.id}:${v.displayName}`)[0],
			),
			[`user:${USERS[0]}:Alex`, 'phone:+14255550100:Duty phone', `user:${USERS[1]}:Megan`],
		);
		assert.equal(fx.sim.inviteCount(DEFAULT_CALL_ID, 'phone:+14255550100'), 1);
	});

	it('outputs the operation exactly as Graph returned it', async () => {
		fx.sim.reset();
		const [operation] = outputJson(
			await fx.run(inviteParameters([{ type: 'user', id: USERS[2] }])),
		);
		const answer = fx.sim.requests.find((r) => r.path.endsWith('/participants/invite'));
		assert.ok(answer);
		assert.equal(operation['@odata.type'], '#microsoft.graph.inviteParticipantsOperation');
		assert.equal(typeof operation.id, 'string');
		assert.equal(operation.id, fx.sim.invitations[0].operationId);
		assert.deepEqual(
			Object.keys(operation).sort(),
			['@odata.type', 'clientContext', 'id', 'participants', 'resultInfo', 'status'].sort(),
		);
	});

	it('accepts a pasted Graph call URL as the call ID', async () => {
		fx.sim.reset();
		const result = await fx.run(
			inviteParameters([{ type: 'user', id: USERS[0] }], {
				callId: `https://graph.microsoft.com/v1.0/communications/calls/${DEFAULT_CALL_ID}`,
			}),
		);
		outputJson(result);
		assert.equal(
			fx.invites()[0].path,
			`/v1.0/communications/calls/${DEFAULT_CALL_ID}/participants/invite`,
		);
	});

	it('JSON mode: a participants array built by an expression', async () => {
		fx.sim.reset();
		const result = await fx.run(
			{
				...inviteParameters([]),
				participantsMode: 'json',
				participantsJson:
					'={{ JSON.stringify($json.people.map(id => ({ identity: { user: { id } } }))) }}',
			},
			[{ json: { people: [USERS[0], USERS[1]] } }],
		);
		outputJson(result);
		const body = JSON.parse(fx.invites()[0].body) as { participants: unknown[] };
		assert.deepEqual(body, {
			participants: USERS.slice(0, 2).map((id) => ({ identity: { user: { id } } })),
		});
	});

	it('merges additional body properties and sends custom headers', async () => {
		fx.sim.reset();
		const result = await fx.run(
			inviteParameters([{ type: 'user', id: USERS[0] }], {
				clientContext: 'ctx-1',
				options: {
					additionalBodyProperties: '{"customFlag": {"source": "n8n"}}',
					customHeaders: {
						header: [
							{ name: 'client-request-id', value: '11111111-2222-3333-4444-555555555555' },
							{ name: 'Prefer', value: 'respond-async' },
						],
					},
				},
			}),
		);
		const [operation] = outputJson(result);
		const [request] = fx.invites();
		assert.deepEqual(JSON.parse(request.body).customFlag, { source: 'n8n' });
		assert.equal(JSON.parse(request.body).clientContext, 'ctx-1');
		assert.equal(request.headers['client-request-id'], '11111111-2222-3333-4444-555555555555');
		assert.equal(request.headers.prefer, 'respond-async');
		assert.equal(request.headers['content-type'], 'application/json');
		assert.equal(operation.clientContext, 'ctx-1');
	});

	it('includes the response metadata when asked', async () => {
		fx.sim.reset();
		const [operation] = outputJson(
			await fx.run(
				inviteParameters([{ type: 'user', id: USERS[0] }], {
					options: { includeResponseMetadata: true },
				}),
			),
		);
		const metadata = operation.responseMetadata as Record<string, unknown>;
		const [request] = fx.invites();
		assert.equal(metadata.status, 200);
		assert.equal(metadata.requestId, request.requestId);
		assert.equal(metadata.clientRequestId, request.headers['client-request-id']);
		assert.match(
			String(metadata.location),
			new RegExp(
				`^${fx.sim.origin}/v1\\.0/communications/calls/${DEFAULT_CALL_ID}/operations/${String(operation.id)}$`,
			),
		);
		assert.equal(typeof metadata.agsDiagnostic, 'object', 'x-ms-ags-diagnostic is parsed');
	});

	it('dry run outputs the exact request and sends nothing, not even a token request', async () => {
		fx.sim.reset();
		const parameters = inviteParameters([{ type: 'phone', id: '+12345678901' }], {
			clientContext: 'dry',
			options: { dryRun: true, apiVersion: 'beta' },
		});
		const [preview] = outputJson(await fx.run(parameters));
		assert.equal(fx.sim.requests.length, 0);
		assert.equal(preview.dryRun, true);
		assert.equal(preview.method, 'POST');
		assert.equal(
			preview.url,
			`${fx.sim.origin}/beta/communications/calls/${DEFAULT_CALL_ID}/participants/invite`,
		);
		const headers = preview.headers as Record<string, string>;
		assert.equal(headers.Authorization, undefined);
		assert.ok(!JSON.stringify(preview).toLowerCase().includes('bearer'));
		// The same parameters without dry run send exactly the previewed body.
		const sent = await fx.run({ ...parameters, options: { apiVersion: 'beta' } });
		outputJson(sent);
		assert.deepEqual(JSON.parse(fx.invites()[0].body), preview.body);
	});

	it('beta: endpoint type is sent', async () => {
		fx.sim.reset();
		outputJson(
			await fx.run(
				inviteParameters([{ type: 'user', id: USERS[0], endpointType: 'voicemail' }], {
					options: { apiVersion: 'beta' },
				}),
			),
		);
		const [request] = fx.invites();
		assert.match(request.path, /^\/beta\//);
		assert.equal(JSON.parse(request.body).participants[0].endpointType, 'voicemail');
	});

	it('many items: every output item keeps its own pairing', async () => {
		fx.sim.reset();
		const result = await fx.run(
			inviteParameters([{ type: 'phone', id: '={{ "+1425555" + String(1000 + $json.n) }}' }]),
			items(12, (n) => ({ n })),
		);
		const output = result.output?.[0] ?? [];
		assert.equal(output.length, 12);
		assert.deepEqual(
			output.map((o) => o.pairedItem),
			Array.from({ length: 12 }, (_, item) => ({ item })),
		);
		for (let n = 0; n < 12; n++)
			assert.equal(fx.sim.inviteCount(DEFAULT_CALL_ID, `phone:+1425555${1000 + n}`), 1);
	});
});
