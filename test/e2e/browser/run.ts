/**
 * `npm run test:browser`: the n8n editor in a real (headless) Chromium against dev mode.
 *
 * Starts `scripts/dev.ts` itself (a fresh state folder in the OS temp dir, n8n over https on a
 * free port, `--ready-json`), has Chromium trust exactly the certificate dev mode printed (its
 * public key's SHA-256, --ignore-certificate-errors-spki-list), logs in as the printed owner and
 * checks, in the editor a user sees:
 *   1. the node picker lists "Microsoft Graph Calls" with its icon;
 *   2. the node's panel shows the invite fields, the participants collection included;
 *   3. "Execute step" against the Graph simulator shows the invite operation in the output panel;
 *   4. the credential modal's test reports success;
 *   5. the form's findings (formChecks.ts), the examples (exampleChecks.ts) and the softphone
 *      paging someone through the page example (softphoneChecks.ts);
 *   6. SIGINT (Ctrl-C) stops dev mode cleanly: exit 0, n8n, simulator and softphone ports closed.
 * Screenshots go to docs/screenshots/*.png (1440×900). Prints `N passed, N failed` and exits 1 on
 * any failure.
 *
 * Needs Debian's chromium (`apt-get install -y chromium`; CHROMIUM_PATH overrides
 * /usr/bin/chromium). The n8n line is N8N_LINE=1|2 or `-- --line 1|2` (default 1), handed to dev
 * mode, which installs that line under .e2e/n8n-<line> when missing. BROWSER_SCREENSHOTS=<dir>
 * writes the screenshots there instead of docs/screenshots. BROWSER_TEST_ATTACH=1 runs the
 * checks against an already running `npm run dev` of that line (reads its ready.json) and
 * leaves it running (the certificate paste and check 6 are skipped).
 */
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { chromium, selectors, type BrowserContext, type Page } from 'playwright-core';

import type { Line } from '../harness/install';
import { defaultDevFolder, lineFromEnv, parseLine } from '../harness/line';
import { repoRoot } from '../harness/paths';
import { pasteCertificateCredential, type CertificateApp } from './certificatePaste';
import { runFormChecks } from './formChecks';
import { runExampleChecks } from './exampleChecks';
import { runSoftphoneChecks, type SoftphoneReady } from './softphoneChecks';
import { killTree, spawnTracked } from '../harness/proc';

interface Ready {
	url: string;
	owner: { email: string; password: string };
	workflowId: string;
	workflowName: string;
	nodeName: string;
	credentialId: string;
	credentialName: string;
	simOrigin: string;
	logFile: string;
	/** Written by dev mode since it runs either line. */
	line?: Line;
	n8nVersion?: string;
	certificateApp?: CertificateApp;
	/** n8n and the softphone serve https with a leaf of the simulator's CA (dev mode, issue 24). */
	tls: { caCertPath: string; spkiSha256: string[] };
	softphone: SoftphoneReady['softphone'];
	page: SoftphoneReady['page'];
	routing: SoftphoneReady['routing'];
}

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const SHOTS = path.resolve(
	process.env.BROWSER_SCREENSHOTS ?? path.join(repoRoot, 'docs', 'screenshots'),
);

/** `--line 1|2` after `npm run test:browser --`, else N8N_LINE, else 1. */
function lineFromArgs(argv: string[]): Line {
	const i = argv.findIndex((a) => a === '--line' || a.startsWith('--line='));
	if (i < 0) return lineFromEnv();
	const arg = argv[i] ?? '';
	return parseLine(arg.includes('=') ? arg.split('=')[1] : argv[i + 1], '--line');
}
const LINE = lineFromArgs(process.argv.slice(2));
const NODE_DISPLAY_NAME = 'Microsoft Graph Calls';
/** The credential's documentationUrl: the README's set-up section on the npm page. */
const CREDENTIAL_DOCS_URL =
	'https://www.npmjs.com/package/n8n-nodes-microsoft-graph-calls#set-up-the-entra-app-and-the-calling-bot';
const UI_TIMEOUT = 60_000;

const results: Array<{ name: string; ok: boolean; detail: string }> = [];

async function check(name: string, fn: () => Promise<string>): Promise<boolean> {
	const t = Date.now();
	try {
		const detail = await fn();
		results.push({ name, ok: true, detail });
		console.log(
			`ok    ${name} (${((Date.now() - t) / 1000).toFixed(1)} s)${detail ? ` — ${detail}` : ''}`,
		);
		return true;
	} catch (error) {
		const detail =
			error instanceof Error ? error.message.split('\n').slice(0, 6).join('\n') : String(error);
		results.push({ name, ok: false, detail });
		console.log(
			`FAIL  ${name} (${((Date.now() - t) / 1000).toFixed(1)} s)\n      ${detail.replace(/\n/g, '\n      ')}`,
		);
		return false;
	}
}

function assert(condition: unknown, message: string): asserts condition {
	if (!condition) throw new Error(message);
}

/**
 * docs/screenshots come from n8n 2.x (what new users install). On line 1 only the per-line
 * shots (`…-n8n1`) go there; the rest to .e2e/screenshots-n8n1 (git-ignored), to compare.
 */
function shotsFolder(name: string): string {
	if (process.env.BROWSER_SCREENSHOTS !== undefined || LINE !== '1' || name.endsWith('-n8n1'))
		return SHOTS;
	return path.join(repoRoot, '.e2e', 'screenshots-n8n1');
}

async function shot(page: Page, name: string): Promise<string> {
	const folder = shotsFolder(name);
	fs.mkdirSync(folder, { recursive: true });
	const file = path.join(folder, `${name}.png`);
	await page.screenshot({ path: file });
	return path.relative(repoRoot, file);
}

/** Start dev mode as a child (its own process group) and wait for its DEV_READY line. */
async function startDev(line: Line): Promise<{
	ready: Ready;
	stop: () => Promise<number | null>;
	folder: string;
}> {
	const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'browser-dev-'));
	const log = path.join(folder, 'dev.log');
	const child = spawnTracked(
		process.execPath,
		[
			'--import',
			'tsx',
			path.join(repoRoot, 'scripts', 'dev.ts'),
			'--port',
			'0',
			'--folder',
			folder,
			'--line',
			line,
			'--ready-json',
		],
		{
			cwd: repoRoot,
			logFile: log,
		},
	);
	let buffer = '';
	const ready = await new Promise<Ready>((resolve, reject) => {
		const timer = setTimeout(
			() => reject(new Error(`dev mode not ready after 6 min; log ${log}`)),
			360_000,
		);
		child.stdout?.on('data', (b: Buffer) => {
			buffer += b.toString('utf8');
			const line = buffer.split('\n').find((l) => l.startsWith('DEV_READY '));
			if (line !== undefined) {
				clearTimeout(timer);
				resolve(JSON.parse(line.slice('DEV_READY '.length)) as Ready);
			}
		});
		child.once('exit', (code) => {
			clearTimeout(timer);
			reject(
				new Error(
					`dev mode exited ${code} before ready; log ${log}:\n${buffer.split('\n').slice(-20).join('\n')}`,
				),
			);
		});
	});
	console.log(buffer.replace(/^DEV_READY .*$/m, '').trimEnd());
	const stop = async (): Promise<number | null> => {
		if (child.exitCode !== null) return child.exitCode;
		const exited = new Promise<number | null>((resolve) =>
			child.once('exit', (code) => resolve(code)),
		);
		process.kill(child.pid ?? 0, 'SIGINT'); // the leader only: as Ctrl-C reaches `npm run dev`
		const timer = setTimeout(() => void killTree(child, 1_000), 30_000);
		const code = await exited;
		clearTimeout(timer);
		return code;
	};
	return { ready, stop, folder };
}

/** Nothing listens on the URL's port any more: a TCP connection is refused (TLS never starts). */
async function refused(url: string): Promise<boolean> {
	const { hostname, port } = new URL(url);
	return await new Promise<boolean>((resolve) => {
		const socket = net.connect({ host: hostname, port: Number(port) });
		socket.setTimeout(3_000, () => {
			socket.destroy();
			resolve(false);
		});
		socket.once('connect', () => {
			socket.destroy();
			resolve(false);
		});
		socket.once('error', () => resolve(true));
	});
}

/** Close whatever pop-up n8n puts over the canvas on a first visit (none is expected on 1.123). */
async function dismissPopups(page: Page): Promise<void> {
	for (const sel of [
		'[data-test-id="nps-survey-modal"] button[aria-label="Close this dialog"]',
		'.el-notification__closeBtn',
	]) {
		const el = page.locator(sel);
		for (let i = 0; i < (await el.count()); i++) {
			if (await el.nth(i).isVisible())
				await el
					.nth(i)
					.click({ timeout: 2_000 })
					.catch(() => undefined);
		}
	}
}

async function openWorkflow(page: Page, ready: Ready): Promise<void> {
	await page.goto(`${ready.url}/workflow/${ready.workflowId}`);
	await page.getByTestId('canvas-node').first().waitFor({ timeout: UI_TIMEOUT });
	await page.waitForLoadState('networkidle').catch(() => undefined);
	await dismissPopups(page);
}

async function main(): Promise<number> {
	if (!fs.existsSync(CHROMIUM)) {
		console.error(
			`No Chromium at ${CHROMIUM}. Install it with: apt-get install -y chromium  (or set CHROMIUM_PATH)`,
		);
		return 1;
	}
	selectors.setTestIdAttribute('data-test-id');
	const attach = process.env.BROWSER_TEST_ATTACH !== undefined;
	let dev: Awaited<ReturnType<typeof startDev>> | undefined;
	let ready: Ready;
	const t0 = Date.now();
	if (attach) {
		// BROWSER_TEST_ATTACH=<path of a ready.json>: a dev mode started with --folder elsewhere.
		const file = /ready\.json$/.test(process.env.BROWSER_TEST_ATTACH ?? '')
			? (process.env.BROWSER_TEST_ATTACH as string)
			: path.join(defaultDevFolder(LINE), 'ready.json');
		ready = JSON.parse(fs.readFileSync(file, 'utf8')) as Ready;
	} else {
		dev = await startDev(LINE);
		ready = dev.ready;
	}
	console.log(
		`dev mode (n8n ${ready.n8nVersion ?? `line ${LINE}`}) ready after ${((Date.now() - t0) / 1000).toFixed(1)} s at ${ready.url}`,
	);

	const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'browser-profile-'));
	let context: BrowserContext | undefined;
	try {
		context = await chromium.launchPersistentContext(userDataDir, {
			executablePath: CHROMIUM,
			headless: true,
			viewport: { width: 1440, height: 900 },
			args: [
				// n8n and the softphone serve https with a certificate of the simulator's test CA.
				// A person trusts that CA once (docs/editor.md); this browser trusts exactly the
				// certificate dev mode printed, by its public key, and nothing else.
				`--ignore-certificate-errors-spki-list=${ready.tls.spkiSha256.join(',')}`,
				'--no-sandbox',
				'--disable-gpu',
				'--disable-background-networking',
				'--disable-component-update',
				'--disable-sync',
				'--no-first-run',
			],
		});
		context.setDefaultTimeout(UI_TIMEOUT);
		const page = context.pages()[0] ?? (await context.newPage());
		await runChecks(page, ready);
		await runFormChecks(page, ready, { check, assert, shot });
		await runExampleChecks(page, ready, { check, assert, shot });
		// Before the certificate paste below, which switches the credential to another app.
		await runSoftphoneChecks(context, page, ready, { check, assert, shot });
		await check("credential modal's docs link opens the README's set-up section", async () => {
			await page.goto(`${ready.url}/home/credentials/${ready.credentialId}`);
			const modal = page.getByTestId('editCredential-modal');
			await modal.waitFor();
			// 1.x: "Need help filling out these fields? Open docs"; 2.x: "… or read the docs".
			const link = modal.locator(`a[href="${CREDENTIAL_DOCS_URL}"]`).first();
			await link.waitFor({ timeout: 30_000 });
			const text = (await link.innerText()).trim();
			assert(/docs/i.test(text), `the link reads "${text}"`);
			return `"${text}" → ${CREDENTIAL_DOCS_URL}`;
		});
		// Changes the credential: only in the test's own dev mode, never in an attached one.
		const certificateApp = ready.certificateApp;
		if (!attach && certificateApp !== undefined)
			await check(
				'a multi-line PEM key and certificate pasted through the clipboard: saved, test succeeds',
				async () => {
					const detail = await pasteCertificateCredential(
						context as BrowserContext,
						page,
						{ url: ready.url, credentialId: ready.credentialId, certificateApp },
						assert,
					);
					await page.mouse.move(5, 890);
					await page.waitForTimeout(500);
					// Per line: the two lines draw the Private Key box differently (one line / textarea).
					return `${detail}; ${await shot(page, `credential-certificate-n8n${ready.line ?? LINE}`)}`;
				},
			);
	} finally {
		await context?.close().catch(() => undefined);
		fs.rmSync(userDataDir, { recursive: true, force: true });
	}

	if (dev !== undefined) {
		const d = dev;
		await check(
			'Ctrl-C (SIGINT) stops dev mode: exit 0, n8n, simulator and softphone ports closed',
			async () => {
				const t = Date.now();
				const code = await d.stop();
				assert(code === 0, `dev mode exited ${code}`);
				assert(await refused(`${ready.url}/healthz`), `n8n still answers on ${ready.url}`);
				assert(await refused(ready.simOrigin), `the simulator still answers on ${ready.simOrigin}`);
				assert(
					await refused(ready.softphone.url),
					`the softphone still answers on ${ready.softphone.url}`,
				);
				return `stopped in ${((Date.now() - t) / 1000).toFixed(1)} s`;
			},
		);
	}
	const failed = results.filter((r) => !r.ok).length;
	console.log(`\n${results.length - failed} passed, ${failed} failed`);
	if (dev !== undefined && failed === 0) fs.rmSync(dev.folder, { recursive: true, force: true });
	else if (dev !== undefined) console.log(`dev state folder kept: ${dev.folder}`);
	return failed === 0 ? 0 : 1;
}

async function runChecks(page: Page, ready: Ready): Promise<void> {
	const loggedIn = await check('log in with the owner account dev mode printed', async () => {
		await page.goto(`${ready.url}/signin`);
		await page.locator('input[name="emailOrLdapLoginId"]').fill(ready.owner.email);
		await page.locator('input[name="password"]').fill(ready.owner.password);
		await page.getByTestId('form-submit-button').click();
		await page.waitForURL((u) => !u.pathname.startsWith('/signin'), { timeout: UI_TIMEOUT });
		return `landed on ${new URL(page.url()).pathname}`;
	});
	if (!loggedIn) return;

	await check(`node picker lists "${NODE_DISPLAY_NAME}" with its icon`, async () => {
		await openWorkflow(page, ready);
		await page.getByTestId('node-creator-plus-button').click();
		await page.getByTestId('node-creator-search-bar').fill('Microsoft Graph Calls');
		const item = page
			.getByTestId('item-iterator-item')
			.filter({ hasText: NODE_DISPLAY_NAME })
			.first();
		await item.waitFor();
		const name = (await item.getByTestId('node-creator-item-name').first().innerText()).trim();
		assert(name === NODE_DISPLAY_NAME, `item name is "${name}"`);
		const icon = item.locator('img').first();
		await icon.waitFor();
		const src = (await icon.getAttribute('src')) ?? '';
		assert(/microsoftGraphCalls(\.dark)?\.svg/.test(src), `icon src is "${src}"`);
		// Loaded and drawn: the image is complete and has a size on screen, and its URL serves an SVG.
		await page.waitForFunction(
			(el) => {
				// No DOM lib in this tsconfig: the element's shape, structurally.
				const img = el as unknown as {
					tagName: string;
					complete: boolean;
					getBoundingClientRect(): { width: number };
				} | null;
				return (
					img !== null &&
					img.tagName === 'IMG' &&
					img.complete &&
					img.getBoundingClientRect().width > 0
				);
			},
			await icon.elementHandle(),
			{ timeout: 10_000 },
		);
		const served = await page.evaluate(async (u) => {
			const r = await fetch(u);
			return `${r.status} ${r.headers.get('content-type') ?? ''}`;
		}, src);
		assert(served.startsWith('200 image/svg'), `the icon URL answers ${served}`);
		// One click further: the node's actions, grouped by resource.
		await item.click();
		await page.getByTestId('item-iterator-item').filter({ hasText: 'Invite' }).first().waitFor();
		const actions = await page.getByTestId('item-iterator-item').allInnerTexts();
		for (const a of ['Invite', 'Get many', 'Mute', 'Remove'])
			assert(
				actions.some((t) => t.includes(a)),
				`action "${a}" missing: ${actions.join(' | ')}`,
			);
		await page.keyboard.press('Escape');
		return `icon ${src}`;
	});

	await check('node panel shows the invite fields and the participants collection', async () => {
		await openWorkflow(page, ready);
		await page
			.locator(`[data-test-id="canvas-node"][data-node-name="${ready.nodeName}"]`)
			.dblclick();
		const ndv = page.getByTestId('ndv');
		await ndv.waitFor();
		const params = ndv.getByTestId('node-parameters');
		await params.waitFor();
		const wanted = [
			// n8n's own label above the credential picker: 1.x "Credential to connect with",
			// 2.x "Credential" (its i18n key nodeCredentials.credentialsLabelShort).
			(ready.line ?? LINE) === '1' ? 'Credential to connect with' : 'Credential',
			'Resource',
			'Operation',
			'Call ID',
			'Participants Input',
			'Participants',
			'Participant',
			'Type',
			'ID',
			'Display Name',
			'Client Context',
			'Options',
		];
		// The participants collection renders a moment after the panel (a clean-clone CI run on
		// 2.41 read the panel before its Type and Display Name were there): read until complete.
		let text = '';
		let missing: string[] = wanted;
		for (const deadline = Date.now() + 15_000; missing.length > 0 && Date.now() < deadline;) {
			text = await params.innerText();
			missing = wanted.filter((w) => !text.includes(w));
			if (missing.length > 0) await page.waitForTimeout(250);
		}
		assert(missing.length === 0, `missing in the panel: ${missing.join(', ')}`);
		const values = await params
			.locator('input')
			.evaluateAll((els) => els.map((e) => (e as unknown as { value: string }).value));
		for (const v of [
			'Call Participant',
			'Invite',
			'Define Below',
			ready.credentialName,
			'Alex Wilber',
			'Megan Bowen',
		]) {
			assert(values.some((x) => x.includes(v)) || text.includes(v), `value "${v}" not shown`);
		}
		// The sample is a version 1 node (flat participant fields): finding 4's check shoots version 2.
		return `version 1 sample: ${wanted.length} labels, ${values.length} inputs`;
	});

	await check('"Execute step" shows the invite operation in the output panel', async () => {
		const ndv = page.getByTestId('ndv');
		if (!(await ndv.isVisible())) {
			await openWorkflow(page, ready);
			await page
				.locator(`[data-test-id="canvas-node"][data-node-name="${ready.nodeName}"]`)
				.dblclick();
		}
		await ndv.getByTestId('node-execute-button').click();
		const output = ndv.getByTestId('output-panel');
		await output.getByText('inviteParticipantsOperation').first().waitFor({ timeout: 90_000 });
		const items = /(\d+) items?/.exec(await output.innerText())?.[0] ?? '?';
		// The JSON view shows the whole operation legibly (the table cuts it into columns).
		await output.getByText('JSON', { exact: true }).first().click();
		await output.getByText('"status"').first().waitFor();
		const json = await output.innerText();
		assert(
			json.includes('"id"') && json.includes('inviteParticipantsOperation'),
			'the JSON view lacks the operation',
		);
		await page.waitForTimeout(800);
		return `${items}; ${await shot(page, 'output')}`;
	});

	await check("credential modal's test reports success", async () => {
		await page.goto(`${ready.url}/home/credentials/${ready.credentialId}`);
		const modal = page.getByTestId('editCredential-modal');
		await modal.waitFor();
		await modal.getByText('Client Secret').first().waitFor();
		// n8n tests a saved credential when its modal opens; the banner's Retry button is the
		// test button from then on: press it and require a fresh, successful test.
		const success = modal.getByText('Connection tested successfully');
		await success.waitFor({ timeout: 90_000 });
		const answer = page.waitForResponse(
			(r) => r.url().endsWith('/rest/credentials/test') && r.request().method() === 'POST',
			{ timeout: 90_000 },
		);
		await modal.getByRole('button', { name: 'Retry' }).click();
		const body = (await (await answer).json()) as { data?: { status?: string; message?: string } };
		assert(
			body.data?.status === 'OK',
			`POST /rest/credentials/test answered ${JSON.stringify(body)}`,
		);
		await success.waitFor({ timeout: 30_000 });
		await page.mouse.move(5, 890); // no hover highlight on the button in the screenshot
		await page.waitForTimeout(500);
		return `test answered OK; ${await shot(page, 'credential')}`;
	});
}

main().then(
	(code) => process.exit(code),
	(error: unknown) => {
		console.error(error instanceof Error ? error.stack : error);
		process.exit(1);
	},
);
