/**
 * The form as a new user meets it in the editor (both n8n lines): the picker, the participant
 * collection, Call › Create's targets, an input error, the options, the trigger, the links to the
 * README and the subtitles.
 *
 * Every check starts from a workflow of its own (created through n8n's REST API from the
 * page, with the page's login), so one check's nodes never leak into another and n8n 2.x's
 * autosave never touches the sample workflow. Nodes are added through the node picker where
 * the finding is about what a new node looks like (the default version, 2).
 *
 * Selectors: n8n's data-test-id where it has one. Where 1.123 and 2.41 differ:
 *   - a collection's "Add Option"/"Add Field" is `collection-parameter-add` on 2.41 and a plain
 *     `.collection-parameter .add-option` select on 1.123 (see addCollectionOption);
 *   - the picker header's description has no test id on either line: found by its text.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Locator, Page } from 'playwright-core';

import { repoRoot } from '../harness/paths';

export interface EditorReady {
	url: string;
	credentialId: string;
	credentialName: string;
}

export interface CheckTools {
	check: (name: string, fn: () => Promise<string>) => Promise<boolean>;
	assert: (condition: unknown, message: string) => asserts condition;
	shot: (page: Page, name: string) => Promise<string>;
}

const PACKAGE = 'n8n-nodes-microsoft-graph-calls';
const NODE_TYPE = `${PACKAGE}.microsoftGraphCalls`;
const TRIGGER_TYPE = `${PACKAGE}.microsoftGraphCallsTrigger`;
const NODE_DISPLAY_NAME = 'Microsoft Graph Calls';
const README = `https://www.npmjs.com/package/${PACKAGE}`;
const SIM_CALL_ID = '2f1a0b00-8e3c-4d5f-9a6b-7c8d9e0f1a2b';
/** Each of these finds the node first or second in the node picker. */
export const PICKER_QUERIES = ['teams call', 'teams meeting', 'phone call', 'dial', 'invite'];
/**
 * What people type to page someone (issue 24): each lists the node first (n8n's picker matches
 * the whole query against the name and each alias; the node's aliases start with these).
 */
export const PAGING_QUERIES = ['page someone', 'press 1', 'call someone', 'acknowledge', 'on call'];
/** The picker's header for the node and trigger pair: the trigger's description, actions first. */
const PICKER_HEADER = /^Call people on Teams or by phone and wait for a keypress/;
/** The trigger events the picker must offer (it lists the first property named Events). */
const PICKER_TRIGGER_EVENTS = ['On incoming call', 'On tone'];

interface WorkflowNode {
	id: string;
	name: string;
	type: string;
	typeVersion: number;
	position: [number, number];
	parameters: Record<string, unknown>;
	credentials?: Record<string, { id: string; name: string }>;
	webhookId?: string;
}

/**
 * A workflow of the check's own: a Manual Trigger plus `nodes` (the first wired after the
 * trigger unless it is a trigger itself), created with n8n's REST API from the logged-in page
 * (n8n wants its `browser-id` header beside the cookie), then opened on the canvas.
 */
async function scratchWorkflow(
	page: Page,
	ready: EditorReady,
	name: string,
	nodes: WorkflowNode[] = [],
	wire = true,
): Promise<string> {
	const start: WorkflowNode = {
		id: 'a0000000-0000-4000-8000-000000000001',
		name: 'Start',
		type: 'n8n-nodes-base.manualTrigger',
		typeVersion: 1,
		position: [0, 0],
		parameters: {},
	};
	const body = {
		name: `${name} ${new Date().toISOString()}`,
		nodes: [start, ...nodes],
		connections:
			wire && nodes.length > 0
				? { Start: { main: [[{ node: nodes[0]?.name ?? '', type: 'main', index: 0 }]] } }
				: {},
		settings: {},
		active: false,
	};
	return await createWorkflow(page, ready, body);
}

/**
 * n8n's REST API from the logged-in page, as the editor calls it (n8n wants its `browser-id`
 * header beside the cookie); the answer's status and text.
 */
export async function restFromPage(
	page: Page,
	ready: EditorReady,
	method: 'GET' | 'POST',
	pathname: string,
	body?: unknown,
): Promise<{ status: number; text: string }> {
	if (!page.url().startsWith(ready.url)) await page.goto(`${ready.url}/home/workflows`);
	return await page.evaluate(
		async ({ method, pathname, body }) => {
			// No DOM lib in this tsconfig: the globals' shapes, structurally.
			const g = globalThis as unknown as {
				localStorage: { getItem(k: string): string | null };
				fetch: (
					u: string,
					i: { method: string; headers: Record<string, string>; body?: string },
				) => Promise<{ status: number; text(): Promise<string> }>;
			};
			const r = await g.fetch(pathname, {
				method,
				headers: {
					'content-type': 'application/json',
					'browser-id': g.localStorage.getItem('n8n-browserId') ?? '',
				},
				...(body === undefined ? {} : { body: JSON.stringify(body) }),
			});
			return { status: r.status, text: await r.text() };
		},
		{ method, pathname, body },
	);
}

/** Creates `body` with n8n's REST API from the logged-in page and opens it; returns its ID. */
export async function createWorkflow(
	page: Page,
	ready: EditorReady,
	body: Record<string, unknown>,
): Promise<string> {
	const answer = await restFromPage(page, ready, 'POST', '/rest/workflows', body);
	let id: string | undefined;
	try {
		id = (JSON.parse(answer.text) as { data?: { id?: string } }).data?.id;
	} catch {
		id = undefined;
	}
	if (id === undefined)
		throw new Error(`POST /rest/workflows answered ${answer.status}: ${answer.text.slice(0, 300)}`);
	await page.goto(`${ready.url}/workflow/${id}`);
	await page.getByTestId('canvas-node').first().waitFor();
	await page.waitForLoadState('networkidle').catch(() => undefined);
	return id;
}

export function credentialsOf(ready: EditorReady): WorkflowNode['credentials'] {
	return { microsoftGraphCallsApi: { id: ready.credentialId, name: ready.credentialName } };
}

/** The names the picker lists for `query`, in order, once the list has settled. */
async function pickerNames(page: Page, query: string): Promise<string[]> {
	await page.getByTestId('node-creator-search-bar').fill(query);
	let last = '';
	for (let i = 0; i < 20; i++) {
		await page.waitForTimeout(250);
		const now = JSON.stringify(await page.getByTestId('node-creator-item-name').allInnerTexts());
		if (now === last && now !== '[]') break;
		last = now;
	}
	return (await page.getByTestId('node-creator-item-name').allInnerTexts()).map((t) => t.trim());
}

/** Clicks the node in the picker's list; its details' header (the package's description). */
async function openNodeDetails(page: Page): Promise<string> {
	await page
		.getByTestId('item-iterator-item')
		.filter({ hasText: NODE_DISPLAY_NAME })
		.first()
		.click();
	const header = page.getByTestId('node-creator').getByText(PICKER_HEADER).first();
	await header.waitFor();
	return (await header.innerText()).trim();
}

/**
 * Where each query puts the node in the open picker: "… → #1 of 3" per query, and the queries
 * that rank it below `worst` (or not at all), with the first names listed instead.
 */
async function ranksOf(
	page: Page,
	queries: readonly string[],
	worst: number,
): Promise<{ ranks: string[]; misses: string[] }> {
	const ranks: string[] = [];
	const misses: string[] = [];
	for (const query of queries) {
		const names = await pickerNames(page, query);
		const rank = names.indexOf(NODE_DISPLAY_NAME) + 1;
		ranks.push(`"${query}" → ${rank === 0 ? 'not listed' : `#${rank} of ${names.length}`}`);
		if (rank === 0 || rank > worst)
			misses.push(
				`"${query}": ${rank === 0 ? 'not listed' : `#${rank}`} (${names.slice(0, 4).join(', ')})`,
			);
	}
	return { ranks, misses };
}

/** Adds the node through the picker (search, the node, then the action) and returns its NDV parameters. */
async function addThroughPicker(page: Page, query: string, action: RegExp): Promise<Locator> {
	await page.getByTestId('node-creator-plus-button').click();
	await pickerNames(page, query);
	await page
		.getByTestId('item-iterator-item')
		.filter({ hasText: NODE_DISPLAY_NAME })
		.first()
		.click();
	await page.getByTestId('item-iterator-item').filter({ hasText: action }).first().click();
	const params = page.getByTestId('ndv').getByTestId('node-parameters');
	await params.waitFor();
	await page.waitForTimeout(500);
	return params;
}

/** The open select's options (element-plus, both lines). */
async function openOptions(page: Page): Promise<string[]> {
	await page.waitForTimeout(400);
	return (await page.locator('.el-select-dropdown__item:visible').allInnerTexts()).map((t) =>
		t.trim(),
	);
}

/** The last "Add Option" / "Add Field" select of `scope`: 2.41 has a test id, 1.123 a class. */
function collectionAdd(scope: Locator): Locator {
	return scope
		.locator('[data-test-id="collection-parameter-add"], .collection-parameter .add-option')
		.last();
}

async function listCollectionOptions(page: Page, scope: Locator): Promise<string[]> {
	const add = collectionAdd(scope);
	await add.scrollIntoViewIfNeeded();
	await add.click();
	const items = (await openOptions(page)).filter((t) => t !== '');
	await page.keyboard.press('Escape');
	await page.waitForTimeout(300);
	return items;
}

async function addCollectionOption(page: Page, scope: Locator, name: string): Promise<void> {
	const add = collectionAdd(scope);
	await add.scrollIntoViewIfNeeded();
	await add.click();
	await page
		.locator('.el-select-dropdown__item:visible')
		.filter({ has: page.getByText(name, { exact: true }) })
		.first()
		.click();
	await page.waitForTimeout(400);
}

async function chooseOption(page: Page, param: Locator, name: string): Promise<void> {
	await param.click();
	await page
		.locator('.el-select-dropdown__item:visible')
		.filter({ has: page.getByText(name, { exact: true }) })
		.first()
		.click();
	await page.waitForTimeout(500);
}

/** The labels shown inside `scope` (n8n's input-label), in order. */
async function labels(scope: Locator): Promise<string[]> {
	return (await scope.getByTestId('input-label').allInnerTexts())
		.map((t) => (t.split('\n')[0] ?? '').trim())
		.filter((t) => t !== '');
}

/** A notice's sentences, as a reader counts them: ends at . ! ? before a capital or a quote. */
export function sentences(text: string): string[] {
	return text.split(/(?<=[.!?])\s+(?=[A-Z"“(])/).filter((s) => s.trim() !== '');
}

/** The placeholder of the first input of `param` (a parameter-input-* element). */
async function placeholderOf(param: Locator): Promise<string> {
	return (await param.locator('input, textarea').first().getAttribute('placeholder')) ?? '';
}

/** The notice in `scope` whose text includes `words`, as one line. */
async function noticeWith(scope: Locator, words: string): Promise<string> {
	const notice = scope.locator('.notice, [data-test-id="notice"], [role="alert"]').filter({
		hasText: words,
	});
	if ((await notice.count()) > 0)
		return (await notice.first().innerText()).replace(/\s+/g, ' ').trim();
	return (await scope.innerText()).split('\n').find((line) => line.includes(words)) ?? '';
}

export async function runFormChecks(
	page: Page,
	ready: EditorReady,
	tools: CheckTools,
): Promise<void> {
	const { check, shot } = tools;
	const assert: CheckTools['assert'] = tools.assert;
	await check(
		`finding 3: "${PICKER_QUERIES.join('", "')}" find "${NODE_DISPLAY_NAME}" first or second; the picker header describes the package`,
		async () => {
			await scratchWorkflow(page, ready, 'Form check: picker');
			await page.getByTestId('node-creator-plus-button').click();
			const { ranks, misses } = await ranksOf(page, PICKER_QUERIES, 2);
			assert(misses.length === 0, `ranked below second: ${misses.join('; ')}`);
			await pickerNames(page, 'teams call');
			await page.mouse.move(5, 890);
			await page.waitForTimeout(500);
			const pickerFile = await shot(page, 'node-picker');
			const headerText = await openNodeDetails(page);
			await page
				.getByTestId('item-iterator-item')
				.filter({ hasText: /^Invite/ })
				.first()
				.waitFor();
			await page.waitForTimeout(500);
			const actionsFile = await shot(page, 'node-actions');
			await page.keyboard.press('Escape');
			return `${ranks.join(', ')}; header "${headerText}"; ${pickerFile}, ${actionsFile}`;
		},
	);

	await check(
		`finding it (issue 24): "${PAGING_QUERIES.join('", "')}" list "${NODE_DISPLAY_NAME}" first; its trigger offers ${PICKER_TRIGGER_EVENTS.join(' and ')}; the header describes the actions`,
		async () => {
			await scratchWorkflow(page, ready, 'Form check: paging words');
			await page.getByTestId('node-creator-plus-button').click();
			const { ranks, misses } = await ranksOf(page, PAGING_QUERIES, 1);
			assert(misses.length === 0, `not first: ${misses.join('; ')}`);
			await pickerNames(page, 'page someone');
			await page.mouse.move(5, 890);
			await page.waitForTimeout(500);
			const pickerFile = await shot(page, 'node-picker-page-someone');
			await page.keyboard.press('Escape');
			// n8n offers trigger events only while the workflow has no trigger: a new, empty one.
			await page.goto(`${ready.url}/workflow/new`);
			await page.waitForLoadState('networkidle').catch(() => undefined);
			const firstStep = page.getByTestId('canvas-plus-button');
			await firstStep.first().waitFor();
			await firstStep.first().click();
			await pickerNames(page, 'on call');
			const headerText = await openNodeDetails(page);
			assert(
				/^Call people on Teams or by phone and wait for a keypress, start or join calls, invite, mute and remove participants; this trigger starts the workflow on call events/.test(
					headerText,
				),
				`the header reads "${headerText}"`,
			);
			const items = page.getByTestId('item-iterator-item');
			await items.filter({ hasText: /^On / }).first().waitFor();
			const triggers = (await items.allInnerTexts())
				.map((t) => t.split('\n')[0]?.trim() ?? '')
				.filter((t) => /^On /.test(t));
			const missing = PICKER_TRIGGER_EVENTS.filter(
				(event) => !triggers.some((t) => t.toLowerCase() === event.toLowerCase()),
			);
			assert(
				missing.length === 0,
				`the trigger's entries lack ${missing.join(', ')}: ${triggers.join(', ') || '(none)'}`,
			);
			await page.mouse.move(5, 890);
			await page.waitForTimeout(500);
			const triggersFile = await shot(page, 'node-triggers');
			await page.keyboard.press('Escape');
			return `${ranks.join(', ')}; header "${headerText.slice(0, 80)}…"; trigger entries: ${triggers.join(', ')}; ${pickerFile}, ${triggersFile}`;
		},
	);

	await check(
		'finding 4: a participant shows Type, ID, Display Name and Additional Fields; the rest is inside Additional Fields',
		async () => {
			await scratchWorkflow(page, ready, 'Form check: participant form');
			const params = await addThroughPicker(page, 'invite', /^Invite/);
			const participants = params.getByTestId('fixed-collection-participants');
			await participants.getByTestId('fixed-collection-add').first().click();
			await participants.getByTestId('parameter-input-type').waitFor();
			await page.waitForTimeout(500);
			const shown = await labels(participants);
			const expected = ['Type', 'ID', 'Display Name', 'Additional Fields'];
			assert(
				JSON.stringify(shown) === JSON.stringify(expected),
				`one participant shows ${shown.length} fields: ${shown.join(', ')}`,
			);
			const extras = await listCollectionOptions(page, participants);
			for (const rare of ['Replaces Call ID', 'Participant ID', 'Hidden'])
				assert(extras.includes(rare), `Additional Fields lacks "${rare}": ${extras.join(', ')}`);
			// For the screenshot: a filled-in participant, as a user leaves it.
			await params
				.getByTestId('parameter-input-callId')
				.locator('input, textarea')
				.first()
				.fill(SIM_CALL_ID);
			await participants
				.getByTestId('parameter-input-id')
				.locator('input, textarea')
				.first()
				.fill('278405a3-f568-4b3e-b684-009193463064');
			await participants
				.getByTestId('parameter-input-displayName')
				.locator('input, textarea')
				.first()
				.fill('Alex Wilber');
			await participants.getByTestId('parameter-input-id').scrollIntoViewIfNeeded();
			await page.mouse.move(5, 890);
			await page.waitForTimeout(400);
			return `${shown.length} fields: ${shown.join(', ')}; Additional Fields offers ${extras.join(', ')}; ${await shot(page, 'parameters')}`;
		},
	);

	await check(
		"finding 4: Call › Create's targets are User ID, Display Name, Tenant ID; peer-to-peer one, group a list starting with one",
		async () => {
			await scratchWorkflow(page, ready, 'Form check: create targets');
			const params = await addThroughPicker(page, 'teams call', /^Create a call/);
			const found: string[] = [];
			for (const [callType, adds] of [
				['Group Call', 1],
				['Peer-to-Peer (Teams User)', 0],
			] as const) {
				await chooseOption(page, params.getByTestId('parameter-input-callType'), callType);
				const targets = params.getByTestId('fixed-collection-targets');
				await targets.waitFor();
				const shown = await labels(targets);
				assert(
					JSON.stringify(shown) === JSON.stringify(['User ID', 'Display Name', 'Tenant ID']),
					`${callType}: the target shows ${shown.join(', ')}`,
				);
				const entries = await targets.getByTestId('parameter-input-id').count();
				assert(entries === 1, `${callType}: ${entries} entries at the start`);
				const addButtons = await targets.getByTestId('fixed-collection-add').count();
				assert(
					addButtons === adds,
					`${callType}: ${addButtons} "Add Target" buttons, expected ${adds}`,
				);
				found.push(
					`${callType}: 1 entry (${shown.join(', ')}), ${adds === 1 ? '"Add Target"' : 'no Add Target'}`,
				);
			}
			await params.getByTestId('fixed-collection-targets').scrollIntoViewIfNeeded();
			await page.mouse.move(5, 890);
			await page.waitForTimeout(400);
			return `${found.join('; ')}; ${await shot(page, 'create-targets')}`;
		},
	);

	await check(
		"the form's placeholders: a participant's ID shows its Type's example (a GUID for a user, E.164 for a phone, an app ID for a bot); Client Context has one",
		async () => {
			await scratchWorkflow(page, ready, 'Form check: placeholders');
			const params = await addThroughPicker(page, 'invite', /^Invite/);
			const participants = params.getByTestId('fixed-collection-participants');
			await participants.getByTestId('fixed-collection-add').first().click();
			await participants.getByTestId('parameter-input-type').waitFor();
			const seen: string[] = [];
			for (const [type, example] of [
				['Teams / Entra User', /^e\.g\. [0-9a-f]{8}-[0-9a-f]{4}-/],
				['Phone Number (PSTN)', /^e\.g\. \+\d{8,15}$/],
				['Application / Bot', /^e\.g\. [0-9a-f]{8}-[0-9a-f]{4}-/],
			] as const) {
				await chooseOption(page, participants.getByTestId('parameter-input-type'), type);
				const shown = await placeholderOf(participants.getByTestId('parameter-input-id'));
				assert(example.test(shown), `${type}: the ID's placeholder is "${shown}"`);
				seen.push(`${type} → "${shown}"`);
			}
			const context = await placeholderOf(params.getByTestId('parameter-input-clientContext'));
			assert(context.startsWith('e.g. '), `Client Context's placeholder is "${context}"`);
			return `${seen.join(', ')}; Client Context "${context}"`;
		},
	);

	await check(
		"Online Meeting › Create's notice: two sentences, the PowerShell behind a link to the README",
		async () => {
			await scratchWorkflow(page, ready, 'Form check: notice', [
				{
					id: 'a0000000-0000-4000-8000-0000000000b1',
					name: 'Create the bridge',
					type: NODE_TYPE,
					typeVersion: 3,
					position: [260, 0],
					credentials: credentialsOf(ready),
					parameters: { resource: 'onlineMeeting', operation: 'create' },
				},
			]);
			await page
				.locator('[data-test-id="canvas-node"][data-node-name="Create the bridge"]')
				.dblclick();
			const params = page.getByTestId('ndv').getByTestId('node-parameters');
			await params.waitFor();
			const notice = await noticeWith(params, 'application access policy');
			const said = sentences(notice);
			assert(said.length === 2, `${said.length} sentences: ${said.join(' | ')}`);
			assert(!/-Cs[A-Z]/.test(notice), `PowerShell in the notice: ${notice}`);
			await params
				.locator(`a[href="${README}#online-meeting"]`)
				.first()
				.waitFor({ timeout: 10_000 });
			await page.keyboard.press('Escape');
			return `"${notice}" (${said.length} sentences, links README › Online Meeting)`;
		},
	);

	await check(
		'Call and Wait for Keypress, version 3: Prompt From › Text shows the typed words and the offline voice; the form lists the outcomes and what comes out when the wait ends',
		async () => {
			const words = 'Checkout is down. Payments fail for every customer.';
			await scratchWorkflow(page, ready, 'Form check: typed prompt', [
				{
					id: 'a0000000-0000-4000-8000-0000000000c1',
					name: 'Page the on-call engineer',
					type: NODE_TYPE,
					typeVersion: 3,
					position: [260, 0],
					credentials: credentialsOf(ready),
					parameters: {
						resource: 'call',
						operation: 'callAndWaitForKeypress',
						people: {
							person: [
								{ type: 'phoneNumber', id: '+14255550101', displayName: 'On-call engineer' },
							],
						},
						applicationInstanceId: '4c3b2a19-0000-4000-8000-00000000de71',
						promptText: words,
						responseType: 'approval',
						approvalOptions: {
							values: { approvalType: 'single', approveKey: '1', approveLabel: 'acknowledge' },
						},
						options: {},
					},
				},
			]);
			await page
				.locator('[data-test-id="canvas-node"][data-node-name="Page the on-call engineer"]')
				.dblclick();
			const params = page.getByTestId('ndv').getByTestId('node-parameters');
			await params.waitFor();
			const source = await params
				.getByTestId('parameter-input-promptSource')
				.locator('input')
				.first()
				.inputValue();
			assert(source === 'Text', `Prompt From reads "${source}"`);
			const typed = await params
				.getByTestId('parameter-input-promptText')
				.locator('textarea, input')
				.first()
				.inputValue();
			assert(typed === words, `the Text field holds "${typed}"`);
			const engine = await params
				.getByTestId('parameter-input-speechEngine')
				.locator('input')
				.first()
				.inputValue();
			assert(engine === 'Offline Voice (Built In)', `Voice Engine reads "${engine}"`);
			assert(
				(await params.getByTestId('parameter-input-promptUrl').count()) === 0,
				'Prompt URL is shown beside Prompt From › Text',
			);
			// Nothing wanting in a filled-in form: e.g. the Voice's empty default is in its list.
			await page.waitForTimeout(1_000);
			const issues = await params.getByTestId('parameter-issues').count();
			assert(issues === 0, `the filled-in form shows ${issues} parameter issue(s)`);
			const output = await noticeWith(params, 'noConfirmation');
			for (const outcome of ['pressed', 'declined', 'unanswered', 'hungUp', 'timeout', 'failed'])
				assert(output.includes(`"${outcome}"`), `the output notice lacks "${outcome}": ${output}`);
			assert(
				/input item on unchanged/.test(output),
				`the output notice does not say what comes out when the wait ends: ${output}`,
			);
			assert(sentences(output).length <= 2, `the output notice: ${output}`);
			const keypressNotice = await noticeWith(params, 'WEBHOOK_URL');
			assert(sentences(keypressNotice).length <= 2, `the notice: ${keypressNotice}`);
			// The screenshot: the prompt's fields at the top of the panel, from the label Prompt From.
			await params
				.getByTestId('input-label')
				.filter({ hasText: /^Prompt From/ })
				.first()
				.evaluate((el) =>
					(el as unknown as { scrollIntoView(o: object): void }).scrollIntoView({
						block: 'start',
					}),
				);
			await page.mouse.move(5, 890);
			await page.waitForTimeout(600);
			const file = await shot(page, 'page-typed-prompt');
			await page.keyboard.press('Escape');
			return `Prompt From "${source}", Text "${typed}", Voice Engine "${engine}"; output notice "${output.slice(0, 120)}…"; ${file}`;
		},
	);

	await check(
		"finding 5: an input error names the form's field and carries a description in n8n's error view",
		async () => {
			await scratchWorkflow(page, ready, 'Form check: input error', [
				{
					id: 'a0000000-0000-4000-8000-000000000005',
					name: 'Invite the front desk',
					type: NODE_TYPE,
					typeVersion: 2,
					position: [260, 0],
					credentials: credentialsOf(ready),
					parameters: {
						resource: 'callParticipant',
						operation: 'invite',
						callId: SIM_CALL_ID,
						participantsMode: 'defineBelow',
						participants: {
							participant: [{ type: 'phone', id: '12345', displayName: 'Front desk' }],
						},
						options: {},
					},
				},
			]);
			await page
				.locator('[data-test-id="canvas-node"][data-node-name="Invite the front desk"]')
				.dblclick();
			const ndv = page.getByTestId('ndv');
			await ndv.getByTestId('node-execute-button').click();
			const output = ndv.getByTestId('output-panel');
			const message = output.getByTestId('node-error-message').first();
			await message.waitFor({ timeout: 90_000 });
			const messageText = (await message.innerText()).trim();
			const descriptionText = (
				await output.getByTestId('node-error-description').first().innerText()
			).trim();
			assert(
				messageText.startsWith('Participant 1 › ID (phone number) (item 0):'),
				`the message reads "${messageText}"`,
			);
			assert(
				!/identity\.phone|a undefined/.test(messageText),
				`JSON path or "a undefined": ${messageText}`,
			);
			assert(descriptionText.length > 20, `the description is "${descriptionText}"`);
			await output
				.getByText('Error details')
				.first()
				.click()
				.catch(() => undefined);
			await page.mouse.move(5, 890);
			await page.waitForTimeout(600);
			return `message "${messageText}"; description "${descriptionText}"; ${await shot(page, 'error')}`;
		},
	);

	await check(
		'finding 6: Wait Timeout and Poll Interval offered only once Wait for Outcome is on',
		async () => {
			await scratchWorkflow(page, ready, 'Form check: options');
			const params = await addThroughPicker(page, 'invite', /^Invite/);
			const before = await listCollectionOptions(page, params);
			for (const o of ['Wait Timeout (Seconds)', 'Poll Interval (Seconds)'])
				assert(
					!before.includes(o),
					`"${o}" offered with Wait for Outcome off: ${before.join(', ')}`,
				);
			await addCollectionOption(page, params, 'Timeout (Seconds)');
			await addCollectionOption(page, params, 'Wait for Outcome');
			const toggle = params.getByTestId('parameter-input-waitForOutcome');
			await toggle.locator('.el-switch').first().click();
			await toggle.locator('.el-switch.is-checked').waitFor();
			const after = await listCollectionOptions(page, params);
			for (const o of ['Wait Timeout (Seconds)', 'Poll Interval (Seconds)'])
				assert(
					after.includes(o),
					`"${o}" not offered with Wait for Outcome on: ${after.join(', ')}`,
				);
			await addCollectionOption(page, params, 'Wait Timeout (Seconds)');
			await addCollectionOption(page, params, 'Poll Interval (Seconds)');
			await params.getByTestId('parameter-input-pollIntervalSeconds').scrollIntoViewIfNeeded();
			await page.mouse.move(5, 890);
			await page.waitForTimeout(400);
			return `off: ${before.length} options, no Wait Timeout/Poll Interval; on: both offered; ${await shot(page, 'options')}`;
		},
	);

	await check('finding 6: whole-number defaults shown without decimals', async () => {
		// Runs in the NDV the previous check left open (Timeout, Wait Timeout, Poll Interval added).
		const params = page.getByTestId('ndv').getByTestId('node-parameters');
		const shown: Record<string, string> = {};
		for (const name of ['timeoutSeconds', 'waitTimeoutSeconds', 'pollIntervalSeconds'])
			shown[name] = await params
				.getByTestId(`parameter-input-${name}`)
				.locator('input')
				.first()
				.inputValue({ timeout: 10_000 });
		const detail = `Timeout "${shown.timeoutSeconds}", Wait Timeout "${shown.waitTimeoutSeconds}", Poll Interval "${shown.pollIntervalSeconds}"`;
		assert(
			shown.timeoutSeconds === '60' &&
				shown.waitTimeoutSeconds === '60' &&
				shown.pollIntervalSeconds === '5',
			`${detail} (expected "60", "60", "5")`,
		);
		return detail;
	});

	await check(
		"finding 7: the trigger's notice explains public https URLs and Test vs Production URL; Events holds Operation Results",
		async () => {
			await scratchWorkflow(
				page,
				ready,
				'Form check: trigger',
				[
					{
						id: 'a0000000-0000-4000-8000-000000000007',
						name: 'Graph notifications',
						type: TRIGGER_TYPE,
						typeVersion: 2,
						position: [260, 260],
						credentials: credentialsOf(ready),
						parameters: {},
						webhookId: 'a0000000-0000-4000-8000-0000000000f7',
					},
				],
				false,
			);
			await page
				.locator('[data-test-id="canvas-node"][data-node-name="Graph notifications"]')
				.dblclick();
			const params = page.getByTestId('ndv').getByTestId('node-parameters');
			await params.waitFor();
			const text = await params.innerText();
			const notice = text.split('\n').find((l) => l.includes('WEBHOOK_URL')) ?? '';
			for (const words of [
				'https URLs reachable from the internet',
				'reverse proxy',
				'WEBHOOK_URL',
				'tunnel',
				'Test URL',
				'Listening for test event',
				'Production URL',
			])
				assert(notice.includes(words), `the notice lacks "${words}": ${notice}`);
			const said = sentences(notice);
			assert(said.length <= 2, `the notice has ${said.length} sentences: ${said.join(' | ')}`);
			await params.locator(`a[href="${README}#trigger"]`).first().waitFor({ timeout: 10_000 });
			assert(
				!text.includes('Only Operation Results'),
				'version 2 still shows Only Operation Results',
			);
			await page.mouse.move(5, 890);
			await page.waitForTimeout(400);
			const file = await shot(page, 'trigger');
			const events = params.getByTestId('parameter-input-events');
			assert(
				(await events.count()) === 1,
				`no Events field in the trigger's form (version 2): it shows ${(await labels(params)).join(', ')}; ${file}`,
			);
			await events.click();
			const choices = (await openOptions(page)).filter((t) => t !== '');
			await page.keyboard.press('Escape');
			assert(
				choices.some((c) => c.startsWith('Operation Results')),
				`Events offers ${choices.join(', ')}`,
			);
			return `notice (${said.length} sentences, links README › Trigger) "${notice.slice(0, 160)}…"; Events: ${choices.map((c) => c.split('\n')[0]).join(', ')}; ${file}`;
		},
	);

	await check(
		"finding 8: each resource's notice links to its README section; the node's Docs link goes to the README",
		async () => {
			await scratchWorkflow(page, ready, 'Form check: docs links');
			const params = await addThroughPicker(page, 'invite', /^Invite/);
			const seen: string[] = [];
			for (const [resource, anchor] of [
				['Call Participant', 'call-participant'],
				['Call', 'call'],
				['App', 'app'],
			] as const) {
				if (resource !== 'Call Participant')
					await chooseOption(page, params.getByTestId('parameter-input-resource'), resource);
				const link = params.locator(`a[href="${README}#${anchor}"]`);
				await link.first().waitFor({ timeout: 10_000 });
				seen.push(`"${(await link.first().innerText()).trim()}" → #${anchor}`);
			}
			const docs = page
				.getByTestId('ndv')
				.locator(`a[href^="${README}#"]`)
				.filter({ hasText: 'Docs' });
			const docsHref = (await docs.first().getAttribute('href')) ?? '';
			assert(docsHref.startsWith(`${README}#`), `the NDV's Docs link goes to ${docsHref}`);
			// n8n (both lines) appends "?utm_…" to the codex URL even after a "#", so the npm page
			// opens at its top, not at the section; only a node's own documentationUrl is used as is.
			const anchorKept = !/#[^?]*\?/.test(docsHref);
			return `${seen.join(', ')}; NDV "Docs" → ${docsHref}${anchorKept ? '' : ' (anchor lost: n8n appends ?utm_… after the #)'}`;
		},
	);

	await check(
		'finding 9: the canvas subtitle reads "Invite · Call Participant", "Hang Up · Call"',
		async () => {
			const node = (
				name: string,
				parameters: Record<string, unknown>,
				y: number,
			): WorkflowNode => ({
				id: `a0000000-0000-4000-8000-00000000009${y}`,
				name,
				type: NODE_TYPE,
				typeVersion: 2,
				position: [260, y * 160],
				credentials: credentialsOf(ready),
				parameters,
			});
			await scratchWorkflow(page, ready, 'Form check: subtitles', [
				node('Invite', { resource: 'callParticipant', operation: 'invite' }, 0),
				node('Hang up', { resource: 'call', operation: 'hangUp' }, 1),
			]);
			const subtitles: string[] = [];
			for (const [name, wanted] of [
				['Invite', 'Invite · Call Participant'],
				['Hang up', 'Hang Up · Call'],
			] as const) {
				const canvasNode = page.locator(`[data-test-id="canvas-node"][data-node-name="${name}"]`);
				const text = (await canvasNode.innerText()).replace(/\s+/g, ' ');
				assert(text.includes(wanted), `the node "${name}" reads "${text}"`);
				subtitles.push(`"${wanted}"`);
			}
			await page.waitForTimeout(400);
			return `${subtitles.join(', ')}; ${await shot(page, 'canvas')}`;
		},
	);

	await check('finding 10: the README promises what n8n shows on success', async () => {
		const readme = fs.readFileSync(path.join(repoRoot, 'README.md'), 'utf8');
		assert(
			readme.includes('Connection tested successfully'),
			'the README does not quote "Connection tested successfully"',
		);
		const roles = /credential test[^.\n]*\b(shows|lists)\b[^.\n]*\broles\b/i.exec(readme);
		assert(roles === null, `the README still promises roles: "${roles?.[0]}"`);
		return 'the README quotes "Connection tested successfully" (check 4 sees it in the modal)';
	});
}
