/**
 * Issue 13 in real n8n: the trigger's answers to replays, to a key server that redirects to plain
 * http or hangs, and to 1,000 signed notifications in 10 s. The key server is
 * test/support/keyServer.ts (https on 127.0.0.1, leaf from the suite's CA, which n8n trusts via
 * NODE_EXTRA_CA_CERTS); each key scenario has its own credential and trigger workflow, because
 * n8n caches keys per OpenID configuration URL.
 */
import * as https from 'node:https';
import type { CredentialImport, WorkflowImport } from '../harness/n8n';
import type { KeyServer } from '../../support/keyServer';
import type { Executions } from './executions';
import { httpsRequest } from '../harness/https';
import { DEFAULT_CLIENT_ID, DEFAULT_TENANT_ID, type GraphSimulator } from './simulator';
import { extraTriggerWorkflow, keySourceCredential, TRIGGER_NODE, webhookUrl } from './workflows';

export type Check = (name: string, ok: boolean, detail?: string) => boolean;

interface KeyScenario {
	scenario: 'redirect-config' | 'redirect-keys' | 'hang';
	credentialId: string;
	workflowId: string;
	webhookId: string;
}

export const KEY_SCENARIOS: KeyScenario[] = [
	{
		scenario: 'redirect-config',
		credentialId: 'trigE2eKeysRedir',
		workflowId: 'trigE2eKeysRedir',
		webhookId: '7b1d0c2e-1111-4111-8111-',
	},
	{
		scenario: 'redirect-keys',
		credentialId: 'trigE2eKeysRedJw',
		workflowId: 'trigE2eKeysRedJw',
		webhookId: '7b1d0c2e-2222-4222-8222-',
	},
	{
		scenario: 'hang',
		credentialId: 'trigE2eKeysHang1',
		workflowId: 'trigE2eKeysHang1',
		webhookId: '7b1d0c2e-3333-4333-8333-',
	},
].map((s) => ({ ...s, webhookId: `${s.webhookId}000000000000` }) as KeyScenario);

export const LOAD_WORKFLOW_ID = 'trigE2eLoadWf001';
const LOAD_WEBHOOK_ID = '9c2e1d3f-4444-4444-8444-000000000000';

export function hardeningImports(
	simOrigin: string,
	keys: KeyServer,
	mainCredential: { id: string; name: string },
): { credentials: CredentialImport[]; workflows: WorkflowImport[] } {
	const credentials = KEY_SCENARIOS.map((s) =>
		keySourceCredential(s.credentialId, simOrigin, keys.configurationUrl(s.scenario)),
	);
	const workflows = [
		...KEY_SCENARIOS.map((s, i) =>
			extraTriggerWorkflow(s.workflowId, `Trigger suite: keys ${s.scenario}`, s.webhookId, {
				id: s.credentialId,
				name: credentials[i]?.name ?? '',
			}),
		),
		extraTriggerWorkflow(LOAD_WORKFLOW_ID, 'Trigger suite: load', LOAD_WEBHOOK_ID, mainCredential),
		baselineWorkflow(),
	];
	return { credentials, workflows };
}

export const BASELINE_WORKFLOW_ID = 'trigE2eBaseline1';
const BASELINE_PATH = 'trigger-load-baseline';

/**
 * n8n's own Webhook node (answers when received) alone in a workflow: the same load against it
 * shows what n8n itself costs on this machine, so the trigger's figures can be read against it.
 */
function baselineWorkflow(): WorkflowImport {
	return {
		id: BASELINE_WORKFLOW_ID,
		name: 'Trigger suite: load baseline (n8n Webhook node)',
		active: true,
		settings: { executionOrder: 'v1' },
		nodes: [
			{
				id: 'c0ffee00-0000-4000-8000-000000000001',
				name: 'Webhook',
				type: 'n8n-nodes-base.webhook',
				typeVersion: 2,
				position: [0, 0],
				webhookId: 'c0ffee00-1111-4111-8111-000000000000',
				parameters: {
					httpMethod: 'POST',
					path: BASELINE_PATH,
					responseMode: 'onReceived',
					options: {},
				},
			},
		],
		connections: {},
	};
}

export const HARDENING_WORKFLOW_IDS = [
	...KEY_SCENARIOS.map((s) => s.workflowId),
	LOAD_WORKFLOW_ID,
	BASELINE_WORKFLOW_ID,
];

export interface HardeningWorld {
	sim: GraphSimulator;
	keys: KeyServer;
	ex: Executions;
	caPem: string;
	n8nUrl: string;
	check: Check;
}

function envelope(callId: string, state = 'established'): string {
	return JSON.stringify({
		'@odata.type': '#microsoft.graph.commsNotifications',
		value: [
			{
				'@odata.type': '#microsoft.graph.commsNotification',
				changeType: 'updated',
				resourceUrl: `/communications/calls/${callId}`,
				resourceData: { '@odata.type': '#microsoft.graph.call', state },
			},
		],
	});
}

async function post(
	w: HardeningWorld,
	url: string,
	token: string,
	body: string,
): Promise<{ status: number; ms: number; text: string }> {
	const started = Date.now();
	const r = await httpsRequest(url, w.caPem, {
		method: 'POST',
		headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
		body,
		timeoutMs: 60_000,
	});
	return { status: r.status, ms: Date.now() - started, text: r.text };
}

/**
 * The load's POST: over a keep-alive agent (as a sender of many notifications keeps its
 * connections), so the figures measure n8n and the trigger rather than 1,000 TLS handshakes.
 * No socket limit: arrivals follow the clock, not n8n's answers (an answer time that included
 * waiting for a free socket here would measure this client).
 */
async function postKeptAlive(
	agent: https.Agent,
	url: string,
	token: string,
	body: string,
): Promise<{ status: number; ms: number; text: string }> {
	const started = Date.now();
	return await new Promise((resolve) => {
		const req = https.request(
			url,
			{
				method: 'POST',
				agent,
				headers: {
					'content-type': 'application/json',
					authorization: `Bearer ${token}`,
					'content-length': Buffer.byteLength(body),
				},
				timeout: 60_000,
			},
			(res) => {
				const chunks: Buffer[] = [];
				res.on('data', (c: Buffer) => chunks.push(c));
				res.on('end', () =>
					resolve({
						status: res.statusCode ?? 0,
						ms: Date.now() - started,
						text: Buffer.concat(chunks).toString('utf8'),
					}),
				);
			},
		);
		req.on('timeout', () => req.destroy(new Error('timed out')));
		req.on('error', (e) => resolve({ status: 0, ms: Date.now() - started, text: e.message }));
		req.end(body);
	});
}

const sleep = async (ms: number): Promise<void> => await new Promise((r) => setTimeout(r, ms));

/** Redirects to http are not followed, nothing is fetched over http, no execution starts. */
export async function scenarioKeyRedirects(w: HardeningWorld): Promise<void> {
	for (const s of KEY_SCENARIOS.filter((k) => k.scenario !== 'hang')) {
		const r = await post(
			w,
			webhookUrl(w.n8nUrl, s.webhookId),
			w.keys.signToken(),
			envelope(`redir-${s.scenario}`),
		);
		w.check(
			`${s.scenario}: a token signed with the key served behind the redirect → 503, not accepted`,
			r.status === 503,
			`HTTP ${r.status} ${r.text.slice(0, 160)}`,
		);
		w.check(
			`${s.scenario}: n8n fetched nothing over plain http`,
			w.keys.count(s.scenario, undefined, 'http') === 0,
			`${w.keys.count(s.scenario, undefined, 'http')} http request(s)`,
		);
	}
	await sleep(2_000);
	for (const s of KEY_SCENARIOS.filter((k) => k.scenario !== 'hang')) {
		const runs = await w.ex.list(s.workflowId);
		w.check(`${s.scenario}: no execution`, runs.length === 0, `${runs.length} execution(s)`);
	}
}

/** A hanging key endpoint: the first requests wait at most ~2 s, the next ones not at all; one fetch. */
export async function scenarioHangingKeys(w: HardeningWorld): Promise<void> {
	const s = KEY_SCENARIOS.find((k) => k.scenario === 'hang');
	if (s === undefined) return;
	const url = webhookUrl(w.n8nUrl, s.webhookId);
	const first = await Promise.all(
		Array.from(
			{ length: 5 },
			async (_, i) => await post(w, url, w.keys.signToken(), envelope(`hang-${i}`)),
		),
	);
	w.check(
		'hanging key endpoint: 5 concurrent requests each answered 503 within 3.5 s (was ≈10 s each)',
		first.every((r) => r.status === 503 && r.ms < 3_500),
		JSON.stringify(first.map((r) => `${r.status}/${r.ms}ms`)),
	);
	await sleep(1_500); // the fetch's own 3 s timeout has passed
	const later: Array<{ status: number; ms: number }> = [];
	for (let i = 0; i < 5; i++)
		later.push(await post(w, url, w.keys.signToken(), envelope(`hang-later-${i}`)));
	w.check(
		'hanging key endpoint: the next 5 answered 503 at once (< 1 s), no new fetch',
		later.every((r) => r.status === 503 && r.ms < 1_000),
		JSON.stringify(later.map((r) => `${r.status}/${r.ms}ms`)),
	);
	w.check(
		'hanging key endpoint: one configuration request for all ten',
		w.keys.count('hang', 'openid') === 1,
		`${w.keys.count('hang', 'openid')} request(s)`,
	);
	const runs = await w.ex.list(s.workflowId);
	w.check('hanging key endpoint: no execution', runs.length === 0, `${runs.length} execution(s)`);
}

/** The same token and body three times: three 202s, one execution. */
export async function scenarioReplay(
	w: HardeningWorld,
	triggerUrl: string,
	newExecutionCallIds: () => Promise<string[]>,
): Promise<void> {
	const token = w.sim.callbacks.signToken(DEFAULT_CLIENT_ID, DEFAULT_TENANT_ID);
	const body = envelope('replayed-call');
	const answers: number[] = [];
	for (let i = 0; i < 3; i++) answers.push((await post(w, triggerUrl, token, body)).status);
	w.check(
		'replay: the same notification 3 times → 202 each',
		answers.every((s) => s === 202),
		JSON.stringify(answers),
	);
	await sleep(3_000);
	const callIds = await newExecutionCallIds();
	w.check(
		'replay: exactly one execution (was three)',
		callIds.length === 1 && callIds[0] === 'replayed-call',
		JSON.stringify(callIds),
	);
}

export interface BaselineFigures {
	posted: number;
	answered200: number;
	p50Ms: number;
	p99Ms: number;
	postingSeconds: number;
	secondsUntilAllExecuted: number;
}

/** The same arrivals against n8n's Webhook node: n8n's own answer times and throughput here. */
export async function scenarioBaselineLoad(
	w: HardeningWorld,
	count = 1_000,
	spanMs = 10_000,
): Promise<BaselineFigures> {
	const url = `${w.n8nUrl}/webhook/${BASELINE_PATH}`;
	const agent = new https.Agent({ keepAlive: true, ca: w.caPem });
	const started = Date.now();
	const results = await Promise.all(
		Array.from({ length: count }, async (_, i) => {
			await sleep(Math.max(0, started + (i * spanMs) / count - Date.now()));
			return await postKeptAlive(agent, url, 'not-checked', envelope(`baseline-${i}`));
		}),
	);
	agent.destroy();
	const postingSeconds = (Date.now() - started) / 1000;
	const times = results.map((r) => r.ms).sort((a, b) => a - b);
	const answered200 = results.filter((r) => r.status === 200).length;
	w.check(
		`baseline: n8n's Webhook node answered all ${count}`,
		answered200 === count,
		`${answered200} × 200`,
	);
	const deadline = Date.now() + 300_000;
	let done = (await w.ex.listAll(BASELINE_WORKFLOW_ID)).filter(
		(e) => e.status === 'success',
	).length;
	while (done < count && Date.now() < deadline) {
		await sleep(2_000);
		done = (await w.ex.listAll(BASELINE_WORKFLOW_ID)).filter((e) => e.status === 'success').length;
	}
	return {
		posted: count,
		answered200,
		p50Ms: percentile(times, 50),
		p99Ms: percentile(times, 99),
		postingSeconds,
		secondsUntilAllExecuted: (Date.now() - started) / 1000,
	};
}

export interface LoadFigures {
	posted: number;
	answered202: number;
	p50Ms: number;
	p99Ms: number;
	maxMs: number;
	postingSeconds: number;
	executions: number;
	distinctCallIds: number;
	secondsUntilAllExecuted: number;
	configurationFetchesDuringLoad: number;
	configurationFetchesInRun: number;
}

function percentile(sorted: number[], p: number): number {
	if (sorted.length === 0) return 0;
	return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
}

/** 1,000 signed notifications in 10 s (one every 10 ms): answers, executions, key fetches. */
export async function scenarioLoad(
	w: HardeningWorld,
	count = 1_000,
	spanMs = 10_000,
): Promise<LoadFigures> {
	const url = webhookUrl(w.n8nUrl, LOAD_WEBHOOK_ID);
	const configFetches = () =>
		w.sim.requests.filter((r) => r.path.toLowerCase() === '/v1/.well-known/openidconfiguration')
			.length;
	const tokens = Array.from({ length: count }, () =>
		w.sim.callbacks.signToken(DEFAULT_CLIENT_ID, DEFAULT_TENANT_ID),
	);
	const fetchesBefore = configFetches();
	const agent = new https.Agent({ keepAlive: true, ca: w.caPem });
	const started = Date.now();
	const results = await Promise.all(
		tokens.map(async (token, i) => {
			await sleep(Math.max(0, started + (i * spanMs) / count - Date.now()));
			return await postKeptAlive(agent, url, token, envelope(`load-${i}`));
		}),
	);
	agent.destroy();
	const postingSeconds = (Date.now() - started) / 1000;
	const times = results.map((r) => r.ms).sort((a, b) => a - b);
	const answered202 = results.filter((r) => r.status === 202).length;
	w.check(
		`load: all ${count} notifications answered 202`,
		answered202 === count,
		`${answered202} × 202; others ${JSON.stringify(results.filter((r) => r.status !== 202).slice(0, 5))}`,
	);
	// Every accepted notification must become one execution: wait for all of them.
	const deadline = Date.now() + 300_000;
	let executions = await w.ex.listAll(LOAD_WORKFLOW_ID);
	while (executions.filter((e) => e.status === 'success').length < count && Date.now() < deadline) {
		await sleep(2_000);
		executions = await w.ex.listAll(LOAD_WORKFLOW_ID);
	}
	const secondsUntilAllExecuted = (Date.now() - started) / 1000;
	const callIds: string[] = [];
	const queue = [...executions];
	await Promise.all(
		Array.from({ length: 8 }, async () => {
			for (let e = queue.shift(); e !== undefined; e = queue.shift()) {
				const detail = await w.ex.get(e.id);
				const items = detail.runData[TRIGGER_NODE]?.[0]?.main[0] ?? [];
				for (const item of items) callIds.push(String(item.json.callId));
			}
		}),
	);
	const distinct = new Set(callIds);
	w.check(
		`load: ${count} executions, each one notification, none lost, none twice`,
		executions.length === count &&
			executions.every((e) => e.status === 'success') &&
			callIds.length === count &&
			distinct.size === count &&
			Array.from({ length: count }, (_, i) => `load-${i}`).every((id) => distinct.has(id)),
		`${executions.length} executions (${executions.filter((e) => e.status === 'success').length} success), ${callIds.length} items, ${distinct.size} distinct call IDs`,
	);
	const duringLoad = configFetches() - fetchesBefore;
	w.check(
		'load: no key fetch during the load (keys cached)',
		duringLoad === 0,
		`${duringLoad} fetch(es)`,
	);
	w.check(
		'load: the OpenID configuration was fetched once in the whole run',
		configFetches() === 1,
		`${configFetches()} fetch(es)`,
	);
	return {
		posted: count,
		answered202,
		p50Ms: percentile(times, 50),
		p99Ms: percentile(times, 99),
		maxMs: times.at(-1) ?? 0,
		postingSeconds,
		executions: executions.length,
		distinctCallIds: distinct.size,
		secondsUntilAllExecuted,
		configurationFetchesDuringLoad: duringLoad,
		configurationFetchesInRun: configFetches(),
	};
}
