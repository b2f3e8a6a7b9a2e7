/**
 * `npx tsx test/e2e/examples/run.ts [1|2]`: the issue-16 examples inside real n8n (1.123.50 and
 * 2.41.1, installed by test/e2e/harness), against the Graph simulator, on 127.0.0.1 only.
 *
 * - examples/incident-bridge-from-scratch.json, run with `n8n execute`: the meeting is created,
 *   joined by its join link, three responders invited, the link posted (n8n's Set node), the call
 *   hung up, and (after the Wait node, shortened 20 min → 1 s) the call record read.
 * - examples/incoming-call-routing.json, active in `n8n start`: the simulator calls the app at the
 *   trigger's production URL, first in the legacy format (must get 204), then in Graph's. Two
 *   imports of the example, changed only in the rota of its Code node (always on call / never):
 *   in hours the call is answered, "connecting you" played and the call transferred to the
 *   engineer; out of hours it is redirected to the voicemail user's voicemail.
 * - examples/page-and-acknowledge.json, active in `n8n start` over https: see ./page.ts.
 * - examples/agent-asks-a-human-by-phone.json, in the same n8n: see ./agent.ts.
 * Prints PASS/FAIL per check and line; exit 1 on any failure.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { ensureN8n, type Line } from '../harness/install';
import {
	executeWorkflow,
	importCredentials,
	importWorkflows,
	makeCtx,
	n8nCli,
	startServer,
	untilWebhookRegistered,
	type N8nCtx,
	type WorkflowImport,
	type WorkflowNode,
} from '../harness/n8n';
import {
	alwaysOnCall,
	fillCallbackUrls,
	fillRoutingExample,
	readExample,
	withGraphCredential,
} from '../harness/exampleWorkflows';
import { installPackageInto, packRepo } from '../harness/package';
import { repoRoot } from '../harness/paths';
import {
	defaultApp,
	startGraphSimulator,
	writeFreshCa,
	type GraphSimulator,
	type RecordedRequest,
} from '../simulator';
import {
	binaryPromptWorkflow,
	BINARY_PROMPT_ID,
	hostPrompt,
	pageChecks,
	pageExample,
	pageWorkflow,
	PAGE_ID,
	RESOURCE_ACCOUNT,
	startChat,
	until,
} from './page';
import { CREDENTIAL_TYPE, nodeItems, nodesThatRan, secretCredentialData } from '../world';
import { agentChecks, agentExample, agentWorkflow, AGENT_ID, startModelDouble } from './agent';
import { hostileChecks } from './hostile';

const CREDENTIAL = { id: 'e2eExamplesCred', name: 'Graph simulator (examples)' };
const OPENAI_CREDENTIAL = { id: 'e2eModelDouble', name: 'Chat model double (loopback)' };
const BRIDGE_ID = 'e2eBridgeScratch';
const ROUTING_IN_ID = 'e2eRoutingInHour';
const ROUTING_OUT_ID = 'e2eRoutingOutHrs';
const ROUTING_IN_HOOK = 'a1e5c3d2-6f70-4b8e-9c1d-2e3f4a5b6c71';
const ROUTING_OUT_HOOK = 'a1e5c3d2-6f70-4b8e-9c1d-2e3f4a5b6c72';
const ENGINEER = '278405a3-f568-4b3e-b684-009193463064';
const VOICEMAIL_USER = '5810cede-f3cc-42eb-b2c1-e9bd5d53ec96';
/**
 * Graph drops an incoming call after 15 s; the simulator keeps it 60 s here, because a first Code
 * node run on a loaded 2-core machine (n8n 2.x starts its task runner) can take longer. The
 * in-process tests keep Graph's 15 s.
 */
const DEADLINE_MS = 60_000;

/** simulator/incomingCalls.ts, required (not imported: see test/e2e/simulator.ts). */
interface IncomingCalls {
	placeIncomingCall(
		sim: GraphSimulator,
		options: { callbackUri: string; format?: 'graph' | 'legacy'; deadlineMs?: number },
	): Promise<{ callId: string; posts: Array<{ format: string; status?: number; error?: string }> }>;
}
// eslint-disable-next-line @typescript-eslint/no-require-imports -- see test/e2e/simulator.ts
const incoming = require(
	path.join(__dirname, '..', '..', '..', 'simulator', 'incomingCalls'),
) as IncomingCalls;

const results: Array<{ line: Line; name: string; ok: boolean; detail?: string }> = [];

async function check(line: Line, name: string, body: () => Promise<void>): Promise<void> {
	const started = Date.now();
	try {
		await body();
		results.push({ line, name, ok: true });
		console.log(`PASS [${line}] ${name} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
	} catch (error) {
		const detail = error instanceof Error ? error.message : String(error);
		results.push({ line, name, ok: false, detail });
		console.log(`FAIL [${line}] ${name}: ${detail}`);
	}
}

/** The example with what a user fills in: the credential on every node of this package. */
function withCredential(wf: WorkflowImport, id: string): WorkflowImport {
	return { ...withGraphCredential(wf, { [CREDENTIAL_TYPE]: CREDENTIAL }), id };
}

function bridgeWorkflow(): WorkflowImport {
	// The Callback URL is the user's to fill in (their trigger's Production URL).
	const wf = withCredential(
		fillCallbackUrls(
			readExample('incident-bridge-from-scratch.json'),
			'https://bot.contoso.com/api/calls',
		),
		BRIDGE_ID,
	);
	return {
		...wf,
		// The Wait stands for "until Graph has written the record" (20 minutes); 1 s here.
		nodes: wf.nodes.map((node) =>
			node.type === 'n8n-nodes-base.wait'
				? { ...node, parameters: { ...node.parameters, amount: 1, unit: 'seconds' } }
				: node,
		),
	};
}

/** The routing example with its rota replaced: always on call (engineer), or never. */
function routingWorkflow(id: string, webhookId: string, onCall: boolean): WorkflowImport {
	const wf = fillRoutingExample(readExample('incoming-call-routing.json'), {
		credential: { [CREDENTIAL_TYPE]: CREDENTIAL },
		rota: onCall ? alwaysOnCall(ENGINEER, 'Support (always)') : 'const rota = [];',
	});
	const nodes = wf.nodes.map((node): WorkflowNode =>
		node.type.endsWith('.microsoftGraphCallsTrigger') ? { ...node, webhookId } : node,
	);
	return { ...wf, id, nodes, active: false };
}

async function activate(ctx: N8nCtx, id: string): Promise<void> {
	const args =
		ctx.inst.line === '1'
			? ['update:workflow', `--id=${id}`, '--active=true']
			: ['publish:workflow', `--id=${id}`];
	const r = await n8nCli(ctx, args);
	if (r.code !== 0) throw new Error(`n8n ${args.join(' ')} → ${r.code}: ${r.stderr.slice(-400)}`);
}

const actionsOn = (sim: GraphSimulator, callId: string): RecordedRequest[] =>
	sim
		.graphRequests()
		.filter((r) => r.method === 'POST' && r.path.includes(`/communications/calls/${callId}/`));
const lastSegment = (r: RecordedRequest): string => r.path.split('?')[0]?.split('/').pop() ?? '';

async function runLine(line: Line, tarball: string): Promise<void> {
	const inst = await ensureN8n(line);
	console.log(`::: n8n ${inst.version}`);
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), `examples-e2e-${line}-`));
	const ca = writeFreshCa(dir);
	const roles = [
		...(defaultApp().roles ?? []),
		'OnlineMeetings.ReadWrite.All',
		'CallRecords.Read.All',
	];
	const sim = await startGraphSimulator({
		ca: ca.ca,
		apps: [
			{
				...defaultApp(),
				roles,
				resourceAccounts: [{ id: RESOURCE_ACCOUNT, phoneNumber: '+14255550100' }],
			},
		],
	});
	const chat = await startChat();
	const model = await startModelDouble();
	const ctx = makeCtx(inst, { env: { NODE_EXTRA_CA_CERTS: ca.certPath } });
	let stop: (() => Promise<void>) | undefined;
	try {
		await installPackageInto(ctx.userFolder, tarball);
		const callbacks = (sim as unknown as { callbacks: { openIdConfigurationUrl: string } })
			.callbacks;
		await importCredentials(ctx, [
			{
				...CREDENTIAL,
				type: CREDENTIAL_TYPE,
				data: {
					...secretCredentialData(sim),
					notificationOpenIdConfigurationUrl: callbacks.openIdConfigurationUrl,
				},
			},
			{ ...OPENAI_CREDENTIAL, type: 'openAiApi', data: { apiKey: 'sk-e2e', url: model.url } },
		]);
		await importWorkflows(ctx, [
			bridgeWorkflow(),
			routingWorkflow(ROUTING_IN_ID, ROUTING_IN_HOOK, true),
			routingWorkflow(ROUTING_OUT_ID, ROUTING_OUT_HOOK, false),
			pageWorkflow(pageExample(), { [CREDENTIAL_TYPE]: CREDENTIAL }, chat.url),
			binaryPromptWorkflow({ [CREDENTIAL_TYPE]: CREDENTIAL }, chat.url),
			agentWorkflow(agentExample(repoRoot), {
				graphCredential: { [CREDENTIAL_TYPE]: CREDENTIAL },
				openAiCredential: { openAiApi: OPENAI_CREDENTIAL },
				resourceAccount: RESOURCE_ACCOUNT,
				promptUrl: hostPrompt(sim),
				chatUrl: chat.url,
			}),
		]);
		fs.rmSync(path.join(ctx.userFolder, 'e2e-imports'), { recursive: true, force: true });

		await check(line, 'examples/incident-bridge-from-scratch.json (n8n execute)', async () => {
			const run = await executeWorkflow(ctx, BRIDGE_ID, 180_000);
			assert.equal(run.exitCode, 0, run.stderr.slice(-800));
			const json = run.json;
			assert.equal(
				nodesThatRan(json).length,
				8,
				`nodes that ran: ${nodesThatRan(json).join(', ')}`,
			);
			const [meeting] = nodeItems(json, 'Create the bridge');
			const [call] = nodeItems(json, 'Join the bridge');
			assert.ok(meeting && call);
			assert.match(
				String(meeting.json.joinWebUrl),
				/^https:\/\/teams\.microsoft\.com\/l\/meetup-join\//,
			);
			const join = sim
				.graphRequests()
				.find((r) => r.method === 'POST' && r.path === '/v1.0/communications/calls');
			const chat = (JSON.parse(join?.body ?? '{}') as { chatInfo?: { threadId?: string } })
				.chatInfo;
			assert.equal(chat?.threadId, (meeting.json.chatInfo as { threadId?: string }).threadId);
			assert.equal(sim.invitations.filter((i) => i.callId === call.json.id).length, 3);
			const [post] = nodeItems(json, 'Post the join link (replace with Slack or Teams)');
			assert.equal(
				post?.json.text,
				`P1 incident bridge is open, join here: ${String(meeting.json.joinWebUrl)}`,
			);
			const [hangUp] = nodeItems(json, 'Hang up when the incident is over');
			assert.equal(hangUp?.json.status, 204);
			const [record] = nodeItems(json, 'Call record for the report');
			assert.equal(record?.json.id, call.json.callChainId);
			assert.equal(record?.json.sessionCount, 3);
			assert.equal(record?.json.allSessionsRead, true);
		});

		for (const id of [ROUTING_IN_ID, ROUTING_OUT_ID, PAGE_ID, BINARY_PROMPT_ID, AGENT_ID])
			await activate(ctx, id);
		const server = await startServer(ctx);
		stop = server.stop;
		const hookUrl = (webhookId: string) => `${server.url}/webhook/${webhookId}/notifications`;
		for (const hook of [ROUTING_IN_HOOK, ROUTING_OUT_HOOK])
			await untilWebhookRegistered(hookUrl(hook));

		await check(
			line,
			'examples/incoming-call-routing.json in hours: legacy 204, answer, prompt, transfer',
			async () => {
				const placed = await incoming.placeIncomingCall(sim, {
					callbackUri: hookUrl(ROUTING_IN_HOOK),
					format: 'legacy',
					deadlineMs: DEADLINE_MS,
				});
				assert.deepEqual(
					placed.posts.map((p) => [p.format, p.status ?? p.error]),
					[
						['legacy', 204],
						['graph', 202],
					],
				);
				await until('the transfer', () =>
					actionsOn(sim, placed.callId).some((r) => lastSegment(r) === 'transfer'),
				);
				const actions = actionsOn(sim, placed.callId);
				assert.deepEqual(actions.map(lastSegment), ['answer', 'playPrompt', 'transfer']);
				assert.deepEqual(
					actions.map((r) => r.status),
					[202, 200, 202],
				);
				const target = (
					JSON.parse(actions[2]?.body ?? '{}') as {
						transferTarget?: { identity?: { user?: { id?: string } } };
					}
				).transferTarget;
				assert.equal(target?.identity?.user?.id, ENGINEER);
				assert.equal(sim.getCall(placed.callId)?.state, 'terminated');
			},
		);

		await check(
			line,
			'examples/incoming-call-routing.json out of hours: redirected to voicemail',
			async () => {
				const placed = await incoming.placeIncomingCall(sim, {
					callbackUri: hookUrl(ROUTING_OUT_HOOK),
					deadlineMs: DEADLINE_MS,
				});
				assert.deepEqual(
					placed.posts.map((p) => p.status ?? p.error),
					[202],
				);
				await until('the redirect', () => actionsOn(sim, placed.callId).length > 0);
				const [redirect] = actionsOn(sim, placed.callId);
				assert.equal(redirect?.path, `/beta/communications/calls/${placed.callId}/redirect`);
				assert.equal(redirect?.status, 202);
				const [target] =
					(JSON.parse(redirect?.body ?? '{}') as { targets?: Array<Record<string, unknown>> })
						.targets ?? [];
				assert.equal(target?.endpointType, 'voicemail');
				assert.equal(
					(target?.identity as { user?: { id?: string } } | undefined)?.user?.id,
					VOICEMAIL_USER,
				);
				assert.equal(sim.getCall(placed.callId)?.state, 'terminated');
			},
		);
		await stop();
		stop = undefined;
		await pageChecks({
			ctx,
			sim,
			ca: ca.ca,
			caPem: ca.ca.certPem,
			dir,
			chat,
			check: async (name, body) => await check(line, name, body),
			more: async ({ post, waitFor, alert, serverUrl }) => {
				await hostileChecks({
					inst,
					sim,
					caPem: ca.ca.certPem,
					serverUrl,
					triggerUrl: `${serverUrl}/webhook/${ROUTING_IN_HOOK}/notifications`,
					workflowIds: [ROUTING_IN_ID, ROUTING_OUT_ID, PAGE_ID, BINARY_PROMPT_ID, AGENT_ID],
					pageWorkflowId: PAGE_ID,
					chat,
					alert,
					waitFor,
					check: async (name, body) => await check(line, name, body),
				});
				await agentChecks({
					sim,
					model,
					chat: chat as unknown as { posts: Array<Record<string, unknown>> },
					post,
					waitFor,
					check: async (name, body) => await check(line, name, body),
				});
			},
		});
	} finally {
		await stop?.();
		await chat.close();
		await model.close();
		await sim.close();
		if (results.every((r) => r.ok) && process.env.E2E_KEEP === undefined)
			fs.rmSync(dir, { recursive: true, force: true });
	}
}

async function main(): Promise<void> {
	const args = process.argv.slice(2).filter((a): a is Line => a === '1' || a === '2');
	const lines: Line[] = args.length > 0 ? args : ['1', '2'];
	const tarball = await packRepo({ build: true });
	for (const line of lines) await runLine(line, tarball);
	const failed = results.filter((r) => !r.ok);
	console.log(`${results.length - failed.length} passed, ${failed.length} failed`);
	process.exit(failed.length > 0 ? 1 : 0);
}

void main().catch((error: unknown) => {
	console.error(error);
	process.exit(1);
});
