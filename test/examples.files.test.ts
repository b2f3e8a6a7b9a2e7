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
