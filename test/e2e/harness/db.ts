import * as fs from 'node:fs';
import * as path from 'node:path';
import type { N8nCtx } from './n8n';
import { runOk } from './proc';

/** Every row of every table: { [table]: rows }. Values as sqlite3 returns them (Buffers as base64). */
export type DatabaseDump = Record<string, Array<Record<string, unknown>>>;

/**
 * Run with the line's own Node (sqlite3 is built against it) and n8n's own sqlite3 module;
 * writes the dump as JSON to argv[3] rather than stdout (execution data can be large).
 */
const DUMP_JS = `const sqlite3 = require(require.resolve('sqlite3', { paths: [process.argv[1]] }));
const db = new sqlite3.Database(process.argv[2], sqlite3.OPEN_READONLY);
const all = (sql) => new Promise((res, rej) => db.all(sql, (e, rows) => (e ? rej(e) : res(rows))));
(async () => {
	const out = {};
	const tables = await all("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'");
	for (const { name } of tables) {
		const rows = await all('SELECT * FROM "' + name.replace(/"/g, '""') + '"');
		out[name] = rows.map((r) => {
			const o = {};
			for (const [k, v] of Object.entries(r)) o[k] = Buffer.isBuffer(v) ? v.toString('base64') : v;
			return o;
		});
	}
	require('fs').writeFileSync(process.argv[3], JSON.stringify(out));
	db.close();
})().catch((e) => { console.error(e); process.exit(1); });
`;

/** The n8n SQLite database of a user folder: `$N8N_USER_FOLDER/.n8n/database.sqlite`. */
export function databaseFile(ctx: N8nCtx): string {
	return path.join(ctx.userFolder, '.n8n', 'database.sqlite');
}

/** Read every table of the instance's database (read-only; run it while no n8n writes to it). */
export async function dumpDatabase(ctx: N8nCtx): Promise<DatabaseDump> {
	const out = path.join(ctx.userFolder, `db-dump-${process.pid}.json`);
	try {
		await runOk(
			ctx.inst.nodeBin,
			['-e', DUMP_JS, path.join(ctx.inst.dir, 'node_modules', 'n8n'), databaseFile(ctx), out],
			{
				cwd: ctx.inst.dir,
				timeoutMs: 60_000,
			},
		);
		return JSON.parse(fs.readFileSync(out, 'utf8')) as DatabaseDump;
	} finally {
		fs.rmSync(out, { force: true });
	}
}
