/**
 * `npm run dev`: n8n's editor on 127.0.0.1 with this package loaded from the working tree, the
 * Graph simulator in the same process, a credential for it and a sample workflow already
 * imported, and an owner account whose login is printed. Ctrl-C stops n8n (SIGTERM, graceful)
 * and the simulator. The n8n line is picked with `--line 1|2` or N8N_LINE=1|2 (default 1):
 * 1 = n8n 1.123.50 on this Node 20, 2 = n8n 2.41.1 on the Node 24 the e2e harness installs next
 * to it (.e2e/n8n-<line>, installed on first use).
 *
 *   npm run dev [-- --line 2] [--port 5678] [--sim-port <n>] [--folder <dir>] [--fresh] [--no-build]
 *
 * "From the working tree": `npm run build`, then the user folder's
 * .n8n/nodes/node_modules/n8n-nodes-microsoft-graph-calls is a symlink to this repository, so the
 * node type is the real `n8n-nodes-microsoft-graph-calls.microsoftGraphCalls` and its runtime
 * dependencies resolve from the repository's node_modules. After a code change: Ctrl-C and run
 * it again (about 25 s with the folder kept).
 *
 * Everything lives in --folder (default .e2e/dev for line 1, .e2e/dev-n8n2 for line 2: a
 * database migrated by 2.x cannot go back to 1.x; git-ignored): the simulator CA (so n8n keeps
 * trusting it), the n8n user folder (SQLite database, n8n-start-<port>.log) and state.json (the
 * simulator port the credential points at). A second run reuses it all; --fresh starts over.
 * When everything is up it writes <folder>/ready.json (URL, login, ids; removed on stop), and with
 * --ready-json also prints it as one line `DEV_READY {json}` (the browser test reads that).
 */
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

import { ensureN8n, type Line } from '../test/e2e/harness/install';
import { defaultDevFolder, LINE_ENV, lineFromEnv, parseLine } from '../test/e2e/harness/line';
import {
	importCredentials,
	importWorkflow,
	login,
	makeCtx,
	setupOwner,
	startServer,
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
	startGraphSimulator,
	type GraphSimulator,
	type RecordedRequest,
} from '../simulator';
import {
	createCertificateAuthority,
	createClientCertificate,
	loadCaFromEnv,
	writeCaFiles,
} from '../simulator/certificates';
import { simulatorCredentialData } from '../simulator/credentialData';

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

const USAGE = `Usage: npm run dev -- [--line 1|2] [--port <n>] [--sim-port <n>] [--folder <dir>] [--fresh] [--no-build] [--ready-json]
  --line       n8n line: 1 = n8n 1.123.50, 2 = n8n 2.41.1 (default: env ${LINE_ENV}, else 1)
  --port       n8n port on 127.0.0.1 (default: env N8N_DEV_PORT, else 5678; 0 = any free port)
  --sim-port   Graph simulator port (default: the one used last time, else a free one)
  --folder     state folder (default: .e2e/dev, or .e2e/dev-n8n2 for line 2)
  --fresh      delete the state folder first (new database, owner, CA)
  --no-build   skip 'npm run build' (dist/ must be current)`;

interface Options {
	line: Line;
	port: number;
	simPort?: number;
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
	/** What was last imported (credential data + workflow), so unchanged imports are skipped. */
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

/** The simulator CA, kept in the state folder: n8n reads NODE_EXTRA_CA_CERTS once, at start. */
function ensureCa(dir: string): { certPath: string; keyPath: string } {
	const certPath = join(dir, 'simulator-ca.pem');
	const keyPath = join(dir, 'simulator-ca-key.pem');
	if (existsSync(certPath) && existsSync(keyPath)) {
		loadCaFromEnv({ [CA_CERT_ENV]: certPath, [CA_KEY_ENV]: keyPath }); // throws on a mismatched pair
		return { certPath, keyPath };
	}
	return writeCaFiles(
		dir,
		createCertificateAuthority('Graph Simulator dev-mode CA (not trusted anywhere else)'),
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

function logRequest(request: RecordedRequest): void {
	const time = new Date(request.at).toISOString().slice(11, 23);
	const status = request.status === undefined ? 'no answer' : String(request.status);
	console.log(
		`[simulator] ${time} ${request.kind.padEnd(8)} ${request.method} ${request.path} -> ${status}`,
	);
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
	let stopServer: (() => Promise<void>) | undefined;
	let stopping = false;
	const stopAll = async (): Promise<void> => {
		if (stopping) return;
		stopping = true;
		const t = Date.now();
		await stopServer?.();
		await sim?.close();
		rmSync(join(options.folder, 'ready.json'), { force: true });
		console.log(`Stopped n8n and the simulator (${((Date.now() - t) / 1000).toFixed(1)} s).`);
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

	const ca = ensureCa(join(options.folder, 'ca'));
	const clientCertificate = ensureClientCertificate(join(options.folder, 'ca'));
	const wantedSimPort =
		options.simPort ??
		(state.simPort !== undefined && (await portFree(state.simPort)) ? state.simPort : 0);
	sim = await step(
		'Graph simulator',
		async () =>
			await startGraphSimulator({
				port: wantedSimPort,
				ca: loadCaFromEnv({ [CA_CERT_ENV]: ca.certPath, [CA_KEY_ENV]: ca.keyPath }),
				onRequest: logRequest,
				apps: [
					defaultApp(),
					{
						tenantId: DEFAULT_TENANT_ID,
						clientId: DEV_CERT_CLIENT_ID,
						displayName: 'Dev certificate app',
						certificatePem: clientCertificate.certificatePem,
					},
				],
			}),
	);

	const ctx = makeCtx(inst, {
		userFolder: join(options.folder, 'n8n'),
		env: { NODE_EXTRA_CA_CERTS: ca.certPath },
	});
	linkPackage(ctx.userFolder);

	const credential = {
		id: DEV_CREDENTIAL_ID,
		name: DEV_CREDENTIAL_NAME,
		type: 'microsoftGraphCallsApi',
		data: simulatorCredentialData(sim.origin),
	};
	const workflow = sampleWorkflow();
	const importKey = JSON.stringify({ credential, workflow });
	const dbExists = existsSync(join(ctx.userFolder, '.n8n', 'database.sqlite'));
	if (!dbExists || state.imported !== importKey) {
		await step('import credential', async () => await importCredentials(ctx, [credential]));
		await step('import sample workflow', async () => await importWorkflow(ctx, workflow));
	}
	writeFileSync(
		stateFile,
		JSON.stringify({ simPort: sim.port, imported: importKey } satisfies State, null, 2),
	);

	const server = await step(
		'n8n start',
		async () => await startServer(ctx, options.port === 0 ? undefined : options.port, 180_000),
	);
	stopServer = server.stop;
	const ownerNote = await step('owner account', async () => {
		try {
			await setupOwner(server.url, DEV_OWNER);
			return 'created';
		} catch {
			try {
				await login(server.url, DEV_OWNER);
				return 'exists';
			} catch (error) {
				return `exists, but the printed login failed (${error instanceof Error ? error.message.split('\n')[0] : String(error)}); use --fresh`;
			}
		}
	});

	const rel = (p: string): string => {
		const r = relative(process.cwd(), p);
		return r === '' ? '.' : r.startsWith('..') ? p : r;
	};
	console.log(
		[
			'',
			`Ready in ${((Date.now() - started) / 1000).toFixed(1)} s.`,
			`  n8n editor      ${server.url}   (n8n ${inst.version})`,
			`  login           ${DEV_OWNER.email}  /  ${DEV_OWNER.password}   (owner ${ownerNote})`,
			`  sample workflow ${server.url}/workflow/${DEV_WORKFLOW_ID}   "${DEV_WORKFLOW_NAME}"`,
			`  credential      "${DEV_CREDENTIAL_NAME}" (Custom cloud → the simulator)`,
			`  Graph simulator ${sim.origin}   call ${DEFAULT_CALL_ID}`,
			`  certificate app client ID ${DEV_CERT_CLIENT_ID}: key ${rel(clientCertificate.keyPath)}, certificate ${rel(clientCertificate.certificatePath)}`,
			`  n8n log         ${rel(server.logFile)}`,
			`  state folder    ${rel(options.folder)}   (--fresh starts over)`,
			'Ctrl-C stops n8n and the simulator. Simulator requests are logged below.',
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
			simOrigin: sim.origin,
			logFile: server.logFile,
			line: options.line,
			n8nVersion: inst.version,
			certificateApp: {
				clientId: DEV_CERT_CLIENT_ID,
				privateKeyPath: clientCertificate.keyPath,
				certificatePath: clientCertificate.certificatePath,
			},
		};
		writeFileSync(readyFile, JSON.stringify(ready, null, 2));
		if (options.readyJson) console.log(`DEV_READY ${JSON.stringify(ready)}`);
	}
	// Stay up until a signal; stop the simulator and exit when n8n stops answering on its own.
	let misses = 0;
	setInterval(() => {
		if (stopping) return;
		fetch(`${server.url}/healthz`, { signal: AbortSignal.timeout(5_000) })
			.then(
				(r) => (misses = r.ok ? 0 : misses + 1),
				() => (misses += 1),
			)
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
