/**
 * `npm run demo`: the main job in real n8n (1.x), on the built-in defaults (the Graph simulator,
 * no Microsoft tenant, nothing leaves 127.0.0.1).
 *
 * Builds and packs this package, installs n8n 1.123.50 into .e2e/n8n-1 on the first run (later
 * runs reuse it), starts the simulator, installs the package into a throwaway n8n user folder as
 * users do, imports a credential pointing at the simulator and test/e2e/workflows/demo.json
 * (Manual Trigger -> Code node with a Teams user and a phone number -> Invite), runs it with
 * `n8n execute`, prints the operation items, and stops everything.
 *
 * `npm run demo:in-process` is the quick look without n8n (the node inside n8n-core only).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { ensureN8n, installInfo, n8nInstalled } from '../test/e2e/harness/install';
import {
	executeWorkflow,
	importCredentials,
	importWorkflow,
	makeCtx,
} from '../test/e2e/harness/n8n';
import { installPackageInto, packRepo } from '../test/e2e/harness/package';
import {
	DEFAULT_CALL_ID,
	startGraphSimulator,
	writeFreshCa,
	type GraphSimulator,
} from '../test/e2e/simulator';
import { loadWorkflow, nodeItems, runError, runStatus, secretCredential } from '../test/e2e/world';

const LINE = '1';
const WORKFLOW = 'demo.json';
const INVITE_NODE = 'Invite into the call';

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
		console.log(`[2/5] n8n ${info.version}: already installed in ${where}`);
		return;
	}
	console.log(
		`[2/5] First run: installing n8n ${info.version} into ${where} (about 4 minutes, 1.3 GB; later runs reuse it)`,
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

async function main(): Promise<void> {
	console.log(
		'Demo: invite a Teams user and a phone number into a call, with this package inside real n8n\n',
	);
	const tarball = await timed(
		'[1/5] Building and packing the package (npm run build, npm pack)',
		() => packRepo({ build: true }),
	);
	await installN8n();

	const caDir = fs.mkdtempSync(path.join(os.tmpdir(), 'graph-calls-demo-ca-'));
	let sim: GraphSimulator | undefined;
	try {
		const ca = writeFreshCa(caDir);
		sim = await startGraphSimulator({ ca: ca.ca });
		const simulator = sim;
		console.log(
			`[3/5] Graph simulator on ${simulator.origin} (Entra token endpoint and Graph calls API, HTTPS, its own CA); call ${DEFAULT_CALL_ID}`,
		);

		const ctx = makeCtx(await ensureN8n(LINE), { env: { NODE_EXTRA_CA_CERTS: ca.certPath } });
		const workflow = loadWorkflow(WORKFLOW);
		await timed(
			`[4/5] n8n user folder ${ctx.userFolder}: installing the package, importing the credential and the workflow`,
			async () => {
				await installPackageInto(ctx.userFolder, tarball);
				await importCredentials(ctx, [secretCredential(simulator)]);
				await importWorkflow(ctx, workflow);
				fs.rmSync(path.join(ctx.userFolder, 'e2e-imports'), { recursive: true, force: true });
			},
		);
		const run = await timed(`[5/5] n8n execute --id=${workflow.id} ("${workflow.name}")`, () =>
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
			`\nRoster of the simulated call now: ${call?.participants.map((p) => p.identityKey).join(', ')}`,
		);
		console.log(
			`Requests the simulator saw: ${simulator.tokenRequests().length} token, ${simulator.graphRequests().length} Graph.`,
		);
		console.log(`Done in ${elapsed()} (n8n ${installInfo(LINE).version}).`);
	} finally {
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
