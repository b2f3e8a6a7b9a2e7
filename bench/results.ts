/**
 * bench/RESULTS.md holds one section per benchmark: `npm run bench` (in process),
 * `npm run bench:n8n` (real n8n), `npm run bench:speech` and `npm run bench:speech:serving` (typed
 * prompts). Each writer replaces only its own section, between
 * `<!-- bench:NAME -->` and `<!-- /bench:NAME -->`; a file without markers is all in-process.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** BENCH_RESULTS_FILE redirects both writers (smoke runs that must not touch the committed file). */
export const RESULTS_FILE = process.env.BENCH_RESULTS_FILE || join(__dirname, 'RESULTS.md');

const ORDER = ['in-process', 'n8n', 'speech', 'speech-serving'] as const;
export type Section = (typeof ORDER)[number];

function open(name: Section): string {
	return `<!-- bench:${name} -->`;
}
function close(name: Section): string {
	return `<!-- /bench:${name} -->`;
}

function readSections(text: string): Map<Section, string> {
	const sections = new Map<Section, string>();
	if (!ORDER.some((name) => text.includes(open(name)))) {
		if (text.trim()) sections.set('in-process', text.trim());
		return sections;
	}
	for (const name of ORDER) {
		const start = text.indexOf(open(name));
		const end = text.indexOf(close(name));
		if (start >= 0 && end > start)
			sections.set(name, text.slice(start + open(name).length, end).trim());
	}
	return sections;
}

export function writeResultsSection(name: Section, markdown: string, file = RESULTS_FILE): void {
	const sections = readSections(existsSync(file) ? readFileSync(file, 'utf8') : '');
	sections.set(name, markdown.trim());
	const parts = ORDER.filter((n) => sections.has(n)).map(
		(n) => `${open(n)}\n${sections.get(n)}\n${close(n)}`,
	);
	writeFileSync(file, `${parts.join('\n\n')}\n`);
}
