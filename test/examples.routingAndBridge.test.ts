/**
 * Two examples in process against the simulator (real n8n runs them in test/e2e):
 * - examples/incoming-call-routing.json: the simulator calls the app; the trigger's item goes
 *   through the example's own Code node (its JavaScript, run here with $json), the IF's condition,
 *   then the Graph nodes with their parameters (expressions resolved from the items they name).
 * - examples/incident-bridge-from-scratch.json: its Graph nodes in order in n8n-core's real
 *   ExecuteContext (the Set and Wait nodes are n8n's own; real n8n runs them in the e2e suite).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, it } from 'node:test';

import type { IConnections, IDataObject, INodeParameters } from 'n8n-workflow';

import { DEFAULT_APP_ROLES, defaultApp } from '../simulator';
import { fillCallbackUrls } from './e2e/harness/exampleWorkflows';
import { placeIncomingCall } from '../simulator/incomingCalls';
import { worldOf } from '../simulator/meetingsAndRecords';
import { CALLBACK } from './support/calls';
import { outputJson, startFixture, type Fixture } from './support/fixture';
import { startTriggerFixture, type TriggerFixture } from './support/trigger';
import { runWorkflowJson, type WorkflowJson } from './support/workflowRun';

const load = (file: string) =>
	JSON.parse(readFileSync(join(__dirname, '..', 'examples', file), 'utf8')) as WorkflowJson;
const routing = load('incoming-call-routing.json');
// Its Callback URL is the user's to fill in (the trigger's Production URL): the tests' own.
const bridge = fillCallbackUrls(load('incident-bridge-from-scratch.json'), CALLBACK);
const nodeOf = (json: WorkflowJson, name: string) => {
	const node = json.nodes.find((n) => n.name === name);
	assert.ok(node, `no node "${name}"`);
	return node;
};

/** The example's expressions, resolved from the items they name (only the forms it uses). */
function resolve(
	value: unknown,
	items: Record<string, IDataObject>,
	current: IDataObject,
): unknown {
	if (Array.isArray(value)) return value.map((v) => resolve(v, items, current));
	if (value && typeof value === 'object')
		return Object.fromEntries(
			Object.entries(value).map(([k, v]) => [k, resolve(v, items, current)]),
		);
	if (typeof value !== 'string' || !value.startsWith('=')) return value;
	const named = /^=\{\{ \$\('([^']+)'\)\.item\.json\.(\w+) \}\}$/.exec(value);
	if (named) return items[named[1]][named[2]];
	const own = /^=\{\{ \$json\.(\w+) \}\}$/.exec(value);
	if (own) return current[own[1]];
	throw new Error(`unexpected expression ${value}`);
}

/** The Code node's JavaScript, run as n8n's "Run Once for Each Item" would, with $json. */
function runCode(json: IDataObject): IDataObject {
	const code = String(nodeOf(routing, 'Who is on call').parameters.jsCode);
	// eslint-disable-next-line @typescript-eslint/no-implied-eval
	return new Function('$json', code)(json) as IDataObject;
}

describe('examples/incoming-call-routing.json', () => {
	let fx: TriggerFixture | undefined;
	afterEach(async () => {
		await fx?.close();
		fx = undefined;
	});

	const call = async (receivedAt: string) => {
		const trigger = nodeOf(routing, 'Incoming call');
		assert.deepEqual(trigger.parameters.events, ['incomingCall']);
		fx = await startTriggerFixture(trigger.parameters, { typeVersion: trigger.typeVersion });
		const placed = await placeIncomingCall(fx.sim, {
			callbackUri: fx.trigger.url,
			format: 'legacy',
		});
		assert.deepEqual(
			placed.posts.map((p) => p.status),
			[204, 202],
		);
		const [item] = fx.trigger.executions[0];
		const who = runCode({ ...item.json, receivedAt });
		const condition = (
			(nodeOf(routing, 'In hours?').parameters.conditions as IDataObject)
				.conditions as IDataObject[]
		)[0];
		assert.equal(condition.leftValue, '={{ $json.inHours }}');
		assert.deepEqual(condition.operator, { type: 'boolean', operation: 'true', singleValue: true });
		return { placed, who, t: fx };
	};
	const runNode = async (
		t: TriggerFixture,
		name: string,
		items: Record<string, IDataObject>,
		current: IDataObject,
	) => {
		const node = nodeOf(routing, name);
		const parameters = resolve(node.parameters, items, current) as INodeParameters;
		return outputJson(await t.run(parameters, [{ json: current }], false, node.typeVersion));
	};

	it('in hours (Tuesday 10:00 UTC): answer, "connecting you", transfer to the weekday engineer', async () => {
		const { placed, who, t } = await call('2026-12-01T10:00:00.000Z');
		assert.equal(who.inHours, true);
		assert.equal(who.onCallUserId, '278405a3-f568-4b3e-b684-009193463064');
		assert.equal(who.callId, placed.callId);
		const items = { 'Who is on call': who };
		const [answered] = await runNode(t, 'Answer', items, who);
		assert.equal(answered.status, 202);
		assert.equal(t.sim.getCall(placed.callId)?.state, 'established');
		const [prompt] = await runNode(t, 'Say "connecting you"', items, answered);
		assert.equal(prompt['@odata.type'], '#microsoft.graph.playPromptOperation');
		// Typed words, served by the example's own trigger: prefetched at answer, then played
		// under the same resourceId (Graph's cache key).
		const answer = JSON.parse(
			t.sim.graphRequests().filter((r) => r.path.endsWith('/answer'))[0].body,
		) as { mediaConfig: { preFetchMedia: Array<{ uri: string; resourceId: string }> } };
		const played = JSON.parse(
			t.sim.graphRequests().filter((r) => r.path.endsWith('/playPrompt'))[0].body,
		) as { prompts: Array<{ mediaInfo: { uri: string; resourceId: string } }> };
		const [prefetched] = answer.mediaConfig.preFetchMedia;
		assert.ok(prefetched.uri.startsWith(`${t.trigger.url}?speech=`), prefetched.uri);
		assert.equal(played.prompts[0].mediaInfo.resourceId, prefetched.resourceId);
		const deadline = Date.now() + 5000;
		while (t.sim.media.downloads.length < 2 && Date.now() < deadline)
			await new Promise((resolve) => setTimeout(resolve, 20));
		assert.deepEqual(
			t.sim.media.downloads.map((d) => [d.host, d.problem]),
			[
				[new URL(t.trigger.url).host, undefined],
				[new URL(t.trigger.url).host, undefined],
			],
			'Graph downloaded both from the trigger, each a valid WAV',
		);
		const [transferred] = await runNode(t, 'Transfer to on-call', items, prompt);
		assert.equal(transferred.status, 202);
		const body = JSON.parse(
			t.sim.graphRequests().filter((r) => r.path.endsWith('/transfer'))[0].body,
		) as IDataObject;
		assert.equal(
			(((body.transferTarget as IDataObject).identity as IDataObject).user as IDataObject).id,
			who.onCallUserId,
		);
		assert.equal(t.sim.getCall(placed.callId)?.state, 'terminated');
	});

	it("out of hours (Sunday 20:00 UTC): redirected to the voicemail user's voicemail (beta endpointType)", async () => {
		const { placed, who, t } = await call('2026-12-06T20:00:00.000Z');
		assert.equal(who.inHours, false);
		const [redirected] = await runNode(t, 'Redirect to voicemail', { 'Who is on call': who }, who);
		assert.equal(redirected.status, 202);
		const request = t.sim.graphRequests().filter((r) => r.path.endsWith('/redirect'))[0];
		assert.equal(request.path, `/beta/communications/calls/${placed.callId}/redirect`);
		const target = (JSON.parse(request.body) as { targets: IDataObject[] }).targets[0];
		assert.equal(target.endpointType, 'voicemail');
		assert.equal(((target.identity as IDataObject).user as IDataObject).id, who.voicemailUserId);
		assert.equal(t.sim.getCall(placed.callId)?.state, 'terminated');
	});
});

describe('examples/incident-bridge-from-scratch.json', () => {
	let fx: Fixture | undefined;
	afterEach(async () => {
		await fx?.close();
		fx = undefined;
	});

	it('creates the meeting, joins it by its join link, invites three, hangs up, and reads the call record', async () => {
		fx = await startFixture({
			simulator: {
				apps: [
					{
						...defaultApp(),
						roles: [...DEFAULT_APP_ROLES, 'OnlineMeetings.ReadWrite.All', 'CallRecords.Read.All'],
					},
				],
			},
		});
		const graphNodes = bridge.nodes.filter((n) =>
			n.type.startsWith('n8n-nodes-microsoft-graph-calls.'),
		);
		const order = ["When clicking 'Execute workflow'", ...graphNodes.map((n) => n.name)];
		const connections: IConnections = {};
		for (let i = 0; i < order.length - 1; i++)
			connections[order[i]] = { main: [[{ node: order[i + 1], type: 'main', index: 0 }]] };
		const out = await runWorkflowJson(
			{ nodes: bridge.nodes.filter((n) => order.includes(n.name)), connections },
			fx.credentials,
		);
		const meeting = out['Create the bridge'][0].json;
		const joined = out['Join the bridge'][0].json;
		assert.ok(worldOf(fx.sim.origin).meetings.has(String(meeting.id)));
		const join = JSON.parse(
			fx.sim.graphRequests().find((r) => r.path === '/v1.0/communications/calls')?.body ?? '{}',
		) as IDataObject;
		assert.equal(
			(join.chatInfo as IDataObject).threadId,
			(meeting.chatInfo as IDataObject).threadId,
		);
		assert.equal(fx.sim.invitations.filter((i) => i.callId === joined.id).length, 3);
		assert.equal(out['Hang up when the incident is over'][0].json.status, 204);
		const report = out['Call record for the report'][0].json;
		assert.equal(report.id, joined.callChainId);
		assert.equal(report.sessionCount, 3);
		assert.equal((report.participants as IDataObject[]).length, 4);
		assert.ok((report.streams as IDataObject[]).length === 6);
		// The Set node's message carries the meeting's join link.
		const post = nodeOf(bridge, 'Post the join link (replace with Slack or Teams)');
		assert.match(
			JSON.stringify(post.parameters),
			/\$\('Create the bridge'\)\.item\.json\.joinWebUrl/,
		);
	});
});
