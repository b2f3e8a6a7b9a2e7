/**
 * npm run simulator [-- --port 8443] [-- --ca-out path/to/ca.pem] [-- --latency-ms 50]
 *   [-- --throttle-probability 0.2 --retry-after 1 --throttle-seed 7] [-- --quiet]
 *
 * Runs the Graph simulator in the foreground for manual testing (n8n UI, curl), prints what a
 * client needs (origin, CA file, ids, secret), logs one line per request, and stops cleanly on
 * SIGINT/SIGTERM. Port: --port, else env GRAPH_SIM_PORT, else ephemeral. The CA comes from
 * GRAPH_SIM_CA_CERT/GRAPH_SIM_CA_KEY when set (stable across restarts), else is fresh.
 * The control API (control.ts) is on: GET/POST https://127.0.0.1:<port>/_simulator/{state,knobs,reset}.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

import {
	CA_CERT_ENV,
	CA_KEY_ENV,
	DEFAULT_CALL_ID,
	DEFAULT_CLIENT_ID,
	DEFAULT_CLIENT_SECRET,
	DEFAULT_TENANT_DOMAIN,
	DEFAULT_TENANT_ID,
	applyKnobs,
	startGraphSimulator,
	type RecordedRequest,
} from './index';

const REPO_ROOT = resolve(__dirname, '..', '..');
const USAGE = `Usage: npm run simulator -- [--port <n>] [--ca-out <file>] [knobs] [--quiet]
  --port                  TCP port on 127.0.0.1 (default: env GRAPH_SIM_PORT, else an ephemeral port)
  --ca-out                where to write the CA certificate (default: .tmp/simulator-ca.pem in the repo)
  --latency-ms            added before every Graph answer (env GRAPH_SIM_LATENCY_MS; default 0)
  --throttle-probability  0..1: each Graph attempt ($batch: each step) answered 429 independently
                          (env GRAPH_SIM_THROTTLE_PROBABILITY; default 0)
  --retry-after           Retry-After seconds of those 429s (env GRAPH_SIM_RETRY_AFTER_SECONDS; default 1)
  --throttle-seed         integer: reproducible throttling draws (env GRAPH_SIM_THROTTLE_SEED; default Math.random)
  --quiet                 no line per request (env GRAPH_SIM_QUIET=1)
  --no-callbacks          no call notifications to callback URLs (env GRAPH_SIM_NO_CALLBACKS=1); a
                          roster update per invite costs O(roster) each, too much for benchmarks
Env: ${CA_CERT_ENV} + ${CA_KEY_ENV} (PEM files) reuse a fixed CA instead of a fresh one.
Control API (changes the knobs while running): GET /_simulator/state, POST /_simulator/knobs
{latencyMs, throttleProbability, retryAfterSeconds, seed}, POST /_simulator/reset.`;

interface CliOptions {
	port: number;
	caOut: string;
	quiet: boolean;
	callbacks: boolean;
	knobs: Record<string, number>;
}

const KNOB_FLAGS: Record<string, { knob: string; env: string }> = {
	'--latency-ms': { knob: 'latencyMs', env: 'GRAPH_SIM_LATENCY_MS' },
	'--throttle-probability': { knob: 'throttleProbability', env: 'GRAPH_SIM_THROTTLE_PROBABILITY' },
	'--retry-after': { knob: 'retryAfterSeconds', env: 'GRAPH_SIM_RETRY_AFTER_SECONDS' },
	'--throttle-seed': { knob: 'seed', env: 'GRAPH_SIM_THROTTLE_SEED' },
};

function parseNumber(value: string | undefined, source: string): number {
	const n = Number(value);
	if (value === undefined || value.trim() === '' || !Number.isFinite(n))
		throw new Error(`${source}: '${String(value)}' is not a number.`);
	return n;
}

function parsePort(value: string | undefined, source: string): number {
	const port = Number(value);
	if (!Number.isInteger(port) || port < 0 || port > 65535)
		throw new Error(`${source}: '${String(value)}' is not a TCP port.`);
	return port;
}

function parseArgs(argv: string[]): CliOptions {
	const options: CliOptions = {
		port: process.env.GRAPH_SIM_PORT ? parsePort(process.env.GRAPH_SIM_PORT, 'GRAPH_SIM_PORT') : 0,
		caOut: join(REPO_ROOT, '.tmp', 'simulator-ca.pem'),
		quiet: process.env.GRAPH_SIM_QUIET === '1',
		callbacks: process.env.GRAPH_SIM_NO_CALLBACKS !== '1',
		knobs: {},
	};
	for (const { knob, env } of Object.values(KNOB_FLAGS)) {
		const value = process.env[env];
		if (value !== undefined && value !== '') options.knobs[knob] = parseNumber(value, env);
	}
	for (let i = 0; i < argv.length; i++) {
		const arg = argv[i] ?? '';
		const [name = '', inline] = arg.split('=', 2);
		const value = (): string => {
			const v = inline ?? argv[++i];
			if (v === undefined) throw new Error(`${name} needs a value.\n${USAGE}`);
			return v;
		};
		if (name === '--port') options.port = parsePort(value(), '--port');
		else if (name === '--ca-out') options.caOut = resolve(value());
		else if (name === '--quiet') options.quiet = true;
		else if (name === '--no-callbacks') options.callbacks = false;
		else if (KNOB_FLAGS[name]) options.knobs[KNOB_FLAGS[name]!.knob] = parseNumber(value(), name);
		else if (name === '--help' || name === '-h') {
			console.log(USAGE);
			process.exit(0);
		} else throw new Error(`Unknown argument '${arg}'.\n${USAGE}`);
	}
	return options;
}

/** One line per request; bodies and headers stay out of the log because they carry secrets and tokens. */
function logRequest(request: RecordedRequest): void {
	const time = new Date(request.at).toISOString().slice(11, 23);
	const status = request.status === undefined ? 'no answer' : String(request.status);
	const fault = request.fault ? ` fault=${request.fault}` : '';
	console.log(
		`${time} ${request.kind.padEnd(8)} ${request.method} ${request.path} -> ${status}${fault}`,
	);
}

async function main(): Promise<void> {
	const options = parseArgs(process.argv.slice(2));
	const sim = await startGraphSimulator({
		port: options.port,
		onRequest: options.quiet ? undefined : logRequest,
		controlApi: true,
	});
	if (!options.callbacks) sim.callbacks.close();
	try {
		applyKnobs(sim.faults, options.knobs);
	} catch (error) {
		await sim.close();
		throw error;
	}
	mkdirSync(dirname(options.caOut), { recursive: true });
	writeFileSync(options.caOut, sim.caCertPem);

	console.log(
		[
			`Graph simulator listening on ${sim.origin}`,
			`  CA certificate : ${options.caOut}`,
			`  Trust it with  : NODE_EXTRA_CA_CERTS=${options.caOut} (set before the client process starts)`,
			`  Authority      : ${sim.origin}/${DEFAULT_TENANT_ID}  (also ${sim.origin}/${DEFAULT_TENANT_DOMAIN})`,
			`  Token endpoint : ${sim.origin}/${DEFAULT_TENANT_ID}/oauth2/v2.0/token`,
			`  Graph endpoint : ${sim.origin}/v1.0 and ${sim.origin}/beta`,
			`  Scope          : ${sim.origin}/.default`,
			`  Tenant id      : ${DEFAULT_TENANT_ID}`,
			`  Client id      : ${DEFAULT_CLIENT_ID}`,
			`  Client secret  : ${DEFAULT_CLIENT_SECRET}  (valid only on this simulator)`,
			`  Call id        : ${DEFAULT_CALL_ID}`,
			`  Knobs          : latency ${sim.faults.latencyMs} ms, throttle probability ${sim.faults.throttleRate}, Retry-After ${sim.faults.throttleRetryAfterSeconds} s, seed ${sim.faults.throttleSeed ?? 'none'}`,
			`  Control API    : ${sim.origin}/_simulator/state | knobs | reset`,
			'Press Ctrl+C to stop.',
		].join('\n'),
	);

	let stopping = false;
	const stop = (signal: NodeJS.Signals): void => {
		if (stopping) return;
		stopping = true;
		const served = sim.requests.length;
		console.log(`\n${signal}: stopping (${served} request${served === 1 ? '' : 's'} served).`);
		sim.close().then(
			() => process.exit(0),
			() => process.exit(1),
		);
	};
	process.on('SIGINT', stop);
	process.on('SIGTERM', stop);
}

main().catch((error: unknown) => {
	console.error(error instanceof Error ? error.message : error);
	process.exit(1);
});
