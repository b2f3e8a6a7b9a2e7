/**
 * Typed prompts that no execution waits on, in the https n8n of ./page.ts: the node renders the
 * words, then gives Graph a signed link on the Microsoft Graph Calls Trigger that receives the
 * call's notifications (`<Production URL>?speech=…&sig=…`); Graph (the simulator) downloads the
 * WAV from there when it plays the prompt. What every such check asserts of a link is here, and
 * the bridge workflow: a meeting joined with a trigger's Production URL as its callback, then
 * Call › Play Prompt with typed text on it.
 */
import * as assert from 'node:assert/strict';

import type { WorkflowImport } from '../harness/n8n';
import type { GraphSimulator, RecordedRequest } from '../simulator';
import type { Executions } from '../trigger/executions';
import { httpsRequest } from '../harness/https';
import { creates, promptUri, type PageHelpers } from './page';

type Check = (name: string, body: () => Promise<void>) => Promise<void>;
type Credential = Record<string, { id: string; name: string }>;

export const BRIDGE_TRIGGER_ID = 'e2eBridgeTrigger';
export const BRIDGE_PROMPT_ID = 'e2eBridgeTypedPr';
export const BRIDGE_HOOK = 'a1e5c3d2-6f70-4b8e-9c1d-2e3f4a5b6c73';
const BRIDGE_PATH = 'typed-prompt-on-bridge';
const BRIDGE_ORGANIZER = '5810cede-f3cc-42eb-b2c1-e9bd5d53ec96';
const BRIDGE_WORDS = 'The incident bridge is open. The incident manager joins in a minute.';
const NODE_TYPE = 'n8n-nodes-microsoft-graph-calls.microsoftGraphCalls';

/** The Production URL of a Microsoft Graph Calls Trigger with this webhook ID. */
export const triggerUrl = (serverUrl: string, webhookId: string): string =>
	`${serverUrl}/webhook/${webhookId}/notifications`;

/** The link with the first character of its signature changed: what a tampered link looks like. */
export function tampered(link: string): string {
	const url = new URL(link);
	const sig = String(url.searchParams.get('sig'));
	url.searchParams.set('sig', `${sig.startsWith('A') ? 'B' : 'A'}${sig.slice(1)}`);
	return url.toString();
}

/**
 * Graph's download of `uri`: made (waited for), from n8n's `host`, a WAV Graph can play (the
 * simulator names any problem: HTTP status, not a WAV, not 16 kHz 16-bit mono) and as long as
 * the words take to say. Returns the download's size.
 */
export async function assertDownloaded(
	sim: GraphSimulator,
	uri: string,
	host: string,
	waitFor: PageHelpers['waitFor'],
	seconds: { min: number; max: number },
): Promise<number> {
	await waitFor(`Graph's download of ${uri.slice(0, 80)}…`, () =>
		sim.media.downloads.some((d) => d.uri === uri),
	);
	const download = sim.media.downloads.find((d) => d.uri === uri);
	assert.ok(download);
	assert.equal(download.problem, undefined, JSON.stringify(download));
	assert.equal(download.host, host, 'downloaded from n8n');
	const length = (download.durationMs ?? 0) / 1000;
	assert.ok(length > seconds.min && length < seconds.max, `plausible length: ${length} s`);
	return download.bytes ?? 0;
}

/** Asserts `link` is a signed speech link on the trigger at `trigger`. */
export function assertSpeechLink(link: string, trigger: string): void {
	assert.ok(link.startsWith(`${trigger}?speech=`), `a link on the trigger: ${link}`);
	assert.match(String(new URL(link).searchParams.get('sig')), /^[A-Za-z0-9_-]{43}$/);
}

/** GET on a prompt link: n8n's status, and for a 404 that it is the trigger's own answer. */
export async function getLink(
	link: string,
	caPem: string,
): Promise<{ status: number; bytes: number; type: unknown; json: unknown }> {
	const r = await httpsRequest(link, caPem);
	return {
		status: r.status,
		bytes: Number(r.headers['content-length']),
		type: r.headers['content-type'],
		json: r.json,
	};
}

/** A trigger of its own for the bridge's notifications: one item per operation result. */
export function bridgeTriggerWorkflow(credential: Credential): WorkflowImport {
	return {
		id: BRIDGE_TRIGGER_ID,
		name: 'Bridge call notifications',
		active: false,
		nodes: [
			{
				id: 'c1000000-0000-4000-8000-000000000001',
				name: 'Bridge call notifications',
				type: 'n8n-nodes-microsoft-graph-calls.microsoftGraphCallsTrigger',
				typeVersion: 2,
				position: [0, 0],
				webhookId: BRIDGE_HOOK,
				credentials: credential,
				parameters: { events: ['operationResult'], options: {} },
			},
		],
		connections: {},
	};
}

/**
 * POST /webhook/typed-prompt-on-bridge: creates a meeting, joins it with the bridge trigger's
 * Production URL as the call's callback URL, and says BRIDGE_WORDS in it (Play Prompt, version
 * 3, Prompt From › Text, no Prompt Server URL: the link goes to the call's callback URL). Nothing
 * waits for the prompt: the answer is Play Prompt's item, the result goes to the trigger.
 */
export function bridgePromptWorkflow(credential: Credential, callbackUrl: string): WorkflowImport {
	const node = (index: number, name: string, parameters: Record<string, unknown>) => ({
		id: `c1000000-0000-4000-8000-00000000001${index}`,
		name,
		type: NODE_TYPE,
		typeVersion: 3,
		position: [220 * index, 0] as [number, number],
		credentials: credential,
		parameters: { ...parameters, options: {} },
	});
	return {
		id: BRIDGE_PROMPT_ID,
		name: 'Typed prompt on a bridge',
		active: false,
		nodes: [
			{
				id: 'c1000000-0000-4000-8000-000000000010',
				name: 'Open the bridge',
				type: 'n8n-nodes-base.webhook',
				typeVersion: 2,
				position: [0, 0],
				webhookId: 'c1000000-0000-4000-8000-0000000000a1',
				parameters: {
					httpMethod: 'POST',
					path: BRIDGE_PATH,
					responseMode: 'lastNode',
					options: {},
				},
			},
			node(1, 'Create the bridge', {
				resource: 'onlineMeeting',
				operation: 'create',
				userId: BRIDGE_ORGANIZER,
				subject: 'P1 incident bridge',
				additionalFields: {},
			}),
			node(2, 'Join the bridge', {
				resource: 'call',
				operation: 'create',
				callType: 'joinMeeting',
				callbackUrl,
				joinMethod: 'joinUrl',
				joinUrl: '={{ $json.joinWebUrl }}',
				requestedModalities: ['audio'],
			}),
			node(3, 'Say the bridge is open', {
				resource: 'call',
				operation: 'playPrompt',
				callId: '={{ $json.id }}',
				promptText: BRIDGE_WORDS,
				additionalFields: { clientContext: 'bridge-open' },
			}),
		],
		connections: {
			'Open the bridge': { main: [[{ node: 'Create the bridge', type: 'main', index: 0 }]] },
			'Create the bridge': { main: [[{ node: 'Join the bridge', type: 'main', index: 0 }]] },
			'Join the bridge': { main: [[{ node: 'Say the bridge is open', type: 'main', index: 0 }]] },
		},
	};
}

const playPromptsSince = (sim: GraphSimulator, from: number): RecordedRequest[] =>
	sim
		.graphRequests()
		.slice(from)
		.filter((r) => r.method === 'POST' && r.path.split('?')[0]?.endsWith('/playPrompt'));

/** The items a workflow's trigger emitted, over all its executions so far. */
async function triggerItems(
	executions: Executions,
	workflowId: string,
	node: string,
): Promise<Array<Record<string, unknown>>> {
	const items: Array<Record<string, unknown>> = [];
	for (const summary of await executions.list(workflowId)) {
		const detail = await executions.get(summary.id);
		for (const run of detail.runData[node] ?? [])
			for (const item of run.main[0] ?? []) items.push(item.json);
	}
	return items;
}

export async function bridgePromptCheck(options: {
	sim: GraphSimulator;
	caPem: string;
	helpers: PageHelpers;
	executions: Executions;
	check: Check;
}): Promise<void> {
	const { sim, caPem, helpers, executions, check } = options;
	const { serverUrl, waitFor } = helpers;
	const trigger = triggerUrl(serverUrl, BRIDGE_HOOK);
	await check(
		'a typed Play Prompt on a bridge no execution waits on: Graph downloads a valid WAV from the bridge’s trigger, the prompt completes, a tampered link gets 404 and a GET starts nothing',
		async () => {
			const from = sim.graphRequests().length;
			const answer = await helpers.post({}, BRIDGE_PATH);
			const item = answer.json as {
				id?: string;
				status?: string;
				spokenPrompts?: Array<{ engine?: string; resourceId?: string; servedBy?: string }>;
			};
			const [join] = creates(sim, from);
			const call = JSON.parse(join?.body ?? '{}') as { callbackUri?: string };
			assert.equal(call.callbackUri, trigger, "the bridge's callback URL is the trigger's");
			const plays = playPromptsSince(sim, from);
			assert.equal(plays.length, 1, 'one Play Prompt');
			const [request] = plays;
			assert.ok(request);
			const uri = promptUri(request);
			assertSpeechLink(uri, trigger);
			const [spoken] = item.spokenPrompts ?? [];
			assert.equal(spoken?.engine, 'offline');
			assert.equal(spoken.servedBy, serverUrl);
			const mediaInfo = (
				JSON.parse(request.body) as { prompts: Array<{ mediaInfo: { resourceId?: string } }> }
			).prompts[0]?.mediaInfo;
			assert.equal(mediaInfo?.resourceId, spoken.resourceId);
			const bytes = await assertDownloaded(sim, uri, new URL(serverUrl).host, waitFor, {
				min: 2,
				max: 10,
			});
			// Graph's result of the operation reached the trigger, which emitted it as completed.
			const operationId = String(item.id);
			let results: Array<Record<string, unknown>> = [];
			const deadline = Date.now() + 60_000;
			while (!results.some((r) => r.operationId === operationId && r.status === 'completed')) {
				assert.ok(
					Date.now() < deadline,
					`no completed playPromptOperation ${operationId} from the trigger: ${JSON.stringify(results)}`,
				);
				await new Promise((resolve) => setTimeout(resolve, 500));
				results = await triggerItems(executions, BRIDGE_TRIGGER_ID, 'Bridge call notifications');
			}
			const result = results.find((r) => r.operationId === operationId);
			assert.equal(result?.operationType, 'playPromptOperation');
			assert.equal(result?.clientContext, 'bridge-open');
			// The link, again: the same WAV; tampered, the trigger's 404; neither starts anything.
			const before = (await executions.list(BRIDGE_TRIGGER_ID)).length;
			const again = await getLink(uri, caPem);
			assert.deepEqual([again.status, again.type, again.bytes], [200, 'audio/wav', bytes]);
			const refused = await getLink(tampered(uri), caPem);
			assert.equal(refused.status, 404);
			assert.deepEqual(refused.json, { message: 'Not found' });
			await new Promise((resolve) => setTimeout(resolve, 1_000));
			assert.equal((await executions.list(BRIDGE_TRIGGER_ID)).length, before, 'no execution');
		},
	);
}
