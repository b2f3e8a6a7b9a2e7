/**
 * `npm run test:e2e [-- 1|2]`: this package inside real n8n (1.123.50 on Node 20, 2.41.1 on
 * Node 24), against the Graph simulator, on 127.0.0.1 only.
 *
 * Once: `npm run build` and `npm pack`. Per n8n line: install n8n if needed (.e2e/, reused),
 * a fresh user folder with the tarball installed into .n8n/nodes as users do, the simulator,
 * two credentials (client secret, certificate) and the workflows of test/e2e/workflows/ plus
 * examples/incident-bridge.json imported, each run with `n8n execute --id`; then `n8n start` for
 * the editor's type lists and `/rest/credentials/test`; then a scan of everything n8n stored or
 * logged for secrets. Prints PASS/FAIL per scenario and line, the time of every step, and ends
 * with `N passed, N failed` (exit 1 on any failure).
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as net from 'node:net';
import * as path from 'node:path';
import {
	ensureN8n,
	installInfo,
	n8nInstalled,
	type Line,
	type N8nInstall,
} from './harness/install';
import {
	importWorkflows,
	importCredentials,
	executeWorkflow,
	makeCtx,
	startServer,
	type ExecuteResult,
	type N8nCtx,
	type N8nServer,
} from './harness/n8n';
import { fillCallbackUrls } from './harness/exampleWorkflows';
import { packRepo } from './harness/package';
import { PACKAGE_NAME, runReadmeInstall, type ReadmeInstallResult } from './harness/readmeInstall';
import { restGet, setupOwner, testCredential } from './harness/rest';
import { scanForSecrets, secretsToScanFor } from './secretScan';
import {
	createClientCertificate,
	defaultApp,
	defaultCall,
	DEFAULT_CALL_ID,
	DEFAULT_CLIENT_ID,
	DEFAULT_CLIENT_SECRET,
	DEFAULT_TENANT_ID,
	startGraphSimulator,
	writeFreshCa,
	type CertificateAuthority,
	type ClientCertificate,
	type GraphSimulator,
	type RecordedRequest,
} from './simulator';
import {
	CERT_CALL_ID,
	CERT_CLIENT_ID,
	CERT_CREDENTIAL,
	certificateCredential,
	certificateCredentialData,
	CREDENTIAL_TYPE,
	loadWorkflow,
	NODE_TYPE,
	nodeItems,
	nodesThatRan,
	runError,
	runStatus,
	SECRET_CREDENTIAL,
	secretCredential,
	secretCredentialData,
	useCredential,
	type OutputItem,
} from './world';
import { databaseFile, dumpDatabase } from './harness/db';
import { finishSuite, runSuite } from './harness/suite';

// ---------------------------------------------------------------------------------------------
// Reporting

interface Outcome {
	line: Line;
	name: string;
	ok: boolean;
	ms: number;
	detail?: string;
}

type Timings = Array<[step: string, ms: number]>;

const outcomes: Outcome[] = [];
const timingsByLine = new Map<Line, Timings>();
const secs = (ms: number): string => (ms / 1000).toFixed(1);

async function step<T>(line: Line | undefined, name: string, fn: () => Promise<T>): Promise<T> {
	const t0 = Date.now();
	try {
		return await fn();
	} finally {
		const ms = Date.now() - t0;
		if (line !== undefined) timingsByLine.get(line)?.push([name, ms]);
		console.log(`  · ${name}: ${secs(ms)} s`);
	}
}

function firstLines(text: string, n = 6): string {
	return text.split('\n').slice(0, n).join('\n');
}

// ---------------------------------------------------------------------------------------------
// The world of one n8n line

const USER_A = '278405a3-f568-4b3e-b684-009193463064';
const USER_B = '7e1b4346-85a6-4bdd-abe3-d11c5d420efe';
const GUEST = 'b2c3d4e5-0000-4000-8000-00000000aaaa';
const UNKNOWN_CALL = '9d0c7a52-0000-4000-8000-000000000404';
const WRONG_SECRET = 'e2e-wrong-secret-Zx81'; // also scanned for: a rejected secret must not be stored either

const WORKFLOW_FILES = [
	'documented-examples.json',
	'items.json',
	'graph-error.json',
	'continue-on-fail.json',
	'certificate.json',
	'demo.json',
];
const INCIDENT_BRIDGE_ID = 'e2eIncidentBridge';
/** What a user puts in the examples' empty Callback URL: their trigger's Production URL. */
const EXAMPLE_CALLBACK_URL = 'https://bot.contoso.com/api/calls';
/** A credential whose token endpoint is a closed port on loopback. */
const UNREACHABLE_CREDENTIAL = { id: 'e2eTokenRefused', name: 'Token endpoint refused' };
const TOKEN_REFUSED_ID = 'e2eTokenRefused';

/** A loopback port that was free a moment ago and is closed now: connecting to it is refused. */
async function closedPort(): Promise<number> {
	const server = net.createServer();
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const port = (server.address() as net.AddressInfo).port;
	await new Promise<void>((resolve) => server.close(() => resolve()));
	return port;
}

interface Execution {
	result: ExecuteResult;
	/** What the simulator received during this execution. */
	requests: RecordedRequest[];
	ms: number;
}

class LineWorld {
	readonly timings: Timings = [];
	/** stdout/stderr of every n8n command, for the secret scan. */
	readonly logs: Array<{ label: string; text: string }> = [];
	private readonly executions = new Map<string, Promise<Execution>>();
	private server: Promise<{ server: N8nServer; cookie: string }> | undefined;
	ctx!: N8nCtx;
	readmeInstall!: ReadmeInstallResult;
	refusedOrigin!: string;
	sim!: GraphSimulator;
	cert!: ClientCertificate;

	constructor(
		readonly line: Line,
		readonly tarball: string,
		readonly ca: { ca: CertificateAuthority; certPath: string },
	) {}

	async setUp(installing: Promise<N8nInstall>): Promise<void> {
		const warm = n8nInstalled(this.line);
		const inst = await step(
			this.line,
			warm ? 'n8n install (already there)' : 'n8n install (first run)',
			() => installing,
		);
		console.log(`  n8n ${inst.version} on ${inst.nodeBin}`);
		this.cert = createClientCertificate('e2e-certificate-credential');
		this.sim = await startGraphSimulator({
			ca: this.ca.ca,
			apps: [
				defaultApp(),
				{
					tenantId: DEFAULT_TENANT_ID,
					clientId: CERT_CLIENT_ID,
					displayName: 'E2E certificate app',
					certificatePem: this.cert.certificatePem,
				},
			],
			calls: [
				defaultCall(),
				{ id: CERT_CALL_ID, ownerClientId: CERT_CLIENT_ID, tenantId: DEFAULT_TENANT_ID },
			],
		});
		this.ctx = makeCtx(inst, { env: { NODE_EXTRA_CA_CERTS: this.ca.certPath } });
		console.log(`  user folder ${this.ctx.userFolder}; simulator ${this.sim.origin}`);
		// The README's by-hand command, verbatim (tarball in place of the name), in a nodes
		// folder that does not exist yet; the scenario "README's by-hand install" judges it.
		this.readmeInstall = await step(
			this.line,
			"install the packed package with the README's command",
			() => runReadmeInstall(this.ctx.userFolder, this.tarball),
		);
		console.log(`  ran: ${this.readmeInstall.command}`);
		this.refusedOrigin = `https://127.0.0.1:${await closedPort()}`;
		await step(this.line, 'import:credentials (3; migrates the DB)', () =>
			importCredentials(this.ctx, [
				secretCredential(this.sim),
				this.pastedCertificateCredential(),
				{ ...UNREACHABLE_CREDENTIAL, type: CREDENTIAL_TYPE, data: this.refusedCredentialData() },
			]),
		);
		const workflows = [
			...WORKFLOW_FILES.map((f) => loadWorkflow(f)),
			useCredential(
				// The Callback URL is the user's to fill in (the example leaves it empty).
				fillCallbackUrls(loadWorkflow('examples/incident-bridge.json'), EXAMPLE_CALLBACK_URL),
				SECRET_CREDENTIAL,
				INCIDENT_BRIDGE_ID,
			),
			{
				...useCredential(
					loadWorkflow('graph-error.json'),
					UNREACHABLE_CREDENTIAL,
					TOKEN_REFUSED_ID,
				),
				name: 'Token endpoint refused',
			},
		];
		const imported = await step(
			this.line,
			`import:workflow (${workflows.length} in one file)`,
			() => importWorkflows(this.ctx, workflows),
		);
		this.logs.push({ label: 'import:workflow', text: imported.stdout + imported.stderr });
		// The harness wrote the plaintext credential for import:credentials here: ours, not n8n's.
		fs.rmSync(path.join(this.ctx.userFolder, 'e2e-imports'), { recursive: true, force: true });
	}

	/**
	 * The certificate credential as a paste into n8n 1.123's one-line Private Key box leaves it:
	 * every line break gone. The package rebuilds it before use.
	 */
	pastedCertificateCredential(): ReturnType<typeof certificateCredential> {
		const credential = certificateCredential(this.sim, this.cert);
		const key = String(credential.data.privateKey);
		assert.ok(key.includes('\n'), 'the key should be multi-line before the paste');
		return { ...credential, data: { ...credential.data, privateKey: key.replace(/\r?\n/g, '') } };
	}

	/** The simulator's client-secret credential, but its token endpoint refuses connections. */
	refusedCredentialData(): Record<string, unknown> {
		return { ...secretCredentialData(this.sim), authorityHost: this.refusedOrigin };
	}

	/** `n8n execute --id`, once per key (scenarios share runs). */
	execute(id: string, key: string = id): Promise<Execution> {
		let run = this.executions.get(key);
		if (run === undefined) {
			run = (async () => {
				const from = this.sim.requests.length;
				const t0 = Date.now();
				const result = await executeWorkflow(this.ctx, id, 240_000);
				const ms = Date.now() - t0;
				this.timings.push([`execute ${key}`, ms]);
				timingsByLine.get(this.line)?.push([`execute ${key}`, ms]);
				const text = `${result.stdout}\n${result.stderr}`;
				this.logs.push({ label: `execute ${key}`, text });
				fs.writeFileSync(path.join(this.ctx.userFolder, `execute-${key}.log`), text);
				return { result, requests: this.sim.requests.slice(from), ms };
			})();
			this.executions.set(key, run);
		}
		return run;
	}

	/** Started once (after every CLI import and execute: they share the SQLite file). */
	startServer(): Promise<{ server: N8nServer; cookie: string }> {
		this.server ??= (async () => {
			const server = await step(this.line, 'n8n start (until the editor is ready)', () =>
				startServer(this.ctx, undefined, 240_000),
			);
			const cookie = await step(this.line, 'owner set-up', () => setupOwner(server.url));
			return { server, cookie };
		})();
		return this.server;
	}

	async stopServer(): Promise<void> {
		if (this.server === undefined) return;
		const started = await this.server.catch(() => undefined);
		if (started === undefined) return;
		await step(this.line, 'stop n8n', () => started.server.stop());
		this.logs.push({
			label: `n8n start log`,
			text: fs.existsSync(started.server.logFile)
				? fs.readFileSync(started.server.logFile, 'utf8')
				: '',
		});
	}

	async tearDown(): Promise<void> {
		await this.stopServer();
		await this.sim?.close();
	}

	/** Token requests of one app (the body names its client_id). */
	tokenRequestsOf(
		clientId: string,
		requests: RecordedRequest[] = this.sim.requests,
	): RecordedRequest[] {
		return requests.filter(
			(r) => r.kind === 'token' && new URLSearchParams(r.body).get('client_id') === clientId,
		);
	}
}

function invitesIn(requests: RecordedRequest[]): RecordedRequest[] {
	return requests.filter((r) => r.kind === 'graph' && r.path.endsWith('/participants/invite'));
}

function bodyOf(request: RecordedRequest | undefined): unknown {
	assert.ok(request, 'request missing');
	return JSON.parse(request.body) as unknown;
}

function expectSuccess(execution: Execution): unknown {
	const { result } = execution;
	const error = runError(result.json);
	assert.equal(
		result.exitCode,
		0,
		`n8n execute exited ${result.exitCode ?? `by signal ${result.signal ?? '?'}`}${error ? `: ${error.node}: ${error.message}` : ''} (run status ${runStatus(result.json) ?? 'none'})\n${firstLines(result.stdout.slice(-2000), 20)}\n${firstLines(result.stderr.slice(-2000), 20)}`,
	);
	assert.equal(runStatus(result.json), 'success');
	return result.json;
}

function isOperation(item: OutputItem | undefined): void {
	assert.ok(item, 'no output item');
	assert.equal(
		item.json['@odata.type'],
		'#microsoft.graph.inviteParticipantsOperation',
		JSON.stringify(item.json).slice(0, 300),
	);
}

/** `kind:id:displayName` of each participant of an invite body. */
function identities(body: unknown): string[] {
	const participants = (
		body as {
			participants: Array<{ identity: Record<string, { id: string; displayName?: string }> }>;
		}
	).participants;
	return participants.map((p) => {
		const [kind, identity] = Object.entries(p.identity).find(([k]) => k !== '@odata.type') ?? [
			'?',
			{ id: '?' },
		];
		return `${kind}:${identity.id}:${identity.displayName ?? ''}`;
	});
}

// ---------------------------------------------------------------------------------------------
// Scenarios (run in this order on each line; they share executions through LineWorld.execute)

interface Scenario {
	name: string;
	run(w: LineWorld): Promise<void>;
}

const examples = JSON.parse(
	fs.readFileSync(path.join(__dirname, '..', 'fixtures', 'documented-examples.json'), 'utf8'),
) as Record<string, unknown>;

function exampleWithoutReplaces(): unknown {
	const e = structuredClone(examples.example2) as { participants: Array<Record<string, unknown>> };
	for (const p of e.participants) delete p.replacesCallId;
	return e;
}

/** The documented workflow is a chain: each node gets one item, so one request each, in chain order. */
async function documented(w: LineWorld): Promise<{ json: unknown; invites: RecordedRequest[] }> {
	const execution = await w.execute('e2eDocumented');
	const json = expectSuccess(execution);
	return { json, invites: invitesIn(execution.requests) };
}

function documentedScenario(
	n: number,
	label: string,
	node: string,
	index: number,
	expected: () => unknown,
): Scenario {
	return {
		name: `documented example ${n}: ${label}`,
		async run(w) {
			const { json, invites } = await documented(w);
			isOperation(nodeItems(json, node)[0]);
			assert.deepEqual(bodyOf(invites[index]), expected());
		},
	};
}

const SCENARIOS: Scenario[] = [
	{
		name: "README's by-hand install: no n8n-workflow of its own, runtime dependencies beside it",
		async run(w) {
			const r = w.readmeInstall;
			assert.match(r.command, /npm install \S+\.tgz/);
			assert.deepEqual(r.n8nWorkflowCopies, [], 'npm installed the n8n-workflow peer');
			const manifest = JSON.parse(
				fs.readFileSync(path.join(r.nodesDir, 'package.json'), 'utf8'),
			) as { dependencies?: Record<string, string> };
			assert.ok(manifest.dependencies?.[PACKAGE_NAME], 'not recorded in nodes/package.json');
			for (const dep of ['@azure/msal-node', '@microsoft/microsoft-graph-client'])
				assert.ok(
					fs.existsSync(path.join(r.nodesDir, 'node_modules', dep, 'package.json')),
					`${dep} not installed`,
				);
		},
	},
	documentedScenario(
		1,
		'one Teams user replacing a call (panel)',
		'Example 1 (panel)',
		0,
		() => examples.example1,
	),
	documentedScenario(
		2,
		'two users in one request, sent without replacesCallId (panel)',
		'Example 2 without replacesCallId (panel)',
		1,
		exampleWithoutReplaces,
	),
	{
		name: 'documented example 2 as printed: refused with our message, nothing sent',
		async run(w) {
			const { json, invites } = await documented(w);
			const [item] = nodeItems(json, 'Example 2 as printed (refused)');
			const message = String((item?.json.error as { message?: string } | undefined)?.message);
			assert.match(message, /Participants \(item 0\): 2 participants with Replaces Call ID/);
			assert.equal(
				invites.length,
				9,
				'nine invites from the nine other nodes, none from the refused one',
			);
		},
	},
	documentedScenario(
		3,
		'replacing a peer-to-peer call (panel)',
		'Example 3 (panel)',
		2,
		() => examples.example3,
	),
	documentedScenario(4, 'a PSTN number (panel)', 'Example 4 (panel)', 3, () => examples.example4),
	documentedScenario(
		5,
		'moving a participant: participantId, identityProvider AAD (panel)',
		'Example 5 (panel)',
		4,
		() => examples.example5,
	),
	{
		name: 'documented examples 1, 3, 4, 5 as whole JSON bodies: sent unchanged',
		async run(w) {
			const { json, invites } = await documented(w);
			(['example1', 'example3', 'example4', 'example5'] as const).forEach((name, i) => {
				isOperation(nodeItems(json, `Example ${name.slice(-1)} (JSON body)`)[0]);
				assert.deepEqual(bodyOf(invites[5 + i]), examples[name], name);
			});
		},
	},
	{
		name: 'four items from a Code node, mapped with expressions',
		async run(w) {
			const execution = await w.execute('e2eItems');
			const output = nodeItems(expectSuccess(execution), 'Invite each');
			assert.equal(output.length, 4);
			output.forEach((item, i) => {
				isOperation(item);
				assert.deepEqual(item.pairedItem, { item: i });
				assert.equal(item.json.clientContext, `ticket-${101 + i}`);
			});
			// The node sends several items' requests at once (see executionPlan.ts): compare as sets.
			assert.deepEqual(
				invitesIn(execution.requests)
					.map((r) => identities(bodyOf(r))[0])
					.sort(),
				[
					`user:${USER_A}:Alex`,
					'phone:+14255550100:Duty phone',
					`user:${USER_B}:Megan`,
					`guest:${GUEST}:External guest`,
				].sort(),
			);
			for (const key of [
				`user:${USER_A}`,
				'phone:+14255550100',
				`user:${USER_B}`,
				`guest:${GUEST}`,
			]) {
				assert.ok(w.sim.inviteCount(DEFAULT_CALL_ID, key) >= 1, `${key} not in the call`);
			}
		},
	},
	{
		name: 'a Graph error fails the execution with our message',
		async run(w) {
			const { result, requests } = await w.execute('e2eGraphError');
			assert.equal(
				result.exitCode,
				1,
				`n8n execute should exit 1 (exited ${result.exitCode ?? `by signal ${result.signal ?? '?'}`})`,
			);
			assert.notEqual(runStatus(result.json), 'success');
			const error = runError(result.json);
			assert.ok(error, `no error in the run: ${result.stdout.slice(0, 500)}`);
			assert.equal(error.node, 'Invite into an unknown call');
			assert.match(error.message, /^Graph answered 404 \(8522\) to the invite request/);
			assert.match(
				error.description,
				/only invite in calls that the same app \(client ID [0-9a-f-]+\) created, answered or joined/,
			);
			assert.equal(invitesIn(requests).length, 1, 'a 404 is not retried');
		},
	},
	{
		name: 'token endpoint refused: the execution fails saying so and what to check',
		async run(w) {
			const { result, requests } = await w.execute(TOKEN_REFUSED_ID);
			assert.equal(
				result.exitCode,
				1,
				`n8n execute should exit 1 (exited ${String(result.exitCode)})`,
			);
			const error = runError(result.json);
			assert.ok(error, `no error in the run: ${result.stdout.slice(0, 500)}`);
			const port = new URL(w.refusedOrigin).port;
			// The node error's own message: n8n replaces one that names ECONNREFUSED (networkFailure.ts).
			assert.match(
				error.message,
				new RegExp(
					`^Could not get an access token from https://127\\.0\\.0\\.1:${port}/.*: the connection to 127\\.0\\.0\\.1:${port} was refused: nothing accepts connections there`,
				),
				`${error.message}\n${error.description}`,
			);
			assert.match(error.message, /Check the credential's Cloud \(or its Authority Host\)/);
			assert.doesNotMatch(`${error.message} ${error.description}`, /aka\.ms|network_error/);
			assert.equal(invitesIn(requests).length, 0, 'an invite went out without a token');
		},
	},
	{
		name: 'continue on fail: the failed item carries the error, the others are invited',
		async run(w) {
			const execution = await w.execute('e2eContinueOnFail');
			const output = nodeItems(expectSuccess(execution), 'Invite (continue on fail)');
			assert.equal(output.length, 3);
			isOperation(output[0]);
			isOperation(output[2]);
			const error = output[1]?.json.error as { message?: string; status?: unknown } | undefined;
			assert.match(String(error?.message), /^Graph answered 404 \(8522\) to the invite request/);
			assert.deepEqual(output[1]?.pairedItem, { item: 1 });
			assert.equal(w.sim.inviteCount(DEFAULT_CALL_ID, `user:${USER_A}`) >= 1, true);
			assert.equal(w.sim.inviteCount(DEFAULT_CALL_ID, 'phone:+14255550199'), 1);
			assert.equal(w.sim.inviteCount(UNKNOWN_CALL, `user:${USER_B}`), 0);
		},
	},
	{
		name: 'certificate credential, key pasted without line breaks (client assertion, no secret)',
		async run(w) {
			const execution = await w.execute('e2eCertificate');
			isOperation(nodeItems(expectSuccess(execution), 'Invite with a certificate credential')[0]);
			const tokens = w.tokenRequestsOf(CERT_CLIENT_ID, execution.requests);
			assert.equal(tokens.length, 1, 'one token request for the certificate app');
			const form = new URLSearchParams(tokens[0]?.body ?? '');
			assert.equal(
				form.get('client_assertion_type'),
				'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
			);
			assert.ok(form.get('client_assertion'), 'no client_assertion');
			assert.equal(form.get('client_secret'), null);
			assert.equal(tokens[0]?.status, 200);
			assert.equal(w.sim.inviteCount(CERT_CALL_ID, `user:${USER_A}`), 1);
		},
	},
	{
		name: 'token stored by n8n and reused: 1 token request for 4 executions',
		async run(w) {
			const runs = await Promise.all(
				['e2eDocumented', 'e2eItems', 'e2eGraphError', 'e2eContinueOnFail'].map((id) =>
					w.execute(id),
				),
			);
			const secretTokens = w.tokenRequestsOf(DEFAULT_CLIENT_ID);
			assert.equal(
				secretTokens.length,
				1,
				`token requests of the secret credential: ${secretTokens.length}`,
			);
			const bearers = new Set(
				runs.flatMap((r) => invitesIn(r.requests).map((q) => q.headers.authorization)),
			);
			assert.equal(bearers.size, 1, 'every invite carried the same token');
			assert.ok(
				runs.every((r) => invitesIn(r.requests).every((q) => q.status !== 401)),
				'no 401 before the simulator expires tokens',
			);
		},
	},
	{
		name: 'token re-minted once after the simulator expires it (demo workflow)',
		async run(w) {
			const before = w.tokenRequestsOf(DEFAULT_CLIENT_ID).length;
			// The stored token of the secret credential: the one the last run with it sent.
			const oldBearer = invitesIn((await w.execute('e2eContinueOnFail')).requests).at(-1)?.headers
				.authorization;
			assert.ok(oldBearer, 'no earlier invite with the client-secret credential');
			w.sim.expireTokens();
			const execution = await w.execute('e2eDemo');
			const output = nodeItems(expectSuccess(execution), 'Invite into the call');
			assert.equal(output.length, 2);
			output.forEach(isOperation);
			assert.equal(
				w.tokenRequestsOf(DEFAULT_CLIENT_ID).length - before,
				1,
				'exactly one new token for the two items',
			);
			// Both items go out at once with the stored (now expired) token; each 401 makes n8n call
			// preAuthentication, and every request after the new token succeeds.
			const invites = invitesIn(execution.requests);
			const statuses = invites.map((r) => r.status).join(',');
			const rejected = invites.filter((r) => r.status === 401);
			const accepted = invites.filter((r) => r.status === 200);
			assert.ok(
				rejected.length >= 1 && rejected.every((r) => r.headers.authorization === oldBearer),
				`401s carried the old token (${statuses})`,
			);
			assert.equal(accepted.length, 2, `two accepted invites (${statuses})`);
			const newBearers = new Set(accepted.map((r) => r.headers.authorization));
			assert.ok(
				newBearers.size === 1 && !newBearers.has(oldBearer),
				'both accepted invites carried the one new token',
			);
			assert.equal(
				w.sim.inviteCount(DEFAULT_CALL_ID, 'phone:+14255550123'),
				1,
				'the phone was invited once',
			);
			console.log(`    invite answers in order: ${statuses}`);
		},
	},
	{
		name: 'examples/incident-bridge.json: join the meeting, invite two, list the roster',
		async run(w) {
			const before = w.tokenRequestsOf(DEFAULT_CLIENT_ID).length;
			const execution = await w.execute(INCIDENT_BRIDGE_ID);
			const json = expectSuccess(execution);
			const [call] = nodeItems(json, 'Join incident bridge');
			const callId = String(call?.json.id);
			assert.equal(call?.json.tenantId, '72f988bf-86f1-41af-91ab-2d7cd011db47');
			const [operation] = nodeItems(json, 'Add on-call engineer and duty manager');
			isOperation(operation);
			assert.equal(operation?.json.clientContext, 'incident-bridge');
			assert.equal(w.sim.inviteCount(callId, `user:${USER_A}`), 1);
			assert.equal(w.sim.inviteCount(callId, 'phone:+14255550123'), 1);
			const roster = nodeItems(json, 'Who is on the bridge').map(
				(item) =>
					Object.keys((item.json.info as { identity: Record<string, unknown> }).identity).filter(
						(k) => k !== '@odata.type',
					)[0],
			);
			assert.deepEqual(roster, ['application', 'user', 'phone']);
			assert.deepEqual(nodesThatRan(json).length, 4);
			assert.equal(
				w.tokenRequestsOf(DEFAULT_CLIENT_ID).length,
				before,
				'the re-minted token was stored and reused',
			);
		},
	},
	{
		name: 'editor: /types lists the node and the credential; /rest/credentials lists both',
		async run(w) {
			const { server, cookie } = await w.startServer();
			const nodes = await restGet<
				Array<{ name: string; credentials?: Array<{ name: string; testedBy?: string }> }>
			>(server.url, cookie, '/types/nodes.json');
			assert.equal(nodes.status, 200);
			const node = nodes.body.find((n) => n.name === NODE_TYPE);
			assert.ok(node, `${NODE_TYPE} not in /types/nodes.json`);
			assert.equal(node.credentials?.[0]?.name, CREDENTIAL_TYPE);
			const credTypes = await restGet<Array<{ name: string }>>(
				server.url,
				cookie,
				'/types/credentials.json',
			);
			assert.ok(
				credTypes.body.some((c) => c.name === CREDENTIAL_TYPE),
				`${CREDENTIAL_TYPE} not in /types/credentials.json`,
			);
			const stored = await restGet<{ data: Array<{ id: string }> }>(
				server.url,
				cookie,
				'/rest/credentials',
			);
			assert.deepEqual(
				stored.body.data.map((c) => c.id).sort(),
				[CERT_CREDENTIAL.id, SECRET_CREDENTIAL.id, UNREACHABLE_CREDENTIAL.id].sort(),
			);
		},
	},
	{
		name: 'credential test (POST /rest/credentials/test): good secret -> OK',
		async run(w) {
			const { server, cookie } = await w.startServer();
			const result = await testCredential(server.url, cookie, {
				...SECRET_CREDENTIAL,
				type: CREDENTIAL_TYPE,
				data: secretCredentialData(w.sim),
			});
			assert.equal(result.status, 'OK', result.message);
			assert.match(
				result.message,
				new RegExp(
					`in tenant ${DEFAULT_TENANT_ID}\\. Application roles: .*Calls\\.InitiateGroupCall\\.All`,
				),
			);
		},
	},
	{
		name: "credential test (POST /rest/credentials/test): bad secret -> Error with Entra's reason",
		async run(w) {
			const { server, cookie } = await w.startServer();
			const result = await testCredential(server.url, cookie, {
				...SECRET_CREDENTIAL,
				type: CREDENTIAL_TYPE,
				data: secretCredentialData(w.sim, WRONG_SECRET),
			});
			assert.equal(result.status, 'Error', result.message);
			assert.match(
				result.message,
				/^Microsoft Entra ID refused the token request \(AADSTS7000215\)/,
			);
			assert.ok(!result.message.includes(WRONG_SECRET), 'the message repeats the secret');
		},
	},
	{
		name: 'credential test (POST /rest/credentials/test): certificate -> OK',
		async run(w) {
			const { server, cookie } = await w.startServer();
			const result = await testCredential(server.url, cookie, {
				...CERT_CREDENTIAL,
				type: CREDENTIAL_TYPE,
				data: certificateCredentialData(w.sim, w.cert),
			});
			assert.equal(result.status, 'OK', result.message);
		},
	},
	{
		name: 'credential test (POST /rest/credentials/test): token endpoint refused -> Error saying so',
		async run(w) {
			const { server, cookie } = await w.startServer();
			const result = await testCredential(server.url, cookie, {
				...UNREACHABLE_CREDENTIAL,
				type: CREDENTIAL_TYPE,
				data: w.refusedCredentialData(),
			});
			assert.equal(result.status, 'Error', result.message);
			assert.match(
				result.message,
				/^Could not get an access token from https:\/\/127\.0\.0\.1:\d+\//,
			);
			assert.match(
				result.message,
				/was refused: nothing accepts connections there\..*\(error code ECONNREFUSED\)$/s,
			);
		},
	},
	{
		name: "no secret, private key or token in n8n's database, files or logs",
		async run(w) {
			await w.stopServer();
			const dump = await step(w.line, 'read the SQLite database', () => dumpDatabase(w.ctx));
			assert.ok(
				(dump.execution_data?.length ?? 0) >= 7,
				`n8n stored ${dump.execution_data?.length ?? 0} executions: the scan would prove little`,
			);
			const secrets = secretsToScanFor({
				clientSecrets: [DEFAULT_CLIENT_SECRET, WRONG_SECRET],
				privateKeyPem: w.cert.privateKeyPem,
				tokens: w.sim.issuedTokens,
				tokenRequests: w.sim.tokenRequests(),
			});
			// The scanner itself must see a planted secret (else a clean result means nothing).
			const canary = scanForSecrets(secrets, {
				database: { canary: [{ v: `x${DEFAULT_CLIENT_SECRET}x` }] },
				userFolder: w.ctx.userFolder,
				skip: [w.ctx.userFolder],
				logs: [{ label: 'canary', text: `Bearer ${w.sim.issuedTokens[0] ?? ''}` }],
			});
			assert.equal(
				canary.findings.length,
				3,
				`the scanner missed a planted secret: ${JSON.stringify(canary.findings)}`,
			); // secret, token, its signature
			const { findings, files } = scanForSecrets(secrets, {
				database: dump,
				userFolder: w.ctx.userFolder,
				skip: [path.join(w.ctx.userFolder, '.n8n', 'nodes'), databaseFile(w.ctx)],
				logs: w.logs,
			});
			console.log(
				`    scanned ${Object.values(dump).reduce((n, rows) => n + rows.length, 0)} rows of ${Object.keys(dump).length} tables ` +
					`(${dump.execution_data?.length ?? 0} executions), ${files} files of the user folder and the output of ${w.logs.length} n8n commands ` +
					`for ${secrets.length} values (${w.sim.issuedTokens.length} access tokens)`,
			);
			assert.deepEqual(findings, []);
		},
	},
	{
		name: 'stored credentials are encrypted (credentials_entity.data)',
		async run(w) {
			const dump = await dumpDatabase(w.ctx);
			const rows = dump.credentials_entity ?? [];
			assert.equal(rows.length, 3);
			for (const row of rows) {
				const data = String(row.data);
				assert.ok(
					!data.includes(DEFAULT_CLIENT_SECRET) &&
						!data.includes('clientSecret') &&
						!data.includes('PRIVATE KEY'),
					`${String(row.id)} stored in plain text`,
				);
				assert.match(data, /^[A-Za-z0-9+/=]+$/, 'not an encrypted (base64) blob');
			}
		},
	},
];

// ---------------------------------------------------------------------------------------------

async function runLine(
	line: Line,
	tarball: string,
	ca: { ca: CertificateAuthority; certPath: string },
	installing: Promise<N8nInstall>,
): Promise<void> {
	console.log(`\n=== n8n line ${line} (${installInfo(line).version})`);
	timingsByLine.set(line, []);
	const started = Date.now();
	const w = new LineWorld(line, tarball, ca);
	let setUpError: unknown;
	try {
		await w.setUp(installing);
	} catch (error) {
		setUpError = error;
		console.log(`  set-up failed: ${(error as Error).message}`);
	}
	try {
		for (const scenario of SCENARIOS) {
			const t0 = Date.now();
			let detail: string | undefined;
			try {
				if (setUpError !== undefined)
					throw new Error(
						`not run: set-up failed (${firstLines((setUpError as Error).message, 1)})`,
					);
				await scenario.run(w);
			} catch (error) {
				detail = firstLines(error instanceof Error ? error.message : String(error), 12);
			}
			const ms = Date.now() - t0;
			outcomes.push({ line, name: scenario.name, ok: detail === undefined, ms, detail });
			console.log(
				`  ${detail === undefined ? 'PASS' : 'FAIL'}  ${scenario.name} (${secs(ms)} s)${detail === undefined ? '' : `\n        ${detail.replace(/\n/g, '\n        ')}`}`,
			);
		}
	} finally {
		await w.tearDown();
	}
	timingsByLine.get(line)?.push(['whole line', Date.now() - started]);
}

function parseLines(args: string[]): Line[] {
	const wanted = args.filter((a) => a === '1' || a === '2') as Line[];
	const unknown = args.filter((a) => a !== '1' && a !== '2');
	if (unknown.length > 0) {
		console.error(`usage: npm run test:e2e [-- 1|2]   (unknown: ${unknown.join(' ')})`);
		process.exit(2);
	}
	return wanted.length > 0 ? [...new Set(wanted)] : ['1', '2'];
}

function printSummary(lines: Line[]): void {
	const names = [...new Set(outcomes.map((o) => o.name))];
	console.log('\n=== results');
	const header = lines.map((l) => `n8n ${installInfo(l).version}`);
	console.log(`  ${header.map((h) => h.padEnd(12)).join(' ')}  scenario`);
	for (const name of names) {
		const cells = lines.map((l) => {
			const o = outcomes.find((x) => x.line === l && x.name === name);
			return (o === undefined ? '-' : `${o.ok ? 'PASS' : 'FAIL'} ${secs(o.ms)}s`).padEnd(12);
		});
		console.log(`  ${cells.join(' ')}  ${name}`);
	}
	console.log('\n=== timings (seconds)');
	for (const line of lines) {
		const t = timingsByLine.get(line) ?? [];
		console.log(`  n8n ${line}: ${t.map(([s, ms]) => `${s} ${secs(ms)}`).join('; ')}`);
	}
}

async function main(): Promise<void> {
	const lines = parseLines(process.argv.slice(2));
	const t0 = Date.now();
	console.log(`e2e: n8n line(s) ${lines.join(', ')}; loopback only`);
	// Installs of missing lines start now, in parallel with the build and with earlier lines' runs.
	const installs = new Map<Line, Promise<N8nInstall>>();
	for (const line of lines) {
		if (!n8nInstalled(line))
			console.log(
				`n8n ${installInfo(line).version} is not installed yet: installing into .e2e/n8n-${line} (about 4 minutes)`,
			);
		const p = ensureN8n(line);
		p.catch(() => undefined); // reported when awaited
		installs.set(line, p);
	}
	const tarball = await step(undefined, 'npm run build + npm pack', () =>
		packRepo({ build: true }),
	);
	const caDir = fs.mkdtempSync(path.join(os.tmpdir(), 'e2e-ca-'));
	const ca = writeFreshCa(caDir);
	try {
		for (const line of lines) {
			const installing = installs.get(line);
			if (installing !== undefined) await runLine(line, tarball, ca, installing);
		}
	} finally {
		fs.rmSync(caDir, { recursive: true, force: true });
		fs.rmSync(path.dirname(tarball), { recursive: true, force: true });
	}
	printSummary(lines);
	const passed = outcomes.filter((o) => o.ok).length;
	const failed = outcomes.length - passed;
	console.log(`\ntotal ${secs(Date.now() - t0)} s`);
	// Exit code 0 also removes the temp user folders (kept on failure or with E2E_KEEP=1).
	finishSuite(passed, failed);
}

runSuite(main);
