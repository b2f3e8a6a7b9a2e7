/**
 * The token stays home: it goes only to the configured Graph origin over https. Redirects and
 * Location / @odata.nextLink values that point at another host are never followed, Custom
 * endpoints must be https, and Graph answers larger than the cap are refused, not buffered.
 * "Another host" is a second simulator on another port (another origin) that records everything.
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';

import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { bindTokenToGraphOrigin } from '../lib/entra/tokenBinding';
import { clearTokenClients } from '../lib/entra/tokenMinter';
import { MAX_RESPONSE_BYTES } from '../nodes/MicrosoftGraphCalls/transport/boundedBody';
import { createCredentialStore, runNode } from '../harness/runNode';
import { DEFAULT_CALL_ID, startGraphSimulator, type GraphSimulator } from '../simulator';
import {
	inviteParameters,
	outputJson,
	simulatorCredential,
	startFixture,
	type Fixture,
} from './support/fixture';

const USER = '278405a3-f568-4b3e-b684-009193463064';
const parameters = (extra: INodeParameters = {}) =>
	inviteParameters([{ type: 'user', id: USER }], extra);

describe('The token stays home', () => {
	let fx: Fixture;
	let other: GraphSimulator;

	before(async () => {
		fx = await startFixture();
		other = await startGraphSimulator();
	});
	after(async () => {
		await fx.close();
		await other.close();
	});
	beforeEach(() => {
		fx.sim.reset();
		other.reset();
	});

	/** After every scenario: every bearer token the simulator saw came with a Graph request. */
	function assertTokenOnlyOnGraph(): void {
		for (const request of fx.sim.requests) {
			if (request.headers.authorization)
				assert.equal(request.kind, 'graph', `${request.method} ${request.path} carried a token`);
		}
		assert.equal(other.requests.length, 0, 'the other host received nothing');
	}

	for (const status of [301, 302, 303, 307, 308]) {
		it(`a ${status} from Graph to another host is not followed, and the other host gets nothing`, async () => {
			const location = `${other.origin}/v1.0/communications/calls/${DEFAULT_CALL_ID}/participants/invite`;
			fx.sim.faults.nextGraphFaults.push({ kind: 'answer', status, headers: { location } });
			const result = await fx.run(parameters());
			assert.ok(result.error, 'the node fails');
			assert.match(result.error.message, new RegExp(`Graph answered ${status}`));
			assert.match(
				(result.error as { description?: string }).description ?? '',
				/redirect\. It was not followed/,
			);
			assert.equal(fx.sim.graphRequests().length, 1, 'one request, no second one to the Location');
			assertTokenOnlyOnGraph();
		});
	}

	it('a redirect to another path of the same origin is not followed either', async () => {
		fx.sim.faults.nextGraphFaults.push({
			kind: 'answer',
			status: 307,
			headers: { location: `${fx.sim.origin}/v1.0/users` },
		});
		const result = await fx.run(parameters());
		assert.ok(result.error);
		assert.equal(fx.sim.graphRequests().length, 1);
		assert.ok(!fx.sim.requests.some((r) => r.path === '/v1.0/users'));
		assertTokenOnlyOnGraph();
	});

	it('a Location header and an @odata.nextLink pointing at another host are data, never fetched', async () => {
		const foreign = `${other.origin}/v1.0/communications/calls/${DEFAULT_CALL_ID}/operations/x`;
		fx.sim.faults.nextGraphFaults.push({
			kind: 'answer',
			status: 200,
			headers: { location: foreign, 'content-type': 'application/json' },
			body: JSON.stringify({
				'@odata.type': '#microsoft.graph.inviteParticipantsOperation',
				id: 'op-1',
				status: 'running',
				'@odata.nextLink': foreign,
			}),
		});
		const [json] = outputJson(
			await fx.run(parameters({ options: { includeResponseMetadata: true } })),
		);
		assert.equal(json['@odata.nextLink'], foreign);
		assert.equal((json.responseMetadata as IDataObject).location, foreign);
		assert.equal(fx.sim.graphRequests().length, 1);
		assertTokenOnlyOnGraph();
	});

	it('a redirect from the token endpoint to another host is not followed: the secret stays home too', async () => {
		clearTokenClients(); // msal would otherwise answer from its cache without asking
		fx.sim.faults.nextTokenFaults.push({
			kind: 'redirect',
			status: 307,
			location: `${other.origin}/steal/oauth2/v2.0/token`,
		});
		const store = createCredentialStore(simulatorCredential(fx.sim));
		const result = await runNode({ parameters: parameters(), credentials: store });
		assert.ok(result.error, 'no token, no invite');
		assert.equal(fx.sim.graphRequests().length, 0);
		assert.equal(fx.sim.tokenRequests().length, 1);
		assertTokenOnlyOnGraph();
	});

	for (const [field, value, message] of [
		['graphEndpoint', 'http://127.0.0.1:1', /"Graph Endpoint" must use https/],
		['authorityHost', 'http://127.0.0.1:1', /"Authority Host" must use https/],
		['graphEndpoint', 'https://user:pw@127.0.0.1:1', /"Graph Endpoint" must be an origin only/],
		[
			'graphEndpoint',
			'https://127.0.0.1:1/v1.0/communications',
			/"Graph Endpoint" must be an origin only/,
		],
		['graphEndpoint', 'ftp://127.0.0.1', /"Graph Endpoint" must use https/],
	] as const) {
		it(`a Custom ${field} of ${value} is refused before anything is sent`, async () => {
			const store = createCredentialStore(simulatorCredential(fx.sim, { [field]: value }));
			const result = await runNode({ parameters: parameters(), credentials: store });
			assert.ok(result.error);
			assert.match(result.error.message, message);
			assert.equal(fx.sim.requests.length, 0);
		});
	}

	describe("the credential's authenticate() binds the token to one origin", () => {
		const credentials = {
			cloud: 'custom',
			authorityHost: 'https://login.example',
			graphEndpoint: 'https://graph.example',
			accessToken: 'tok-123',
		};
		it('adds the token for the Graph origin over https', () => {
			const options = bindTokenToGraphOrigin(credentials, { url: 'https://graph.example/v1.0/x' });
			assert.equal((options.headers as IDataObject).Authorization, 'Bearer tok-123');
			assert.equal(options.disableFollowRedirect, true);
			assert.equal(options.sendCredentialsOnCrossOriginRedirect, false);
		});
		for (const [what, request] of [
			['another host', { url: 'https://evil.example/v1.0/x' }],
			['the same host on another port', { url: 'https://graph.example:8443/v1.0/x' }],
			['the same host over http', { url: 'http://graph.example/v1.0/x' }],
			['a look-alike host', { url: 'https://graph.example.evil.example/v1.0/x' }],
			['user info that hides another host', { url: 'https://graph.example@evil.example/v1.0/x' }],
			[
				'an absolute URL beside the Graph baseURL',
				{ url: 'https://evil.example/x', baseURL: 'https://graph.example' },
			],
			['an unparseable URL', { url: 'not a url' }],
		] as const) {
			it(`refuses ${what}`, () => {
				assert.throws(
					() => bindTokenToGraphOrigin(credentials, { ...request }),
					/Refusing to send the Microsoft Graph token/,
				);
			});
		}
		it('refuses even the Graph origin when it is configured over http', () => {
			assert.throws(() =>
				bindTokenToGraphOrigin(
					{ ...credentials, graphEndpoint: 'http://graph.example' },
					{ url: 'http://graph.example/v1.0/x' },
				),
			);
		});
	});

	describe('answers larger than the cap are refused, not buffered', () => {
		for (const chunked of [false, true]) {
			it(`a ${MAX_RESPONSE_BYTES + 1024}-byte answer ${chunked ? 'without Content-Length (chunked)' : 'with Content-Length'}`, async () => {
				fx.sim.faults.nextGraphFaults.push({
					kind: 'oversized',
					bytes: MAX_RESPONSE_BYTES + 1024,
					chunked,
				});
				const result = await fx.run(parameters(), undefined, true);
				const [json] = outputJson(result);
				const error = json.error as IDataObject;
				assert.equal(error.code, 'tooLarge');
				assert.match(
					error.message as string,
					new RegExp(`answered with more than ${MAX_RESPONSE_BYTES} bytes`),
				);
				assert.match(error.description as string, /was not retried/);
				assert.equal(fx.sim.graphRequests().length, 1, 'not retried');
			});
		}
		it('an oversized error answer (500) is refused the same way', async () => {
			fx.sim.faults.nextGraphFaults.push({
				kind: 'oversized',
				status: 500,
				bytes: MAX_RESPONSE_BYTES * 2,
				chunked: true,
			});
			const [json] = outputJson(await fx.run(parameters(), undefined, true));
			assert.equal((json.error as IDataObject).code, 'tooLarge');
		});
		it('an answer just under the cap is read whole', async () => {
			fx.sim.faults.nextGraphFaults.push({
				kind: 'oversized',
				bytes: MAX_RESPONSE_BYTES - 1024,
				chunked: true,
			});
			const [json] = outputJson(await fx.run(parameters()));
			assert.equal(json.id, 'oversized');
			assert.equal((json.padding as string).length > MAX_RESPONSE_BYTES - 2048, true);
		});
		it('the node still works after a refused answer (the connection was dropped cleanly)', async () => {
			fx.sim.faults.nextGraphFaults.push({
				kind: 'oversized',
				bytes: MAX_RESPONSE_BYTES * 4,
				chunked: true,
			});
			await fx.run(parameters(), undefined, true);
			const [json] = outputJson(await fx.run(parameters()));
			assert.equal(json['@odata.type'], '#microsoft.graph.inviteParticipantsOperation');
		});
	});
});
