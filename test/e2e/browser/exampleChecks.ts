/**
 * The paging examples in the editor (both n8n lines): examples/page-and-acknowledge.json and
 * examples/agent-asks-a-human-by-phone.json as a user imports them, with the Graph credential
 * picked. The screenshots are the README's pictures of the examples.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Page } from 'playwright-core';

import { repoRoot } from '../harness/paths';
import { createWorkflow, credentialsOf, type EditorReady, type CheckTools } from './formChecks';

const PAGE_NODES = ['Page the on-call engineer', 'Page the backup'];
const TOOL_NODE = 'Call the approver';

function readExample(file: string): {
	name: string;
	nodes: Array<Record<string, unknown>>;
	connections: unknown;
} {
	return JSON.parse(fs.readFileSync(path.join(repoRoot, 'examples', file), 'utf8')) as ReturnType<
		typeof readExample
	>;
}

/** Zoom to fit: the canvas's button where it has one, else n8n's shortcut "1". */
async function zoomToFit(page: Page): Promise<void> {
	const fit = page.getByTestId('zoom-to-fit');
	if ((await fit.count()) > 0) await fit.first().click();
	else await page.keyboard.press('1');
	await page.waitForTimeout(600);
}

const STICKY_NOTE = 'n8n-nodes-base.stickyNote';

/**
 * Creates the example as the editor imports it (under its own name, which n8n allows up to 128
 * characters), with the Graph credential picked on this package's nodes and any other credential
 * left as the example's placeholder; opens it and counts the nodes and the sticky notes on the
 * canvas (n8n draws sticky notes as [data-test-id="sticky"], not as canvas nodes).
 */
async function openExample(
	page: Page,
	ready: EditorReady,
	file: string,
): Promise<{
	expected: number;
	onCanvas: number;
	stickies: number;
	stickyTexts: string[];
	example: ReturnType<typeof readExample>;
}> {
	const example = readExample(file);
	const nodes = example.nodes.map((node) =>
		String(node.type).startsWith('n8n-nodes-microsoft-graph-calls.')
			? { ...node, credentials: credentialsOf(ready) }
			: node,
	);
	await createWorkflow(page, ready, {
		name: example.name,
		nodes,
		connections: example.connections,
		settings: { executionOrder: 'v1' },
		active: false,
	});
	const stickyTexts = (await page.getByTestId('sticky').allInnerTexts()).map((t) =>
		t.replace(/\s+/g, ' ').trim(),
	);
	return {
		expected: example.nodes.filter((node) => node.type !== STICKY_NOTE).length,
		onCanvas: await page.getByTestId('canvas-node').count(),
		stickies: example.nodes.filter((node) => node.type === STICKY_NOTE).length,
		stickyTexts,
		example,
	};
}

const canvasNode = (page: Page, name: string) =>
	// JSON's string escapes are CSS's too: names with quotes ('Say "connecting you"') stay whole.
	page.locator(`[data-test-id="canvas-node"][data-node-name=${JSON.stringify(name)}]`);

/** Whether n8n shows its issues mark (the warning triangle) on the node. */
async function marked(page: Page, name: string): Promise<boolean> {
	return (await canvasNode(page, name).locator('[data-test-id="node-issues"]').count()) > 0;
}

/**
 * The other examples and the nodes n8n must mark in each once the credential is picked: those
 * whose required field the example leaves empty for the user (the Callback URL). The two paging
 * examples have checks of their own below.
 */
const UNFINISHED: Record<string, string[]> = {
	'escalate-when-unanswered.json': ['Join incident bridge'],
	'incident-bridge.json': ['Join incident bridge'],
	'incident-bridge-from-scratch.json': ['Join the bridge'],
	'incoming-call-routing.json': [],
};

export async function runExampleChecks(
	page: Page,
	ready: EditorReady,
	tools: CheckTools,
): Promise<void> {
	const { check, shot } = tools;
	const assert: CheckTools['assert'] = tools.assert;
	await check(
		'examples/page-and-acknowledge.json opens with its seven nodes and red "Fill in" notes; n8n marks the chat post (URL empty), not the page nodes, which read "Call and Wait for Keypress · Call"',
		async () => {
			const { expected, onCanvas, stickies, stickyTexts } = await openExample(
				page,
				ready,
				'page-and-acknowledge.json',
			);
			assert(onCanvas === expected, `${onCanvas} nodes on the canvas, expected ${expected}`);
			assert(
				stickyTexts.length === stickies,
				`${stickyTexts.length} sticky notes, expected ${stickies}`,
			);
			for (const words of ['Resource Account ID', 'Slack or Teams incoming-webhook URL', 'E.164'])
				assert(
					stickyTexts.some((t) => t.includes(words)),
					`no sticky note says "${words}": ${stickyTexts.join(' | ')}`,
				);
			for (const name of PAGE_NODES) {
				const text = (await canvasNode(page, name).innerText()).replace(/\s+/g, ' ');
				assert(
					text.includes('Call and Wait for Keypress · Call'),
					`the node "${name}" reads "${text}"`,
				);
				// Resource Account ID is optional in version 3 (only phones need it): the note says it.
				assert(!(await marked(page, name)), `the node "${name}" shows parameter issues`);
			}
			const post = 'Post the outcome (Slack or Teams webhook)';
			assert(await marked(page, post), `n8n does not mark "${post}" (its URL is empty)`);
			await zoomToFit(page);
			return `${onCanvas} nodes, ${stickyTexts.length} red notes; "${post}" marked, the page nodes not; ${await shot(page, 'page-and-acknowledge')}`;
		},
	);
	await check(
		'examples/agent-asks-a-human-by-phone.json opens with its five nodes; "Call the approver" is a tool of the AI Agent, marked by n8n (Resource Account ID and Prompt URL empty) beside its note',
		async () => {
			const { expected, onCanvas, stickyTexts } = await openExample(
				page,
				ready,
				'agent-asks-a-human-by-phone.json',
			);
			assert(onCanvas === expected, `${onCanvas} nodes on the canvas, expected ${expected}`);
			assert((await canvasNode(page, TOOL_NODE).count()) === 1, `no node "${TOOL_NODE}"`);
			assert(await marked(page, TOOL_NODE), `n8n does not mark "${TOOL_NODE}"`);
			for (const words of ['Resource Account ID', 'Prompt URL'])
				assert(
					stickyTexts.some((t) => t.includes(words)),
					`no sticky note says "${words}": ${stickyTexts.join(' | ')}`,
				);
			// n8n draws the tool's connection to the agent's ai_tool input as an edge between them.
			const edge = page.locator(
				`[data-test-id="edge"][data-source-node-name="${TOOL_NODE}"][data-target-node-name="AI Agent"]`,
			);
			assert((await edge.count()) >= 1, `no edge from "${TOOL_NODE}" to "AI Agent"`);
			await zoomToFit(page);
			return `${onCanvas} nodes, ${stickyTexts.length} red notes, ${TOOL_NODE} marked, its edge to AI Agent; ${await shot(page, 'agent-asks-a-human-by-phone')}`;
		},
	);
	await check(
		'the other examples, imported with the credential picked: n8n marks each node whose required field they leave empty (the Callback URL), and their red notes say what to fill',
		async () => {
			const seen: string[] = [];
			for (const [file, unfinished] of Object.entries(UNFINISHED)) {
				const { stickies, stickyTexts, example } = await openExample(page, ready, file);
				assert(stickies > 0, `${file} has no sticky note`);
				assert(
					stickyTexts.length === stickies && stickyTexts.every((t) => t.startsWith('Fill in')),
					`${file}: the canvas shows the notes ${JSON.stringify(stickyTexts)}`,
				);
				const marks: string[] = [];
				for (const node of example.nodes)
					if (node.type !== STICKY_NOTE && (await marked(page, String(node.name))))
						marks.push(String(node.name));
				const missing = unfinished.filter((name) => !marks.includes(name));
				assert(missing.length === 0, `${file}: n8n does not mark ${missing.join(', ')}`);
				seen.push(`${file}: ${stickies} notes, marked ${marks.join(', ') || 'none'}`);
			}
			return seen.join('; ');
		},
	);
}
