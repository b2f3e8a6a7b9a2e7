/**
 * Typed prompts in queue mode: a worker renders and signs them, a webhook processor serves them.
 * Nothing is shared between the two but the credential (the link carries what to say and its
 * signature; the keypress prompt is rendered again from the waiting node's parameters), so the
 * process Graph downloads from never saw the execution that made the link.
 *
 * 1. Play Prompt (typed) on a call whose callback URL is a trigger's Production URL at the webhook
 *    processor: the simulator downloads the WAV from the webhook processor; the prompt completes
 *    (the trigger, on the webhook processor, takes Graph's result and a worker runs it); a
 *    tampered link gets the trigger's 404 there.
 * 2. Call and Wait for Keypress (typed): the worker places the call with the waiting URL (on the
 *    webhook processor, WEBHOOK_URL) as its callback; the webhook processor plays the prompt,
 *    serves it while the execution waits (a tampered link: 404), and the "1" resumes the
 *    execution on a worker.
 */
import * as https from 'node:https';

import type { GraphSimulator, RecordedRequest } from './simulator';
import type { PostgresHandle } from './system';
import {
	KEYPRESS_ID,
	KEYPRESS_NODE_ID,
	KEYPRESS_PATH,
	PROMPT_HOOK,
	PROMPT_TRIGGER_ID,
	TYPED_PROMPT_PATH,
} from './workflow';

type Check = (name: string, ok: boolean, detail?: string) => void;

const sleep = async (ms: number): Promise<void> => await new Promise((r) => setTimeout(r, ms));

async function until(what: string, predicate: () => boolean, timeoutMs = 60_000): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (!predicate()) {
		if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
		await sleep(100);
	}
}

/** GET over https trusting the suite's CA: status, content type and length. */
async function get(
	url: string,
	caPem: string,
): Promise<{ status: number; type?: string; bytes: number; text: string }> {
	return await new Promise((resolve, reject) => {
		const req = https.get(url, { ca: caPem, timeout: 30_000 }, (res) => {
			const chunks: Buffer[] = [];
			res.on('data', (c: Buffer) => chunks.push(c));
			res.on('error', reject);
			res.on('end', () => {
				const body = Buffer.concat(chunks);
				resolve({
					status: res.statusCode ?? 0,
					...(res.headers['content-type'] === undefined
						? {}
						: { type: res.headers['content-type'] }),
					bytes: body.length,
					text: body.toString('utf8').slice(0, 200),
				});
			});
		});
		req.on('timeout', () => req.destroy(new Error(`GET ${url}: timed out`)));
		req.on('error', reject);
	});
}

const postsSince = (sim: GraphSimulator, from: number, action: string): RecordedRequest[] =>
	sim
		.graphRequests()
		.slice(from)
		.filter((r) => r.method === 'POST' && r.path.split('?')[0]?.endsWith(`/${action}`));

const promptUri = (r: RecordedRequest | undefined): string =>
	String(
		(JSON.parse(r?.body ?? '{}') as { prompts?: Array<{ mediaInfo?: { uri?: string } }> })
			.prompts?.[0]?.mediaInfo?.uri,
	);

/** The download's verdict: from `host`, a WAV Graph plays, of plausible length; or why not. */
function downloadProblem(sim: GraphSimulator, uri: string, host: string): string | undefined {
	const download = sim.media.downloads.find((d) => d.uri === uri);
	if (download === undefined) return 'not downloaded';
	if (download.problem !== undefined) return `not playable: ${download.problem}`;
	if (download.host !== host) return `downloaded from ${download.host}, not ${host}`;
	const seconds = (download.durationMs ?? 0) / 1000;
	if (seconds < 1.5 || seconds > 12) return `implausible length ${seconds} s`;
	return undefined;
}

function describeDownload(sim: GraphSimulator, uri: string): string {
	const d = sim.media.downloads.find((x) => x.uri === uri);
	return d === undefined
		? `no download of ${uri.slice(0, 120)}`
		: `${d.host}, ${d.bytes ?? 0} bytes, ${((d.durationMs ?? 0) / 1000).toFixed(1)} s`;
}

/** One execution's status and stored data (flatted JSON), newest first. */
function executionsOf(
	pg: PostgresHandle,
	workflowId: string,
): Array<{ status: string; data: string }> {
	const sql = `SELECT coalesce(json_agg(json_build_object('status', e.status, 'data', d.data) ORDER BY e.id DESC), '[]')
		FROM execution_entity e LEFT JOIN execution_data d ON d."executionId" = e.id
		WHERE e."workflowId" = '${workflowId}'`;
	return (JSON.parse(pg.query(sql)) as Array<{ status: string; data: string | null }>).map((r) => ({
		status: r.status,
		data: r.data ?? '',
	}));
}

/** A copy of `link` with its first signature (`sig` or `prompt`) character changed. */
function tampered(link: string, parameter: string): string {
	const url = new URL(link);
	const value = String(url.searchParams.get(parameter));
	url.searchParams.set(parameter, `${value.startsWith('A') ? 'B' : 'A'}${value.slice(1)}`);
	return url.toString();
}

export async function typedPromptChecks(world: {
	sim: GraphSimulator;
	pg: PostgresHandle;
	/** Where this suite posts webhooks (main, http). */
	mainUrl: string;
	/** The webhook processor, https://127.0.0.1:<port>. */
	webhookProcessorUrl: string;
	caPem: string;
	check: Check;
}): Promise<void> {
	const { sim, pg, check, caPem } = world;
	const host = new URL(world.webhookProcessorUrl).host;

	// 1. Play Prompt, typed, on a call whose callback URL is the trigger at the webhook processor.
	const trigger = `${world.webhookProcessorUrl}/webhook/${PROMPT_HOOK}/notifications`;
	let from = sim.graphRequests().length;
	const answer = await fetch(`${world.mainUrl}/webhook/${TYPED_PROMPT_PATH}`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: '{}',
		signal: AbortSignal.timeout(60_000),
	});
	const body = (await answer.json().catch(() => ({}))) as {
		worker?: string;
		playPrompt?: { id?: string; spokenPrompts?: Array<{ servedBy?: string }> };
	};
	check(
		'typed Play Prompt: run by a worker (queue mode), the link made for the trigger at the webhook processor',
		answer.status === 200 &&
			(body.worker ?? '').startsWith('worker-') &&
			body.playPrompt?.spokenPrompts?.[0]?.servedBy === world.webhookProcessorUrl,
		`HTTP ${answer.status}: ${JSON.stringify(body).slice(0, 300)}`,
	);
	const [played] = postsSince(sim, from, 'playPrompt');
	const uri = promptUri(played);
	await until('the download', () => sim.media.downloads.some((d) => d.uri === uri)).catch(
		() => undefined,
	);
	const problem = downloadProblem(sim, uri, host);
	check(
		'typed Play Prompt: Graph downloaded a valid WAV of plausible length from the webhook processor',
		uri.startsWith(`${trigger}?speech=`) && problem === undefined,
		`${uri.slice(0, 100)}…: ${problem ?? describeDownload(sim, uri)}`,
	);
	const operationId = String(body.playPrompt?.id);
	const completed = (): boolean =>
		executionsOf(pg, PROMPT_TRIGGER_ID).some(
			(e) =>
				e.status === 'success' &&
				e.data.includes(operationId) &&
				e.data.includes('playPromptOperation') &&
				e.data.includes('"completed"'),
		);
	await until('the completed prompt', completed, 60_000).catch(() => undefined);
	check(
		'typed Play Prompt: Graph reported it completed to the trigger (webhook processor → worker)',
		completed(),
		`${executionsOf(pg, PROMPT_TRIGGER_ID).length} trigger execution(s)`,
	);
	const executionsBefore = executionsOf(pg, PROMPT_TRIGGER_ID).length;
	const refused = await get(tampered(uri, 'sig'), caPem);
	await sleep(1_000);
	check(
		'typed Play Prompt: a tampered link gets 404 from the webhook processor and starts nothing',
		refused.status === 404 &&
			refused.text === '{"message":"Not found"}' &&
			executionsOf(pg, PROMPT_TRIGGER_ID).length === executionsBefore,
		`HTTP ${refused.status} ${refused.text}`,
	);

	// 2. Call and Wait for Keypress, typed: the waiting URL is on the webhook processor.
	// A person takes a moment to answer: Graph's first notifications would otherwise reach the
	// waiting URL before the worker has stored the execution as waiting (n8n answers those 409).
	// The prompt plays long enough for the link to be tried while the execution waits (played
	// once to its end, the node would go on with "timeout"); the key is pressed after that.
	const calling = sim.callbacks.knobs;
	const media = sim.media.knobs;
	const saved = { answerDelayMs: calling.answerDelayMs, promptPlayMs: media.promptPlayMs };
	calling.answerDelayMs = 3_000;
	media.promptPlayMs = 30_000;
	media.tonesAfterSubscribe = [];
	from = sim.graphRequests().length;
	try {
		const started = await fetch(`${world.mainUrl}/webhook/${KEYPRESS_PATH}`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: '{}',
			signal: AbortSignal.timeout(60_000),
		});
		await started.arrayBuffer();
		let pageUri = '';
		let callId = '';
		try {
			await until('the page prompt', () => postsSince(sim, from, 'playPrompt').length > 0);
			pageUri = promptUri(postsSince(sim, from, 'playPrompt')[0]);
			callId = String(postsSince(sim, from, 'subscribeToTone')[0]?.path.split('/')[4]);
			await until('its download', () => sim.media.downloads.some((d) => d.uri === pageUri));
		} catch {
			// reported by the checks below
		}
		const link = URL.canParse(pageUri) ? new URL(pageUri) : undefined;
		const pageProblem = downloadProblem(sim, pageUri, host);
		check(
			'typed Call and Wait for Keypress: Graph downloaded the prompt, a valid WAV, from the waiting URL on the webhook processor',
			started.status === 200 &&
				link?.host === host &&
				new RegExp(`^/webhook-waiting/\\d+/${KEYPRESS_NODE_ID}$`).test(link.pathname) &&
				pageProblem === undefined,
			`HTTP ${started.status}; ${pageUri.slice(0, 120)}: ${pageProblem ?? describeDownload(sim, pageUri)}`,
		);
		const refusedPage =
			link === undefined ? undefined : await get(tampered(pageUri, 'prompt'), caPem);
		check(
			'typed Call and Wait for Keypress: while it waits, a tampered prompt link gets 404 from the webhook processor',
			refusedPage?.status === 404 && refusedPage.text === '{"message":"Not found"}',
			`HTTP ${refusedPage?.status ?? 'not sent'} ${refusedPage?.text ?? ''}`,
		);
		sim.media.pressKeys(callId, [{ tone: 'tone1', afterMs: 0 }]);
		const pressed = (): boolean =>
			executionsOf(pg, KEYPRESS_ID).some(
				(e) => e.status === 'success' && e.data.includes('"pressed"'),
			);
		await until('the resumed page', pressed, 60_000).catch(() => undefined);
		check(
			'typed Call and Wait for Keypress: the "1" resumed the execution, which ended "pressed"',
			pressed(),
			JSON.stringify(executionsOf(pg, KEYPRESS_ID).map((e) => e.status)),
		);
	} finally {
		calling.answerDelayMs = saved.answerDelayMs;
		media.promptPlayMs = saved.promptPlayMs;
	}
}
