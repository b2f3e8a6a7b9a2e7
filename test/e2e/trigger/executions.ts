/**
 * Executions through n8n's REST API (as the editor reads them), with the stored run data decoded
 * (n8n stores it `flatted`-encoded; the install's own `flatted` decodes it).
 */
import { createRequire } from 'node:module';
import * as path from 'node:path';
import type { N8nInstall } from '../harness/install';
import type { Rest } from '../harness/https';

export interface ExecutionSummary {
	id: string;
	status: string;
	mode: string;
	workflowId: string;
}

export interface NodeRun {
	/** data.main: one array of items per output. */
	main: Array<Array<{ json: Record<string, unknown> }> | null>;
	error?: unknown;
}

export interface ExecutionDetail extends ExecutionSummary {
	finished: boolean;
	runData: Record<string, NodeRun[]>;
	error?: unknown;
}

const TERMINAL = new Set(['success', 'error', 'crashed', 'canceled']);

export function isTerminal(status: string): boolean {
	return TERMINAL.has(status);
}

export class Executions {
	private readonly flattedParse: (text: string) => unknown;

	constructor(
		private readonly rest: Rest,
		inst: N8nInstall,
	) {
		const req = createRequire(path.join(inst.dir, 'package.json'));
		this.flattedParse = (req('flatted') as { parse: (t: string) => unknown }).parse;
	}

	/** Every execution of a workflow, newest first (n8n's order), up to 100 (2.41 refuses more). */
	async list(workflowId: string): Promise<ExecutionSummary[]> {
		const filter = encodeURIComponent(JSON.stringify({ workflowId }));
		const r = await this.rest.get<{ data?: { results?: Array<Record<string, unknown>> } }>(
			`/rest/executions?filter=${filter}&limit=100`,
		);
		if (r.status !== 200 || !Array.isArray(r.body.data?.results))
			throw new Error(
				`GET /rest/executions -> ${r.status}: ${JSON.stringify(r.body).slice(0, 300)}`,
			);
		return r.body.data.results.map((e) => ({
			id: String(e.id),
			status: String(e.status),
			mode: String(e.mode),
			workflowId: String(e.workflowId),
		}));
	}

	/**
	 * Every execution of a workflow, however many (pages of 100 by `lastId`, newest first). For the
	 * load scenario, which starts a thousand.
	 */
	async listAll(workflowId: string): Promise<ExecutionSummary[]> {
		// n8n pages by `lastId` only when a status filter is given (without one it returns the
		// latest page whatever `lastId` says), so every status is named.
		const filter = encodeURIComponent(
			JSON.stringify({
				workflowId,
				status: ['success', 'error', 'crashed', 'canceled', 'running', 'new', 'waiting'],
			}),
		);
		const all: ExecutionSummary[] = [];
		let lastId: string | undefined;
		for (let page = 0; page < 200; page++) {
			const r = await this.rest.get<{ data?: { results?: Array<Record<string, unknown>> } }>(
				`/rest/executions?filter=${filter}&limit=100${lastId === undefined ? '' : `&lastId=${lastId}`}`,
			);
			const results = r.body.data?.results;
			if (r.status !== 200 || !Array.isArray(results))
				throw new Error(
					`GET /rest/executions -> ${r.status}: ${JSON.stringify(r.body).slice(0, 300)}`,
				);
			const fresh = results
				.map((e) => ({
					id: String(e.id),
					status: String(e.status),
					mode: String(e.mode),
					workflowId: String(e.workflowId),
				}))
				.filter((e) => !all.some((known) => known.id === e.id));
			if (fresh.length === 0) break;
			all.push(...fresh);
			lastId = fresh.reduce(
				(min, e) => (Number(e.id) < Number(min) ? e.id : min),
				fresh[0]?.id ?? '0',
			);
		}
		return all;
	}

	async get(id: string): Promise<ExecutionDetail> {
		const r = await this.rest.get<{ data?: Record<string, unknown> }>(`/rest/executions/${id}`);
		const e = r.body.data;
		if (r.status !== 200 || e === undefined)
			throw new Error(
				`GET /rest/executions/${id} -> ${r.status}: ${JSON.stringify(r.body).slice(0, 300)}`,
			);
		let runData: Record<string, NodeRun[]> = {};
		let error: unknown;
		if (typeof e.data === 'string') {
			const data = this.flattedParse(e.data) as {
				resultData?: {
					runData?: Record<string, Array<{ data?: { main?: NodeRun['main'] }; error?: unknown }>>;
					error?: unknown;
				};
			};
			for (const [node, runs] of Object.entries(data.resultData?.runData ?? {})) {
				runData[node] = runs.map((run) => ({
					main: run.data?.main ?? [],
					...(run.error !== undefined ? { error: run.error } : {}),
				}));
			}
			error = data.resultData?.error;
		} else {
			runData = {};
		}
		return {
			id: String(e.id),
			status: String(e.status),
			mode: String(e.mode),
			workflowId: String(e.workflowId),
			finished: e.finished === true,
			runData,
			...(error !== undefined ? { error } : {}),
		};
	}

	/** Polls until the execution reaches a terminal status (bounded). */
	async waitFinished(id: string, timeoutMs: number): Promise<ExecutionDetail> {
		const deadline = Date.now() + timeoutMs;
		for (;;) {
			const detail = await this.get(id).catch(() => undefined);
			if (detail !== undefined && isTerminal(detail.status)) return detail;
			if (Date.now() > deadline)
				throw new Error(
					`execution ${id} not finished after ${timeoutMs} ms (status ${detail?.status ?? '?'})`,
				);
			await new Promise((r) => setTimeout(r, 500));
		}
	}

	/** Polls until the workflow has at least `count` terminal executions (bounded); returns them all. */
	async waitForCount(
		workflowId: string,
		count: number,
		timeoutMs: number,
	): Promise<ExecutionSummary[]> {
		const deadline = Date.now() + timeoutMs;
		for (;;) {
			const all = await this.list(workflowId);
			if (all.filter((e) => isTerminal(e.status)).length >= count || Date.now() > deadline)
				return all;
			await new Promise((r) => setTimeout(r, 500));
		}
	}
}

/** The items of a node's first run, output `output` (0 for most nodes; IF: 0 = true, 1 = false). */
export function itemsOf(
	exec: ExecutionDetail,
	node: string,
	output = 0,
): Array<Record<string, unknown>> | undefined {
	const run = exec.runData[node]?.[0];
	if (run === undefined) return undefined;
	return (run.main[output] ?? []).map((i) => i.json);
}
