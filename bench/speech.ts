/**
 * `npm run bench:speech`: figures for the speech layer, printed as tables; never part
 * of npm test. Creates a throwaway CA, then runs itself again in a child process that trusts it
 * (NODE_EXTRA_CA_CERTS is read at start) and measures:
 *
 * - render time per 100 characters for each offline voice (warm, the default engine: one
 *   worker thread), and for Azure AI Speech against the simulator: that is transport, the WAV
 *   check and conversion only (the simulator's "synthesis" costs nothing), not Azure's speed;
 * - what a cache hit costs;
 * - the offline engine's peak RSS, each case in a fresh process;
 * - 10 concurrent renders on the calling thread and in 1 and 2 workers: wall time and the
 *   longest stall of the event loop (what n8n's webhooks and timers would feel).
 */
import { spawnSync } from 'node:child_process';
import { cpus, totalmem } from 'node:os';
import { monitorEventLoopDelay } from 'node:perf_hooks';

import { createCaEnvironment } from '../scripts/caEnvironment';
import { speechHttpFromFetch } from '../lib/speech/azure/speechHttp';
import { OfflineEngine } from '../lib/speech/offline/offlineEngine';
import { OFFLINE_VOICES } from '../lib/speech/offline/voices';
import {
	renderSpeech,
	type RenderedSpeech,
	type RenderSpeechRequest,
} from '../lib/speech/renderSpeech';
import { SpeechCache } from '../lib/speech/speechCache';
import { DEFAULT_SPEECH_KEY, startGraphSimulator } from '../simulator';

const ROLE = process.env.SPEECH_BENCH_ROLE;
const SENTENCES = [
	'Alert from the monitoring system.',
	'The database cluster in region west stopped answering health checks at two minutes past two.',
	'Three replicas are down and the primary is degraded.',
	'Press 1 to acknowledge this page, or press 2 to escalate to the next person on call.',
	'If nobody answers within five minutes, the incident commander is called.',
];

/** About `chars` characters of alert-style English, made of whole sentences. */
function text(chars: number): string {
	let out = '';
	for (let i = 0; out.length < chars; i++)
		out += `${out ? ' ' : ''}${SENTENCES[i % SENTENCES.length]}`;
	return out.slice(0, chars).replace(/\s+\S*$/, '.');
}

const median = (values: number[]): number =>
	[...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? NaN;
const ms = (value: number): string => (value >= 100 ? value.toFixed(0) : value.toFixed(1));
const mb = (bytes: number): string => (bytes / 1024 / 1024).toFixed(0);

function table(head: string[], rows: (string | number)[][]): void {
	const cells = [head, ...rows.map((row) => row.map(String))];
	const widths = head.map((_, c) => Math.max(...cells.map((row) => (row[c] ?? '').length)));
	// The first column is words (left-aligned), the others figures (right-aligned).
	const line = (row: string[]) =>
		`| ${row.map((cell, c) => (c === 0 ? cell.padEnd(widths[c] ?? 0) : cell.padStart(widths[c] ?? 0))).join(' | ')} |`;
	console.log(line(head));
	console.log(
		`| ${widths.map((w, c) => (c === 0 ? '-'.repeat(w) : `${'-'.repeat(Math.max(3, w) - 1)}:`)).join(' | ')} |`,
	);
	for (const row of cells.slice(1)) console.log(line(row));
	console.log('');
}

async function timed(
	render: () => Promise<RenderedSpeech>,
): Promise<{ ms: number; result: RenderedSpeech }> {
	const started = performance.now();
	const result = await render();
	return { ms: performance.now() - started, result };
}

async function renderTimes(): Promise<void> {
	const engine = new OfflineEngine();
	const sim = await startGraphSimulator();
	const azure = (outputFormat: NonNullable<RenderSpeechRequest['azure']>['outputFormat']) => ({
		credentials: {
			authentication: 'apiKey',
			cloud: 'custom',
			endpoint: sim.origin,
			apiKey: DEFAULT_SPEECH_KEY,
		},
		http: speechHttpFromFetch(),
		outputFormat,
	});
	const rows: (string | number)[][] = [];
	const input = text(300);
	const cases: [string, (t: string) => RenderSpeechRequest][] = [
		...OFFLINE_VOICES.map((voice): [string, (t: string) => RenderSpeechRequest] => [
			`offline ${voice.id}`,
			(t) => ({ engine: 'offline', text: t, voice: voice.id, offlineEngine: engine, cache: false }),
		]),
		[
			'azure (simulator, riff 16 kHz)',
			(t) => ({
				engine: 'azure',
				text: t,
				voice: 'en-US-JennyNeural',
				azure: azure('riff-16khz-16bit-mono-pcm'),
				cache: false,
			}),
		],
		[
			'azure (simulator, riff 24 kHz, resampled)',
			(t) => ({
				engine: 'azure',
				text: t,
				voice: 'en-US-JennyNeural',
				azure: azure('riff-24khz-16bit-mono-pcm'),
				cache: false,
			}),
		],
	];
	await renderSpeech({ engine: 'offline', text: 'Warm up.', offlineEngine: engine, cache: false });
	for (const [name, request] of cases) {
		await renderSpeech(request(text(40)));
		const runs = [];
		for (let i = 0; i < 3; i++)
			runs.push(await timed(async () => await renderSpeech(request(`${i}. ${input}`))));
		const perHundred = median(runs.map((r) => r.ms)) / (input.length / 100);
		const audioSeconds = (runs[0]?.result.durationMs ?? 0) / 1000;
		rows.push([
			name,
			input.length,
			ms(perHundred),
			(audioSeconds / (input.length / 100)).toFixed(2),
			Math.round((audioSeconds * 1000) / median(runs.map((r) => r.ms))),
		]);
	}
	console.log(
		'## Render time (warm, median of 3 renders of ~300 characters; offline: default engine, 1 worker)\n',
	);
	table(
		['engine / voice', 'chars', 'ms per 100 chars', 'audio s per 100 chars', 'x real time'],
		rows,
	);
	console.log(
		'Azure rows measure only this side (HTTPS to the local simulator, the WAV check, resampling for 24 kHz): the simulator synthesises nothing. Azure itself adds its own synthesis time and the network.\n',
	);

	// Cache: a miss renders; a hit is a Map lookup and an object spread.
	const cache = new SpeechCache<RenderedSpeech>();
	const request: RenderSpeechRequest = {
		engine: 'offline',
		text: input,
		offlineEngine: engine,
		cache,
	};
	const miss = await timed(async () => await renderSpeech(request));
	const hits: number[] = [];
	for (let i = 0; i < 1000; i++)
		hits.push((await timed(async () => await renderSpeech(request))).ms);
	console.log('## Cache\n');
	table(
		['case', 'time', 'WAV bytes'],
		[
			['miss (offline slt, ~300 chars)', `${ms(miss.ms)} ms`, miss.result.wav.length],
			[
				'hit (median of 1000; includes input checks and the key hash)',
				`${(median(hits) * 1000).toFixed(0)} µs`,
				miss.result.wav.length,
			],
		],
	);
	await engine.close();
	await sim.close();
}

async function concurrency(): Promise<void> {
	const rows: (string | number)[][] = [];
	for (const workers of [0, 1, 2]) {
		const engine = new OfflineEngine({ workers });
		await renderSpeech({
			engine: 'offline',
			text: 'Warm up.',
			offlineEngine: engine,
			cache: false,
		});
		for (let round = 0; round < 2; round++) {
			const histogram = monitorEventLoopDelay({ resolution: 5 });
			histogram.enable();
			const started = performance.now();
			await Promise.all(
				Array.from(
					{ length: 10 },
					async (_, i) =>
						await renderSpeech({
							engine: 'offline',
							text: `Page ${i + 1}. ${text(300)}`,
							offlineEngine: engine,
							cache: false,
						}),
				),
			);
			const wall = performance.now() - started;
			histogram.disable();
			rows.push([
				workers === 0 ? 'calling thread' : `${workers} worker(s)`,
				round + 1,
				ms(wall),
				ms(histogram.max / 1e6),
				ms(histogram.percentile(99) / 1e6),
				mb(process.memoryUsage().rss),
			]);
		}
		await engine.close();
	}
	console.log('## 10 concurrent offline renders of ~300 characters (slt)\n');
	table(
		[
			'where Flite runs',
			'round',
			'wall ms',
			'longest event-loop stall ms',
			'p99 stall ms',
			'RSS after MB',
		],
		rows,
	);
}

/** One case in this (fresh) process: its peak RSS after a render. */
async function memoryCase(kind: string): Promise<void> {
	const engine = new OfflineEngine();
	if (kind !== 'none') {
		const chars = kind === 'load' ? 0 : Number(kind);
		if (chars === 0) await engine.load();
		else
			await renderSpeech({
				engine: 'offline',
				text: text(chars),
				offlineEngine: engine,
				cache: false,
			});
	}
	console.log(JSON.stringify({ maxRssBytes: process.resourceUsage().maxRSS * 1024 }));
	await engine.close();
}

function memory(env: NodeJS.ProcessEnv): void {
	const rows: (string | number)[][] = [];
	for (const [label, kind] of [
		['process with the modules loaded, nothing run', 'none'],
		['flite.wasm read and compiled, worker not started', 'load'],
		['one render of 300 characters', '300'],
		['one render of 3,000 characters (chunks of up to 400)', '3000'],
		['one render of 5,000 characters (the limit)', '5000'],
	]) {
		const child = spawnSync(process.execPath, ['--import', 'tsx', __filename], {
			env: { ...env, SPEECH_BENCH_ROLE: `memory:${kind}` },
			encoding: 'utf8',
		});
		const line = child.stdout.trim().split('\n').pop() ?? '{}';
		rows.push([
			label as string,
			mb((JSON.parse(line) as { maxRssBytes?: number }).maxRssBytes ?? NaN),
		]);
	}
	console.log(
		'## Offline engine peak RSS (whole process, fresh process per case, default engine: 1 worker)\n',
	);
	table(['case', 'peak RSS MB'], rows);
}

async function main(): Promise<void> {
	if (ROLE?.startsWith('memory:')) return await memoryCase(ROLE.slice('memory:'.length));
	if (ROLE === 'measure') {
		await renderTimes();
		await concurrency();
		return;
	}
	const ca = createCaEnvironment('speech-bench-');
	try {
		const started = Date.now();
		console.log(
			`# Speech layer figures (npm run bench:speech), ${new Date().toISOString().slice(0, 10)}\n`,
		);
		console.log(
			`Machine: ${cpus().length} x ${cpus()[0]?.model.trim() ?? 'cpu'}, ${(totalmem() / 2 ** 30).toFixed(1)} GiB, Node.js ${process.version}. Other work on the machine makes timings vary.\n`,
		);
		const child = spawnSync(process.execPath, ['--import', 'tsx', __filename], {
			env: { ...ca.env, SPEECH_BENCH_ROLE: 'measure' },
			stdio: 'inherit',
		});
		if (child.status !== 0) process.exit(child.status ?? 1);
		memory(ca.env);
		console.log(`Total ${((Date.now() - started) / 1000).toFixed(0)} s.`);
	} finally {
		ca.cleanUp();
	}
}

void main();
