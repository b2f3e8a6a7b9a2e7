/**
 * Issue 15 in the editor (both n8n lines): examples/page-and-acknowledge.json as a user imports
 * it, with the credential picked. Its screenshot is the README's picture of the example.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Page } from 'playwright-core';

import { repoRoot } from '../harness/paths';
import { createWorkflow, credentialsOf, type Issue14Ready, type Issue14Tools } from './issue14';

const PAGE_NODES = ['Page the on-call engineer', 'Page the backup'];

export async function runIssue15Checks(
	page: Page,
	ready: Issue14Ready,
	tools: Issue14Tools,
): Promise<void> {
	const { check, shot } = tools;
	const assert: Issue14Tools['assert'] = tools.assert;
	await check(
		'issue 15: examples/page-and-acknowledge.json opens with its seven nodes, the page nodes read "Call and Wait for Keypress · Call" and show no issues',
		async () => {
			const example = JSON.parse(
				fs.readFileSync(path.join(repoRoot, 'examples', 'page-and-acknowledge.json'), 'utf8'),
			) as { name: string; nodes: Array<Record<string, unknown>>; connections: unknown };
			const nodes = example.nodes.map((node) =>
				'credentials' in node ? { ...node, credentials: credentialsOf(ready) } : node,
			);
			await createWorkflow(page, ready, {
				// As the editor imports it: the example's own name (n8n allows 128 characters).
				name: example.name,
				nodes,
				connections: example.connections,
				settings: { executionOrder: 'v1' },
				active: false,
			});
			const onCanvas = await page.getByTestId('canvas-node').count();
			assert(onCanvas === example.nodes.length, `${onCanvas} nodes on the canvas`);
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
			// Zoom to fit, so the picture shows the whole workflow: the canvas's button where it has
			// one, else n8n's shortcut "1" on the empty canvas.
			const fit = page.getByTestId('zoom-to-fit');
			if ((await fit.count()) > 0) await fit.first().click();
			else await page.keyboard.press('1');
			await page.waitForTimeout(600);
			return `${onCanvas} nodes, subtitles and no issues on ${PAGE_NODES.join(', ')}; ${await shot(page, 'page-and-acknowledge')}`;
		},
	);
}
