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

/**
 * Creates the example as the editor imports it (under its own name, which n8n allows up to 128
 * characters), with the Graph credential picked on this package's nodes and any other credential
 * left as the example's placeholder; opens it and counts the nodes on the canvas.
 */
async function openExample(
	page: Page,
	ready: EditorReady,
	file: string,
): Promise<{ expected: number; onCanvas: number }> {
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
	return {
		expected: example.nodes.length,
		onCanvas: await page.getByTestId('canvas-node').count(),
	};
}

export async function runExampleChecks(
	page: Page,
	ready: EditorReady,
	tools: CheckTools,
): Promise<void> {
	const { check, shot } = tools;
	const assert: CheckTools['assert'] = tools.assert;
	await check(
		'examples/page-and-acknowledge.json opens with its seven nodes, the page nodes read "Call and Wait for Keypress · Call" and show no issues',
		async () => {
			const { expected, onCanvas } = await openExample(page, ready, 'page-and-acknowledge.json');
			assert(onCanvas === expected, `${onCanvas} nodes on the canvas`);
			for (const name of PAGE_NODES) {
				const node = page.locator(`[data-test-id="canvas-node"][data-node-name="${name}"]`);
				const text = (await node.innerText()).replace(/\s+/g, ' ');
				assert(
					text.includes('Call and Wait for Keypress · Call'),
					`the node "${name}" reads "${text}"`,
				);
				// n8n marks a node whose parameters it finds wanting with an issues icon.
				const issues = await node.locator('[data-test-id="node-issues"]').count();
				assert(issues === 0, `the node "${name}" shows parameter issues`);
			}
			await zoomToFit(page);
			return `${onCanvas} nodes, subtitles and no issues on ${PAGE_NODES.join(', ')}; ${await shot(page, 'page-and-acknowledge')}`;
		},
	);
	await check(
		'examples/agent-asks-a-human-by-phone.json opens with its five nodes, "Call the approver" is a tool of the AI Agent and shows no issues',
		async () => {
			const { expected, onCanvas } = await openExample(
				page,
				ready,
				'agent-asks-a-human-by-phone.json',
			);
			assert(onCanvas === expected, `${onCanvas} nodes on the canvas`);
			const tool = page.locator(`[data-test-id="canvas-node"][data-node-name="${TOOL_NODE}"]`);
			assert((await tool.count()) === 1, `the node "${TOOL_NODE}" is on the canvas`);
			const issues = await tool.locator('[data-test-id="node-issues"]').count();
			assert(issues === 0, `the node "${TOOL_NODE}" shows parameter issues`);
			// n8n draws the tool's connection to the agent's ai_tool input as an edge between them.
			const edge = page.locator(
				`[data-test-id="edge"][data-source-node-name="${TOOL_NODE}"][data-target-node-name="AI Agent"]`,
			);
			assert((await edge.count()) >= 1, `no edge from "${TOOL_NODE}" to "AI Agent"`);
			await zoomToFit(page);
			return `${onCanvas} nodes, no issues on ${TOOL_NODE}, its edge to AI Agent; ${await shot(page, 'agent-asks-a-human-by-phone')}`;
		},
	);
}
