/**
 * `npm run dev`: n8n's editor on https://127.0.0.1 with this package loaded from the working
 * tree, the Graph simulator in the same process, the softphone (the simulated people's phones,
 * on an https origin of its own), a credential for the simulator and three workflows already
 * imported (the invite sample, examples/page-and-acknowledge.json and
 * examples/incoming-call-routing.json, filled in and active), and an owner account whose login
 * is printed. Ctrl-C stops n8n (SIGTERM, graceful), the softphone and the simulator. The n8n line
 * is picked with `--line 1|2` or N8N_LINE=1|2 (default 1): 1 = n8n 1.123.50 on this Node 20,
 * 2 = n8n 2.41.1 on the Node 24 the e2e harness installs next to it (.e2e/n8n-<line>, installed
 * on first use).
 *
 *   npm run dev [-- --line 2] [--port 5678] [--sim-port <n>] [--softphone-port <n>] [--folder <dir>] [--fresh] [--no-build]
 *
 * Why https: Graph posts a call's events only to https URLs, and Call and Wait for Keypress
 * refuses to wait on a plain-http URL. n8n gets N8N_PROTOCOL=https and a certificate issued by
 * the simulator's CA (kept in the state folder, so a browser told once to trust it keeps
 * trusting it), WEBHOOK_URL=https://127.0.0.1:<port>/, and trusts the simulator through
 * NODE_EXTRA_CA_CERTS. The softphone's origin uses the same certificate.
 *
 * "From the working tree": `npm run build`, then the user folder's
 * .n8n/nodes/node_modules/n8n-nodes-microsoft-graph-calls is a symlink to this repository, so the
 * node type is the real `n8n-nodes-microsoft-graph-calls.microsoftGraphCalls` and its runtime
 * dependencies resolve from the repository's node_modules. After a code change: Ctrl-C and run
 * it again (about 25 s with the folder kept).
 *
 * Everything lives in --folder (default .e2e/dev for line 1, .e2e/dev-n8n2 for line 2: a
 * database migrated by 2.x cannot go back to 1.x; git-ignored): the simulator CA and n8n's
 * certificate (ca/), the spoken prompts (prompts/), the n8n user folder (SQLite database,
 * n8n-start-<port>.log) and state.json (the simulator's and the softphone's ports the workflows
 * point at). A second run reuses it all; --fresh starts over. When everything is up it writes
 * <folder>/ready.json (URLs, login, ids; removed on stop), and with --ready-json also prints it
 * as one line `DEV_READY {json}` (the browser test reads that).
 */
import { createHash, X509Certificate } from 'node:crypto';
import {
	existsSync,
	lstatSync,
	mkdirSync,
	readFileSync,
	readlinkSync,
	rmSync,
	symlinkSync,
	writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { join, relative, resolve } from 'node:path';

import {
	alwaysOnCall,
	fillPageExample,
	fillRoutingExample,
	readExample,
} from '../test/e2e/harness/exampleWorkflows';
import { healthy, Rest, startHttpsServer, writeTlsFiles } from '../test/e2e/harness/https';
import { ensureN8n, type Line } from '../test/e2e/harness/install';
import { defaultDevFolder, LINE_ENV, lineFromEnv, parseLine } from '../test/e2e/harness/line';
import {
	freePort,
	importCredentials,
	importWorkflows,
	makeCtx,
	type WorkflowImport,
} from '../test/e2e/harness/n8n';
import { repoRoot } from '../test/e2e/harness/paths';
import { onStopSignal, runOk } from '../test/e2e/harness/proc';
import {
	CA_CERT_ENV,
	CA_KEY_ENV,
	DEFAULT_CALL_ID,
	DEFAULT_TENANT_ID,
	defaultApp,
	issueServerCertificate,
	startGraphSimulator,
	type GraphSimulator,
	type RecordedRequest,
} from '../simulator';
import {
	createCertificateAuthority,
	createClientCertificate,
	isLoopbackOnlyCa,
	loadCaFromEnv,
	writeCaFiles,
} from '../simulator/certificates';
import { simulatorCredentialData } from '../simulator/credentialData';
import { startSoftphone, type Softphone } from '../simulator/softphone';
import { PAGE_MESSAGES } from '../nodes/MicrosoftGraphCalls/features/keypress/promptSource';
import { spokenPrompts } from './spokenPrompts';

const PACKAGE_NAME = 'n8n-nodes-microsoft-graph-calls';
export const DEV_OWNER = {
	email: 'dev@graph-calls.test',
	firstName: 'Dev',
	lastName: 'Owner',
	password: 'Dev-mode-Passw0rd',
} as const;
export const DEV_CREDENTIAL_ID = 'gcDevSimCred0001';
export const DEV_CREDENTIAL_NAME = 'Microsoft Graph Calls (simulator)';
export const DEV_WORKFLOW_ID = 'gcDevSampleWf001';
export const DEV_WORKFLOW_NAME = 'Invite two people into the simulated call';
export const DEV_NODE_NAME = 'Invite into the call';
/** A second app in the simulator that signs in with a certificate (for trying the paste). */
export const DEV_CERT_CLIENT_ID = '0c3e7a51-0000-4000-8000-00000000ce27';
export const DEV_PAGE_WORKFLOW_ID = 'gcDevPageWf00001';
export const DEV_ROUTING_WORKFLOW_ID = 'gcDevRoutingWf01';
/** The Teams resource account the page example calls phone numbers from (its number: the bot's). */
const DEV_RESOURCE_ACCOUNT = {
	id: '4c3b2a19-0000-4000-8000-00000000de71',
	phoneNumber: '+14255550100',
};
/** Who the routing example transfers calls to in dev mode: always Alex Wilber. */
const DEV_SUPPORT = { id: '278405a3-f568-4b3e-b684-009193463064', name: 'Alex Wilber (support)' };
/** The alert the softphone's button sends to the page example. */
const DEV_ALERT = { text: 'Checkout is down' };
/**
 * A ringing phone on the softphone waits this long for a click (Graph gives up on a callee after
 * a while too; the page example then pages the backup).
 */
const RING_MS = 45_000;
/** An incoming call waits this long for the bot; Graph's 15 s is tight for a first Code node run. */
const INCOMING_DEADLINE_MS = 60_000;
/**
 * What the examples' typed prompts say here. n8n renders them itself; dev mode renders the same
 * words with the same offline voice only to know how long they last (the softphone check compares).
 */
const PROMPTS = [
	{
		name: 'page-prompt',
		text: `${DEV_ALERT.text}. Press 1 to acknowledge. Press star to hear this again.`,
	},
	{ name: 'routing-prompt', text: 'Thanks for calling. Connecting you to the person on call.' },
	// What a phone hears first (version 3 pages): the node's default presence check.
	{ name: 'presence-prompt', text: PAGE_MESSAGES.presence.text },
];

const USAGE = `Usage: npm run dev -- [--line 1|2] [--port <n>] [--sim-port <n>] [--softphone-port <n>] [--folder <dir>] [--fresh] [--no-build] [--ready-json]
  --line       n8n line: 1 = n8n 1.123.50, 2 = n8n 2.41.1 (default: env ${LINE_ENV}, else 1)
  --port       n8n port on 127.0.0.1, https (default: env N8N_DEV_PORT, else 5678; 0 = any free port)
  --sim-port   Graph simulator port (default: the one used last time, else a free one)
  --softphone-port  the softphone's port (default: the one used last time, else a free one)
  --folder     state folder (default: .e2e/dev, or .e2e/dev-n8n2 for line 2)
  --fresh      delete the state folder first (new database, owner, CA)
  --no-build   skip 'npm run build' (dist/ must be current)`;

interface Options {
	line: Line;
	port: number;
	simPort?: number;
	softphonePort?: number;
	folder: string;
	fresh: boolean;
	build: boolean;
	readyJson: boolean;
}

function parsePort(value: string | undefined, source: string): number {
	const port = Number(value);
	if (value === undefined || !Number.isInteger(port) || port < 0 || port > 65535)
		throw new Error(`${source}: '${String(value)}' is not a TCP port.\n${USAGE}`);
	return port;
}

function parseArgs(argv: string[]): Options {
	let folder: string | undefined;
	const options: Omit<Options, 'folder'> = {
		line: lineFromEnv(),
		port: process.env.N8N_DEV_PORT ? parsePort(process.env.N8N_DEV_PORT, 'N8N_DEV_PORT') : 5678,
		fresh: false,
		build: true,
		readyJson: false,
	};
	for (let i = 0; i < argv.length; i++) {
		const [name, inline] = (argv[i] ?? '').split('=', 2);
		const value = (): string | undefined => inline ?? argv[++i];
		if (name === '--line') options.line = parseLine(value() ?? '', '--line');
		else if (name === '--port') options.port = parsePort(value(), '--port');
		else if (name === '--sim-port') options.simPort = parsePort(value(), '--sim-port');
		else if (name === '--softphone-port')
			options.softphonePort = parsePort(value(), '--softphone-port');
		else if (name === '--folder') folder = resolve(value() ?? '.');
		else if (name === '--fresh') options.fresh = true;
		else if (name === '--no-build') options.build = false;
		else if (name === '--ready-json') options.readyJson = true;
		else if (name === '--help' || name === '-h') {
			console.log(USAGE);
			process.exit(0);
		} else throw new Error(`Unknown argument '${String(argv[i])}'.\n${USAGE}`);
	}
	return { ...options, folder: folder ?? defaultDevFolder(options.line) };
}

interface State {
	simPort?: number;
	softphonePort?: number;
	/** What was last imported (credential data + workflows), so unchanged imports are skipped. */
	imported?: string;
}

function readState(file: string): State {
	try {
		return JSON.parse(readFileSync(file, 'utf8')) as State;
	} catch {
		return {};
	}
}

async function portFree(port: number): Promise<boolean> {
	return await new Promise<boolean>((done) => {
		const srv = createServer();
		srv.once('error', () => done(false));
		srv.listen(port, '127.0.0.1', () => srv.close(() => done(true)));
	});
}

/**
 * The simulator CA, kept in the state folder: n8n reads NODE_EXTRA_CA_CERTS once, at start, and a
 * browser told to trust it keeps trusting it. It can vouch only for 127.0.0.1 and localhost (name
 * constraints), so trusting it trusts nothing else; a CA kept from before it had them is replaced.
 */
function ensureCa(dir: string): { certPath: string; keyPath: string } {
	const certPath = join(dir, 'simulator-ca.pem');
	const keyPath = join(dir, 'simulator-ca-key.pem');
	if (existsSync(certPath) && existsSync(keyPath)) {
		loadCaFromEnv({ [CA_CERT_ENV]: certPath, [CA_KEY_ENV]: keyPath }); // throws on a mismatched pair
		if (isLoopbackOnlyCa(readFileSync(certPath, 'utf8'))) return { certPath, keyPath };
		console.log(`  ${certPath}: replaced by a CA that vouches only for 127.0.0.1 and localhost`);
	}
	return writeCaFiles(
		dir,
		createCertificateAuthority('Graph Simulator dev-mode CA (127.0.0.1 and localhost only)', {
			loopbackOnly: true,
		}),
	);
}

/**
 * The certificate app's key and certificate, kept in the state folder so that a credential made
 * with them keeps working across runs. Paste them into a credential (Authentication:
 * Certificate, Client ID DEV_CERT_CLIENT_ID) to try what a user does.
 */
function ensureClientCertificate(dir: string): {
	keyPath: string;
	certificatePath: string;
	certificatePem: string;
} {
	const keyPath = join(dir, 'dev-app-private-key.pem');
	const certificatePath = join(dir, 'dev-app-certificate.pem');
	if (!existsSync(keyPath) || !existsSync(certificatePath)) {
		const created = createClientCertificate('n8n-graph-calls dev certificate app');
		writeFileSync(keyPath, created.privateKeyPem, { mode: 0o600 });
		writeFileSync(certificatePath, created.certificatePem);
	}
	return { keyPath, certificatePath, certificatePem: readFileSync(certificatePath, 'utf8') };
}

/** .n8n/nodes/node_modules/<package> → this repository (n8n loads `n8n.nodes` from its dist/). */
function linkPackage(userFolder: string): string {
	const nodesDir = join(userFolder, '.n8n', 'nodes');
	const link = join(nodesDir, 'node_modules', PACKAGE_NAME);
	mkdirSync(join(nodesDir, 'node_modules'), { recursive: true });
	const manifest = join(nodesDir, 'package.json');
	if (!existsSync(manifest))
		writeFileSync(
			manifest,
			JSON.stringify({ name: 'installed-nodes', private: true, dependencies: {} }, null, 2),
		);
	let current: string | undefined;
	try {
		const st = lstatSync(link);
		current = st.isSymbolicLink() ? readlinkSync(link) : '(not a symlink)';
	} catch {
		current = undefined;
	}
	if (current !== repoRoot) {
		if (current !== undefined) rmSync(link, { recursive: true, force: true });
		symlinkSync(repoRoot, link, 'dir');
	}
	return link;
}

function sampleWorkflow(): WorkflowImport {
	const credentials = {
		microsoftGraphCallsApi: { id: DEV_CREDENTIAL_ID, name: DEV_CREDENTIAL_NAME },
	};
	return {
		id: DEV_WORKFLOW_ID,
		name: DEV_WORKFLOW_NAME,
		nodes: [
			{
				id: '4a1d2c3b-0000-4000-8000-000000000001',
				name: "When clicking 'Execute workflow'",
				type: 'n8n-nodes-base.manualTrigger',
				typeVersion: 1,
				position: [0, 0],
				parameters: {},
			},
			{
				id: '4a1d2c3b-0000-4000-8000-000000000002',
				name: DEV_NODE_NAME,
				type: `${PACKAGE_NAME}.microsoftGraphCalls`,
				typeVersion: 2,
				position: [260, 0],
				parameters: {
					resource: 'callParticipant',
					operation: 'invite',
					callId: DEFAULT_CALL_ID,
					participantsMode: 'defineBelow',
					participants: {
						participant: [
							{
								type: 'user',
								id: '278405a3-f568-4b3e-b684-009193463064',
								displayName: 'Alex Wilber',
							},
							{
								type: 'user',
								id: '5d2b4c61-7f1e-4a9b-8c3d-2e6f0a9b1c47',
								displayName: 'Megan Bowen',
							},
						],
					},
					clientContext: 'n8n-dev-mode',
					options: {},
				},
				credentials,
			},
		],
		connections: {
			"When clicking 'Execute workflow'": {
				main: [[{ node: DEV_NODE_NAME, type: 'main', index: 0 }]],
			},
		},
		settings: { executionOrder: 'v1' },
	};
}

/** The page example as a user fills it in for the simulator: its calls ring on the softphone. */
function pageWorkflow(chatUrl: string): WorkflowImport {
	const filled = fillPageExample(readExample('page-and-acknowledge.json'), {
		credential: { microsoftGraphCallsApi: { id: DEV_CREDENTIAL_ID, name: DEV_CREDENTIAL_NAME } },
		resourceAccount: DEV_RESOURCE_ACCOUNT.id,
		chatUrl,
	});
	return { ...filled, id: DEV_PAGE_WORKFLOW_ID, active: false };
}

/** The routing example filled in: Alex Wilber always takes support calls, its typed greeting spoken. */
function routingWorkflow(): WorkflowImport {
	const filled = fillRoutingExample(readExample('incoming-call-routing.json'), {
		credential: { microsoftGraphCallsApi: { id: DEV_CREDENTIAL_ID, name: DEV_CREDENTIAL_NAME } },
		rota: alwaysOnCall(DEV_SUPPORT.id, DEV_SUPPORT.name),
	});
	return { ...filled, id: DEV_ROUTING_WORKFLOW_ID, active: false };
}

/** Where a workflow's Webhook node (`path`) or trigger (`webhookId`/notifications) listens. */
function alertPath(wf: WorkflowImport): string {
	const hook = wf.nodes.find((n) => n.type === 'n8n-nodes-base.webhook');
	if (hook === undefined) throw new Error(`"${wf.name}" has no Webhook node`);
	return String(hook.parameters.path);
}
function triggerPath(wf: WorkflowImport): string {
	const trigger = wf.nodes.find((n) => n.type.endsWith('.microsoftGraphCallsTrigger'));
	if (trigger === undefined || typeof trigger.webhookId !== 'string')
		throw new Error(`"${wf.name}" has no trigger with a webhookId`);
	return `${trigger.webhookId}/notifications`;
}

/**
 * base64 of the SHA-256 of the certificate's public key (SubjectPublicKeyInfo): what Chromium's
 * --ignore-certificate-errors-spki-list takes, so the headless browser test can trust exactly this
 * certificate without trusting anything else.
 */
function spkiSha256(certPem: string): string {
	const spki = new X509Certificate(certPem).publicKey.export({ type: 'spki', format: 'der' });
	return createHash('sha256').update(spki).digest('base64');
}

function logRequest(request: RecordedRequest): void {
	const time = new Date(request.at).toISOString().slice(11, 23);
	const status = request.status === undefined ? 'no answer' : String(request.status);
	console.log(
		`[simulator] ${time} ${request.kind.padEnd(8)} ${request.method} ${request.path} -> ${status}`,
	);
}

/** A port that was free last time and still is, else any free one. */
async function keptPort(wanted: number | undefined, last: number | undefined): Promise<number> {
	if (wanted !== undefined) return wanted;
	return last !== undefined && (await portFree(last)) ? last : 0;
}

async function main(): Promise<void> {
	const options = parseArgs(process.argv.slice(2));
	const started = Date.now();
	const step = async <T>(label: string, fn: () => Promise<T> | T): Promise<T> => {
		const t = Date.now();
		const result = await fn();
		console.log(`  ${label.padEnd(34)} ${((Date.now() - t) / 1000).toFixed(1)} s`);
		return result;
	};

	if (options.fresh) rmSync(options.folder, { recursive: true, force: true });
	mkdirSync(options.folder, { recursive: true });
	const stateFile = join(options.folder, 'state.json');
	const state = readState(stateFile);
	if (options.port !== 0 && !(await portFree(options.port))) {
		throw new Error(
			`Port ${options.port} on 127.0.0.1 is in use (another 'npm run dev'?). Use --port <n> or N8N_DEV_PORT.`,
		);
	}

	let sim: GraphSimulator | undefined;
	let softphone: Softphone | undefined;
	let stopServer: (() => Promise<void>) | undefined;
	let stopping = false;
	const stopAll = async (): Promise<void> => {
		if (stopping) return;
		stopping = true;
		const t = Date.now();
		await stopServer?.();
		await softphone?.close();
		await sim?.close();
		rmSync(join(options.folder, 'ready.json'), { force: true });
		console.log(
			`Stopped n8n, the softphone and the simulator (${((Date.now() - t) / 1000).toFixed(1)} s).`,
		);
	};
	onStopSignal(async (signal) => {
		console.log(`\n${signal}: stopping...`);
		await stopAll();
		return 0;
	});

	console.log(`Dev mode: n8n line ${options.line} with ${PACKAGE_NAME} from ${repoRoot}`);
	const inst = await step(
		`n8n ${options.line}.x install (.e2e/n8n-${options.line})`,
		async () => await ensureN8n(options.line),
	);
	if (options.build)
		await step(
			'npm run build',
			async () => await runOk('npm', ['run', 'build'], { cwd: repoRoot }),
		);
	else if (!existsSync(join(repoRoot, 'dist', 'nodes')))
		throw new Error('dist/ is missing: run without --no-build.');

	const caDir = join(options.folder, 'ca');
	const caFiles = ensureCa(caDir);
	const ca = loadCaFromEnv({ [CA_CERT_ENV]: caFiles.certPath, [CA_KEY_ENV]: caFiles.keyPath });
	if (ca === undefined) throw new Error(`no CA in ${caDir}`);
	const caPem = readFileSync(caFiles.certPath, 'utf8');
	// n8n's and the softphone's certificate: a fresh leaf of the kept CA on every start.
	const leaf = issueServerCertificate(ca);
	const tls = writeTlsFiles(caDir, leaf);
	const clientCertificate = ensureClientCertificate(caDir);
	const prompts = await step(
		"the typed prompts' expected lengths (offline voice)",
		async () => await spokenPrompts(PROMPTS, join(options.folder, 'prompts')),
	);
	const [pagePrompt, connectingPrompt, presencePrompt] = prompts;
	if (pagePrompt === undefined || connectingPrompt === undefined || presencePrompt === undefined)
		throw new Error('no prompts');
	sim = await step(
		'Graph simulator',
		async () =>
			await startGraphSimulator({
				port: await keptPort(options.simPort, state.simPort),
				ca,
				onRequest: logRequest,
				apps: [
					{ ...defaultApp(), resourceAccounts: [DEV_RESOURCE_ACCOUNT] },
					{
						tenantId: DEFAULT_TENANT_ID,
						clientId: DEV_CERT_CLIENT_ID,
						displayName: 'Dev certificate app',
						certificatePem: clientCertificate.certificatePem,
					},
				],
			}),
	);
	const simulator = sim;
	// The softphone answers for the people: calls ring until someone clicks, and prompts take
	// as long as their words.
	simulator.callbacks.knobs.manualPhones = true;
	simulator.callbacks.knobs.noAnswerTimeoutMs = RING_MS;
	simulator.media.knobs.promptsPlayTheirLength = true;

	const n8nPort = options.port === 0 ? await freePort() : options.port;
	const n8nUrl = `https://127.0.0.1:${n8nPort}`;
	const routing = routingWorkflow();
	const alertUrl = `${n8nUrl}/webhook/${alertPath(readExample('page-and-acknowledge.json'))}`;
	const botWebhookUrl = `${n8nUrl}/webhook/${triggerPath(routing)}`;
	softphone = await step(
		'softphone',
		async () =>
			await startSoftphone(simulator, {
				port: await keptPort(options.softphonePort, state.softphonePort),
				tls: leaf,
				botWebhookUrl,
				incomingDeadlineMs: INCOMING_DEADLINE_MS,
				starters: [
					{
						label: `Send an alert ("${DEV_ALERT.text}"): the page example calls the on-call engineer`,
						url: alertUrl,
						body: DEV_ALERT,
					},
				],
			}),
	);

	const ctx = makeCtx(inst, {
		userFolder: join(options.folder, 'n8n'),
		env: { NODE_EXTRA_CA_CERTS: caFiles.certPath },
	});
	linkPackage(ctx.userFolder);

	const credential = {
		id: DEV_CREDENTIAL_ID,
		name: DEV_CREDENTIAL_NAME,
		type: 'microsoftGraphCallsApi',
		// The notifications' signing keys are the simulator's (Graph's calling platform here).
		data: simulatorCredentialData(simulator.origin, {
			notificationOpenIdConfigurationUrl: simulator.callbacks.openIdConfigurationUrl,
		}),
	};
	const workflows = [sampleWorkflow(), pageWorkflow(softphone.chatUrl), routing];
	const importKey = JSON.stringify({ credential, workflows });
	const dbExists = existsSync(join(ctx.userFolder, '.n8n', 'database.sqlite'));
	if (!dbExists || state.imported !== importKey) {
		await step('import credential', async () => await importCredentials(ctx, [credential]));
		await step('import workflows', async () => await importWorkflows(ctx, workflows));
	}
	writeFileSync(
		stateFile,
		JSON.stringify(
			{
				simPort: simulator.port,
				softphonePort: softphone.port,
				imported: importKey,
			} satisfies State,
			null,
			2,
		),
	);

	const server = await step(
		'n8n start (https)',
		async () => await startHttpsServer(ctx, { ...tls, caPem }, n8nPort, 180_000),
	);
	stopServer = server.stop;
	const rest = new Rest(server.url, caPem);
	const ownerNote = await step('owner account', async () => {
		try {
			await rest.setupOwner(DEV_OWNER);
			return 'created';
		} catch {
			try {
				await rest.login(DEV_OWNER);
				return 'exists';
			} catch (error) {
				return `exists, but the printed login failed (${error instanceof Error ? error.message.split('\n')[0] : String(error)}); use --fresh`;
			}
		}
	});
	await step('activate the two examples', async () => {
		for (const id of [DEV_PAGE_WORKFLOW_ID, DEV_ROUTING_WORKFLOW_ID]) await rest.activate(id);
	});

	const rel = (p: string): string => {
		const r = relative(process.cwd(), p);
		return r === '' ? '.' : r.startsWith('..') ? p : r;
	};
	const workflowUrl = (id: string): string => `${server.url}/workflow/${id}`;
	console.log(
		[
			'',
			`Ready in ${((Date.now() - started) / 1000).toFixed(1)} s.`,
			`  n8n editor      ${server.url}   (n8n ${inst.version}, https)`,
			`  login           ${DEV_OWNER.email}  /  ${DEV_OWNER.password}   (owner ${ownerNote})`,
			`  softphone       ${softphone.url}   the simulated people's phones: answer, press a key, hear the alert, press 1`,
			`  trust once      ${rel(caFiles.certPath)}: add it to your browser's certificate authorities (docs/editor.md); kept until --fresh`,
			`  workflows       ${workflowUrl(DEV_WORKFLOW_ID)}   "${DEV_WORKFLOW_NAME}"`,
			`                  ${workflowUrl(DEV_PAGE_WORKFLOW_ID)}   examples/page-and-acknowledge.json (active)`,
			`                  ${workflowUrl(DEV_ROUTING_WORKFLOW_ID)}   examples/incoming-call-routing.json (active)`,
			`  page someone    the softphone's "Send an alert", or:`,
			`                  curl --cacert ${rel(caFiles.certPath)} -H 'content-type: application/json' -d '${JSON.stringify(DEV_ALERT)}' ${alertUrl}`,
			`  call the bot    the softphone's "Call the bot" on anyone's card (the routing example answers)`,
			`  chat            what the workflows post to ${softphone.chatUrl} shows on the softphone`,
			`  credential      "${DEV_CREDENTIAL_NAME}" (Custom cloud → the simulator)`,
			`  Graph simulator ${simulator.origin}   call ${DEFAULT_CALL_ID}`,
			`  prompts         "${presencePrompt.text}" ${(presencePrompt.durationMs / 1000).toFixed(1)} s, then "${pagePrompt.text}" ${(pagePrompt.durationMs / 1000).toFixed(1)} s, "${connectingPrompt.text}" ${(connectingPrompt.durationMs / 1000).toFixed(1)} s (${pagePrompt.madeBy})`,
			`  certificate app client ID ${DEV_CERT_CLIENT_ID}: key ${rel(clientCertificate.keyPath)}, certificate ${rel(clientCertificate.certificatePath)}`,
			`  n8n log         ${rel(server.logFile)}`,
			`  state folder    ${rel(options.folder)}   (--fresh starts over)`,
			'Ctrl-C stops n8n, the softphone and the simulator. Simulator requests are logged below.',
			'',
		].join('\n'),
	);
	const readyFile = join(options.folder, 'ready.json');
	{
		const ready = {
			url: server.url,
			owner: DEV_OWNER,
			workflowId: DEV_WORKFLOW_ID,
			workflowName: DEV_WORKFLOW_NAME,
			nodeName: DEV_NODE_NAME,
			credentialId: DEV_CREDENTIAL_ID,
			credentialName: DEV_CREDENTIAL_NAME,
			simOrigin: simulator.origin,
			logFile: server.logFile,
			line: options.line,
			n8nVersion: inst.version,
			certificateApp: {
				clientId: DEV_CERT_CLIENT_ID,
				privateKeyPath: clientCertificate.keyPath,
				certificatePath: clientCertificate.certificatePath,
			},
			tls: { caCertPath: caFiles.certPath, spkiSha256: [spkiSha256(leaf.certPem)] },
			softphone: {
				url: softphone.url,
				chatUrl: softphone.chatUrl,
				botWebhookUrl,
			},
			page: {
				workflowId: DEV_PAGE_WORKFLOW_ID,
				alertUrl,
				alert: DEV_ALERT,
				promptDurationMs: pagePrompt.durationMs,
				presenceDurationMs: presencePrompt.durationMs,
			},
			routing: {
				workflowId: DEV_ROUTING_WORKFLOW_ID,
				promptDurationMs: connectingPrompt.durationMs,
				support: DEV_SUPPORT,
			},
		};
		writeFileSync(readyFile, JSON.stringify(ready, null, 2));
		if (options.readyJson) console.log(`DEV_READY ${JSON.stringify(ready)}`);
	}
	// Stay up until a signal; stop everything and exit when n8n stops answering on its own.
	let misses = 0;
	setInterval(() => {
		if (stopping) return;
		healthy(server.url, caPem)
			.then((ok) => (misses = ok ? 0 : misses + 1))
			.finally(() => {
				if (misses < 3 || stopping) return;
				console.error(`n8n stopped answering on ${server.url}; see ${rel(server.logFile)}`);
				void stopAll().finally(() => process.exit(1));
			});
	}, 5_000);
}

main().catch((error: unknown) => {
	console.error(error instanceof Error ? error.message : error);
	process.exit(1);
});
