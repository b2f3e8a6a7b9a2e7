/**
 * Trigger suite (the real-n8n part): the Microsoft Graph Calls Trigger and the
 * "escalate when unanswered" example inside real n8n, the Graph simulator in this process, all on
 * 127.0.0.1. n8n runs over https (certificate from the simulator's test CA) so that Call › Create
 * accepts the trigger's own Production URL as its Callback URL — see https.ts.
 *
 *   1. An active workflow with the trigger (production webhook) receives the simulator's signed
 *      notifications for calls the example creates and invites into: one execution per POST, with
 *      the call state, roster update and operation result (clientContext) items.
 *   2. Forged notifications (wrong signature, wrong audience, expired, other tenant, no
 *      Authorization) POSTed to the production URL: 401, no execution (executions list via REST);
 *      a correctly signed one right after: 202 and exactly one execution (the control).
 *   3. examples/escalate-when-unanswered.json run as a manual execution (the editor's
 *      POST /rest/workflows/:id/run): engineer never answers → IF true → backup invited once;
 *      engineer answers → no backup. Asserted on the simulator's invitations and the execution's data.
 *   4. Replay: the same token and body posted three times → 202 each, one execution.
 *   5. Key source (hardening.ts): OpenID configuration or JWKS redirecting to plain http →
 *      503, nothing fetched over http; a hanging key endpoint → answers within ~2 s, then at once.
 *   6. Load: 1,000 signed notifications in 10 s → every one 202, one execution each,
 *      none lost, keys fetched once; p50/p99 answer times printed and written to the results file.
 *
 * Run: `npm run test:e2e:trigger [-- 1|2 ...]` (default: both lines, 1.123.50 then 2.41.1);
 * `-- queue` adds (or, without a line, runs only) the queue-mode load of queue.ts.
 * Prints the time of every phase and `N passed, N failed`; exits 1 on any failure.
 * User folders and logs are kept on failure or with E2E_KEEP=1 (paths printed).
 */
import { generateKeyPairSync } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ensureN8n, type Line } from '../harness/install';
import {
	freePort,
	importCredentials,
	importWorkflows,
	makeCtx,
	n8nCli,
	untilWebhookRegistered,
	type N8nCtx,
} from '../harness/n8n';
import { installPackageInto, packRepo } from '../harness/package';
import { e2eDir } from '../harness/paths';
import { Executions, itemsOf, type ExecutionDetail } from './executions';
import {
	httpsRequest,
	Rest,
	startHttpsServer,
	writeTlsFiles,
	type HttpsN8nServer,
} from '../harness/https';
import {
	createCertificateAuthority,
	DEFAULT_CLIENT_ID,
	DEFAULT_TENANT_ID,
	issueServerCertificate,
	startGraphSimulator,
	writeCaFiles,
	type GraphSimulator,
	type NotificationDelivery,
} from './simulator';
import { startKeyServer, type KeyServer } from '../../support/keyServer';
import { runQueueLoad } from './queue';
import {
	hardeningImports,
	HARDENING_WORKFLOW_IDS,
	scenarioHangingKeys,
	scenarioKeyRedirects,
	scenarioBaselineLoad,
	scenarioLoad,
	scenarioReplay,
	type BaselineFigures,
	type HardeningWorld,
	type LoadFigures,
} from './hardening';
import {
	BACKUP,
	BACKUP_NODE,
	CREATE_NODE,
	CREDENTIAL_ID,
	CREDENTIAL_NAME,
	ENGINEER,
	ESCALATE_WORKFLOW_ID,
	escalateWorkflow,
	graphCredential,
	IF_NODE,
	MANUAL_TRIGGER,
	RING_NODE,
	TRIGGER_NODE,
	TRIGGER_WORKFLOW_ID,
	triggerProductionUrl,
	triggerWorkflow,
} from './workflows';
import { finishSuite, runSuite } from '../harness/suite';

/** The invite waits of the example, shortened from 60 s (see workflows.ts). */
const INVITE_WAIT_SECONDS = 8;
/** The simulator fails an unanswered invite after this (its notification then reaches the trigger during the wait). */
const NO_ANSWER_MS = 4_000;
const ANSWER_DELAY_MS = 1_500;
const OTHER_TENANT = '5810cede-f3cc-42eb-b2c1-e9bd5d53ec96';

// ---------------------------------------------------------------------------------------------
// checks and timings

interface Check {
	line: string;
	scenario: string;
	name: string;
	ok: boolean;
	detail: string;
}
const checks: Check[] = [];
let currentLine = '';
let currentScenario = '';

function check(name: string, ok: boolean, detail = ''): boolean {
	checks.push({ line: currentLine, scenario: currentScenario, name, ok, detail });
	console.log(`${ok ? '  ok  ' : '  FAIL'} ${name}${detail === '' ? '' : ` — ${detail}`}`);
	return ok;
}

const timings: [string, number][] = [];
const loadFigures: Record<string, LoadFigures> = {};
const baselineFigures: Record<string, BaselineFigures> = {};
async function phase<T>(name: string, fn: () => Promise<T>): Promise<T> {
	const started = Date.now();
	console.log(`::: [${currentLine}] ${name}`);
	try {
		return await fn();
	} finally {
		const s = (Date.now() - started) / 1000;
		timings.push([`[${currentLine}] ${name}`, s]);
		console.log(`    (${s.toFixed(1)} s)`);
	}
}

const sleep = async (ms: number): Promise<void> => await new Promise((r) => setTimeout(r, ms));

function obj(v: unknown): Record<string, unknown> {
	return typeof v === 'object' && v !== null && !Array.isArray(v)
		? (v as Record<string, unknown>)
		: {};
}

// ---------------------------------------------------------------------------------------------
// n8n set-up

async function cliOk(ctx: N8nCtx, args: string[]): Promise<void> {
	const r = await n8nCli(ctx, args, 180_000);
	if (r.code !== 0)
		throw new Error(
			`n8n ${args.join(' ')} exited ${r.code ?? r.signal}:\n${`${r.stdout}\n${r.stderr}`.trim().split('\n').slice(-20).join('\n')}`,
		);
}

/**
 * Activate before the server starts. `import:workflow --activeState=fromJson` is refused outside
 * queue mode on both lines; 1.x has `update:workflow --active=true`, 2.x publishes the current
 * version (`publish:workflow`, its notion of "active").
 */
async function activate(ctx: N8nCtx, workflowId: string): Promise<void> {
	if (ctx.inst.line === '1')
		await cliOk(ctx, ['update:workflow', `--id=${workflowId}`, '--active=true']);
	else await cliOk(ctx, ['publish:workflow', `--id=${workflowId}`]);
}

/** The editor's "Execute workflow": POST /rest/workflows/:id/run from the Manual Trigger; returns the execution id. */
async function runManually(rest: Rest, workflowId: string): Promise<string> {
	const wf = await rest.get<{ data?: Record<string, unknown> }>(`/rest/workflows/${workflowId}`);
	if (wf.status !== 200 || wf.body.data === undefined)
		throw new Error(`GET /rest/workflows/${workflowId} -> ${wf.status}`);
	// 1.x reads workflowData from the body; 2.x reads the stored workflow and strips unknown keys.
	const r = await rest.post<{ data?: { executionId?: string; waitingForWebhook?: boolean } }>(
		`/rest/workflows/${workflowId}/run`,
		{
			workflowData: wf.body.data,
			triggerToStartFrom: { name: MANUAL_TRIGGER },
		},
	);
	const id = r.body.data?.executionId;
	if (r.status !== 200 || id === undefined)
		throw new Error(
			`POST /rest/workflows/${workflowId}/run -> ${r.status}: ${JSON.stringify(r.body).slice(0, 400)}`,
		);
	return String(id);
}

// ---------------------------------------------------------------------------------------------
// the notifications the trigger emitted

interface TriggerItem {
	executionId: string;
	event: string;
	callId: string | null;
	status: string | null;
	clientContext: string | null;
	operationId: string | null;
	resultInfo: Record<string, unknown> | null;
	participants: Array<Record<string, unknown>>;
	tenantId: unknown;
	tokenClaims: Record<string, unknown>;
}

/** Items of every trigger execution with an id not in `seen` (which is updated). */
async function newTriggerItems(
	ex: Executions,
	seen: Set<string>,
): Promise<{ executions: ExecutionDetail[]; items: TriggerItem[] }> {
	const executions: ExecutionDetail[] = [];
	const items: TriggerItem[] = [];
	for (const summary of await ex.list(TRIGGER_WORKFLOW_ID)) {
		if (seen.has(summary.id)) continue;
		seen.add(summary.id);
		const detail = await ex.get(summary.id);
		executions.push(detail);
		for (const json of itemsOf(detail, TRIGGER_NODE) ?? []) {
			items.push({
				executionId: detail.id,
				event: String(json.event),
				callId: (json.callId as string | null) ?? null,
				status: (json.status as string | null) ?? null,
				clientContext: (json.clientContext as string | null) ?? null,
				operationId: (json.operationId as string | null) ?? null,
				resultInfo: json.resultInfo === null ? null : obj(json.resultInfo),
				participants: Array.isArray(json.participants)
					? (json.participants as Array<Record<string, unknown>>)
					: [],
				tenantId: json.tenantId,
				tokenClaims: obj(json.tokenClaims),
			});
		}
	}
	return { executions, items };
}

function deliveriesFor(sim: GraphSimulator, callId: string): NotificationDelivery[] {
	return sim.callbacks.deliveries.filter((d) => d.callId === callId);
}

function operationResultOf(d: NotificationDelivery, clientContext: string): boolean {
	const value = Array.isArray(d.body.value) ? (d.body.value as unknown[]) : [];
	return value.some((n) => obj(obj(n).resourceData).clientContext === clientContext);
}

function hasParticipant(item: TriggerItem, identityId: string): boolean {
	return item.participants.some((p) => p.identityId === identityId);
}

// ---------------------------------------------------------------------------------------------
// scenarios

interface LineWorld {
	sim: GraphSimulator;
	server: HttpsN8nServer;
	rest: Rest;
	ex: Executions;
	caPem: string;
	triggerUrl: string;
	seenTriggerExecutions: Set<string>;
}

function envelope(callId: string): Record<string, unknown> {
	return {
		'@odata.type': '#microsoft.graph.commsNotifications',
		value: [
			{
				'@odata.type': '#microsoft.graph.commsNotification',
				changeType: 'updated',
				resourceUrl: `/communications/calls/${callId}`,
				resourceData: { '@odata.type': '#microsoft.graph.call', state: 'established' },
			},
		],
	};
}

async function postNotification(
	w: LineWorld,
	token: string | undefined,
	callId: string,
): Promise<{ status: number; text: string }> {
	const headers: Record<string, string> = { 'content-type': 'application/json' };
	if (token !== undefined) headers.authorization = `Bearer ${token}`;
	const r = await httpsRequest(w.triggerUrl, w.caPem, {
		method: 'POST',
		headers,
		body: JSON.stringify(envelope(callId)),
	});
	return { status: r.status, text: r.text };
}

async function scenarioForgeries(w: LineWorld): Promise<void> {
	const { sim, ex } = w;
	const before = await ex.list(TRIGGER_WORKFLOW_ID);
	check('the trigger workflow has no execution yet', before.length === 0, `${before.length}`);
	const otherKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
	const now = Math.floor(Date.now() / 1000);
	const forgeries: Array<[string, string | undefined]> = [
		[
			'wrong signature (another key, the published kid)',
			sim.callbacks.signToken(DEFAULT_CLIENT_ID, DEFAULT_TENANT_ID, { privateKey: otherKey }),
		],
		[
			'wrong audience (another app)',
			sim.callbacks.signToken(DEFAULT_CLIENT_ID, DEFAULT_TENANT_ID, {
				claims: { aud: '11111111-2222-4333-8444-555555555555' },
			}),
		],
		[
			'expired an hour ago',
			sim.callbacks.signToken(DEFAULT_CLIENT_ID, DEFAULT_TENANT_ID, {
				claims: { iat: now - 7200, nbf: now - 7200, exp: now - 3600 },
			}),
		],
		['another tenant (tid)', sim.callbacks.signToken(DEFAULT_CLIENT_ID, OTHER_TENANT)],
		['no Authorization header', undefined],
	];
	for (const [i, [name, token]] of forgeries.entries()) {
		const marker = `forged-call-${i}-${name.split(' ')[0] ?? ''}`;
		const r = await postNotification(w, token, marker);
		check(
			`forgery "${name}" → 401, body echoes nothing`,
			r.status === 401 && !r.text.includes(marker),
			`HTTP ${r.status} ${r.text.slice(0, 120)}`,
		);
	}
	const control = await postNotification(
		w,
		sim.callbacks.signToken(DEFAULT_CLIENT_ID, DEFAULT_TENANT_ID),
		'control-call',
	);
	check(
		'control: a correctly signed notification → 202',
		control.status === 202,
		`HTTP ${control.status}`,
	);
	await ex.waitForCount(TRIGGER_WORKFLOW_ID, 1, 30_000);
	await sleep(3_000); // room for any execution a forgery might (wrongly) have started
	const { executions, items } = await newTriggerItems(ex, w.seenTriggerExecutions);
	check(
		'exactly one execution: the control (none for the 5 forgeries)',
		executions.length === 1 && items.length === 1 && items[0]?.callId === 'control-call',
		`${executions.length} execution(s); callIds ${JSON.stringify(items.map((i) => i.callId))}`,
	);
	check(
		'the control execution succeeded, mode webhook',
		executions[0]?.status === 'success' && executions[0]?.mode === 'webhook',
		`${executions[0]?.status}/${executions[0]?.mode}`,
	);
}

interface EscalateRun {
	exec: ExecutionDetail;
	callId: string;
}

async function runEscalate(w: LineWorld, label: string): Promise<EscalateRun | undefined> {
	const id = await runManually(w.rest, ESCALATE_WORKFLOW_ID);
	const exec = await w.ex.waitFinished(id, 120_000);
	const callId = String(itemsOf(exec, CREATE_NODE)?.[0]?.id ?? '');
	check(
		`${label}: the manual execution finished with success`,
		exec.status === 'success' && exec.mode === 'manual',
		`execution ${id}: ${exec.status}/${exec.mode}${exec.error !== undefined ? ` — ${String(obj(exec.error).message ?? JSON.stringify(exec.error).slice(0, 300))} (node ${String(obj(obj(exec.error).node).name ?? '?')})` : ''}`,
	);
	if (
		!check(
			`${label}: Join incident bridge created a call and waited for "established"`,
			callId !== '' && obj(itemsOf(exec, CREATE_NODE)?.[0]?.outcome).status === 'established',
			`call ${callId}, outcome ${JSON.stringify(itemsOf(exec, CREATE_NODE)?.[0]?.outcome)}`,
		)
	)
		return undefined;
	return { exec, callId };
}

/** The notifications of one call, delivered and turned into trigger executions. */
async function triggerSide(
	w: LineWorld,
	callId: string,
	until: (ds: NotificationDelivery[]) => boolean,
): Promise<{
	deliveries: NotificationDelivery[];
	items: TriggerItem[];
	executions: ExecutionDetail[];
}> {
	await w.sim.callbacks
		.waitForDeliveries((all) => until(all.filter((d) => d.callId === callId)), 30_000)
		.catch(() => undefined);
	const deliveries = deliveriesFor(w.sim, callId);
	const expected = w.seenTriggerExecutions.size + deliveries.filter((d) => d.status === 202).length;
	await w.ex.waitForCount(TRIGGER_WORKFLOW_ID, expected, 30_000);
	const { executions, items } = await newTriggerItems(w.ex, w.seenTriggerExecutions);
	return { deliveries, items, executions };
}

function checkDelivered(
	label: string,
	deliveries: NotificationDelivery[],
	executions: ExecutionDetail[],
	w: LineWorld,
): void {
	check(
		`${label}: every notification POSTed to the trigger's https production URL was answered 202`,
		deliveries.length > 0 &&
			deliveries.every((d) => d.url === w.triggerUrl && d.skipped !== true && d.status === 202),
		JSON.stringify(
			deliveries.map((d) => d.status ?? d.error ?? (d.skipped === true ? 'skipped' : '?')),
		),
	);
	check(
		`${label}: one successful trigger execution per notification POST`,
		executions.length === deliveries.length &&
			executions.every((e) => e.status === 'success' && e.mode === 'webhook'),
		`${executions.length} execution(s) for ${deliveries.length} POST(s): ${JSON.stringify(executions.map((e) => e.status))}`,
	);
}

async function scenarioAnswered(w: LineWorld): Promise<void> {
	const { sim } = w;
	Object.assign(sim.callbacks.knobs, {
		answerDelayMs: ANSWER_DELAY_MS,
		neverAnswer: [],
		noAnswerTimeoutMs: NO_ANSWER_MS,
		establishDelayMs: 0,
	});
	currentScenario = '3 escalate: engineer answers';
	const run = await phase(
		'scenario 3b: example, the engineer answers after 1.5 s',
		async () => await runEscalate(w, 'answered'),
	);
	if (run === undefined) return;
	const { exec, callId } = run;
	const ring = itemsOf(exec, RING_NODE)?.[0];
	check(
		'answered: Ring on-call engineer → outcome joined',
		obj(ring?.outcome).status === 'joined',
		JSON.stringify(ring?.outcome),
	);
	const ifTrue = itemsOf(exec, IF_NODE, 0) ?? [];
	const ifFalse = itemsOf(exec, IF_NODE, 1) ?? [];
	check(
		'answered: the real IF node sent the item to its false branch',
		ifTrue.length === 0 && ifFalse.length === 1,
		`true ${ifTrue.length}, false ${ifFalse.length}`,
	);
	check('answered: Call the backup did not run', exec.runData[BACKUP_NODE] === undefined);
	check(
		'answered: simulator — engineer invited once, backup never',
		sim.inviteCount(callId, `user:${ENGINEER}`) === 1 &&
			sim.inviteCount(callId, `user:${BACKUP}`) === 0,
		`engineer ${sim.inviteCount(callId, `user:${ENGINEER}`)}, backup ${sim.inviteCount(callId, `user:${BACKUP}`)}`,
	);

	currentScenario = '1 trigger receives notifications';
	await phase('scenario 1: the trigger received the notifications of that call', async () => {
		const { deliveries, items, executions } = await triggerSide(
			w,
			callId,
			(ds) =>
				ds.some((d) => operationResultOf(d, 'escalation-primary')) &&
				ds.every((d) => d.status !== undefined || d.error !== undefined),
		);
		checkDelivered('answered call', deliveries, executions, w);
		const mine = items.filter((i) => i.callId === callId);
		const established = mine.find(
			(i) => i.event === 'callStateChanged' && i.status === 'established',
		);
		check(
			'item: callStateChanged "established" for the created call',
			established !== undefined,
			JSON.stringify(mine.map((i) => `${i.event}:${i.status}`)),
		);
		const roster = mine.find((i) => i.event === 'rosterUpdated' && hasParticipant(i, ENGINEER));
		check(
			'item: rosterUpdated listing the engineer (user) who joined',
			roster !== undefined &&
				roster.participants.some((p) => p.identityId === ENGINEER && p.identityKind === 'user'),
			JSON.stringify(roster?.participants),
		);
		const result = mine.find(
			(i) => i.event === 'operationResult' && i.clientContext === 'escalation-primary',
		);
		const ringOperationId = String(itemsOf(exec, RING_NODE)?.[0]?.id ?? '');
		check(
			'item: operationResult completed (no resultInfo, as participant-invite.md shows it), clientContext "escalation-primary", the operation id the Invite node returned',
			result !== undefined &&
				result.status === 'completed' &&
				result.resultInfo === null &&
				result.operationId === ringOperationId,
			JSON.stringify(
				result === undefined
					? mine.map((i) => i.event)
					: {
							status: result.status,
							resultInfo: result.resultInfo,
							operationId: result.operationId,
							ringOperationId,
						},
			),
		);
		check(
			'items carry the verified tenant and token claims (iss api.botframework.com, aud = client id, tid)',
			mine.length > 0 &&
				mine.every(
					(i) =>
						i.tenantId === DEFAULT_TENANT_ID &&
						i.tokenClaims.issuer === 'https://api.botframework.com' &&
						i.tokenClaims.audience === DEFAULT_CLIENT_ID &&
						i.tokenClaims.tenantId === DEFAULT_TENANT_ID,
				),
			JSON.stringify(mine[0]?.tokenClaims),
		);
		check(
			'no item of another call in these executions',
			items.every((i) => i.callId === callId),
			JSON.stringify([...new Set(items.map((i) => i.callId))]),
		);
	});
}

async function scenarioUnanswered(w: LineWorld): Promise<void> {
	const { sim } = w;
	Object.assign(sim.callbacks.knobs, {
		answerDelayMs: 0,
		neverAnswer: [`user:${ENGINEER}`],
		noAnswerTimeoutMs: NO_ANSWER_MS,
		establishDelayMs: 0,
	});
	currentScenario = '3 escalate: engineer never answers';
	const run = await phase(
		`scenario 3a: example, the engineer never answers (invite fails after ${NO_ANSWER_MS / 1000} s, wait ${INVITE_WAIT_SECONDS} s)`,
		async () => await runEscalate(w, 'unanswered'),
	);
	if (run === undefined) return;
	const { exec, callId } = run;
	const ring = itemsOf(exec, RING_NODE)?.[0];
	const ringOutcome = obj(ring?.outcome);
	check(
		'unanswered: Ring on-call engineer → outcome notJoined, the engineer missing',
		ringOutcome.status === 'notJoined' &&
			JSON.stringify(ringOutcome.missing ?? '').includes(ENGINEER),
		JSON.stringify(ringOutcome),
	);
	const ifTrue = itemsOf(exec, IF_NODE, 0) ?? [];
	const ifFalse = itemsOf(exec, IF_NODE, 1) ?? [];
	check(
		'unanswered: the real IF node sent the item to its true branch',
		ifTrue.length === 1 && ifFalse.length === 0,
		`true ${ifTrue.length}, false ${ifFalse.length}`,
	);
	const backup = itemsOf(exec, BACKUP_NODE);
	check(
		'unanswered: Call the backup ran once → outcome joined',
		backup?.length === 1 && obj(backup[0]?.outcome).status === 'joined',
		JSON.stringify(backup?.map((b) => b.outcome)),
	);
	const inv = sim.invitations.filter((i) => i.callId === callId);
	check(
		'unanswered: simulator — engineer invited once, backup invited exactly once, nobody else',
		sim.inviteCount(callId, `user:${ENGINEER}`) === 1 &&
			sim.inviteCount(callId, `user:${BACKUP}`) === 1 &&
			inv.length === 2,
		JSON.stringify(inv.map((i) => `${i.identityKind}:${i.identityId}`)),
	);

	currentScenario = '1 trigger receives notifications';
	await phase(
		'scenario 1: the trigger received the failed and the backup invite results',
		async () => {
			const { deliveries, items, executions } = await triggerSide(
				w,
				callId,
				(ds) =>
					ds.some((d) => operationResultOf(d, 'escalation-primary')) &&
					ds.some((d) => operationResultOf(d, 'escalation-backup')) &&
					ds.every((d) => d.status !== undefined || d.error !== undefined),
			);
			checkDelivered('unanswered call', deliveries, executions, w);
			const mine = items.filter((i) => i.callId === callId);
			const failed = mine.find(
				(i) => i.event === 'operationResult' && i.clientContext === 'escalation-primary',
			);
			check(
				'item: operationResult failed, resultInfo 408 (not answered), clientContext "escalation-primary"',
				failed?.status === 'failed' && failed.resultInfo?.code === 408,
				JSON.stringify(
					failed === undefined
						? mine.map((i) => i.event)
						: { status: failed.status, resultInfo: failed.resultInfo },
				),
			);
			const ok = mine.find(
				(i) => i.event === 'operationResult' && i.clientContext === 'escalation-backup',
			);
			check(
				'item: operationResult completed (no resultInfo), clientContext "escalation-backup"',
				ok?.status === 'completed' && ok.resultInfo === null,
				JSON.stringify(ok === undefined ? null : { status: ok.status, resultInfo: ok.resultInfo }),
			);
			const roster = mine.filter((i) => i.event === 'rosterUpdated');
			check(
				'item: rosterUpdated with the backup, never the engineer',
				roster.some((i) => hasParticipant(i, BACKUP)) &&
					!roster.some((i) => hasParticipant(i, ENGINEER)),
				JSON.stringify(roster.map((r) => r.participants.map((p) => p.identityId))),
			);
		},
	);
}

// ---------------------------------------------------------------------------------------------

async function runLine(line: Line, tarball: string, baseDir: string): Promise<boolean> {
	currentScenario = 'setup';
	const inst = await ensureN8n(line);
	currentLine = `n8n ${inst.version}`;
	const dir = path.join(baseDir, `line-${line}`);
	const ca = createCertificateAuthority();
	const { certPath: caFile } = writeCaFiles(dir, ca);
	const tls = writeTlsFiles(dir, issueServerCertificate(ca));
	let sim: GraphSimulator | undefined;
	let keys: KeyServer | undefined;
	let server: HttpsN8nServer | undefined;
	let ctx: N8nCtx | undefined;
	const failedBefore = checks.filter((c) => !c.ok).length;
	try {
		const s = await phase(
			'Graph simulator (https, test CA)',
			async () => await startGraphSimulator({ ca }),
		);
		sim = s;
		const k = await startKeyServer({
			...issueServerCertificate(ca),
			audience: DEFAULT_CLIENT_ID,
			tenantId: DEFAULT_TENANT_ID,
		});
		keys = k;
		const port = await freePort();
		const n8nUrl = `https://127.0.0.1:${port}`;
		const triggerUrl = triggerProductionUrl(n8nUrl);
		const c = makeCtx(inst, { env: { NODE_EXTRA_CA_CERTS: caFile } });
		ctx = c;
		await phase(
			'install the package into a fresh user folder',
			async () => await installPackageInto(c.userFolder, tarball),
		);
		await phase('import credentials + workflows, activate the trigger workflows', async () => {
			const hardening = hardeningImports(s.origin, k, { id: CREDENTIAL_ID, name: CREDENTIAL_NAME });
			await importCredentials(c, [
				graphCredential(s.origin, s.callbacks.openIdConfigurationUrl),
				...hardening.credentials,
			]);
			await importWorkflows(c, [
				triggerWorkflow(),
				escalateWorkflow(triggerUrl, INVITE_WAIT_SECONDS),
				...hardening.workflows,
			]);
			for (const id of [TRIGGER_WORKFLOW_ID, ...HARDENING_WORKFLOW_IDS]) await activate(c, id);
		});
		server = await phase(
			`n8n start over https on ${n8nUrl}`,
			async () => await startHttpsServer(c, { ...tls, caPem: ca.certPem }, port),
		);
		const srv = server;
		const rest = new Rest(srv.url, ca.certPem);
		await phase('owner setup', async () => await rest.setupOwner());
		const w: LineWorld = {
			sim: s,
			server: srv,
			rest,
			ex: new Executions(rest, inst),
			caPem: ca.certPem,
			triggerUrl,
			seenTriggerExecutions: new Set(),
		};
		const wf = await rest.get<{ data?: { active?: boolean; activeVersionId?: string | null } }>(
			`/rest/workflows/${TRIGGER_WORKFLOW_ID}`,
		);
		check(
			'the trigger workflow is active in the server',
			wf.body.data?.active === true ||
				(typeof wf.body.data?.activeVersionId === 'string' && wf.body.data.activeVersionId !== ''),
			JSON.stringify({
				active: wf.body.data?.active,
				activeVersionId: wf.body.data?.activeVersionId,
			}),
		);
		// n8n 2.x reports the workflow active before its webhook is registered (a CI run on a
		// loaded machine got 404 on every scenario-2 request): wait for it, with a request the
		// trigger refuses (401) and that starts nothing.
		await phase(
			'the trigger webhook is registered',
			async () =>
				await untilWebhookRegistered(triggerUrl, 60_000, async (url) => {
					const answer = await httpsRequest(url, ca.certPem, {
						method: 'POST',
						headers: { 'content-type': 'application/json' },
						body: '{}',
					});
					return answer.status;
				}),
		);
		currentScenario = '2 forgeries';
		await phase(
			'scenario 2: forged notifications → 401, no execution',
			async () => await scenarioForgeries(w),
		);
		const hw: HardeningWorld = { sim: s, keys: k, ex: w.ex, caPem: ca.certPem, n8nUrl, check };
		currentScenario = '4 replay';
		await phase(
			'scenario 4: the same notification three times → one execution',
			async () =>
				await scenarioReplay(hw, triggerUrl, async () =>
					(await newTriggerItems(w.ex, w.seenTriggerExecutions)).items.map((i) => String(i.callId)),
				),
		);
		currentScenario = '5 key source';
		await phase(
			'scenario 5: key source redirecting to http',
			async () => await scenarioKeyRedirects(hw),
		);
		await phase('scenario 5: hanging key endpoint', async () => await scenarioHangingKeys(hw));
		if (process.env.E2E_TRIGGER_SKIP_EXAMPLE === undefined) {
			await scenarioAnswered(w);
			await scenarioUnanswered(w);
		}
		// The load runs on n8n 1.x only, unless E2E_TRIGGER_LOAD_ALL_LINES is set. On n8n 2.41.1
		// with SQLite, one clean-clone CI run on this 2-core machine (other suites running beside
		// it) answered 977 of the 1,000 notifications and let 23 time out after 63 s; n8n's own
		// REST API then answered 503 "Database is not ready!": n8n's SQLite database was
		// overwhelmed. Whether n8n's own Webhook node fares better there is not measured yet.
		// 1.x: 1,000 × 202; queue mode (Postgres) has its own load run.
		if (line === '1' || process.env.E2E_TRIGGER_LOAD_ALL_LINES !== undefined) {
			currentScenario = '6 load';
			const figures = await phase(
				'scenario 6: 1,000 signed notifications in 10 s',
				async () => await scenarioLoad(hw),
			);
			loadFigures[currentLine] = figures;
			console.log(`    load figures: ${JSON.stringify(figures)}`);
			const baseline = await phase(
				"scenario 6: the same load against n8n's own Webhook node (reference)",
				async () => await scenarioBaselineLoad(hw),
			);
			baselineFigures[currentLine] = baseline;
			console.log(`    baseline figures (n8n Webhook node): ${JSON.stringify(baseline)}`);
		}
		currentScenario = '2 forgeries';
		const refusals = (
			fs
				.readFileSync(srv.logFile, 'utf8')
				.match(/Microsoft Graph Calls Trigger: refused a notification/g) ?? []
		).length;
		console.log(
			`    n8n log: ${refusals} "refused a notification" line(s) (info level; the default log level is info)`,
		);
	} catch (e) {
		check('suite ran to the end', false, (e as Error).stack ?? String(e));
	} finally {
		await phase('teardown', async () => {
			await server?.stop();
			await keys?.close();
			await sim?.close();
		});
	}
	const ok = checks.filter((c) => !c.ok).length === failedBefore;
	if (!ok || process.env.E2E_KEEP !== undefined)
		console.log(
			`    kept for inspection: ${dir}; n8n user folder ${ctx?.userFolder ?? '?'} (log n8n-start-*.log)`,
		);
	return ok;
}

async function main(): Promise<void> {
	const started = Date.now();
	const queueMode = process.argv.slice(2).includes('queue');
	const args = process.argv.slice(2).filter((a) => a === '1' || a === '2') as Line[];
	const lines: Line[] = queueMode ? args : args.length > 0 ? args : ['1', '2'];
	const baseDir = fs.mkdtempSync(path.join(os.tmpdir(), 'e2e-trigger-'));
	currentLine = 'all';
	const tarball = await phase('build and npm pack the package', async () => await packRepo());
	const perLine: Record<string, boolean> = {};
	for (const line of lines) perLine[line] = await runLine(line, tarball, baseDir);
	if (queueMode) {
		currentLine = 'n8n 1.x queue mode';
		currentScenario = '7 queue-mode load';
		const failedBefore = checks.filter((c) => !c.ok).length;
		try {
			const figures = await runQueueLoad(tarball, baseDir, check, phase);
			if (figures !== undefined) {
				loadFigures[currentLine] = figures;
				console.log(`    queue load figures: ${JSON.stringify(figures)}`);
			}
		} catch (e) {
			check('queue-mode suite ran to the end', false, (e as Error).stack ?? String(e));
		}
		perLine.queue = checks.filter((c) => !c.ok).length === failedBefore;
	}
	const allOk = checks.every((c) => c.ok);
	if (allOk && process.env.E2E_KEEP === undefined)
		fs.rmSync(baseDir, { recursive: true, force: true });

	console.log('::: results per line and scenario');
	const groups = new Map<string, { passed: number; failed: number }>();
	for (const c of checks) {
		const key = `${c.line} | ${c.scenario}`;
		const g = groups.get(key) ?? { passed: 0, failed: 0 };
		if (c.ok) g.passed++;
		else g.failed++;
		groups.set(key, g);
	}
	for (const [key, g] of groups)
		console.log(
			`  ${g.failed === 0 ? 'PASS' : 'FAIL'}  ${key}: ${g.passed} passed, ${g.failed} failed`,
		);
	console.log('::: timings');
	for (const [name, s] of timings) console.log(`  ${s.toFixed(1).padStart(7)} s  ${name}`);
	const total = (Date.now() - started) / 1000;
	console.log(`  ${total.toFixed(1).padStart(7)} s  total`);
	fs.mkdirSync(e2eDir, { recursive: true });
	fs.writeFileSync(
		path.join(e2eDir, 'trigger-results.json'),
		`${JSON.stringify({ lines: perLine, checks, load: loadFigures, loadBaseline: baselineFigures, timings: Object.fromEntries(timings), totalSeconds: total, loadAverage: os.loadavg(), cpus: os.cpus().length }, null, 2)}\n`,
	);
	const passed = checks.filter((c) => c.ok).length;
	const failed = checks.length - passed;
	finishSuite(passed, failed);
}

runSuite(main);
