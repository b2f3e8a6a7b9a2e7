/**
 * Looks for secrets where n8n keeps things: every row of every table of its database, every
 * file of the user folder (event logs, config, ...) and the output of every n8n command.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { DatabaseDump } from './harness/db';
import type { RecordedRequest } from './simulator';

export interface Secret {
	label: string;
	value: string;
}

export interface Finding {
	secret: string;
	where: string;
}

/**
 * The values that must never show up: client secrets, the private key (whole PEM, and each of
 * its base64 lines, so a re-wrapped or partly logged key is caught too), every access token the
 * simulator minted, and every client assertion the certificate credential signed.
 */
export function secretsToScanFor(input: {
	clientSecrets: string[];
	privateKeyPem: string;
	tokens: readonly string[];
	tokenRequests: readonly RecordedRequest[];
}): Secret[] {
	const secrets: Secret[] = input.clientSecrets.map((value, i) => ({
		label: `client secret #${i + 1}`,
		value,
	}));
	secrets.push({ label: 'private key (PEM)', value: input.privateKeyPem.trim() });
	input.privateKeyPem
		.split('\n')
		.map((l) => l.trim())
		.filter((l) => l.length >= 40 && !l.startsWith('-----'))
		.forEach((value, i) => secrets.push({ label: `private key base64 line ${i + 1}`, value }));
	input.tokens.forEach((value, i) => {
		secrets.push({ label: `access token #${i + 1}`, value });
		// The signature alone identifies a token too (e.g. if a log cut the token at a dot).
		const signature = value.split('.')[2];
		if (signature !== undefined && signature.length >= 40)
			secrets.push({ label: `access token #${i + 1} signature`, value: signature });
	});
	input.tokenRequests.forEach((request, i) => {
		const assertion = new URLSearchParams(request.body).get('client_assertion');
		if (assertion)
			secrets.push({ label: `client assertion of token request #${i + 1}`, value: assertion });
	});
	return secrets;
}

function filesBelow(dir: string, skip: readonly string[]): string[] {
	const found: string[] = [];
	const walk = (d: string, depth: number): void => {
		if (depth > 12) return;
		for (const entry of fs.readdirSync(d, { withFileTypes: true })) {
			const full = path.join(d, entry.name);
			if (
				skip.some(
					(s) => full === s || full.startsWith(`${s}-`) || full.startsWith(`${s}${path.sep}`),
				)
			)
				continue;
			if (entry.isDirectory()) walk(full, depth + 1);
			else if (entry.isFile()) found.push(full);
		}
	};
	walk(dir, 0);
	return found;
}

/**
 * Every place a secret was found. `skip`: paths not to read as files (the installed package,
 * the SQLite file and its -wal/-journal siblings, which are read through `database` instead).
 */
export function scanForSecrets(
	secrets: readonly Secret[],
	where: {
		database: DatabaseDump;
		userFolder: string;
		skip: readonly string[];
		logs: ReadonlyArray<{ label: string; text: string }>;
	},
): { findings: Finding[]; files: number } {
	const findings: Finding[] = [];
	const check = (text: string, place: string): void => {
		for (const s of secrets)
			if (text.includes(s.value)) findings.push({ secret: s.label, where: place });
	};
	for (const [table, rows] of Object.entries(where.database)) {
		rows.forEach((row, i) => {
			for (const [column, value] of Object.entries(row)) {
				if (typeof value === 'string')
					check(value, `table ${table}, row ${i + 1}, column ${column}`);
			}
		});
	}
	const files = filesBelow(where.userFolder, where.skip);
	for (const file of files)
		check(fs.readFileSync(file).toString('utf8'), `file ${path.relative(where.userFolder, file)}`);
	for (const log of where.logs) check(log.text, `output of ${log.label}`);
	return { findings, files: files.length };
}
