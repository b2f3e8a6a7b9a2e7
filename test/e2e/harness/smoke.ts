/**
 * Proves the harness on real n8n, both lines: install, community package loading, CLI
 * import + execute (success and failure), server start, owner setup, REST, credential test.
 *
 *   npx tsx test/e2e/harness/smoke.ts          # both lines
 *   npx tsx test/e2e/harness/smoke.ts 2        # one line
 */
import * as assert from 'node:assert/strict';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { DUMMY_CREDENTIAL_TYPE, DUMMY_NODE_TYPE, makeDummyTarball } from './dummy';
import { ensureN8n, n8nInstalled, type Line } from './install';
import {
	executeWorkflow,
	importCredentials,
	importWorkflow,
	login,
	makeCtx,
	restGet,
	setupOwner,
	startServer,
	testCredential,
	type WorkflowImport,
} from './n8n';
import { installPackageInto } from './package';

type Timings = Array<[step: string, ms: number]>;

async function timed<T>(timings: Timings, step: string, fn: () => Promise<T>): Promise<T> {
	const t0 = Date.now();
	const result = await fn();
	timings.push([step, Date.now() - t0]);
	console.log(`  ${step}: ${((Date.now() - t0) / 1000).toFixed(1)} s`);
	return result;
}

function workflow(id: string, jsCode: string): WorkflowImport {
	return {
		id,
		name: `smoke ${id}`,
		nodes: [
			{
				name: 'Start',
				type: 'n8n-nodes-base.manualTrigger',
				typeVersion: 1,
				position: [0, 0],
				parameters: {},
			},
			{
				name: 'Code',
				type: 'n8n-nodes-base.code',
				typeVersion: 2,
				position: [200, 0],
				parameters: { jsCode },
			},
			{
				name: 'Dummy',
				type: DUMMY_NODE_TYPE,
				typeVersion: 1,
				position: [400, 0],
				parameters: { greeting: 'hi' },
			},
		],
		connections: {
			Start: { main: [[{ node: 'Code', type: 'main', index: 0 }]] },
			Code: { main: [[{ node: 'Dummy', type: 'main', index: 0 }]] },
		},
	};
}

/** The first output item of a node in `n8n execute --rawOutput` JSON. */
function firstItem(run: unknown, node: string): Record<string, unknown> | undefined {
	const r = run as {
		data?: {
			resultData?: {
				runData?: Record<
					string,
					Array<{ data?: { main?: Array<Array<{ json: Record<string, unknown> }>> } }>
				>;
			};
		};
	};
	return r.data?.resultData?.runData?.[node]?.[0]?.data?.main?.[0]?.[0]?.json;
}

/** A loopback stand-in for an API: /check is 200 only with "Bearer good". */
async function startCheckServer(): Promise<{ url: string; close: () => void }> {
	const srv = http.createServer((req, res) => {
		const ok = req.url === '/check' && req.headers.authorization === 'Bearer good';
		res.writeHead(ok ? 200 : 401, { 'content-type': 'application/json' });
		res.end(JSON.stringify({ ok }));
	});
	await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
	return {
		url: `http://127.0.0.1:${(srv.address() as AddressInfo).port}`,
		close: () => srv.close(),
	};
}

async function smoke(line: Line, tarball: string, checkUrl: string): Promise<Timings> {
	const t: Timings = [];
	console.log(`n8n line ${line}:`);
	const warm = n8nInstalled(line);
	const inst = await timed(t, warm ? 'install (warm)' : 'install (cold)', () => ensureN8n(line));
	const ctx = makeCtx(inst);
	console.log(`  n8n ${inst.version}, node ${inst.nodeBin}, user folder ${ctx.userFolder}`);

	await timed(t, 'installPackageInto', () => installPackageInto(ctx.userFolder, tarball, 'npm'));
	const cred = {
		id: 'e2eDummyCred1',
		name: 'Dummy cred',
		type: DUMMY_CREDENTIAL_TYPE,
		data: { baseUrl: checkUrl, token: 'good' },
	};
	await timed(t, 'import:credentials (first, migrates DB)', () => importCredentials(ctx, [cred]));
	await timed(t, 'import:workflow', () =>
		importWorkflow(ctx, workflow('smokeOk', "return [{ json: { hello: 'world', n: 42 } }];")),
	);
	await importWorkflow(ctx, workflow('smokeFail', "throw new Error('smoke boom');"));

	const ok = await timed(t, 'execute (success)', () => executeWorkflow(ctx, 'smokeOk'));
	assert.equal(ok.exitCode, 0, `execute failed:\n${ok.stdout}\n${ok.stderr}`);
	assert.equal((ok.json as { status?: string }).status, 'success');
	assert.deepEqual(firstItem(ok.json, 'Dummy'), {
		hello: 'world',
		n: 42,
		greeting: 'hi',
		fromDummy: true,
		peerResolved: true,
	});

	const bad = await timed(t, 'execute (failing)', () => executeWorkflow(ctx, 'smokeFail'));
	assert.equal(bad.exitCode, 1);
	const err = JSON.stringify(bad.json);
	assert.ok(err.includes('smoke boom'), `no error in failed run's JSON: ${err.slice(0, 500)}`);

	const server = await timed(t, 'start server', () => startServer(ctx));
	try {
		const cookie = await timed(t, 'owner setup', () => setupOwner(server.url));
		await login(server.url); // proves the login path too

		const types = await timed(t, 'GET /types/nodes.json', () =>
			restGet<Array<{ name: string }>>(server.url, cookie, '/types/nodes.json'),
		);
		assert.equal(types.status, 200);
		assert.ok(
			Array.isArray(types.body) && types.body.some((n) => n.name === DUMMY_NODE_TYPE),
			'dummy node not listed',
		);

		const creds = await restGet<{ data: Array<{ id: string }> }>(
			server.url,
			cookie,
			'/rest/credentials',
		);
		assert.equal(creds.status, 200);
		assert.ok(
			creds.body.data.some((c) => c.id === cred.id),
			'imported credential not listed',
		);

		const good = await timed(t, 'credentials/test', () => testCredential(server.url, cookie, cred));
		assert.equal(good.status, 'OK', JSON.stringify(good));
		const wrong = await testCredential(server.url, cookie, {
			...cred,
			data: { ...cred.data, token: 'bad' },
		});
		assert.equal(wrong.status, 'Error', JSON.stringify(wrong));
		console.log(
			`  credential test: good -> ${good.status}; bad token -> ${wrong.status} (${wrong.message})`,
		);
	} finally {
		await timed(t, 'stop server', () => server.stop());
	}
	return t;
}

async function main(): Promise<void> {
	const arg = process.argv[2];
	const lines: Line[] = arg === '1' || arg === '2' ? [arg] : ['1', '2'];
	const tarball = await makeDummyTarball();
	const check = await startCheckServer();
	try {
		const all: Array<[Line, Timings]> = [];
		for (const line of lines) all.push([line, await smoke(line, tarball, check.url)]);
		console.log('\nsummary (seconds):');
		for (const [line, timings] of all) {
			console.log(
				`  n8n ${line}: ${timings.map(([s, ms]) => `${s} ${(ms / 1000).toFixed(1)}`).join(', ')}`,
			);
		}
		console.log('smoke: all checks passed');
	} finally {
		check.close();
	}
}

main().catch((e: unknown) => {
	console.error(e);
	process.exit(1);
});
