/**
 * What every workflow in examples/ must be to import cleanly into n8n, checked on the files
 * themselves. The name limit was found by the browser test: n8n 2.41's REST API (what the
 * editor's import saves through) answers 400 "Workflow name must be 128 characters or less".
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';

const folder = join(__dirname, '..', 'examples');

interface ExampleNode {
	name: string;
	type: string;
	position: [number, number];
	parameters: Record<string, unknown>;
	credentials?: Record<string, { id: string; name: string }>;
}
interface Example {
	name: string;
	nodes: ExampleNode[];
	/** By connection type: main, and ai_languageModel / ai_tool for an agent's sub-nodes. */
	connections: Record<string, Record<string, Array<Array<{ node: string }>>>>;
}

const examples = readdirSync(folder)
	.filter((file) => file.endsWith('.json'))
	.map((file) => ({
		file,
		workflow: JSON.parse(readFileSync(join(folder, file), 'utf8')) as Example,
	}));

describe('examples/*.json import cleanly into n8n', () => {
	it('there are examples to check', () => assert.ok(examples.length >= 5));
	for (const { file, workflow } of examples) {
		it(`${file}: a name n8n accepts, unique node names, connections between its own nodes, placeholder credentials`, () => {
			assert.ok(
				workflow.name.length > 0 && workflow.name.length <= 128,
				`${workflow.name.length} characters`,
			);
			const names = workflow.nodes.map((node) => node.name);
			assert.equal(new Set(names).size, names.length, 'node names are unique');
			for (const [from, outputs] of Object.entries(workflow.connections)) {
				assert.ok(names.includes(from), `a connection from "${from}"`);
				for (const target of Object.values(outputs).flat(2))
					assert.ok(names.includes(target.node), `a connection to "${target.node}"`);
			}
			for (const node of workflow.nodes)
				for (const credential of Object.values(node.credentials ?? {}))
					assert.equal(
						credential.id,
						'REPLACE_ME',
						`${node.name}: no real credential ID is shipped`,
					);
		});
	}
});

const STICKY_NOTE = 'n8n-nodes-base.stickyNote';
/** n8n's red sticky note: what the user still has to fill in. */
const RED = 3;
/** A sticky note counts as beside a node when its box comes this close to the node's. */
const BESIDE_PX = 200;
/** n8n draws a node as a 100 × 100 box from its position. */
const NODE_SIZE = 100;
/**
 * The fields an example leaves empty for the user, as their forms name them: n8n marks each
 * that is required (the Callback URL, the chat webhook, the v2 tool's fields) with its
 * "parameter required" issue; the page nodes' Resource Account ID only the note shows.
 */
const BLANKS: Record<string, string> = {
	callbackUrl: 'Callback URL',
	applicationInstanceId: 'Resource Account ID',
	promptUrl: 'Prompt URL',
	url: 'URL',
};

interface Sticky {
	name: string;
	content: string;
	color: number;
	box: { left: number; top: number; right: number; bottom: number };
}

function stickiesOf(workflow: Example): Sticky[] {
	return workflow.nodes
		.filter((node) => node.type === STICKY_NOTE)
		.map((node) => {
			const [left, top] = node.position;
			const width = Number(node.parameters.width ?? 240);
			const height = Number(node.parameters.height ?? 160);
			return {
				name: node.name,
				content: String(node.parameters.content ?? ''),
				color: Number(node.parameters.color ?? 1),
				box: { left, top, right: left + width, bottom: top + height },
			};
		});
}

/** The gap between a sticky note's box and a node's (0 when they touch or overlap). */
function gap(sticky: Sticky, node: ExampleNode): number {
	const [x, y] = node.position;
	const dx = Math.max(sticky.box.left - (x + NODE_SIZE), x - sticky.box.right, 0);
	const dy = Math.max(sticky.box.top - (y + NODE_SIZE), y - sticky.box.bottom, 0);
	return Math.max(dx, dy);
}

describe('examples/*.json show what the user still has to fill in', () => {
	for (const { file, workflow } of examples) {
		const nodes = workflow.nodes.filter((node) => node.type !== STICKY_NOTE);
		const stickies = stickiesOf(workflow);
		it(`${file}: no placeholder that looks filled in (REPLACE_WITH_…, example.com, contoso URLs)`, () => {
			for (const node of nodes) {
				const text = JSON.stringify(node.parameters);
				for (const pattern of [/REPLACE_WITH/, /example\.com/, /https:\/\/[a-z0-9.-]*contoso\.com/])
					assert.doesNotMatch(text, pattern, `${node.name}`);
			}
		});
		it(`${file}: at least one red "Fill in" sticky note, each beside a node and not on top of one`, () => {
			const fillIns = stickies.filter((sticky) => sticky.content.startsWith('## Fill in'));
			assert.ok(fillIns.length > 0, 'no "## Fill in" sticky note');
			for (const sticky of fillIns) {
				assert.equal(sticky.color, RED, `${sticky.name}: red`);
				const gaps = nodes.map((node) => gap(sticky, node));
				assert.ok(Math.min(...gaps) <= BESIDE_PX, `${sticky.name} is beside no node`);
				const under = nodes.filter((node) => gap(sticky, node) === 0).map((node) => node.name);
				assert.deepEqual(under, [], `${sticky.name} covers a node`);
			}
		});
		it(`${file}: every field left empty for the user is named by a red sticky note beside its node`, () => {
			for (const node of nodes)
				for (const [parameter, field] of Object.entries(BLANKS)) {
					if (node.parameters[parameter] !== '') continue;
					const named = stickies.filter(
						(sticky) =>
							sticky.color === RED &&
							sticky.content.includes(field) &&
							gap(sticky, node) <= BESIDE_PX,
					);
					assert.ok(named.length > 0, `${node.name} › ${field} is empty without a note beside it`);
				}
		});
	}
});
