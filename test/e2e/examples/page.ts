/**
 * examples/page-and-acknowledge.json in real n8n, active in `n8n start` over https (Graph posts a
 * call's events only to https, and Call and Wait for Keypress refuses an http waiting URL). The
 * simulator plays the phones: it answers or not, "presses" keys after the tone subscription, and
 * posts every signed notification to the call's callback URL, which is the waiting execution's
 * own URL in n8n. The example's last node posts the outcome to a chat webhook: here a capture
 * server on 127.0.0.1, so every check reads what a chat would have received.
 *
 * The example's page nodes are version 3 pagers: a phone first hears the presence check ("This
 * is an alert from n8n. Press any key to hear it.", a recording any key stops), and only after a
 * key the alert ("<alert>. Press 1 to acknowledge. Press star to hear this again."). The people
 * are played on the simulator's phones (playPagedPeople): a key for the presence check, then 1,
 * or nothing.
 *
 * Checks, in this order on one n8n: pressed (both typed prompts downloaded from n8n, backup never
 * called); on call unanswered (backup called once and acknowledges); forged callbacks refused
 * while the execution waits (nothing resumes), then nobody presses 1 (the alert played three
 * times each, both calls hung up, "NOBODY").
 */
import * as assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import * as http from 'node:http';
import * as path from 'node:path';

import { fillPageExample, readExample, type CredentialRef } from '../harness/exampleWorkflows';
import type { N8nCtx, WorkflowImport } from '../harness/n8n';
import {
	DEFAULT_CALL_ID,
	DEFAULT_CLIENT_ID,
	DEFAULT_TENANT_ID,
	issueServerCertificate,
	makeWav,
	toneNotification,
	type CertificateAuthority,
	type GraphSimulator,
	type RecordedRequest,
} from '../simulator';
import { httpsRequest, startHttpsServer, writeTlsFiles, type HttpsAnswer } from '../harness/https';

export const PAGE_ID = 'e2ePageAndAck';
export const RESOURCE_ACCOUNT = '4c3b2a19-0000-4000-8000-00000000a11e';
const ON_CALL = '+14255550101';
const BACKUP = '+14255550102';
const ALERT_PATH = 'page-on-call';

type Check = (name: string, body: () => Promise<void>) => Promise<void>;

/** What the example's last node posted (the Summarize node's item). */
interface Posted {
	text: string;
	acknowledged: boolean;
	acknowledgedBy: string | null;
	outcome: string;
	backupPaged: boolean;
	callId: string | null;
}

/**
 * The example as a user fills it in: the credential, the resource account and the chat webhook.
 * Its prompt is typed text (the alert, then "Press 1 to acknowledge."): no audio file to host.
 */
export function pageWorkflow(
	example: WorkflowImport,
	credential: CredentialRef,
	chatUrl: string,
): WorkflowImport {
	const filled = fillPageExample(example, {
		credential,
		resourceAccount: RESOURCE_ACCOUNT,
		chatUrl,
	});
	return { ...filled, id: PAGE_ID, active: false };
}

export const BINARY_PROMPT_ID = 'e2ePagePromptBin';
/** The "spoken alert" of the binary-prompt workflow: a real WAV in Graph's format. */
export const SPOKEN_ALERT = makeWav({ durationMs: 400 });
const BINARY_PATH = 'page-with-spoken-alert';
const ENGINEER = '278405a3-f568-4b3e-b684-009193463064';

/**
 * Prompt From › Binary Field in real n8n: a Code node stands for a text-to-speech node and puts
 * a WAV into the item's binary field "speech"; the page node (a Teams user this time) serves it
 * to Graph from its waiting URL.
 */
export function binaryPromptWorkflow(
	credential: Record<string, { id: string; name: string }>,
	chatUrl: string,
): WorkflowImport {
	const wav = SPOKEN_ALERT;
	const jsCode = [
		'// Stands for a text-to-speech node: the alert, spoken, as a WAV in the binary field "speech".',
		`const wav = '${wav.toString('base64')}';`,
		"return [{ json: { alert: $json.body.text }, binary: { speech: { data: wav, mimeType: 'audio/wav', fileName: 'alert.wav' } } }];",
	].join('\n');
	return {
		id: BINARY_PROMPT_ID,
		name: 'Page with a spoken alert (binary prompt)',
		active: false,
		nodes: [
			{
				id: 'b1000000-0000-4000-8000-000000000001',
				name: 'Alert',
				type: 'n8n-nodes-base.webhook',
				typeVersion: 2,
				position: [0, 0],
				webhookId: 'b1000000-0000-4000-8000-0000000000a1',
				parameters: {
					httpMethod: 'POST',
					path: BINARY_PATH,
					responseMode: 'onReceived',
					options: {},
				},
			},
			{
				id: 'b1000000-0000-4000-8000-000000000002',
				name: 'Speak the alert',
				type: 'n8n-nodes-base.code',
				typeVersion: 2,
				position: [220, 0],
				parameters: { jsCode },
			},
			{
				id: 'b1000000-0000-4000-8000-000000000003',
				name: 'Page the engineer',
				type: 'n8n-nodes-microsoft-graph-calls.microsoftGraphCalls',
				typeVersion: 2,
				position: [440, 0],
				credentials: credential,
				parameters: {
					resource: 'call',
					operation: 'callAndWaitForKeypress',
					keypressTarget: 'teamsUser',
					userId: ENGINEER,
					promptSource: 'binary',
					promptBinaryField: 'speech',
					additionalFields: { acceptedKeys: '1', repeatPrompt: 3 },
					options: {},
				},
			},
			{
				id: 'b1000000-0000-4000-8000-000000000004',
				name: 'Post the outcome',
				type: 'n8n-nodes-base.httpRequest',
				typeVersion: 4.2,
				position: [660, 0],
				parameters: {
					method: 'POST',
					url: chatUrl,
					sendBody: true,
					specifyBody: 'json',
					jsonBody: '={{ JSON.stringify($json) }}',
					options: {},
				},
			},
		],
		connections: {
			Alert: { main: [[{ node: 'Speak the alert', type: 'main', index: 0 }]] },
			'Speak the alert': { main: [[{ node: 'Page the engineer', type: 'main', index: 0 }]] },
			'Page the engineer': { main: [[{ node: 'Post the outcome', type: 'main', index: 0 }]] },
		},
	};
}

/** The chat: a plain http server that keeps every JSON body posted to it. */
export async function startChat(): Promise<{
	url: string;
	posts: Posted[];
	close(): Promise<void>;
}> {
	const posts: Posted[] = [];
	const server = http.createServer((req, res) => {
		const chunks: Buffer[] = [];
		req.on('data', (c: Buffer) => chunks.push(c));
		req.on('end', () => {
			try {
				posts.push(JSON.parse(Buffer.concat(chunks).toString('utf8')) as Posted);
			} catch {
				// A body that is not JSON fails the checks by not being counted.
			}
			res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const address = server.address();
	if (address === null || typeof address === 'string') throw new Error('no port');
	return {
		url: `http://127.0.0.1:${address.port}/chat`,
		posts,
		close: async () => await new Promise<void>((resolve) => server.close(() => resolve())),
	};
}

/** On a timeout: what Graph's side saw (requests, callbacks and n8n's answers to them). */
function simDetail(sim: GraphSimulator): string {
	const requests = sim
		.graphRequests()
		.slice(-12)
		.map((r) => `${r.method} ${r.path.split('?')[0]} ${r.status}`);
	const deliveries = sim.callbacks.deliveries
		.slice(-8)
		.map((d) => `${d.status ?? d.error ?? 'skipped'} ${d.url.slice(0, 160)}`);
	return `; last Graph requests: ${requests.join(' | ')}; last callbacks: ${deliveries.join(' | ')}`;
}

/** Polls `predicate` every 100 ms; a timeout's error names `what`, then `detail()`. */
export async function until(
	what: string,
	predicate: () => boolean,
	timeoutMs = 30_000,
	detail: () => string = () => '',
): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (!predicate()) {
		if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${detail()}`);
		await new Promise((resolve) => setTimeout(resolve, 100));
	}
}

/** The calls placed (POST /communications/calls) since request number `from`. */
export const creates = (sim: GraphSimulator, from: number): RecordedRequest[] =>
	sim
		.graphRequests()
		.slice(from)
		.filter((r) => r.method === 'POST' && r.path === '/v1.0/communications/calls');
/** The phone number a placed call targets. */
export const calledNumber = (r: RecordedRequest): string | undefined =>
	(
		JSON.parse(r.body) as {
			targets?: Array<{ identity?: { phone?: { id?: string } } }>;
		}
	).targets?.[0]?.identity?.phone?.id;
/** The URI of the first prompt a playPrompt request asked Graph to play ('undefined' if none). */
export const promptUri = (r: RecordedRequest | undefined): string =>
	String(
		(
			JSON.parse(r?.body ?? '{}') as {
				prompts?: Array<{ mediaInfo?: { uri?: string } }>;
			}
		).prompts?.[0]?.mediaInfo?.uri,
	);
const actions = (sim: GraphSimulator, from: number, name: string): RecordedRequest[] =>
	sim
		.graphRequests()
		.slice(from)
		.filter((r) => r.method === 'POST' && r.path.split('?')[0]?.endsWith(`/${name}`));

/** The message of the page a prompt link says: 'presence' ("press any key"), or 'alert'. */
export const saysOf = (uri: string): string =>
	URL.canParse(uri) ? (new URL(uri).searchParams.get('say') ?? 'alert') : 'not a URL';

/** How the people a page calls act: the key for each message (none: they press nothing). */
export interface PagedPeople {
	/** Pressed during the presence check ("This is an alert from n8n. Press any key to hear it."). */
	presenceKey?: string;
	/** Pressed while the alert plays (the alert, then "Press 1 to acknowledge. …"). */
	alertKey?: string;
	/** How long after a prompt starts playing its key is pressed. */
	afterMs: number;
}

/**
 * Plays everyone a page calls on the simulator's phones (simulator/phones.ts), as a person on the
 * softphone does: every prompt a connected phone starts playing is answered with the key for its
 * message, `afterMs` later. Graph gets the key as a person's: a running presence check (a
 * recording any key stops) ends with stopToneDetected, a key after subscribeToTone arrives as a
 * tone notification. Returns stop().
 */
export function playPagedPeople(sim: GraphSimulator, people: PagedPeople): () => void {
	const heard = new Map<string, number>();
	for (const leg of sim.phones.legs()) heard.set(leg.id, leg.prompts.length);
	const timers: Array<ReturnType<typeof setTimeout>> = [];
	const unsubscribe = sim.phones.onChange(() => {
		for (const leg of sim.phones.legs()) {
			if (leg.state !== 'connected') continue;
			const before = heard.get(leg.id) ?? 0;
			heard.set(leg.id, leg.prompts.length);
			for (const prompt of leg.prompts.slice(before)) {
				const key = saysOf(prompt.uri) === 'presence' ? people.presenceKey : people.alertKey;
				if (key !== undefined)
					timers.push(setTimeout(() => sim.phones.pressKey(leg.id, key), people.afterMs));
			}
		}
	});
	return () => {
		unsubscribe();
		for (const timer of timers) clearTimeout(timer);
	};
}

/**
 * The typed prompts of one page call, as Graph downloaded them from n8n: the presence check (the
 * recordResponse's prompt, `say=presence`) and the alert (the first playPrompt's, no `say`), each
 * from the call's own waiting URL (the callback URL's path, the node's signed `prompt` token), a
 * WAV Graph plays (16 kHz, 16-bit, mono) of a length that fits its words.
 */
function assertPagePrompts(
	sim: GraphSimulator,
	from: number,
	callbackUri: string,
	serverUrl: string,
): { presence: string; alert: string } {
	const presence = String(
		(
			JSON.parse(actions(sim, from, 'recordResponse')[0]?.body ?? '{}') as {
				prompts?: Array<{ mediaInfo?: { uri?: string } }>;
			}
		).prompts?.[0]?.mediaInfo?.uri,
	);
	const alert = promptUri(actions(sim, from, 'playPrompt')[0]);
	// "This is an alert from n8n. Press any key to hear it." and "Checkout is down. Press 1 to
	// acknowledge. Press star to hear this again." in the offline voice: about 3 and 5 seconds.
	const expected: Array<[string, string, string, number, number]> = [
		['presence check', presence, 'presence', 1.5, 8],
		['alert', alert, 'alert', 2.5, 12],
	];
	for (const [what, uri, says, min, max] of expected) {
		assert.ok(URL.canParse(uri), `${what}: ${uri}`);
		assert.equal(saysOf(uri), says, `${what}: ${uri}`);
		assert.equal(
			new URL(uri).pathname,
			new URL(callbackUri).pathname,
			`${what} on the waiting URL`,
		);
		assert.match(String(new URL(uri).searchParams.get('prompt')), /^[A-Za-z0-9_-]{43}$/);
		const download = sim.media.downloads.find((d) => d.uri === uri);
		assert.ok(download, `Graph downloaded the ${what}: ${uri}`);
		assert.equal(download.problem, undefined, `${what}: ${JSON.stringify(download)}`);
		assert.equal(download.host, new URL(serverUrl).host, `the ${what} came from n8n`);
		const seconds = (download.durationMs ?? 0) / 1000;
		assert.ok(seconds > min && seconds < max, `${what}: plausible length ${seconds} s`);
	}
	return { presence, alert };
}

/** What pageChecks lends the checks that run in the same https n8n. */
export interface PageHelpers {
	/** POSTs JSON to a production webhook (retried while n8n has not registered it): its answer. */
	post: (body: object, hookPath: string) => Promise<HttpsAnswer>;
	waitFor: (what: string, predicate: () => boolean) => Promise<void>;
	/** Starts examples/page-and-acknowledge.json with this alert. */
	alert: (text: string) => Promise<void>;
	/** https://127.0.0.1:<port> of the n8n these checks run in. */
	serverUrl: string;
}

export async function pageChecks(options: {
	ctx: N8nCtx;
	sim: GraphSimulator;
	ca: CertificateAuthority;
	caPem: string;
	dir: string;
	chat: { posts: Posted[] };
	check: Check;
	/** n8n's port, when workflows imported before the start name its URLs; else a free one. */
	port?: number;
	/**
	 * Checks before the page's, in the same https n8n, while the simulator's knobs are still its
	 * defaults (the page checks change them): the routing example's and other trigger checks.
	 */
	first?: (helpers: PageHelpers) => Promise<void>;
	/** More checks while this https n8n runs (the agent example's), with this file's helpers. */
	more?: (helpers: PageHelpers) => Promise<void>;
}): Promise<void> {
	const { ctx, sim, ca, caPem, dir, chat, check } = options;
	// A page takes a ring, prompts and a second person: up to 90 s on a loaded machine.
	const waitFor = async (what: string, predicate: () => boolean): Promise<void> =>
		await until(what, predicate, 90_000, () => simDetail(sim));
	const tls = writeTlsFiles(path.join(dir, 'tls'), issueServerCertificate(ca));
	const server = await startHttpsServer(ctx, { ...tls, caPem }, options.port);
	try {
		/** Posts to a production webhook; a 404 means n8n has not registered it yet, nothing ran. */
		const post = async (body: object, hookPath: string): Promise<HttpsAnswer> => {
			const deadline = Date.now() + 60_000;
			for (;;) {
				const r = await httpsRequest(`${server.url}/webhook/${hookPath}`, caPem, {
					method: 'POST',
					headers: { 'content-type': 'application/json' },
					body: JSON.stringify(body),
				});
				if (r.status === 200) return r;
				if (r.status !== 404 || Date.now() > deadline)
					throw new Error(`the webhook /${hookPath} answered ${r.status}: ${r.text.slice(0, 300)}`);
				await new Promise((resolve) => setTimeout(resolve, 500));
			}
		};
		const alert = async (text: string, hookPath = ALERT_PATH): Promise<void> => {
			await post({ text }, hookPath);
		};
		const helpers: PageHelpers = { post, waitFor, alert, serverUrl: server.url };
		await options.first?.(helpers);
		const media = sim.media.knobs;
		const calling = sim.callbacks.knobs;
		// A person takes a few seconds to pick up. Graph's notifications before that (establishing)
		// reach n8n while the execution is still being stored as waiting, and n8n answers them 409;
		// the node acts only on "established" and later ones.
		calling.answerDelayMs = 3_000;
		// A phone first hears the presence check, a recording any key stops: it lasts until the key
		// (Graph: the prompt, then up to 8 s of silence), long enough for a person to press.
		media.recordMs = 10_000;
		media.tonesAfterSubscribe = [];

		await check(
			'examples/page-and-acknowledge.json: on call hears the presence check, presses a key, hears the alert, presses 1 → backup never called',
			async () => {
				const from = sim.graphRequests().length;
				const posted = chat.posts.length;
				const legsBefore = sim.phones.legs().length;
				calling.neverAnswer = [];
				media.promptPlayMs = 3_000;
				const stop = playPagedPeople(sim, { presenceKey: '5', alertKey: '1', afterMs: 700 });
				try {
					await alert('Checkout is down');
					await waitFor('the posted outcome', () => chat.posts.length > posted);
				} finally {
					stop();
				}
				const post = chat.posts[posted];
				assert.equal(post?.outcome, 'pressed');
				assert.equal(post.acknowledgedBy, 'On-call engineer');
				assert.equal(post.backupPaged, false);
				assert.match(
					post.text,
					/^Checkout is down: acknowledged by On-call engineer \(\+14255550101\)/,
				);
				assert.deepEqual(
					creates(sim, from).map(calledNumber),
					[ON_CALL],
					'only the on-call engineer was called',
				);
				const callId = String(post.callId);
				assert.equal(sim.getCall(callId)?.state, 'terminated', 'hung up after the key');
				// One presence check (stopped by the key), then the tones listened to and the alert.
				assert.equal(actions(sim, from, 'recordResponse').length, 1, 'one presence check');
				assert.equal(actions(sim, from, 'subscribeToTone').length, 1);
				// The create's callback URL was the waiting execution's own URL with the node's ID.
				const callbackUri = String(
					(JSON.parse(creates(sim, from)[0]?.body ?? '{}') as { callbackUri?: string }).callbackUri,
				);
				assert.match(callbackUri, new RegExp(`^${server.url}/webhook-waiting/\\d+/`));
				// Both typed prompts came from the waiting execution, and the person heard them in
				// that order and pressed a key after each: any key, then 1.
				const { presence, alert: spoken } = assertPagePrompts(sim, from, callbackUri, server.url);
				const [leg] = sim.phones.legs().slice(legsBefore);
				assert.equal(leg?.person.id, ON_CALL);
				assert.deepEqual(
					leg.prompts.map((p) => p.uri),
					[presence, spoken],
					'heard the presence check, then the alert',
				);
				assert.deepEqual(leg.keys, ['5', '1']);
				await new Promise((resolve) => setTimeout(resolve, 1_000));
				assert.equal(chat.posts.length, posted + 1, 'posted once');
			},
		);

		await check(
			'examples/page-and-acknowledge.json: on call does not answer → backup called once, confirms and presses 1',
			async () => {
				const from = sim.graphRequests().length;
				const posted = chat.posts.length;
				calling.neverAnswer = [`phone:${ON_CALL}`];
				calling.noAnswerTimeoutMs = 1_500;
				media.promptPlayMs = 3_000;
				const stop = playPagedPeople(sim, { presenceKey: '5', alertKey: '1', afterMs: 700 });
				try {
					await alert('Checkout is down again');
					await waitFor('the posted outcome', () => chat.posts.length > posted);
				} finally {
					stop();
				}
				const post = chat.posts[posted];
				assert.equal(post?.outcome, 'pressed');
				assert.equal(post.acknowledgedBy, 'Backup engineer');
				assert.equal(post.backupPaged, true);
				assert.deepEqual(creates(sim, from).map(calledNumber), [ON_CALL, BACKUP]);
				assert.equal(actions(sim, from, 'recordResponse').length, 1, 'nothing played to nobody');
				assert.equal(actions(sim, from, 'subscribeToTone').length, 1, 'nothing played to nobody');
				await new Promise((resolve) => setTimeout(resolve, 1_000));
				assert.equal(chat.posts.length, posted + 1, 'posted once');
				assert.equal(creates(sim, from).length, 2, 'the backup was called once');
			},
		);

		let forgedFrom = 0;
		let forgedPosted = 0;
		// Both people confirm the presence check and then press nothing (until the next check).
		let stopPeople: () => void = () => undefined;
		await check(
			'examples/page-and-acknowledge.json: forged callbacks → 401, signed ones about another call → 202, an altered prompt link → 404; nothing resumes',
			async () => {
				forgedFrom = sim.graphRequests().length;
				forgedPosted = chat.posts.length;
				calling.neverAnswer = [];
				media.promptPlayMs = 4_000;
				stopPeople = playPagedPeople(sim, { presenceKey: '5', afterMs: 700 });
				await alert('Disk full');
				await waitFor(
					'the first prompt',
					() => actions(sim, forgedFrom, 'playPrompt').length === 1,
				);
				const [create] = creates(sim, forgedFrom);
				const callbackUri = String(
					(JSON.parse(create?.body ?? '{}') as { callbackUri?: string }).callbackUri,
				);
				const callId = String(
					sim
						.graphRequests()
						.slice(forgedFrom)
						.find((r) => r.path.includes('/subscribeToTone'))
						?.path.split('/')[4],
				);
				// The typed prompt's link, checked here because the page still waits: once a key has
				// resumed it, n8n itself answers 409 for the finished execution's URL before the node
				// sees the request. The link serves the WAV Graph downloaded; altered, the node's 404.
				const uri = promptUri(actions(sim, forgedFrom, 'playPrompt')[0]);
				await waitFor('the prompt downloaded', () =>
					sim.media.downloads.some((d) => d.uri === uri),
				);
				const download = sim.media.downloads.find((d) => d.uri === uri);
				assert.equal(download?.problem, undefined, JSON.stringify(download));
				const served = await httpsRequest(uri, caPem);
				assert.equal(served.status, 200);
				assert.equal(served.headers['content-type'], 'audio/wav');
				assert.equal(Number(served.headers['content-length']), download?.bytes);
				const altered = new URL(uri);
				altered.searchParams.set('prompt', 'A'.repeat(43));
				const refused = await httpsRequest(altered.toString(), caPem);
				assert.equal(refused.status, 404, refused.text.slice(0, 200));
				assert.deepEqual(refused.json, { message: 'Not found' });
				const tone = JSON.stringify({
					'@odata.type': '#microsoft.graph.commsNotifications',
					value: [toneNotification(callId, 'tone1', 1)],
				});
				const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
				const forgeries: Array<[string, string | undefined]> = [
					['unsigned', undefined],
					[
						'signed with a key Microsoft never published',
						sim.callbacks.signToken(DEFAULT_CLIENT_ID, DEFAULT_TENANT_ID, { privateKey }),
					],
					[
						'signed for another app',
						sim.callbacks.signToken('0b0b0b0b-0000-4000-8000-000000000000', DEFAULT_TENANT_ID),
					],
					[
						'expired',
						sim.callbacks.signToken(DEFAULT_CLIENT_ID, DEFAULT_TENANT_ID, {
							claims: { exp: Math.floor(Date.now() / 1000) - 3600 },
						}),
					],
				];
				for (const [what, token] of forgeries) {
					const r = await httpsRequest(callbackUri, caPem, {
						method: 'POST',
						headers: {
							'content-type': 'application/json',
							...(token === undefined ? {} : { authorization: `Bearer ${token}` }),
						},
						body: tone,
					});
					assert.equal(r.status, 401, `${what}: ${r.status} ${r.text.slice(0, 200)}`);
					// The node's own refusal (n8n's would be {"error":"Invalid token"}): the request got
					// past n8n's routing and resume token to the node's verifier.
					assert.deepEqual(
						(r.json as { error?: { code?: string } }).error?.code,
						'Unauthorized',
						what,
					);
				}
				// Correctly signed for this app, but about another call: the simulator's seeded call (live,
				// its callbackUri another bot's) and a call Graph does not know. Accepted, not acted on.
				assert.equal(sim.getCall(DEFAULT_CALL_ID)?.state, 'established');
				const otherCalls: Array<[string, string]> = [
					['another live call of the app', DEFAULT_CALL_ID],
					['a call Graph does not know', '5b7c3d2e-0000-4000-8000-0000000000aa'],
				];
				for (const [what, otherId] of otherCalls) {
					const r = await httpsRequest(callbackUri, caPem, {
						method: 'POST',
						headers: {
							'content-type': 'application/json',
							authorization: `Bearer ${sim.callbacks.signToken(DEFAULT_CLIENT_ID, DEFAULT_TENANT_ID)}`,
						},
						body: JSON.stringify({
							'@odata.type': '#microsoft.graph.commsNotifications',
							value: [toneNotification(otherId, 'tone1', 1)],
						}),
					});
					assert.equal(r.status, 202, `${what}: ${r.status} ${r.text.slice(0, 200)}`);
				}
				await new Promise((resolve) => setTimeout(resolve, 1_500));
				assert.equal(chat.posts.length, forgedPosted, 'nothing resumed: no outcome posted');
				assert.equal(
					sim.getCall(DEFAULT_CALL_ID)?.state,
					'established',
					'the other call untouched',
				);
				assert.equal(
					sim
						.graphRequests()
						.slice(forgedFrom)
						.filter((r) => r.method === 'DELETE').length,
					0,
					'nothing was hung up',
				);
				assert.equal(creates(sim, forgedFrom).length, 1, 'nobody else was called');
				assert.equal(
					sim.getCall(callId)?.state,
					'established',
					'the call is still up, still waiting',
				);
				media.promptPlayMs = 300;
			},
		);

		await check(
			'examples/page-and-acknowledge.json: both confirm the presence check, nobody presses 1 → alert 3 times each, both hung up, NOBODY posted',
			async () => {
				try {
					await waitFor('the posted outcome', () => chat.posts.length > forgedPosted);
				} finally {
					stopPeople();
				}
				const post = chat.posts[forgedPosted];
				assert.equal(post?.outcome, 'timeout');
				assert.equal(post.acknowledged, false);
				assert.equal(post.backupPaged, true);
				assert.match(post.text, /^Disk full: NOBODY acknowledged/);
				const made = creates(sim, forgedFrom);
				assert.deepEqual(made.map(calledNumber), [ON_CALL, BACKUP]);
				assert.equal(
					actions(sim, forgedFrom, 'recordResponse').length,
					2,
					'one presence check each',
				);
				assert.equal(actions(sim, forgedFrom, 'playPrompt').length, 6, 'three times each');
				for (const call of sim
					.graphRequests()
					.slice(forgedFrom)
					.filter((r) => r.method === 'DELETE'))
					assert.match(call.path, /^\/v1\.0\/communications\/calls\/[0-9a-f-]{36}$/);
				assert.equal(
					sim
						.graphRequests()
						.slice(forgedFrom)
						.filter((r) => r.method === 'DELETE').length,
					2,
					'both calls hung up by the node',
				);
			},
		);

		await check(
			'Prompt From › Binary Field: Graph downloads the spoken alert from the waiting execution, "1" resumes',
			async () => {
				const from = sim.graphRequests().length;
				const posted = chat.posts.length;
				const fetchedBefore = sim.media.fetched.length;
				calling.neverAnswer = [];
				media.promptPlayMs = 1_000;
				// The engineer presses 1 once the prompt plays a second time (below): a key timed from
				// the tone subscription could come before the second playing on a loaded machine.
				media.tonesAfterSubscribe = [];
				await alert('Payments are down', BINARY_PATH);
				await waitFor('the first prompt', () => actions(sim, from, 'playPrompt').length >= 1);
				const uri = promptUri(actions(sim, from, 'playPrompt')[0]);
				const link = new URL(uri);
				assert.match(
					link.pathname,
					/^\/webhook-waiting\/\d+\/b1000000-0000-4000-8000-000000000003$/,
				);
				assert.match(String(link.searchParams.get('prompt')), /^[A-Za-z0-9_-]{43}$/);
				// While the execution waits: the link gives the exact bytes; an altered one gets the
				// node's own 404 (past n8n's routing and, on 2.x, its resume token).
				const served = await httpsRequest(link.toString(), caPem);
				assert.equal(served.status, 200);
				assert.equal(served.headers['content-type'], 'audio/wav');
				assert.equal(Number(served.headers['content-length']), SPOKEN_ALERT.length);
				const wrong = new URL(link.toString());
				wrong.searchParams.set('prompt', 'A'.repeat(43));
				const refused = await httpsRequest(wrong.toString(), caPem);
				assert.equal(refused.status, 404);
				assert.deepEqual(refused.json, { message: 'Not found' });
				const downloads = () => sim.media.fetched.slice(fetchedBefore).filter((u) => u === uri);
				await waitFor('the second playing', () => downloads().length >= 2);
				const callId = String(actions(sim, from, 'subscribeToTone')[0]?.path.split('/')[4]);
				sim.media.pressKeys(callId, [{ tone: 'tone1', afterMs: 0 }]);
				await waitFor('the posted outcome', () => chat.posts.length > posted);
				const post = chat.posts[posted];
				assert.equal(post?.outcome, 'pressed', JSON.stringify(post));
				const fetched = sim.media.fetched.slice(fetchedBefore);
				assert.ok(
					fetched.filter((u) => u === uri).length >= 2,
					`Graph downloaded it for each playing: ${fetched.join(', ')}`,
				);
			},
		);
		await options.more?.(helpers);
	} finally {
		await server.stop();
	}
}

/** The prompt the example plays: a real WAV in Graph's format, served by the simulator. */
export function hostPrompt(sim: GraphSimulator): string {
	return sim.media.host('production-down-press-1.wav', makeWav({ durationMs: 1_500 }));
}

export function pageExample(): WorkflowImport {
	return readExample('page-and-acknowledge.json');
}
