/**
 * Node version 2's form: the rarely used participant fields in Additional Fields,
 * Create's targets as Teams users only, errors that name the form's fields with a description
 * of the likely cause, and a subtitle in the form's words. Version 1 workflows keep their
 * flat fields (test/invite.*.test.ts run on version 1).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { Workflow, type INode, type INodeParameters, type INodeProperties } from 'n8n-workflow';

import { MicrosoftGraphCalls } from '../nodes/MicrosoftGraphCalls/MicrosoftGraphCalls.node.ts';
import { CALLBACK, ENGINEER, MANAGER, createParameters } from './support/calls';
import { inviteParameters, outputJson, startFixture, type Fixture } from './support/fixture';

const V2 = 2;
const USER = '278405a3-f568-4b3e-b684-009193463064';
const OTHER_TENANT = 'aa67bd4c-8475-432d-bd41-39f255720e0a';

describe('Version 2 form', () => {
	let fx: Fixture;
	before(async () => {
		fx = await startFixture();
	});
	after(async () => await fx.close());

	async function invitedBody(parameters: INodeParameters): Promise<Record<string, unknown>> {
		fx.sim.reset();
		outputJson(await fx.run(parameters, undefined, false, V2));
		const [request] = fx.invites();
		assert.ok(request, 'one invite was sent');
		return JSON.parse(request.body) as Record<string, unknown>;
	}

	it('Additional Fields reach the body as the flat fields of version 1 did', async () => {
		const body = await invitedBody(
			inviteParameters([
				{
					type: 'user',
					id: USER,
					displayName: 'Alex Wilber',
					additionalFields: { tenantId: OTHER_TENANT, identityProvider: 'AAD', hidden: true },
				},
			]),
		);
		const [participant] = body.participants as Array<Record<string, unknown>>;
		assert.deepEqual(participant, {
			'@odata.type': '#microsoft.graph.invitationParticipantInfo',
			identity: {
				'@odata.type': '#microsoft.graph.identitySet',
				user: {
					'@odata.type': '#microsoft.graph.identity',
					id: USER,
					displayName: 'Alex Wilber',
					tenantId: OTHER_TENANT,
					identityProvider: 'AAD',
				},
			},
			hidden: true,
		});
	});

	it('Endpoint Type is sent on beta, and refused on v1.0 before anything is sent', async () => {
		const entry = { type: 'user', id: USER, additionalFields: { endpointType: 'voicemail' } };
		const beta = await invitedBody(inviteParameters([entry], { options: { apiVersion: 'beta' } }));
		assert.equal(
			(beta.participants as Array<Record<string, unknown>>)[0]?.endpointType,
			'voicemail',
		);
		fx.sim.reset();
		const v1 = await fx.run(inviteParameters([entry]), undefined, false, V2);
		assert.match(
			String(v1.error?.message),
			/^Participant 1 › Additional Fields › Endpoint Type \(item 0\): exists only in Graph's beta API/,
		);
		assert.equal(fx.sim.requests.length, 0);
	});

	const refusals: Array<[string, INodeParameters, RegExp]> = [
		[
			'a phone number that is not E.164 names the ID field and its kind',
			inviteParameters([{ type: 'phone', id: '555-0100' }]),
			/^Participant 1 › ID \(phone number\) \(item 0\): "555-0100" is not an E\.164 phone number/,
		],
		[
			'a bad tenant in Additional Fields names that collection',
			inviteParameters([
				{ type: 'user', id: USER, additionalFields: { tenantId: 'not a tenant!' } },
			]),
			/^Participant 1 › Additional Fields › Tenant ID \(item 0\): "not a tenant!" is neither/,
		],
		[
			'Replaces Call ID with a path names its field in Additional Fields',
			inviteParameters([
				{ type: 'user', id: USER, additionalFields: { replacesCallId: 'a/../b' } },
			]),
			/^Participant 1 › Additional Fields › Replaces Call ID \(item 0\): contains/,
		],
	];
	for (const [name, parameters, expect] of refusals) {
		it(name, async () => {
			fx.sim.reset();
			const result = await fx.run(parameters, undefined, false, V2);
			assert.ok(result.error);
			assert.match(result.error.message, expect);
			assert.equal(fx.sim.requests.length, 0, 'nothing was sent');
		});
	}

	it('an expression that returns nothing says so, with the likely cause in the description', async () => {
		fx.sim.reset();
		const result = await fx.run(
			inviteParameters([{ type: 'user', id: '={{ $json.missing }}' }]),
			[{ json: { userId: USER } }],
			false,
			V2,
		);
		assert.ok(result.error);
		assert.doesNotMatch(result.error.message, /a undefined/);
		assert.match(
			result.error.message,
			/^Participant 1 › ID \(Teams \/ Entra user\) \(item 0\): is empty/,
		);
		const description = String((result.error as { description?: unknown }).description);
		assert.match(description, /refused before its request was sent|returned nothing/);
	});

	it('a number where text belongs: "must be text, but the value is a number", and how to convert it', async () => {
		fx.sim.reset();
		const result = await fx.run(
			inviteParameters([{ type: 'user', id: USER }], { clientContext: '={{ 42 }}' }),
			undefined,
			false,
			V2,
		);
		assert.ok(result.error);
		assert.match(
			result.error.message,
			/^Client Context \(item 0\): must be text, but the value is a number\./,
		);
		assert.match(
			String((result.error as { description?: unknown }).description),
			/An expression in this field probably returned a number: convert it/,
		);
	});

	it("every input error carries a description (n8n's Error details)", async () => {
		fx.sim.reset();
		const result = await fx.run(
			inviteParameters([{ type: 'user', id: USER }], { callId: '' }),
			undefined,
			false,
			V2,
		);
		assert.ok(result.error);
		assert.match(result.error.message, /^Call ID \(item 0\)/);
		assert.ok(String((result.error as { description?: unknown }).description).length > 20);
	});

	describe('Call › Create targets', () => {
		async function createdBody(parameters: INodeParameters): Promise<Record<string, unknown>> {
			fx.sim.reset();
			outputJson(await fx.run(parameters, undefined, false, V2));
			const posts = fx.sim
				.graphRequests()
				.filter((r) => r.method === 'POST' && r.path === '/v1.0/communications/calls');
			assert.equal(posts.length, 1);
			return JSON.parse(posts[0]?.body ?? '{}') as Record<string, unknown>;
		}

		it('peer-to-peer takes one Teams user (a single entry, not a list)', async () => {
			const body = await createdBody(
				createParameters('peerToPeer', {
					targets: { participant: { id: ENGINEER, displayName: 'On-call engineer' } },
				}),
			);
			assert.equal(body.callbackUri, CALLBACK);
			assert.deepEqual(body.targets, [
				{
					'@odata.type': '#microsoft.graph.invitationParticipantInfo',
					identity: {
						'@odata.type': '#microsoft.graph.identitySet',
						user: {
							'@odata.type': '#microsoft.graph.identity',
							id: ENGINEER,
							displayName: 'On-call engineer',
						},
					},
				},
			]);
		});

		it('a group call takes a list of Teams users', async () => {
			const body = await createdBody(
				createParameters('groupCall', {
					targets: { participant: [{ id: ENGINEER }, { id: MANAGER }] },
				}),
			);
			assert.equal((body.targets as unknown[]).length, 2);
		});

		it("a target's bad ID names the target and its User ID field", async () => {
			fx.sim.reset();
			const result = await fx.run(
				createParameters('peerToPeer', { targets: { participant: { id: 'alex@contoso.com' } } }),
				undefined,
				false,
				V2,
			);
			assert.match(
				String(result.error?.message),
				/^Target 1 › User ID \(item 0\): "alex@contoso\.com" is not a GUID/,
			);
		});

		it('targets offer only User ID, Display Name and Tenant ID, and start with one entry', () => {
			const properties = new MicrosoftGraphCalls().description.properties;
			const v2Targets = properties.filter(
				(p) =>
					p.name === 'targets' &&
					JSON.stringify(p.displayOptions?.hide) === JSON.stringify({ '@version': [1] }),
			);
			assert.equal(v2Targets.length, 2, 'one for peer-to-peer, one for group calls');
			for (const property of v2Targets) {
				const [option] = property.options as Array<{ values: INodeProperties[] }>;
				assert.deepEqual(
					option?.values.map((v) => v.displayName),
					['User ID', 'Display Name', 'Tenant ID'],
				);
				const start = (property.default as { participant: unknown }).participant;
				assert.equal(
					Array.isArray(start) ? start.length : start ? 1 : 0,
					1,
					'one entry to start with',
				);
			}
		});
	});

	it('the subtitle names every operation and resource in the form\'s words ("Invite · Call Participant"), as n8n\'s expression engine reads it', () => {
		const nodeType = new MicrosoftGraphCalls();
		const { subtitle, properties } = nodeType.description;
		const [resources] = properties.filter((p) => p.name === 'resource');
		const operationDropdowns = properties.filter((p) => p.name === 'operation');
		let checked = 0;
		for (const resource of resources?.options as Array<{ name: string; value: string }>) {
			const dropdown = operationDropdowns.find((p) =>
				p.displayOptions?.show?.resource?.includes(resource.value),
			);
			for (const operation of dropdown?.options as Array<{ name: string; value: string }>) {
				const node: INode = {
					id: 'n',
					name: 'Microsoft Graph Calls',
					type: 'n8n-nodes-microsoft-graph-calls.microsoftGraphCalls',
					typeVersion: 2,
					position: [0, 0],
					parameters: { resource: resource.value, operation: operation.value },
				};
				// Only the two parameters the subtitle reads ($parameter would fill in the others).
				const bare = {
					description: {
						...nodeType.description,
						properties: [resources, ...operationDropdowns].filter((p) => p !== undefined),
					},
				};
				const workflow = new Workflow({
					nodes: [node],
					connections: {},
					active: false,
					nodeTypes: {
						getByName: () => bare,
						getByNameAndVersion: () => bare,
						getKnownTypes: () => ({}),
					},
				});
				assert.equal(
					workflow.expression.getSimpleParameterValue(node, subtitle, 'manual', {}),
					`${operation.name} · ${resource.name}`,
				);
				checked += 1;
			}
		}
		assert.equal(checked, 25);
	});
});
