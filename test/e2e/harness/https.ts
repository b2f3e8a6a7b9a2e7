/**
 * n8n served over https on 127.0.0.1, and a small https client for it.
 *
 * Why https: Call › Create only accepts an https Callback URL (as Graph does), and the point of
 * this suite is that the example's Create takes the trigger's own Production URL as its callback.
 * So n8n runs with N8N_PROTOCOL=https and a server certificate issued by the simulator's test CA;
 * the simulator posts notifications to it trusting that CA, n8n trusts the simulator through
 * NODE_EXTRA_CA_CERTS, and this process passes the CA explicitly on every request (Node's global
 * fetch cannot take a CA per request, hence node:https here instead of harness/rest.ts).
 */
import * as fs from 'node:fs';
import * as https from 'node:https';
import * as path from 'node:path';
import type { IncomingHttpHeaders } from 'node:http';
import { freePort, type N8nCtx } from './n8n';
import { killTree, spawnTracked } from './proc';
import { E2E_OWNER, type OwnerAccount } from './rest';

export interface HttpsAnswer {
	status: number;
	headers: IncomingHttpHeaders;
	text: string;
	/** Parsed JSON body, or undefined when the body is not JSON. */
	json: unknown;
}

export async function httpsRequest(
	url: string,
	ca: string,
	opts: {
		method?: string;
		headers?: Record<string, string>;
		body?: string;
		timeoutMs?: number;
	} = {},
): Promise<HttpsAnswer> {
	return await new Promise<HttpsAnswer>((resolve, reject) => {
		const headers: Record<string, string | number> = { ...opts.headers };
		if (opts.body !== undefined) headers['content-length'] = Buffer.byteLength(opts.body);
		const req = https.request(
			url,
			{ method: opts.method ?? 'GET', headers, ca, timeout: opts.timeoutMs ?? 30_000 },
			(res) => {
				const chunks: Buffer[] = [];
				res.on('data', (c: Buffer) => chunks.push(c));
				res.on('error', reject);
				res.on('end', () => {
					const text = Buffer.concat(chunks).toString('utf8');
					let json: unknown;
					try {
						json = JSON.parse(text) as unknown;
					} catch {
						json = undefined;
					}
					resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
				});
			},
		);
		req.on('timeout', () => req.destroy(new Error(`${opts.method ?? 'GET'} ${url}: timed out`)));
		req.on('error', reject);
		req.end(opts.body);
	});
}

const BROWSER_ID = 'e2e-trigger-browser';

/** n8n's internal REST API over https with the owner's cookie (same conventions as harness/rest.ts). */
export class Rest {
	private cookie: string | undefined;

	constructor(
		readonly url: string,
		private readonly ca: string,
	) {}

	private headers(): Record<string, string> {
		const h: Record<string, string> = {
			'content-type': 'application/json',
			'browser-id': BROWSER_ID,
		};
		if (this.cookie !== undefined) h.cookie = this.cookie;
		return h;
	}

	/** Creates the instance owner (once per user folder) and keeps its cookie. */
	async setupOwner(owner: OwnerAccount = E2E_OWNER): Promise<void> {
		await this.postForCookie('/rest/owner/setup', owner);
	}

	/** Logs in as an owner created earlier and keeps the cookie. */
	async login(owner: OwnerAccount = E2E_OWNER): Promise<void> {
		await this.postForCookie('/rest/login', {
			emailOrLdapLoginId: owner.email,
			password: owner.password,
		});
	}

	private async postForCookie(pathname: string, body: unknown): Promise<void> {
		const r = await httpsRequest(`${this.url}${pathname}`, this.ca, {
			method: 'POST',
			headers: this.headers(),
			body: JSON.stringify(body),
		});
		if (r.status !== 200)
			throw new Error(`POST ${pathname} -> ${r.status}: ${r.text.slice(0, 500)}`);
		const setCookie = r.headers['set-cookie'] ?? [];
		const auth = setCookie.find((c) => c.startsWith('n8n-auth='));
		if (auth === undefined) throw new Error(`POST ${pathname} set no n8n-auth cookie`);
		this.cookie = auth.split(';')[0];
	}

	async get<T = unknown>(pathname: string): Promise<{ status: number; body: T }> {
		const r = await httpsRequest(`${this.url}${pathname}`, this.ca, { headers: this.headers() });
		return { status: r.status, body: (r.json ?? r.text) as T };
	}

	async post<T = unknown>(pathname: string, body: unknown): Promise<{ status: number; body: T }> {
		const r = await httpsRequest(`${this.url}${pathname}`, this.ca, {
			method: 'POST',
			headers: this.headers(),
			body: JSON.stringify(body),
			timeoutMs: 60_000,
		});
		return { status: r.status, body: (r.json ?? r.text) as T };
	}

	/**
	 * Activates (2.x: publishes) a stored workflow as the editor's toggle does, on a running
	 * server: `POST /rest/workflows/<id>/activate` with its current versionId (both lines). No CLI
	 * process to start, and it works after n8n started, unlike `import:workflow --activeState`.
	 */
	async activate(workflowId: string): Promise<void> {
		const read = await this.get<{ data?: { versionId?: string; active?: boolean } }>(
			`/rest/workflows/${workflowId}`,
		);
		const versionId = read.body.data?.versionId;
		if (read.body.data?.active === true) return;
		if (read.status !== 200 || versionId === undefined)
			throw new Error(
				`GET /rest/workflows/${workflowId} -> ${read.status}: ${JSON.stringify(read.body).slice(0, 300)}`,
			);
		const r = await this.post<{ data?: { active?: boolean } }>(
			`/rest/workflows/${workflowId}/activate`,
			{ versionId },
		);
		if (r.status !== 200 || r.body.data?.active !== true)
			throw new Error(
				`activating ${workflowId} -> ${r.status}: ${JSON.stringify(r.body).slice(0, 500)}`,
			);
	}
}

export interface HttpsN8nServer {
	/** https://127.0.0.1:<port> */
	url: string;
	port: number;
	logFile: string;
	stop(): Promise<void>;
}

const READY_LINE = 'Editor is now accessible via';

/**
 * `n8n start` with N8N_PROTOCOL=https, the certificate files given, WEBHOOK_URL pinned to
 * https://127.0.0.1:<port>/. Ready when the ready line was logged and /healthz answers over
 * https (trusting `caPem`), like harness/n8n.ts's startServer does over http.
 */
export async function startHttpsServer(
	ctx: N8nCtx,
	tls: { keyFile: string; certFile: string; caPem: string },
	port?: number,
	timeoutMs = 180_000,
): Promise<HttpsN8nServer> {
	const p = port ?? (await freePort());
	const url = `https://127.0.0.1:${p}`;
	const logFile = path.join(ctx.userFolder, `n8n-start-${p}.log`);
	const env: NodeJS.ProcessEnv = {
		...ctx.env,
		N8N_PORT: String(p),
		N8N_PROTOCOL: 'https',
		N8N_SSL_KEY: tls.keyFile,
		N8N_SSL_CERT: tls.certFile,
		WEBHOOK_URL: `${url}/`,
		// Over https the auth cookie may be Secure again (n8nEnv turns it off for plain http).
		N8N_SECURE_COOKIE: 'true',
	};
	// 2.x: every process needs its own task-broker port (harness/n8n.ts does the same for its processes).
	if (ctx.inst.line === '2' && env.N8N_RUNNERS_BROKER_PORT === undefined)
		env.N8N_RUNNERS_BROKER_PORT = String(await freePort());
	const child = spawnTracked(ctx.inst.nodeBin, [ctx.inst.n8nBin, 'start'], {
		cwd: ctx.userFolder,
		env,
		logFile,
	});
	let output = '';
	let ready = false;
	child.stdout?.on('data', (b: Buffer) => {
		if (ready) return;
		output += b.toString('utf8');
		if (output.includes(READY_LINE)) ready = true;
	});
	child.stderr?.on('data', (b: Buffer) => {
		if (!ready) output += b.toString('utf8');
	});
	const stop = async (): Promise<void> => await killTree(child);
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		if (child.exitCode !== null || child.signalCode !== null) {
			throw new Error(
				`n8n start (https) exited (${child.exitCode ?? child.signalCode}) before ready; log ${logFile}:\n${tail(output)}`,
			);
		}
		if (ready && (await healthy(url, tls.caPem))) return { url, port: p, logFile, stop };
		if (Date.now() > deadline) {
			await stop();
			throw new Error(
				`n8n start (https) not ready after ${timeoutMs} ms; log ${logFile}:\n${tail(output)}`,
			);
		}
		await new Promise((r) => setTimeout(r, 250));
	}
}

/** n8n answers /healthz over https, trusting `ca`. */
export async function healthy(url: string, ca: string): Promise<boolean> {
	try {
		return (await httpsRequest(`${url}/healthz`, ca, { timeoutMs: 2_000 })).status === 200;
	} catch {
		return false;
	}
}

function tail(text: string, lines = 30): string {
	return text.trim().split('\n').slice(-lines).join('\n');
}

/** Writes the server key and certificate (0600 key) into `dir`; returns the paths. */
export function writeTlsFiles(
	dir: string,
	cert: { certPem: string; keyPem: string },
): { keyFile: string; certFile: string } {
	fs.mkdirSync(dir, { recursive: true });
	const keyFile = path.join(dir, 'n8n-server.key');
	const certFile = path.join(dir, 'n8n-server.crt');
	fs.writeFileSync(keyFile, cert.keyPem, { mode: 0o600 });
	fs.writeFileSync(certFile, cert.certPem);
	return { keyFile, certFile };
}
