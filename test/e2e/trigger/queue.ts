/**
 * Issue 13's load in queue mode: main (`n8n start`), one webhook processor (`n8n webhook`, which
 * receives the notifications and runs the trigger's webhook()), one worker (`n8n worker`), on
 * Redis and PostgreSQL (test/e2e/queue's harness), the Graph simulator's signing keys in this
 * process. 1,000 signed notifications in 10 s to the webhook processor: every one 202, each one
 * execution run by the worker, none lost, keys fetched once; p50/p99 answer times.
 *
 * Run: `npm run test:e2e:trigger -- queue` (root on Debian: installs redis-server if missing).
 */
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as path from 'node:path';
import { ensureN8n } from '../harness/install';
import { freePort } from '../harness/n8n';
import {
	importAll,
	makeProcessCtx,
	startMain,
	startWebhookProcess,
	startWorker,
} from '../queue/cluster';
import { ensureSystemTools, startPostgres, startRedis } from '../queue/system';
import type { Check, LoadFigures } from './hardening';
import {
	createCertificateAuthority,
	DEFAULT_CLIENT_ID,
	DEFAULT_TENANT_ID,
	startGraphSimulator,
	writeCaFiles,
	type GraphSimulator,
} from './simulator';
import {
	CREDENTIAL_ID,
	CREDENTIAL_NAME,
	extraTriggerWorkflow,
	graphCredential,
	webhookUrl,
} from './workflows';

const WORKFLOW_ID = 'trigQueueLoadWf1';
const WEBHOOK_ID = '5d3c2b1a-6666-4666-8666-000000000000';

type Phase = <T>(name: string, fn: () => Promise<T>) => Promise<T>;

async function postHttp(
	agent: http.Agent,
	url: string,
	token: string,
	body: string,
): Promise<{ status: number; ms: number }> {
	const started = Date.now();
	return await new Promise((resolve) => {
		const req = http.request(
			url,
			{
				method: 'POST',
				agent,
				headers: {
					'content-type': 'application/json',
					authorization: `Bearer ${token}`,
					'content-length': Buffer.byteLength(body),
				},
				timeout: 60_000,
			},
			(res) => {
				res.resume();
				res.on('end', () => resolve({ status: res.statusCode ?? 0, ms: Date.now() - started }));
			},
		);
		req.on('timeout', () => req.destroy(new Error('timeout')));
		req.on('error', () => resolve({ status: 0, ms: Date.now() - started }));
		req.end(body);
	});
}

function envelope(callId: string): string {
	return JSON.stringify({
		'@odata.type': '#microsoft.graph.commsNotifications',
		value: [
			{
				'@odata.type': '#microsoft.graph.commsNotification',
				changeType: 'updated',
				resourceUrl: `/communications/calls/${callId}`,
				resourceData: { '@odata.type': '#microsoft.graph.call', state: 'established' },
			},
		],
	});
}

const sleep = async (ms: number): Promise<void> => await new Promise((r) => setTimeout(r, ms));

function percentile(sorted: number[], p: number): number {
	if (sorted.length === 0) return 0;
	return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
}

export async function runQueueLoad(
	tarball: string,
	baseDir: string,
	check: Check,
	phase: Phase,
	count = 1_000,
	spanMs = 10_000,
): Promise<LoadFigures | undefined> {
	const inst = await ensureN8n('1');
	const dir = path.join(baseDir, 'queue');
	fs.mkdirSync(dir, { recursive: true });
	const tools = await phase(
		'redis-server and postgresql present',
		async () => await ensureSystemTools(),
	);
	const redis = await startRedis(tools, await freePort(), dir);
	const pg = await startPostgres(tools, await freePort(), dir);
	const ca = createCertificateAuthority();
	const { certPath: caFile } = writeCaFiles(dir, ca);
	let sim: GraphSimulator | undefined;
	const stops: Array<() => Promise<void>> = [];
	try {
		const s = await startGraphSimulator({ ca });
		sim = s;
		const backends = {
			redisPort: redis.port,
			pgPort: pg.port,
			pgDatabase: pg.database,
			pgUser: pg.user,
			caFile,
		};
		const mainCtx = await phase(
			'main: user folder with the package, import credential + load workflow (active)',
			async () => {
				const ctx = await makeProcessCtx(inst, backends, 'main', tarball);
				const workflow = extraTriggerWorkflow(WORKFLOW_ID, 'Trigger queue load', WEBHOOK_ID, {
					id: CREDENTIAL_ID,
					name: CREDENTIAL_NAME,
				});
				await importAll(
					ctx,
					[graphCredential(s.origin, s.callbacks.openIdConfigurationUrl)],
					[workflow],
				);
				return ctx;
			},
		);
		const main = await phase('n8n start (main, queue mode)', async () => await startMain(mainCtx));
		stops.push(main.stop);
		const webhook = await phase('n8n webhook (webhook processor)', async () => {
			const ctx = await makeProcessCtx(inst, backends, 'webhook', tarball);
			return await startWebhookProcess(ctx);
		});
		stops.push(webhook.stop);
		const worker = await phase('n8n worker --concurrency=10', async () => {
			const ctx = await makeProcessCtx(inst, backends, 'worker-1', tarball);
			return await startWorker(ctx, 'worker-1', 10);
		});
		stops.push(worker.stop);

		const url = webhookUrl(webhook.url, WEBHOOK_ID);
		const configFetches = () =>
			s.requests.filter((r) => r.path.toLowerCase() === '/v1/.well-known/openidconfiguration')
				.length;
		return await phase(
			`${count} signed notifications in ${spanMs / 1000} s to the webhook processor`,
			async () => {
				const tokens = Array.from({ length: count }, () =>
					s.callbacks.signToken(DEFAULT_CLIENT_ID, DEFAULT_TENANT_ID),
				);
				const agent = new http.Agent({ keepAlive: true });
				const started = Date.now();
				const results = await Promise.all(
					tokens.map(async (token, i) => {
						await sleep(Math.max(0, started + (i * spanMs) / count - Date.now()));
						return await postHttp(agent, url, token, envelope(`qload-${i}`));
					}),
				);
				agent.destroy();
				const postingSeconds = (Date.now() - started) / 1000;
				const times = results.map((r) => r.ms).sort((a, b) => a - b);
				const answered202 = results.filter((r) => r.status === 202).length;
				check(
					`queue: all ${count} answered 202 by the webhook processor`,
					answered202 === count,
					`${answered202} × 202`,
				);
				const countSql = `select count(*) from execution_entity where "workflowId" = '${WORKFLOW_ID}' and status = 'success'`;
				const deadline = Date.now() + 300_000;
				let done = Number(pg.query(countSql).trim());
				while (done < count && Date.now() < deadline) {
					await sleep(2_000);
					done = Number(pg.query(countSql).trim());
				}
				const secondsUntilAllExecuted = (Date.now() - started) / 1000;
				const rows = pg
					.query(
						`select e.id, e.status, d.data from execution_entity e join execution_data d on d."executionId" = e.id where e."workflowId" = '${WORKFLOW_ID}'`,
					)
					.split('\n')
					.filter((line) => line.trim() !== '');
				const perExecution = rows.map((line) => new Set(line.match(/qload-\d+/g) ?? []));
				const callIds = perExecution.flatMap((ids) => [...ids]);
				const distinct = new Set(callIds);
				check(
					`queue: ${count} executions, each one notification, none lost, none twice`,
					rows.length === count &&
						perExecution.every((ids) => ids.size === 1) &&
						distinct.size === count,
					`${rows.length} executions (${done} success), ${distinct.size} distinct call IDs`,
				);
				const workerRan = fs.existsSync(worker.logFile)
					? (fs.readFileSync(worker.logFile, 'utf8').match(/Worker started execution/g) ?? [])
							.length
					: 0;
				check(
					'queue: the worker ran the executions',
					workerRan >= count,
					`${workerRan} started in the worker log`,
				);
				check(
					'queue: the OpenID configuration was fetched once (by the webhook processor)',
					configFetches() === 1,
					`${configFetches()} fetch(es)`,
				);
				return {
					posted: count,
					answered202,
					p50Ms: percentile(times, 50),
					p99Ms: percentile(times, 99),
					maxMs: times.at(-1) ?? 0,
					postingSeconds,
					executions: rows.length,
					distinctCallIds: distinct.size,
					secondsUntilAllExecuted,
					configurationFetchesDuringLoad: configFetches(),
					configurationFetchesInRun: configFetches(),
				};
			},
		);
	} finally {
		for (const stop of stops.reverse()) await stop().catch(() => undefined);
		await sim?.close();
		await redis.stop();
		pg.stop();
	}
}
