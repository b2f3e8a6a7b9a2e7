'use strict';
// Copies what tsc does not emit (icons, codex files) into dist/, keeping relative paths.
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const copies = [
	['icons', 'dist/icons', (name) => name.endsWith('.svg')],
	['nodes', 'dist/nodes', (name) => name.endsWith('.node.json') || name.endsWith('.svg')],
];

function copyTree(from, to, wanted) {
	for (const entry of fs.readdirSync(from, { withFileTypes: true })) {
		const source = path.join(from, entry.name);
		const target = path.join(to, entry.name);
		if (entry.isDirectory()) copyTree(source, target, wanted);
		else if (wanted(entry.name)) {
			fs.mkdirSync(to, { recursive: true });
			fs.copyFileSync(source, target);
		}
	}
}

for (const [from, to, wanted] of copies)
	copyTree(path.join(root, from), path.join(root, to), wanted);
