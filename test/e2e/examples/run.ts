/**
 * `npx tsx test/e2e/examples/run.ts [1|2]`: the examples inside real n8n (1.123.50 and
 * 2.41.1, installed by test/e2e/harness), against the Graph simulator, on 127.0.0.1 only.
 *
 * - examples/incident-bridge-from-scratch.json, run with `n8n execute`: the meeting is created,
 *   joined by its join link, three responders invited, the link posted (n8n's Set node), the call
 *   hung up, and (after the Wait node, shortened 20 min → 1 s) the call record read.
 * Then one `n8n start` over https (./page.ts starts it) runs the rest, in this order:
 * - examples/incoming-call-routing.json, active: the simulator calls the app at the trigger's
 *   production URL, first in the legacy format (must get 204), then in Graph's. Two imports of the
 *   example, changed only in the rota of its Code node (always on call / never): in hours the call
 *   is answered with "connecting you" prefetched, the same typed prompt played (both downloaded
 *   by Graph from the example's own trigger) and the call transferred to the engineer; out of
 *   hours it is redirected to the voicemail user's voicemail.
 * - A typed Play Prompt on a bridge no execution waits on: see ./typedPrompts.ts.
 * - examples/page-and-acknowledge.json, active: see ./page.ts.
 * - Hostile requests and a key outage (./hostile.ts), examples/page-the-rota.json (./rota.ts),
 *   then examples/agent-asks-a-human-by-phone.json (./agent.ts).
 * Prints PASS/FAIL per check and line; exit 1 on any failure.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { ensureN8n, type Line } from '../harness/install';
import {
	executeWorkflow,
	freePort,
	importCredentials,
	importWorkflows,
	makeCtx,
	n8nCli,
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
	type PageHelpers,
} from './page';
import {
	assertDownloaded,
	assertSpeechLink,
	bridgePromptCheck,
	bridgePromptWorkflow,
	bridgeTriggerWorkflow,
	BRIDGE_HOOK,
	BRIDGE_PROMPT_ID,
	BRIDGE_TRIGGER_ID,
	getLink,
	tampered,
	triggerUrl,
} from './typedPrompts';
import { Executions, isTerminal } from '../trigger/executions';
import { httpsRequest, Rest } from '../harness/https';
import { CREDENTIAL_TYPE, nodeItems, nodesThatRan, secretCredentialData } from '../world';
import { agentChecks, agentExample, agentWorkflow, AGENT_ID, startModelDouble } from './agent';
import { hostileChecks } from './hostile';
import { rotaChecks, rotaWorkflow, ROTA_ID } from './rota';

const CREDENTIAL = { id: 'e2eExamplesCred', name: 'Graph simulator (examples)' };
const OPENAI_CREDENTIAL = { id: 'e2eModelDouble', name: 'Chat model double (loopback)' };
const BRIDGE_ID = 'e2eBridgeScratch';
const ROUTING_IN_ID = 'e2eRoutingInHour';
const ROUTING_OUT_ID = 'e2eRoutingOutHrs';
const ROUTING_IN_HOOK = 'a1e5c3d2-6f70-4b8e-9c1d-2e3f4a5b6c71';
const ROUTING_OUT_HOOK = 'a1e5c3d2-6f70-4b8e-9c1d-2e3f4a5b6c72';
/** Active in `n8n start`: every workflow but the bridge example's (run with `n8n execute`). */
const ACTIVE_IDS = [
	ROUTING_IN_ID,
	ROUTING_OUT_ID,
	PAGE_ID,
	BINARY_PROMPT_ID,
	AGENT_ID,
	BRIDGE_TRIGGER_ID,
	BRIDGE_PROMPT_ID,
	ROTA_ID,
];
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

/** `E2E_ONLY=<part of a check's name>`: only the checks whose name has it run (the others are skipped). */
const ONLY = process.env.E2E_ONLY;

async function check(line: Line, name: string, body: () => Promise<void>): Promise<void> {
	if (ONLY !== undefined && !name.includes(ONLY)) return;
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

interface MediaInfo {
	uri?: string;
	resourceId?: string;
}

/** Until every execution of the workflow so far has ended (bounded); returns how many there are. */
async function settledExecutions(executions: Executions, workflowId: string): Promise<number> {
	const deadline = Date.now() + 30_000;
	for (;;) {
		const all = await executions.list(workflowId);
		if (all.every((e) => isTerminal(e.status)) || Date.now() > deadline) return all.length;
		await new Promise((resolve) => setTimeout(resolve, 250));
	}
}

/** examples/incoming-call-routing.json, the simulator calling the app at the trigger's URL. */
async function routingChecks(options: {
	line: Line;
	sim: GraphSimulator;
	caPem: string;
	helpers: PageHelpers;
	executions: Executions;
}): Promise<void> {
	const { line, sim, caPem, helpers, executions } = options;
	const { serverUrl, waitFor } = helpers;
	await check(
		line,
		'examples/incoming-call-routing.json in hours: legacy 204, answer with the typed prompt prefetched from its trigger, the same prompt played, transfer; a tampered link gets 404, a GET starts nothing',
		async () => {
			const trigger = triggerUrl(serverUrl, ROUTING_IN_HOOK);
			const placed = await incoming.placeIncomingCall(sim, {
				callbackUri: trigger,
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
			// The typed words, served by the example's own trigger: prefetched when answering, then
			// played under the same resourceId (Graph's cache key). Graph downloaded both from n8n.
			const [prefetched] =
				(
					JSON.parse(actions[0]?.body ?? '{}') as {
						mediaConfig?: { preFetchMedia?: MediaInfo[] };
					}
				).mediaConfig?.preFetchMedia ?? [];
			const playedInfo = (
				JSON.parse(actions[1]?.body ?? '{}') as { prompts?: Array<{ mediaInfo?: MediaInfo }> }
			).prompts?.[0]?.mediaInfo;
			const prefetchUri = String(prefetched?.uri);
			const playedUri = String(playedInfo?.uri);
			assertSpeechLink(prefetchUri, trigger);
			assertSpeechLink(playedUri, trigger);
			assert.equal(playedInfo?.resourceId, prefetched?.resourceId, 'the prefetched resourceId');
			const host = new URL(serverUrl).host;
			const seconds = { min: 1.5, max: 10 };
			const bytes = await assertDownloaded(sim, prefetchUri, host, waitFor, seconds);
			await assertDownloaded(sim, playedUri, host, waitFor, seconds);
			// The same words and voice make the same link: then Graph downloaded it twice.
			const expected = prefetchUri === playedUri ? 2 : 1;
			await waitFor('both downloads', () =>
				[prefetchUri, playedUri].every(
					(uri) => sim.media.downloads.filter((d) => d.uri === uri).length >= expected,
				),
			);
			for (const d of sim.media.downloads.filter((d) => [prefetchUri, playedUri].includes(d.uri)))
				assert.deepEqual([d.host, d.problem], [host, undefined], JSON.stringify(d));
			// The link again, and tampered: the WAV, then the trigger's own 404; no execution.
			const before = await settledExecutions(executions, ROUTING_IN_ID);
			const again = await getLink(prefetchUri, caPem);
			assert.deepEqual([again.status, again.type, again.bytes], [200, 'audio/wav', bytes]);
			const refused = await getLink(tampered(playedUri), caPem);
			assert.equal(refused.status, 404);
			assert.deepEqual(refused.json, { message: 'Not found' });
			await new Promise((resolve) => setTimeout(resolve, 1_000));
			assert.equal(
				(await executions.list(ROUTING_IN_ID)).length,
				before,
				'no execution of the routing workflow',
			);
		},
	);

	await check(
		line,
		'examples/incoming-call-routing.json out of hours: redirected to voicemail',
		async () => {
			const placed = await incoming.placeIncomingCall(sim, {
				callbackUri: triggerUrl(serverUrl, ROUTING_OUT_HOOK),
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
}

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
	// Chosen now: the bridge workflow, imported before n8n starts, names its trigger's URL.
	const port = await freePort();
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
			bridgeTriggerWorkflow({ [CREDENTIAL_TYPE]: CREDENTIAL }),
			bridgePromptWorkflow(
				{ [CREDENTIAL_TYPE]: CREDENTIAL },
				triggerUrl(`https://127.0.0.1:${port}`, BRIDGE_HOOK),
			),
			rotaWorkflow({ [CREDENTIAL_TYPE]: CREDENTIAL }, RESOURCE_ACCOUNT, chat.url),
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

		for (const id of ACTIVE_IDS) await activate(ctx, id);
		// One n8n start over https for every check from here on: Graph posts a call's events only
		// to https, and typed prompts are served only from an https trigger URL.
		const caPem = ca.ca.certPem;
		const postHttps = async (url: string): Promise<number> =>
			(
				await httpsRequest(url, caPem, {
					method: 'POST',
					headers: { 'content-type': 'application/json' },
					body: '{}',
				})
			).status;
		let rest: Rest | undefined;
		let executions: Executions | undefined;
		await pageChecks({
			ctx,
			sim,
			ca: ca.ca,
			caPem,
			dir,
			chat,
			port,
			check: async (name, body) => await check(line, name, body),
			first: async (helpers) => {
				const { serverUrl } = helpers;
				rest = new Rest(serverUrl, caPem);
				await rest.setupOwner();
				executions = new Executions(rest, inst);
				for (const hook of [ROUTING_IN_HOOK, ROUTING_OUT_HOOK, BRIDGE_HOOK])
					await untilWebhookRegistered(triggerUrl(serverUrl, hook), 60_000, postHttps);
				await routingChecks({ line, sim, caPem, helpers, executions });
				await bridgePromptCheck({
					sim,
					caPem,
					helpers,
					executions,
					check: async (name, body) => await check(line, name, body),
				});
			},
			more: async ({ post, waitFor, alert, serverUrl }) => {
				assert.ok(rest, 'the owner was set up by the first checks');
				await hostileChecks({
					inst,
					sim,
					caPem,
					rest,
					triggerUrl: triggerUrl(serverUrl, ROUTING_IN_HOOK),
					workflowIds: ACTIVE_IDS,
					pageWorkflowId: PAGE_ID,
					chat,
					alert,
					waitFor,
					check: async (name, body) => await check(line, name, body),
				});
				await rotaChecks({
					sim,
					chat: chat as unknown as { posts: Array<Record<string, unknown>> },
					post,
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
