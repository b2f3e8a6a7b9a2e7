/**
 * The softphone (simulator/softphone.ts, phones.ts) over real sockets: a bot places calls through
 * the simulator's Graph API (https, its own token), the people's phones ring on the softphone's
 * https origin, and its JSON API and event stream act and report as the page does. What Graph's
 * side sends on each action is checked on the bot's webhook: the documented notifications.
 */
import assert from 'node:assert/strict';
import { request } from 'node:https';
import { after, before, beforeEach, describe, it } from 'node:test';

import {
	createCertificateAuthority,
	DEFAULT_TENANT_ID,
	defaultApp,
	issueServerCertificate,
	loadCaFromEnv,
	makeWav,
	startGraphSimulator,
	wavDurationMs,
	type GraphSimulator,
	type PhoneLeg,
} from '../simulator';
import { placeIncomingCall } from '../simulator/incomingCalls';
import { startSoftphone, type Softphone } from '../simulator/softphone';
import { graphClient, startWebhook, type GraphClient, type Webhook } from './conformance/client';

const ALEX = '278405a3-f568-4b3e-b684-009193463064';
const ON_CALL = '+14255550101';
const RESOURCE_ACCOUNT = '4c3b2a19-0000-4000-8000-00000000a11e';

interface Answer {
	status: number;
	headers: Record<string, string | string[] | undefined>;
	body: Buffer;
	json: unknown;
}

function send(
	url: string,
	ca: string,
	options: {
		method?: string;
		headers?: Record<string, string>;
		body?: string;
		servername?: string;
	} = {},
): Promise<Answer> {
	return new Promise((resolve, reject) => {
		const req = request(
			url,
			{
				method: options.method ?? 'GET',
				headers: options.headers ?? {},
				ca: [ca],
				agent: false,
				...(options.servername === undefined ? {} : { servername: options.servername }),
			},
			(res) => {
				const chunks: Buffer[] = [];
				res.on('data', (chunk: Buffer) => chunks.push(chunk));
				res.on('end', () => {
					const body = Buffer.concat(chunks);
					let json: unknown;
					try {
						json = JSON.parse(body.toString('utf8'));
					} catch {
						json = undefined;
					}
					resolve({ status: res.statusCode ?? 0, headers: res.headers, body, json });
				});
				res.on('error', reject);
			},
		);
		req.on('error', reject);
		req.end(options.body);
	});
}

/** The page's way of acting: POST JSON from its own origin. */
const act = (phone: Softphone, ca: string, path: string, body: unknown = {}) =>
	send(`${phone.origin}${path}`, ca, {
		method: 'POST',
		headers: { 'content-type': 'application/json', origin: phone.origin },
		body: JSON.stringify(body),
	});

/** Reads the softphone's event stream; each `state` event's snapshot, in order. */
function subscribe(phone: Softphone, ca: string): { states: unknown[]; close(): void } {
	const states: unknown[] = [];
	let buffer = '';
	const req = request(`${phone.origin}/api/events`, { ca: [ca], agent: false }, (res) => {
		res.setEncoding('utf8');
		res.on('data', (chunk: string) => {
			buffer += chunk;
			for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
				const event = buffer.slice(0, end);
				buffer = buffer.slice(end + 2);
				const data = event
					.split('\n')
					.find((line) => line.startsWith('data: '))
					?.slice('data: '.length);
				if (event.includes('event: state') && data !== undefined) states.push(JSON.parse(data));
			}
		});
		res.on('error', () => undefined);
	});
	req.on('error', () => undefined);
	req.end();
	return { states, close: () => req.destroy() };
}

async function until<T>(what: string, probe: () => T | undefined, timeoutMs = 10_000): Promise<T> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const value = probe();
		if (value !== undefined && value !== false) return value;
		if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
		await new Promise((resolve) => setTimeout(resolve, 20));
	}
}

/** The notifications delivered to the bot since delivery number `from`, flattened. */
function notificationsSince(sim: GraphSimulator, from: number): Array<Record<string, unknown>> {
	return sim.callbacks.deliveries
		.slice(from)
		.flatMap((d) => (Array.isArray(d.body.value) ? d.body.value : []))
		.map((n) => n as Record<string, unknown>);
}
const resultInfoOf = (n: Record<string, unknown>): Record<string, unknown> | undefined =>
	(n.resourceData as { resultInfo?: Record<string, unknown> } | undefined)?.resultInfo;
/** code and subcode as numbers: Graph's examples write them as numbers or strings (a documented variant). */
const codesOf = (n: Record<string, unknown>): number[] => {
	const info = resultInfoOf(n);
	return [Number(info?.code), Number(info?.subcode)];
};
/** Lower case: some of Graph's examples capitalise it ("Established"), a documented variant. */
const stateOf = (n: Record<string, unknown>): string | undefined => {
	const state = (n.resourceData as { state?: unknown } | undefined)?.state;
	return typeof state === 'string' ? state.toLowerCase() : undefined;
};

describe('Softphone: the simulated tenant’s people on a web page of their own', () => {
	const ca = loadCaFromEnv() ?? createCertificateAuthority();
	let sim: GraphSimulator;
	let phone: Softphone;
	let graph: GraphClient;
	let webhook: Webhook;
	let prompt: Buffer;
	let promptUrl: string;

	before(async () => {
		sim = await startGraphSimulator({
			ca,
			apps: [
				{
					...defaultApp(),
					resourceAccounts: [{ id: RESOURCE_ACCOUNT, phoneNumber: '+14255550100' }],
				},
			],
		});
		webhook = await startWebhook(ca);
		graph = await graphClient(sim);
		phone = await startSoftphone(sim, {
			tls: issueServerCertificate(ca),
			botWebhookUrl: webhook.url,
		});
		prompt = makeWav({ durationMs: 700 });
		promptUrl = sim.media.host('press-1.wav', prompt);
	});
	beforeEach(() => {
		sim.reset();
		sim.callbacks.knobs.manualPhones = true;
		sim.callbacks.knobs.noAnswerTimeoutMs = 5_000;
	});
	after(async () => {
		await phone.close();
		await webhook.close();
		await sim.close();
	});

	const createCall = (target: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
		graph.call(
			'POST /communications/calls',
			'POST',
			'/communications/calls',
			JSON.stringify({
				'@odata.type': '#microsoft.graph.call',
				callbackUri: webhook.url,
				targets: [
					{ '@odata.type': '#microsoft.graph.invitationParticipantInfo', identity: target },
				],
				requestedModalities: ['audio'],
				mediaConfig: { '@odata.type': '#microsoft.graph.serviceHostedMediaConfig' },
				...extra,
			}),
		);
	const teamsUser = (id: string) => ({ user: { id, displayName: 'Alex Wilber' } });
	const callIdOf = (answer: { body: unknown }): string =>
		String((answer.body as { id: string }).id);
	const ringingLeg = (personKey: string, callId: string) =>
		until(`${personKey} ringing`, () =>
			sim.phones.legsOf(personKey).find((l) => l.callId === callId && l.state === 'ringing'),
		);

	it('a call the bot places rings until answered there; the prompt is the WAV Graph fetched; keys reach the bot; hanging up ends it with the documented code', async () => {
		const events = subscribe(phone, sim.caCertPem);
		try {
			const from = sim.callbacks.deliveries.length;
			const callId = callIdOf(await createCall(teamsUser(ALEX)));
			const leg = await ringingLeg(`user:${ALEX}`, callId);
			// Ringing: Graph has said "establishing" only, and the page shows Alex's phone ringing.
			await new Promise((resolve) => setTimeout(resolve, 200));
			assert.deepEqual(notificationsSince(sim, from).map(stateOf), ['establishing']);
			const ringingState = await until('a snapshot with the ringing call', () =>
				events.states.find((s) =>
					(s as { people: Array<{ key: string; legs: PhoneLeg[] }> }).people.some(
						(p) => p.key === `user:${ALEX}` && p.legs[0]?.state === 'ringing',
					),
				),
			);
			assert.ok(ringingState);

			const answered = await act(phone, sim.caCertPem, `/api/legs/${leg.id}/answer`);
			assert.equal(answered.status, 204);
			await until('established', () =>
				notificationsSince(sim, from).some((n) => stateOf(n) === 'established'),
			);
			assert.equal(sim.getCall(callId)?.state, 'established');
			assert.equal(leg.state, 'connected');

			await graph.call('POST playPrompt', 'POST', `/communications/calls/${callId}/playPrompt`, {
				clientContext: 'page',
				prompts: [{ '@odata.type': '#microsoft.graph.mediaPrompt', mediaInfo: { uri: promptUrl } }],
			});
			const played = await until('the prompt on the leg', () => leg.prompts[0]);
			assert.equal(played.durationMs, 700);
			assert.equal(played.uri, promptUrl);
			const audio = await send(`${phone.origin}/api/audio/${played.audioId}`, sim.caCertPem);
			assert.equal(audio.status, 200);
			assert.equal(audio.headers['content-type'], 'audio/wav');
			assert.ok(audio.body.equals(prompt), 'the bytes Graph fetched, unchanged');
			assert.equal(wavDurationMs(audio.body), 700);
			const range = await send(`${phone.origin}/api/audio/${played.audioId}`, sim.caCertPem, {
				headers: { range: 'bytes=0-43' },
			});
			assert.equal(range.status, 206);
			assert.equal(range.body.length, 44);

			await graph.call(
				'POST subscribeToTone',
				'POST',
				`/communications/calls/${callId}/subscribeToTone`,
				{
					clientContext: 'page',
				},
			);
			const beforeKey = sim.callbacks.deliveries.length;
			assert.equal(
				(await act(phone, sim.caCertPem, `/api/legs/${leg.id}/keys`, { key: '1' })).status,
				204,
			);
			const tone = await until('the tone notification', () =>
				notificationsSince(sim, beforeKey).find(
					(n) => (n.resourceData as { toneInfo?: unknown } | undefined)?.toneInfo !== undefined,
				),
			);
			assert.equal((tone.resourceData as { toneInfo: { tone: string } }).toneInfo.tone, 'tone1');
			assert.deepEqual(leg.keys, ['1']);

			const beforeHangUp = sim.callbacks.deliveries.length;
			assert.equal((await act(phone, sim.caCertPem, `/api/legs/${leg.id}/hangup`)).status, 204);
			const ended = await until('terminated', () =>
				notificationsSince(sim, beforeHangUp).find((n) => stateOf(n) === 'terminated'),
			);
			assert.deepEqual(
				codesOf(ended),
				[200, 4521],
				'call-delete: "Call ended by the other participant in peer-to-peer call."',
			);
			assert.equal(leg.state, 'ended');
			assert.equal(leg.endedBecause, 'hung up');
			const state = (await send(`${phone.origin}/api/state`, sim.caCertPem)).json as {
				recent: Array<{ id: string; keys: string[]; prompts: unknown[] }>;
			};
			assert.deepEqual(state.recent[0]?.keys, ['1']);
			assert.equal(state.recent[0]?.prompts.length, 1);
		} finally {
			events.close();
		}
	});

	it('a phone number declines, another never answers: the calls end as the knobs say, and the bot hanging up a ringing call ends the ring', async () => {
		const pstn = (number: string) =>
			createCall(
				{ phone: { id: number } },
				{
					source: {
						identity: { applicationInstance: { id: RESOURCE_ACCOUNT, displayName: 'Paging' } },
					},
					tenantId: DEFAULT_TENANT_ID,
				},
			);
		let from = sim.callbacks.deliveries.length;
		const declined = callIdOf(await pstn(ON_CALL));
		const leg = await ringingLeg(`phone:${ON_CALL}`, declined);
		assert.equal(leg.person.displayName, 'On-call engineer', 'named from the directory');
		assert.equal((await act(phone, sim.caCertPem, `/api/legs/${leg.id}/decline`)).status, 204);
		const end = await until('terminated', () =>
			notificationsSince(sim, from).find((n) => stateOf(n) === 'terminated'),
		);
		assert.deepEqual(codesOf(end), [603, 0], "the simulator's default declineWith");
		assert.equal(leg.endedBecause, 'declined');
		assert.equal((await act(phone, sim.caCertPem, `/api/legs/${leg.id}/answer`)).status, 409);

		sim.callbacks.knobs.noAnswerTimeoutMs = 300;
		from = sim.callbacks.deliveries.length;
		const unanswered = callIdOf(await pstn('+14255550102'));
		const silent = await ringingLeg('phone:+14255550102', unanswered);
		const timedOut = await until('terminated', () =>
			notificationsSince(sim, from).find((n) => stateOf(n) === 'terminated'),
		);
		assert.deepEqual(codesOf(timedOut), [408, 10057]);
		assert.equal(silent.endedBecause, 'not answered');

		sim.callbacks.knobs.noAnswerTimeoutMs = 5_000;
		const cancelled = callIdOf(await createCall(teamsUser(ALEX)));
		const ring = await ringingLeg(`user:${ALEX}`, cancelled);
		await graph.call('DELETE call', 'DELETE', `/communications/calls/${cancelled}`);
		assert.equal(ring.state, 'ended');
		assert.equal(ring.endedBecause, 'the bot hung up');
	});

	it('"Call the bot": the person’s call reaches the bot’s webhook; the bot answers, then transfers it and the target’s phone rings', async () => {
		const placed = await act(phone, sim.caCertPem, '/api/call-bot', {
			person: 'user:8a34a46b-88d8-4a83-8a2e-6e2b5e9a4d11',
		});
		assert.equal(placed.status, 202, JSON.stringify(placed.json));
		const callId = String((placed.json as { callId: string }).callId);
		const caller = sim.phones
			.legsOf('user:8a34a46b-88d8-4a83-8a2e-6e2b5e9a4d11')
			.find((l) => l.callId === callId);
		assert.equal(caller?.state, 'calling');
		assert.equal(caller.direction, 'fromPerson');
		await graph.call('POST answer', 'POST', `/communications/calls/${callId}/answer`, {
			callbackUri: webhook.url,
			acceptedModalities: ['audio'],
			mediaConfig: { '@odata.type': '#microsoft.graph.serviceHostedMediaConfig' },
		});
		assert.equal(caller.state, 'connected');
		await graph.call('POST transfer', 'POST', `/communications/calls/${callId}/transfer`, {
			transferTarget: {
				endpointType: 'default',
				identity: { user: { id: ALEX, displayName: 'Alex Wilber' } },
			},
		});
		assert.equal(caller.state, 'ended');
		assert.equal(caller.endedBecause, 'transferred by the bot to Alex Wilber');
		const target = await ringingLeg(`user:${ALEX}`, callId);
		assert.equal(target.peer, 'Test User (transferred by the bot)');
		assert.equal((await act(phone, sim.caCertPem, `/api/legs/${target.id}/answer`)).status, 204);
		assert.equal(target.state, 'connected');
		assert.equal((await act(phone, sim.caCertPem, `/api/legs/${target.id}/hangup`)).status, 204);
		assert.equal(target.endedBecause, 'hung up');

		// Nobody answers in time: the caller's side says so.
		const late = await placeIncomingCall(sim, { callbackUri: webhook.url, deadlineMs: 100 });
		const lateLeg = sim.phones.legs().find((l) => l.callId === late.callId);
		await until('the deadline', () => lateLeg?.state === 'ended');
		assert.equal(lateLeg?.endedBecause, 'the bot did not answer within 0 s');
	});

	it('the API acts only for its own page: other hosts, other origins, non-JSON posts are refused; the chat keeps what workflows post', async () => {
		const call = callIdOf(await createCall(teamsUser(ALEX)));
		const leg = await ringingLeg(`user:${ALEX}`, call);
		const path = `${phone.origin}/api/legs/${leg.id}/answer`;
		const refusedHost = await send(path, sim.caCertPem, {
			method: 'POST',
			// TLS still names 127.0.0.1's certificate (localhost): only the Host header lies.
			headers: { host: 'attacker.example', 'content-type': 'application/json' },
			servername: 'localhost',
			body: '{}',
		});
		assert.equal(refusedHost.status, 421);
		const refusedOrigin = await send(path, sim.caCertPem, {
			method: 'POST',
			headers: { origin: 'https://attacker.example', 'content-type': 'application/json' },
			body: '{}',
		});
		assert.equal(refusedOrigin.status, 403);
		const refusedForm = await send(path, sim.caCertPem, {
			method: 'POST',
			headers: { 'content-type': 'text/plain' },
			body: '{}',
		});
		assert.equal(refusedForm.status, 415);
		assert.equal(leg.state, 'ringing', 'nothing was answered');
		assert.equal(
			(await act(phone, sim.caCertPem, `/api/legs/${leg.id}/keys`, { key: '1' })).status,
			409,
		);
		assert.equal(
			(await act(phone, sim.caCertPem, `/api/legs/${leg.id}/keys`, { key: 'x' })).status,
			409,
		);

		const page = await send(phone.url, sim.caCertPem);
		assert.equal(page.status, 200);
		assert.match(String(page.headers['content-security-policy']), /default-src 'self'/);
		assert.match(page.body.toString('utf8'), /<script src="\/softphone\.js"/);

		const posted = await send(phone.chatUrl, sim.caCertPem, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ text: 'Checkout is down: acknowledged by On-call engineer' }),
		});
		assert.equal(posted.status, 200);
		assert.deepEqual(phone.chat.at(-1)?.body, {
			text: 'Checkout is down: acknowledged by On-call engineer',
		});
		const state = (await send(`${phone.origin}/api/state`, sim.caCertPem)).json as {
			chat: Array<{ body: unknown }>;
		};
		assert.deepEqual(state.chat[0]?.body, {
			text: 'Checkout is down: acknowledged by On-call engineer',
		});
	});

	it('without manualPhones the existing knobs answer, and the softphone still shows the call', async () => {
		sim.callbacks.knobs.manualPhones = false;
		sim.callbacks.knobs.answerDelayMs = 100;
		const from = sim.callbacks.deliveries.length;
		const callId = callIdOf(await createCall(teamsUser(ALEX)));
		await until('established', () =>
			notificationsSince(sim, from).some((n) => stateOf(n) === 'established'),
		);
		const leg = sim.phones.legsOf(`user:${ALEX}`).find((l) => l.callId === callId);
		assert.equal(leg?.state, 'connected');
		assert.equal(leg.canAnswer, false);
		await graph.call('DELETE call', 'DELETE', `/communications/calls/${callId}`);
		assert.equal(leg.endedBecause, 'the bot hung up');
	});
});
