/**
 * `npm run demo`: the package's two jobs in real n8n (1.x), on the built-in defaults (the Graph
 * simulator, no Microsoft tenant, nothing leaves 127.0.0.1).
 *
 * Builds and packs this package, installs n8n 1.123.50 into .e2e/n8n-1 on the first run (later
 * runs reuse it), starts the simulator, installs the package into a throwaway n8n user folder as
 * users do, imports a credential pointing at the simulator, test/e2e/workflows/demo.json (Manual
 * Trigger -> Code node with a Teams user and a phone number -> Invite) and
 * examples/page-and-acknowledge.json (filled in), then:
 *   - the invite: runs demo.json with `n8n execute` and prints the operation items;
 *   - a page: starts n8n over https (Graph posts call events only to https; the certificate is
 *     the simulator CA's), activates the page example and posts an alert to it; the simulator
 *     plays the on-call engineer through its phones (simulator/phones.ts, as the softphone page
 *     does): the phone rings, they answer, hear the whole spoken prompt, press 1, and the
 *     workflow goes on and posts the outcome to a chat (a capture server on 127.0.0.1). Prints
 *     that timeline.
 *
 * `npm run demo:in-process` is the quick look without n8n (the node inside n8n-core only).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { pageExample, pageWorkflow, RESOURCE_ACCOUNT, startChat } from '../test/e2e/examples/page';
import {
	Rest,
	startHttpsServer,
	writeTlsFiles,
	type HttpsN8nServer,
} from '../test/e2e/harness/https';
import { ensureN8n, installInfo, n8nInstalled } from '../test/e2e/harness/install';
import {
	executeWorkflow,
	importCredentials,
	importWorkflows,
	makeCtx,
} from '../test/e2e/harness/n8n';
import { installPackageInto, packRepo } from '../test/e2e/harness/package';
import {
	DEFAULT_CALL_ID,
	defaultApp,
	issueServerCertificate,
	playPerson,
	startGraphSimulator,
	writeFreshCa,
	type CertificateAuthority,
	type GraphSimulator,
} from '../test/e2e/simulator';
import {
	CREDENTIAL_TYPE,
	loadWorkflow,
	nodeItems,
	runError,
	runStatus,
	SECRET_CREDENTIAL,
	secretCredential,
} from '../test/e2e/world';

const LINE = '1';
const WORKFLOW = 'demo.json';
const INVITE_NODE = 'Invite into the call';
const ON_CALL = 'phone:+14255550101';
const ALERT = { text: 'Checkout is down' };
/** What the page example's typed prompt says for ALERT (n8n renders it with the offline voice). */
const PROMPT_WORDS = `${ALERT.text}. Press 1 to acknowledge. Press star to hear this again.`;

const t0 = Date.now();
const elapsed = (since = t0): string => `${((Date.now() - since) / 1000).toFixed(1)} s`;

async function timed<T>(label: string, fn: () => Promise<T>): Promise<T> {
	const started = Date.now();
	process.stdout.write(`${label} ... `);
	const result = await fn();
	console.log(elapsed(started));
	return result;
}

/** Top-level packages the committed lock will place, and how many are in node_modules so far. */
function installProgress(dir: string): string {
	try {
		const lock = JSON.parse(
			fs.readFileSync(
				path.join(
					__dirname,
					'..',
					'test',
					'e2e',
					'harness',
					'locks',
					`n8n-${LINE}.package-lock.json`,
				),
				'utf8',
			),
		) as {
			packages: Record<string, { optional?: boolean }>;
		};
		// Optional (platform-specific) packages may or may not be placed: count the others.
		const wanted = Object.entries(lock.packages).filter(
			([k, v]) => /^node_modules\/(@[^/]+\/)?[^/]+$/.test(k) && v.optional !== true,
		).length;
		const nm = path.join(dir, 'node_modules');
		let present = 0;
		for (const entry of fs.existsSync(nm) ? fs.readdirSync(nm) : []) {
			if (entry.startsWith('.')) continue;
			present += entry.startsWith('@') ? fs.readdirSync(path.join(nm, entry)).length : 1;
		}
		return present >= wanted
			? 'packages unpacked; building sqlite3 and checking the install'
			: `${present} of ${wanted} top-level packages unpacked`;
	} catch {
		return 'resolving';
	}
}

async function installN8n(): Promise<void> {
	const info = installInfo(LINE);
	const where = path.relative(process.cwd(), info.dir) || info.dir;
	if (n8nInstalled(LINE)) {
		console.log(`[2/6] n8n ${info.version}: already installed in ${where}`);
		return;
	}
	console.log(
		`[2/6] First run: installing n8n ${info.version} into ${where} (about 4 minutes, 1.3 GB; later runs reuse it)`,
	);
	const started = Date.now();
	const ticker = setInterval(
		() => console.log(`      ... ${elapsed(started)}: ${installProgress(info.dir)}`),
		15_000,
	);
	try {
		await ensureN8n(LINE);
	} finally {
		clearInterval(ticker);
	}
	console.log(`      n8n ${info.version} installed in ${elapsed(started)}`);
}

/**
 * The page: n8n over https with the page example active, an alert posted, the on-call engineer
 * played by the simulator's phones. Returns the lines to print.
 */
async function page(
	server: HttpsN8nServer,
	sim: GraphSimulator,
	ca: CertificateAuthority,
	chat: Awaited<ReturnType<typeof startChat>>,
	workflowId: string,
	promptText: string,
): Promise<string[]> {
	const rest = new Rest(server.url, ca.certPem);
	await rest.setupOwner();
	await rest.activate(workflowId);
	// From here the person is played through the phones (the invite's people answered at once):
	// calls ring until answered, prompts last as long as their words.
	sim.callbacks.knobs.manualPhones = true;
	sim.media.knobs.promptsPlayTheirLength = true;
	// The presence check is a recording any key stops; it lasts its prompt and Graph's 8 s of
	// initial silence (the simulator's default, 60 ms, would end it before the person can press).
	sim.media.knobs.recordMs = 12_000;
	// Any key for the presence check, then 1 after the alert.
	const person = playPerson(sim, ON_CALL, {
		answerAfterMs: 500,
		keys: ['1', '1'],
		promptWords: promptText,
	});
	try {
		const alertUrl = `${server.url}/webhook/page-on-call`;
		const posted = await rest.post(`/webhook/page-on-call`, ALERT);
		if (posted.status !== 200)
			throw new Error(`the page example's webhook answered ${posted.status}`);
		person.timeline.unshift(`  0.0 s  alert ${JSON.stringify(ALERT)} posted to ${alertUrl}`);
		const deadline = Date.now() + 90_000;
		while (chat.posts.length === 0) {
			if (Date.now() > deadline)
				throw new Error(`nothing was posted to the chat:\n${person.timeline.join('\n')}`);
			await new Promise((resolve) => setTimeout(resolve, 100));
		}
		const post = chat.posts[0];
		if (post?.outcome !== 'pressed')
			throw new Error(
				`the page was not acknowledged (${JSON.stringify(post)}):\n${person.timeline.join('\n')}`,
			);
		return [
			`Page (examples/page-and-acknowledge.json, active in n8n at ${server.url}; the simulator plays the on-call engineer):`,
			...person.timeline.map((line) => `  ${line}`),
			`  then the workflow went on and posted to the chat: "${post?.text ?? JSON.stringify(post)}"`,
		];
	} finally {
		person.stop();
	}
}

async function main(): Promise<void> {
	console.log(
		'Demo: invite a Teams user and a phone number into a call, then page someone and wait for "press 1", with this package inside real n8n\n',
	);
	const tarball = await timed(
		'[1/6] Building and packing the package (npm run build, npm pack)',
		() => packRepo({ build: true }),
	);
	await installN8n();

	const caDir = fs.mkdtempSync(path.join(os.tmpdir(), 'graph-calls-demo-ca-'));
	let sim: GraphSimulator | undefined;
	let chat: Awaited<ReturnType<typeof startChat>> | undefined;
	let starting: Promise<HttpsN8nServer> | undefined;
	try {
		const ca = writeFreshCa(caDir);
		sim = await startGraphSimulator({
			ca: ca.ca,
			apps: [
				{
					...defaultApp(),
					resourceAccounts: [{ id: RESOURCE_ACCOUNT, phoneNumber: '+14255550100' }],
				},
			],
		});
		const simulator = sim;
		chat = await startChat();
		console.log(
			`[3/6] Graph simulator on ${simulator.origin} (Entra token endpoint and Graph calls API, HTTPS, its own CA); call ${DEFAULT_CALL_ID}`,
		);

		const ctx = makeCtx(await ensureN8n(LINE), { env: { NODE_EXTRA_CA_CERTS: ca.certPath } });
		const workflow = loadWorkflow(WORKFLOW);
		const credential = secretCredential(simulator);
		const paging = pageWorkflow(pageExample(), { [CREDENTIAL_TYPE]: SECRET_CREDENTIAL }, chat.url);
		await timed(
			`[4/6] n8n user folder ${ctx.userFolder}: installing the package, importing the credential and two workflows`,
			async () => {
				await installPackageInto(ctx.userFolder, tarball);
				await importCredentials(ctx, [
					{
						...credential,
						// Call events are signed by the simulator (Graph's calling platform here).
						data: {
							...credential.data,
							notificationOpenIdConfigurationUrl: simulator.callbacks.openIdConfigurationUrl,
						},
					},
				]);
				await importWorkflows(ctx, [workflow, paging]);
				fs.rmSync(path.join(ctx.userFolder, 'e2e-imports'), { recursive: true, force: true });
			},
		);
		// n8n's server starts (for the page) while `n8n execute` runs the invite: both only read
		// the imported workflows, so the page costs its own seconds, not n8n's start-up too.
		const tls = writeTlsFiles(path.join(ctx.userFolder, 'tls'), issueServerCertificate(ca.ca));
		starting = startHttpsServer(ctx, { ...tls, caPem: ca.ca.certPem });
		starting.catch(() => undefined); // awaited below; never an unhandled rejection meanwhile
		const run = await timed(`[5/6] n8n execute --id=${workflow.id} ("${workflow.name}")`, () =>
			executeWorkflow(ctx, workflow.id, 240_000),
		);
		const error = runError(run.json);
		if (run.exitCode !== 0 || runStatus(run.json) !== 'success') {
			throw new Error(
				error
					? `${error.node}: ${error.message}`
					: `n8n execute exited ${run.exitCode}:\n${run.stdout.slice(-2000)}\n${run.stderr.slice(-2000)}`,
			);
		}

		console.log(
			`\nOutput items of "${INVITE_NODE}" (one per input item, the inviteParticipantsOperation as Graph returned it):`,
		);
		console.log(JSON.stringify(nodeItems(run.json, INVITE_NODE), null, 2));
		const call = simulator.getCall(DEFAULT_CALL_ID);
		console.log(
			`\nRoster of the simulated call now: ${call?.participants.map((p) => p.identityKey).join(', ')}\n`,
		);

		const chatPosts = chat;
		const server = await starting;
		const lines = await timed(
			'[6/6] n8n over https: the page example activated, an alert posted, the phone answered',
			() => page(server, simulator, ca.ca, chatPosts, paging.id, PROMPT_WORDS),
		);
		console.log(`\n${lines.join('\n')}`);
		console.log(
			`\nRequests the simulator saw: ${simulator.tokenRequests().length} token, ${simulator.graphRequests().length} Graph.`,
		);
		console.log(`Done in ${elapsed()} (n8n ${installInfo(LINE).version}).`);
	} finally {
		await (await starting?.catch(() => undefined))?.stop();
		await chat?.close();
		await sim?.close();
		fs.rmSync(caDir, { recursive: true, force: true });
		fs.rmSync(path.dirname(tarball), { recursive: true, force: true });
	}
}

main().then(
	// Explicit exit: exit code 0 also removes the throwaway user folder (see test/e2e/harness/n8n.ts).
	() => process.exit(0),
	(error: unknown) => {
		console.error(`\nDemo failed: ${(error as Error).message}`);
		process.exit(1);
	},
);
