import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';

import type { IDataObject, IConnections } from 'n8n-workflow';

import { startFixture, type Fixture } from './support/fixture';
import { fillCallbackUrls } from './e2e/harness/exampleWorkflows';
import { CALLBACK, MANAGER, ENGINEER } from './support/calls';
import { runWorkflowJson, type WorkflowJson } from './support/workflowRun';

// Its Callback URL is the user's to fill in (the trigger's Production URL): the tests' own.
const example = fillCallbackUrls(
	JSON.parse(
		readFileSync(join(__dirname, '..', 'examples', 'escalate-when-unanswered.json'), 'utf8'),
	) as WorkflowJson,
	CALLBACK,
);
const IF_NODE = 'Nobody answered?';

/**
 * The in-process runner knows only this package's nodes and the Manual Trigger, and only linear
 * workflows. The IF node (n8n-nodes-base.if) is therefore checked here by reading its one
 * condition and applying it to the item it would receive; real n8n runs the real IF (test/e2e).
 */
function ifSendsToTrue(item: IDataObject): boolean {
	const node = example.nodes.find((n) => n.name === IF_NODE);
	const condition = ((node?.parameters.conditions as IDataObject).conditions as IDataObject[])[0];
	assert.equal(condition.leftValue, '={{ $json.outcome.status }}');
	assert.deepEqual(condition.operator, { type: 'string', operation: 'equals' });
	return (item.outcome as IDataObject).status === condition.rightValue;
}

/** The example's Graph nodes in order, with the IF's true branch joined in line. */
function linearised(upTo: string[]): WorkflowJson {
	const connections: IConnections = {};
	for (let i = 0; i < upTo.length - 1; i++)
		connections[upTo[i]] = { main: [[{ node: upTo[i + 1], type: 'main', index: 0 }]] };
	return { nodes: example.nodes.filter((node) => upTo.includes(node.name)), connections };
}

const options = (node: string) =>
	(example.nodes.find((n) => n.name === node)?.parameters.options ?? {}) as IDataObject;

describe('examples/escalate-when-unanswered.json, in process against the simulator', () => {
	let fx: Fixture;
	before(async () => {
		fx = await startFixture();
	});
	after(async () => await fx.close());

	const shortWaits = (json: WorkflowJson): WorkflowJson => ({
		...json,
		// Same workflow, shorter waits so the test is quick: 60 s → 1 s.
		nodes: json.nodes.map((node) =>
			node.parameters.options && (node.parameters.options as IDataObject).waitForOutcome
				? {
						...node,
						parameters: {
							...node.parameters,
							options: {
								...(node.parameters.options as IDataObject),
								waitTimeoutSeconds: 1,
								pollIntervalSeconds: 0.2,
							},
						},
					}
				: node,
		),
	});

	it('its shape: Manual Trigger → Create (wait) → Invite (wait) → IF notJoined → Invite backup', () => {
		assert.equal(options('Join incident bridge').waitForOutcome, true);
		assert.equal(options('Ring on-call engineer').waitForOutcome, true);
		assert.deepEqual(
			example.connections[IF_NODE].main[0]?.map((c) => c.node),
			['Call the backup'],
		);
		assert.deepEqual(example.connections[IF_NODE].main[1], []);
	});

	it('nobody answers: the engineer is notJoined, the IF takes the true branch, the backup is invited and joins', async () => {
		fx.sim.reset();
		fx.sim.callbacks.knobs.neverAnswer = [`user:${ENGINEER}`];
		const first = await runWorkflowJson(
			shortWaits(
				linearised([
					"When clicking 'Execute workflow'",
					'Join incident bridge',
					'Ring on-call engineer',
				]),
			),
			fx.credentials,
		);
		const [ring] = first['Ring on-call engineer'].map((item) => item.json);
		assert.equal((ring.outcome as IDataObject).status, 'notJoined');
		assert.equal(ifSendsToTrue(ring), true);

		fx.sim.reset();
		fx.sim.callbacks.knobs.neverAnswer = [`user:${ENGINEER}`];
		const all = await runWorkflowJson(
			shortWaits(
				linearised([
					"When clicking 'Execute workflow'",
					'Join incident bridge',
					'Ring on-call engineer',
					'Call the backup',
				]),
			),
			fx.credentials,
		);
		const callId = String(all['Join incident bridge'][0].json.id);
		assert.equal(
			(all['Join incident bridge'][0].json.outcome as IDataObject).status,
			'established',
		);
		const [backup] = all['Call the backup'].map((item) => item.json);
		assert.equal((backup.outcome as IDataObject).status, 'joined');
		assert.equal(
			fx.sim.inviteCount(callId, `user:${MANAGER}`),
			1,
			'the backup was invited once into the bridge',
		);
	});

	it('the engineer answers: joined, and the IF stops there (no backup call)', async () => {
		fx.sim.reset();
		fx.sim.callbacks.knobs.answerDelayMs = 200;
		const run = await runWorkflowJson(
			shortWaits(
				linearised([
					"When clicking 'Execute workflow'",
					'Join incident bridge',
					'Ring on-call engineer',
				]),
			),
			fx.credentials,
		);
		const [ring] = run['Ring on-call engineer'].map((item) => item.json);
		assert.equal((ring.outcome as IDataObject).status, 'joined');
		assert.equal(ifSendsToTrue(ring), false);
	});
});
