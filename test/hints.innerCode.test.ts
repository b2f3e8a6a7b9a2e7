/**
 * Graph's calling platform sometimes wraps its own code in a generic one: reported shapes (e.g.
 * microsoftgraph/microsoft-graph-docs#10845, microsoft-graph-comms-samples#432) are
 * `403 {"error": {"code": "UnknownError", "message": "{\"errorCode\":\"7503\",…}"}}`. The hints
 * must read the inner code, whatever the operation.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import type { INodeParameters, NodeApiError } from 'n8n-workflow';

import { readGraphError } from '../nodes/MicrosoftGraphCalls/transport/graphErrors.ts';
import { DEFAULT_CALL_ID } from '../simulator';
import { inviteParameters, startFixture, type Fixture } from './support/fixture';

const wrapped = (errorCode: string, message: string): string =>
	JSON.stringify({ errorCode, message, instanceAnnotations: [] });

const USER = { type: 'user', id: '278405a3-f568-4b3e-b684-009193463064' };

describe('Hints read the code Graph wraps inside a generic error', () => {
	let fx: Fixture;
	before(async () => {
		fx = await startFixture();
	});
	after(async () => await fx.close());

	it('reads errorCode from a JSON message, a code named in words, and nothing from plain text', () => {
		assert.equal(
			readGraphError({
				error: {
					code: 'UnknownError',
					message: wrapped('7503', 'Application is not registered in our store.'),
				},
			}).innerCode,
			'7503',
		);
		assert.equal(
			readGraphError({ error: { code: 'Forbidden', message: 'Call failed with error code 7504.' } })
				.innerCode,
			'7504',
		);
		assert.equal(
			readGraphError({ error: { code: '8522', message: 'Call not found.' } }).innerCode,
			undefined,
		);
		assert.equal(
			readGraphError({ error: { code: 'UnknownError', message: '{not json' } }).innerCode,
			undefined,
		);
		assert.deepEqual(readGraphError('<html>'), {});
	});

	const cases: Array<{
		name: string;
		status: number;
		inner: string;
		parameters: INodeParameters;
		expect: RegExp;
	}> = [
		{
			name: 'invite, 403 UnknownError wrapping 7503 → the calling-bot hint',
			status: 403,
			inner: wrapped('7503', 'Application is not registered in our store.'),
			parameters: inviteParameters([USER]),
			expect:
				/not registered as a calling bot \(Graph code 7503\).*Enable calling.*#set-up-the-entra-app-and-the-calling-bot/,
		},
		{
			name: 'hang up, 403 UnknownError wrapping 7503 → the calling-bot hint',
			status: 403,
			inner: wrapped('7503', 'Application is not registered in our store.'),
			parameters: { resource: 'call', operation: 'hangUp', callId: DEFAULT_CALL_ID },
			expect: /not registered as a calling bot/,
		},
		{
			name: 'invite, 403 UnknownError wrapping 7504 → the permission hint naming Calls.InitiateGroupCall.All',
			status: 403,
			inner: wrapped('7504', 'Insufficient enterprise tenant permissions, cannot access this API.'),
			parameters: inviteParameters([USER]),
			expect:
				/To invite it needs the Microsoft Graph application permission Calls\.InitiateGroupCall\.All/,
		},
		{
			name: 'get call, 404 UnknownError wrapping 8522 → the call-not-known hint',
			status: 404,
			inner: wrapped('8522', 'Call not found.'),
			parameters: { resource: 'call', operation: 'get', callId: DEFAULT_CALL_ID },
			expect: /Graph does not know this call for this app/,
		},
	];

	for (const c of cases) {
		it(c.name, async () => {
			fx.sim.reset();
			fx.sim.faults.nextGraphFaults.push({
				kind: 'status',
				status: c.status,
				code: 'UnknownError',
				message: c.inner,
			});
			const result = await fx.run(c.parameters);
			const error = result.error as NodeApiError;
			assert.ok(error, 'the node fails');
			assert.equal(error.httpCode, String(c.status));
			assert.match(error.message, /\(UnknownError\)/, "Graph's own code stays in the message");
			assert.match(String(error.description), c.expect);
		});
	}
});
