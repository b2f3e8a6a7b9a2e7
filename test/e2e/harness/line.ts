import * as path from 'node:path';

import type { Line } from './install';
import { e2eDir } from './paths';

/** The environment variable that picks the n8n line for `npm run dev` and `npm run test:browser`. */
export const LINE_ENV = 'N8N_LINE';

/**
 * `1` (n8n 1.123.50 on this Node) or `2` (n8n 2.41.1 on the Node 24 the harness installs);
 * `--line` on the command line wins over N8N_LINE, and 1 is the default (the line the dev and
 * browser tooling started on). Anything else is refused rather than guessed.
 */
export function parseLine(value: string | undefined, source: string): Line {
	if (value === undefined || value === '') return '1';
	const v = value
		.trim()
		.replace(/^n8n-?/i, '')
		.split('.')[0];
	if (v === '1' || v === '2') return v;
	throw new Error(`${source}: '${value}' is not an n8n line; use 1 or 2.`);
}

export function lineFromEnv(env: NodeJS.ProcessEnv = process.env): Line {
	return parseLine(env[LINE_ENV], LINE_ENV);
}

/**
 * `npm run dev`'s default state folder of a line (the browser test's attach mode reads it too):
 * one per line, because a database migrated by n8n 2.x cannot be opened by 1.x again.
 */
export function defaultDevFolder(line: Line): string {
	return path.join(e2eDir, line === '1' ? 'dev' : `dev-n8n${line}`);
}
