/**
 * The softphone: a small web page on an https origin of its own that plays the people of the
 * simulated tenant (phones.ts). Calls the bot places ring there; the person answers or declines,
 * hears the prompts (the WAV files the simulator fetched, as Graph would have), presses keys and
 * hangs up; "Call the bot" places an incoming call to a trigger's webhook. It also stands in for
 * a chat: JSON posted to /chat (a workflow's Slack or Teams webhook) is listed on the page.
 *
 * The page is plain HTML and JavaScript from simulator/softphone/ (no build step). Its API is
 * ours, not Graph's; everything Graph's side sends still comes from the simulator's own code:
 *
 *   GET  /api/state                      the snapshot below, as JSON
 *   GET  /api/events                     Server-Sent Events: `state` with the snapshot on every change
 *   GET  /api/audio/<audioId>            a prompt's WAV (audio/wav, ranges honoured)
 *   POST /api/legs/<legId>/answer|decline|hangup
 *   POST /api/legs/<legId>/keys          {"key":"1"}
 *   POST /api/call-bot                   {"person":"user:<id>"}   (when a bot webhook is set)
 *   POST /api/starters/<n>               posts starter n's body to its workflow webhook
 *   POST /chat                           any JSON: kept (last 100) and shown
 *
 * Listens on 127.0.0.1 only, answers only to its own Host, and takes POSTs to /api only as JSON
 * from its own origin (a page elsewhere cannot make a browser act here without CORS, which this
 * server never grants).
 */
import { readFileSync } from 'node:fs';
import { request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { join } from 'node:path';

import type { ServerCertificate } from './certificates';
import type { Person } from './directory';
import { placeIncomingCall } from './incomingCalls';
import type { PhoneLeg } from './phones';
import { fileResponse, type SimResponse } from './responses';
import { listenHttps } from './server';
import type { GraphSimulator } from './types';

export interface SoftphoneStarter {
	/** The button's words, e.g. "Send an alert: page the on-call engineer". */
	label: string;
	/** A workflow's webhook on 127.0.0.1 (https trusting the simulator's CA, or http). */
	url: string;
	/** Posted as JSON. */
	body: unknown;
}

export interface SoftphoneOptions {
	/** Default 0: any free port. Always 127.0.0.1. */
	port?: number;
	/** The origin's certificate: a leaf of the simulator's CA (issueServerCertificate). */
	tls: ServerCertificate;
	/** "Call the bot" posts incoming calls here (a Microsoft Graph Calls Trigger's production URL). */
	botWebhookUrl?: string;
	/** How long an incoming call waits for the bot. Default Graph's 15 000 ms. */
	incomingDeadlineMs?: number;
	/** Buttons that start workflows (dev mode: the page example's alert). */
	starters?: SoftphoneStarter[];
}

export interface ChatPost {
	at: number;
	/** The JSON as posted. */
	body: unknown;
}

export interface Softphone {
	/** https://127.0.0.1:<port> */
	origin: string;
	port: number;
	/** The page: `${origin}/`. */
	url: string;
	/** The chat double: `${origin}/chat`. */
	chatUrl: string;
	/** What was posted to the chat, oldest first (live array, last 100). */
	chat: ChatPost[];
	close(): Promise<void>;
}

const PAGE_FILES: Record<string, { file: string; type: string }> = {
	'/': { file: 'index.html', type: 'text/html; charset=utf-8' },
	'/softphone.js': { file: 'softphone.js', type: 'text/javascript; charset=utf-8' },
	'/softphone.css': { file: 'softphone.css', type: 'text/css; charset=utf-8' },
};
const MAX_CHAT_POSTS = 100;
const MAX_BODY_BYTES = 64 * 1024;
const RECENT_LEGS = 20;
const KEEP_ALIVE_MS = 15_000;
/** The page loads nothing from elsewhere, runs no inline script, is framed by nobody. */
const SECURITY_HEADERS: Record<string, string> = {
	'content-security-policy':
		"default-src 'self'; img-src 'self' data:; media-src 'self'; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
	'x-content-type-options': 'nosniff',
	'referrer-policy': 'no-referrer',
	'cache-control': 'no-store',
};

const json = (status: number, body: unknown): SimResponse => ({
	status,
	headers: { 'content-type': 'application/json; charset=utf-8' },
	body: JSON.stringify(body),
});
const refused = (status: number, error: string): SimResponse => json(status, { error });

/** A leg as the page reads it. */
function legJson(leg: PhoneLeg): Record<string, unknown> {
	return {
		id: leg.id,
		callId: leg.callId,
		person: leg.person.displayName,
		personKey: leg.person.key,
		direction: leg.direction,
		peer: leg.peer,
		state: leg.state,
		canAnswer: leg.canAnswer,
		startedAt: leg.startedAt,
		answeredAt: leg.answeredAt ?? null,
		endedAt: leg.endedAt ?? null,
		endedBecause: leg.endedBecause ?? null,
		prompts: leg.prompts.map((p) => ({ audioId: p.audioId, durationMs: p.durationMs, at: p.at })),
		keys: leg.keys,
	};
}

function readBody(req: IncomingMessage): Promise<string | undefined> {
	return new Promise((resolve) => {
		const chunks: Buffer[] = [];
		let size = 0;
		req.on('data', (chunk: Buffer) => {
			size += chunk.length;
			if (size > MAX_BODY_BYTES) {
				resolve(undefined);
				req.destroy();
				return;
			}
			chunks.push(chunk);
		});
		req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
		req.on('error', () => resolve(undefined));
	});
}

function parseJson(text: string | undefined): unknown {
	if (text === undefined) return undefined;
	try {
		return JSON.parse(text) as unknown;
	} catch {
		return undefined;
	}
}

/** Posts JSON to a workflow's webhook on 127.0.0.1; resolves with the status or the error. */
function postJson(url: string, body: unknown, caPem: string): Promise<string> {
	let target: URL;
	try {
		target = new URL(url);
	} catch {
		return Promise.resolve('not a URL');
	}
	if (target.hostname !== '127.0.0.1') return Promise.resolve('only 127.0.0.1 is contacted');
	const text = JSON.stringify(body);
	const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
	return new Promise((resolve) => {
		const req = send(
			target,
			{
				method: 'POST',
				headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) },
				timeout: 30_000,
				...(target.protocol === 'https:' ? { ca: [caPem] } : {}),
			},
			(res) => {
				res.resume();
				res.on('end', () => resolve(`HTTP ${res.statusCode ?? 0}`));
			},
		);
		req.on('timeout', () => req.destroy(new Error('timed out')));
		req.on('error', (error) => resolve(error.message));
		req.end(text);
	});
}

export async function startSoftphone(
	sim: GraphSimulator,
	options: SoftphoneOptions,
): Promise<Softphone> {
	const folder = join(__dirname, 'softphone');
	const pages = new Map(
		Object.entries(PAGE_FILES).map(([route, { file, type }]) => [
			route,
			{ body: readFileSync(join(folder, file)), type },
		]),
	);
	const chat: ChatPost[] = [];
	const starters = options.starters ?? [];
	const streams = new Set<ServerResponse>();
	const listener = await listenHttps({ port: options.port ?? 0, ...options.tls });
	const port = listener.port;
	const origin = `https://127.0.0.1:${port}`;
	const hosts = new Set([`127.0.0.1:${port}`, `localhost:${port}`]);
	const phones = sim.phones;

	const snapshot = (): Record<string, unknown> => {
		const legs = phones.legs();
		const openLegs = (person: Person): Array<Record<string, unknown>> =>
			legs
				.filter(
					(l) => l.state !== 'ended' && l.person.key.toLowerCase() === person.key.toLowerCase(),
				)
				.map(legJson);
		return {
			bot: { canBeCalled: options.botWebhookUrl !== undefined },
			people: phones.people().map((person) => ({ ...person, legs: openLegs(person) })),
			recent: legs
				.filter((l) => l.state === 'ended')
				.slice(-RECENT_LEGS)
				.reverse()
				.map(legJson),
			chat: [...chat].reverse(),
			starters: starters.map((s, index) => ({ index, label: s.label })),
		};
	};

	// Every change is sent once per turn of the event loop, however many happened in it.
	let pending = false;
	const broadcast = (): void => {
		if (pending) return;
		pending = true;
		setImmediate(() => {
			pending = false;
			const data = `event: state\ndata: ${JSON.stringify(snapshot())}\n\n`;
			for (const stream of streams) stream.write(data);
		});
	};
	const unsubscribe = phones.onChange(broadcast);
	const keepAlive = setInterval(() => {
		for (const stream of streams) stream.write(': keep-alive\n\n');
	}, KEEP_ALIVE_MS);
	keepAlive.unref();

	const openStream = (res: ServerResponse): void => {
		res.writeHead(200, {
			...SECURITY_HEADERS,
			'content-type': 'text/event-stream; charset=utf-8',
			connection: 'keep-alive',
		});
		res.write(`retry: 1000\nevent: state\ndata: ${JSON.stringify(snapshot())}\n\n`);
		streams.add(res);
		res.on('close', () => streams.delete(res));
	};

	const legAction = (legId: string, action: string, body: unknown): SimResponse => {
		const leg = phones.leg(legId);
		if (!leg) return refused(404, 'no such call');
		let problem: string | undefined;
		if (action === 'answer') problem = phones.answer(legId);
		else if (action === 'decline') problem = phones.decline(legId);
		else if (action === 'hangup') problem = phones.hangUp(legId, sim.getCall(leg.callId));
		else if (action === 'keys') {
			const key = (body as { key?: unknown } | undefined)?.key;
			problem =
				typeof key === 'string' ? phones.pressKey(legId, key) : 'the body must be {"key":"1"}';
		} else return refused(404, `no action "${action}"`);
		return problem === undefined ? { status: 204, headers: {} } : refused(409, problem);
	};

	const callTheBot = async (body: unknown): Promise<SimResponse> => {
		if (options.botWebhookUrl === undefined)
			return refused(409, 'no bot webhook was configured for "Call the bot"');
		const key = (body as { person?: unknown } | undefined)?.person;
		const person = phones.people().find((p) => p.key === key);
		if (!person) return refused(404, 'no such person');
		const placed = await placeIncomingCall(sim, {
			callbackUri: options.botWebhookUrl,
			caller: { kind: person.kind, id: person.id, displayName: person.displayName },
			// A call from a phone reaches the bot's resource account (its number), not its UPN.
			toResourceAccount: person.kind === 'phone',
			deadlineMs: options.incomingDeadlineMs ?? 15_000,
		});
		const answers = placed.posts.map((p) => `${p.format} ${p.status ?? p.error ?? ''}`);
		return json(202, { callId: placed.callId, webhookAnswered: answers });
	};

	const route = async (
		req: IncomingMessage,
		res: ServerResponse,
	): Promise<SimResponse | 'stream'> => {
		const method = req.method ?? 'GET';
		const path = (req.url ?? '/').split('?')[0] ?? '/';
		// DNS rebinding: a name that resolves here is still not this origin.
		if (!hosts.has(String(req.headers.host))) return refused(421, 'unknown host');
		const page = pages.get(path);
		if (page) {
			if (method !== 'GET' && method !== 'HEAD') return refused(405, 'GET only');
			return { status: 200, headers: { 'content-type': page.type }, body: page.body };
		}
		if (path === '/api/events' && method === 'GET') {
			openStream(res);
			return 'stream';
		}
		if (path === '/api/state' && method === 'GET') return json(200, snapshot());
		const audio = /^\/api\/audio\/([A-Za-z0-9_-]{1,64})$/.exec(path);
		if (audio) {
			const file = phones.audio(audio[1] ?? '');
			if (!file) return refused(404, 'no such prompt (kept prompts are bounded)');
			return fileResponse(method, file, 'audio/wav', req.headers.range);
		}
		if (path === '/chat') {
			if (method !== 'POST') return refused(405, 'POST only');
			const body = parseJson(await readBody(req));
			if (body === undefined) return refused(400, 'the body must be JSON of at most 64 KB');
			chat.push({ at: Date.now(), body });
			if (chat.length > MAX_CHAT_POSTS) chat.splice(0, chat.length - MAX_CHAT_POSTS);
			broadcast();
			return json(200, { ok: true });
		}
		if (!path.startsWith('/api/')) return refused(404, 'not found');
		if (method !== 'POST') return refused(405, 'POST only');
		const originHeader = req.headers.origin;
		if (
			originHeader !== undefined &&
			originHeader !== origin &&
			originHeader !== `https://localhost:${port}`
		)
			return refused(403, 'only the softphone page may act here');
		if (!String(req.headers['content-type']).startsWith('application/json'))
			return refused(415, 'send JSON (content-type: application/json)');
		const text = await readBody(req);
		const body = text === '' ? {} : parseJson(text);
		if (body === undefined) return refused(400, 'the body must be JSON');
		const leg = /^\/api\/legs\/([0-9a-f-]{36})\/(answer|decline|hangup|keys)$/.exec(path);
		if (leg) return legAction(leg[1] ?? '', leg[2] ?? '', body);
		if (path === '/api/call-bot') return await callTheBot(body);
		const starter = /^\/api\/starters\/(\d+)$/.exec(path);
		const chosen = starter ? starters[Number(starter[1])] : undefined;
		if (chosen)
			return json(200, { answer: await postJson(chosen.url, chosen.body, sim.caCertPem) });
		return refused(404, 'not found');
	};

	listener.handle((req: IncomingMessage, res: ServerResponse) => {
		route(req, res).then(
			(answer) => {
				if (answer === 'stream') return;
				res.writeHead(answer.status, { ...SECURITY_HEADERS, ...answer.headers });
				res.end(req.method === 'HEAD' ? undefined : answer.body);
			},
			() => req.socket.destroy(),
		);
	});

	return {
		origin,
		port,
		url: `${origin}/`,
		chatUrl: `${origin}/chat`,
		chat,
		close: async () => {
			unsubscribe();
			clearInterval(keepAlive);
			for (const stream of streams) stream.end();
			// Also ends the open event streams' connections, which would hold it open forever.
			await listener.close();
		},
	};
}
