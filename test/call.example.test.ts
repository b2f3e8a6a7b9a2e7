import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';

import { fillCallbackUrls } from './e2e/harness/exampleWorkflows';
import { CALLBACK } from './support/calls';
import { startFixture, type Fixture } from './support/fixture';
import { runWorkflowJson, type WorkflowJson } from './support/workflowRun';

const shipped = JSON.parse(
	readFileSync(join(__dirname, '..', 'examples', 'incident-bridge.json'), 'utf8'),
) as WorkflowJson & { name: string };
/** Its Callback URL is the user's to fill in (the trigger's Production URL): the tests' own. */
const example = fillCallbackUrls(shipped, CALLBACK);
const STICKY_NOTE = 'n8n-nodes-base.stickyNote';

describe('examples/incident-bridge.json', () => {
	let fx: Fixture;
	before(async () => {
		fx = await startFixture();
	});
	after(async () => await fx.close());

	it("is an importable n8n workflow: Manual Trigger, this package's node type, the credential key, linear connections", () => {
		assert.ok(example.name);
		const types = example.nodes.map((node) => node.type).filter((type) => type !== STICKY_NOTE);
		assert.deepEqual(types, [
			'n8n-nodes-base.manualTrigger',
			...Array(3).fill('n8n-nodes-microsoft-graph-calls.microsoftGraphCalls'),
		]);
		for (const node of example.nodes.filter((n) => n.type.startsWith('n8n-nodes-microsoft')))
			assert.deepEqual(Object.keys(node.credentials ?? {}), ['microsoftGraphCallsApi']);
		const names = new Set(example.nodes.map((node) => node.name));
		for (const [from, connection] of Object.entries(example.connections)) {
			assert.ok(names.has(from), from);
			for (const target of connection.main?.flat() ?? [])
				assert.ok(target && names.has(target.node), target?.node);
		}
	});

	it("runs against the simulator: joins the bridge, invites the engineer and the duty manager's phone, lists the roster", async () => {
		const outputs = await runWorkflowJson(example, fx.credentials);
		const [call] = outputs['Join incident bridge'];
		const callId = String(call.json.id);
		assert.equal(call.json.tenantId, '72f988bf-86f1-41af-91ab-2d7cd011db47');
		const [operation] = outputs['Add on-call engineer and duty manager'];
		assert.equal(operation.json['@odata.type'], '#microsoft.graph.inviteParticipantsOperation');
		assert.equal(operation.json.clientContext, 'incident-bridge');
		assert.equal(fx.sim.inviteCount(callId, 'user:278405a3-f568-4b3e-b684-009193463064'), 1);
		assert.equal(fx.sim.inviteCount(callId, 'phone:+14255550123'), 1);
		const roster = outputs['Who is on the bridge'].map(
			(item) =>
				Object.keys((item.json.info as { identity: Record<string, unknown> }).identity).filter(
					(k) => k !== '@odata.type',
				)[0],
		);
		assert.deepEqual(roster, ['application', 'user', 'phone']);
	});
});
