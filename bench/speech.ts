/**
 * `npm run bench:speech`: figures for the speech layer, printed as tables and written to
 * bench/RESULTS.md (its section "Typed prompts"; `-- --no-write` only prints); never part of npm
 * test. Creates a throwaway CA, then runs itself again in a child process that trusts it
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
import { cpus, loadavg, totalmem } from 'node:os';
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
import { RESULTS_FILE, writeResultsSection } from './results';

const ROLE = process.env.SPEECH_BENCH_ROLE;

/** The head of the "Typed prompts" section of RESULTS.md; bench:speech:serving's part follows. */
const OVERVIEW = [
	'Typed prompts (Prompt From › Text) are rendered to WAV by the offline voice (CMU Flite, WebAssembly, in one',
	'worker thread) or Azure AI Speech. Two benches measure them, never part of npm test or CI:',
	'',
	'- `npm run bench:speech` (below, about 1.5 minutes): the speech layer alone, in process: render time per 100',
	"  characters for each engine, the cost of a cache hit, the offline engine's peak memory, and concurrent",
	'  renders with the event-loop stalls they cause.',
	'- `npm run bench:speech:serving` (the part after it, about 6 minutes): in real n8n 1.123.50 against the Graph',
	'  simulator: how much later Graph is asked to place the call with a typed prompt than with a URL',
	'  prompt (Call and Wait for Keypress, cold and warm), and the Microsoft Graph Calls Trigger serving',
	"  typed prompts (and the keypress node's waiting webhook serving its own) to 200 concurrent GETs.",
].join('\n');
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

/** What the parent prints also goes to RESULTS.md, with what the child printed. */
const printed: string[] = [];
function print(text: string): void {
	console.log(text);
	printed.push(text);
}

function table(head: string[], rows: (string | number)[][]): void {
	const cells = [head, ...rows.map((row) => row.map(String))];
	const widths = head.map((_, c) => Math.max(...cells.map((row) => (row[c] ?? '').length)));
	// The first column is words (left-aligned), the others figures (right-aligned).
	const line = (row: string[]) =>
		`| ${row.map((cell, c) => (c === 0 ? cell.padEnd(widths[c] ?? 0) : cell.padStart(widths[c] ?? 0))).join(' | ')} |`;
	print(line(head));
	print(
		`| ${widths.map((w, c) => (c === 0 ? '-'.repeat(w) : `${'-'.repeat(Math.max(3, w) - 1)}:`)).join(' | ')} |`,
	);
	for (const row of cells.slice(1)) print(line(row));
	print('');
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
	print(
		'#### Render time (warm, median of 3 renders of ~300 characters; offline: default engine, 1 worker)\n',
	);
	table(
		['engine / voice', 'chars', 'ms per 100 chars', 'audio s per 100 chars', 'x real time'],
		rows,
	);
	print(
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
	print('#### Cache\n');
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
	print('#### 10 concurrent offline renders of ~300 characters (slt)\n');
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
	print(
		'#### Offline engine peak RSS (whole process, fresh process per case, default engine: 1 worker)\n',
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
	const write = !process.argv.includes('--no-write');
	const ca = createCaEnvironment('speech-bench-');
	try {
		const started = Date.now();
		const load = loadavg()[0] ?? 0;
		print(`## Typed prompts\n\n${OVERVIEW}\n`);
		print('### The speech layer alone (`npm run bench:speech`)\n');
		print(
			`Measured on ${new Date().toISOString().slice(0, 10)}. **Machine:** ${cpus().length} x ${cpus()[0]?.model.trim() ?? 'cpu'}, ${(totalmem() / 2 ** 30).toFixed(1)} GiB, Node.js ${process.version}; load average (1 min) ${load.toFixed(1)} at the start. Other work on the machine makes timings vary. In process (lib/speech, no n8n); the Azure rows against the simulator's Speech endpoint.\n`,
		);
		// The child's tables go to the terminal and, in order, to RESULTS.md.
		const child = spawnSync(process.execPath, ['--import', 'tsx', __filename], {
			env: { ...ca.env, SPEECH_BENCH_ROLE: 'measure' },
			stdio: ['inherit', 'pipe', 'inherit'],
			encoding: 'utf8',
		});
		process.stdout.write(child.stdout);
		if (child.status !== 0) process.exit(child.status ?? 1);
		printed.push(
			child.stdout
				.split('\n')
				.filter((line) => !line.startsWith('[graph-simulator]'))
				.join('\n'),
		);
		memory(ca.env);
		print(`Whole run ${((Date.now() - started) / 1000).toFixed(0)} s.`);
		if (write) {
			writeResultsSection('speech', printed.join('\n'));
			console.log(`Wrote ${RESULTS_FILE} (section "Typed prompts").`);
		}
	} finally {
		ca.cleanUp();
	}
}

void main();
