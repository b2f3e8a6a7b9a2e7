/**
 * Bounds on what Graph's answers (and the files they point to) can make the node do: a recording
 * download's size and redirects, a binary prompt's size before anyone is called, a malformed
 * `$skiptoken` in a call record's next link, and a Teams join link wrapped by Outlook's Safe
 * Links. Real sockets: the simulator, and for the recording an https file server on 127.0.0.1 that
 * redirects and serves large bodies as a hostile or misconfigured host would.
 */
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { after, before, beforeEach, describe, it } from 'node:test';

import { MAX_RECORDING_BYTES } from '../nodes/MicrosoftGraphCalls/features/media/recordingDownload';
import { PROMPT_LIMITS } from '../nodes/MicrosoftGraphCalls/limits';
import {
	createCertificateAuthority,
	DEFAULT_APP_ROLES,
	defaultApp,
	issueServerCertificate,
	loadCaFromEnv,
	makeWav,
} from '../simulator';
import { ENGINEER } from './support/calls';
import { outputJson, startFixture, type Fixture } from './support/fixture';
import { mediaParameters } from './support/media';
import { startWaitingFixture, type WaitingFixture } from './support/waiting';

const V2 = 2;

interface FileServer {
	origin: string;
	/** Every request: path and whether it carried an Authorization header. */
	seen: Array<{ path: string; authorization?: string }>;
	close(): Promise<void>;
}

/** An https server on 127.0.0.1 answering by path: redirects, large files, a small WAV. */
async function startFileServer(
	routes: (origin: string) => Record<string, (res: ServerResponse) => void>,
): Promise<FileServer> {
	const ca = loadCaFromEnv() ?? createCertificateAuthority();
	const leaf = issueServerCertificate(ca);
	const seen: FileServer['seen'] = [];
	const server: Server = createServer({ cert: leaf.certPem, key: leaf.keyPem });
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const address = server.address();
	if (address === null || typeof address === 'string') throw new Error('no port');
	const origin = `https://127.0.0.1:${address.port}`;
	const table = routes(origin);
	server.on('request', (req: IncomingMessage, res: ServerResponse) => {
		const path = req.url ?? '/';
		seen.push({ path, authorization: req.headers.authorization });
		const route = table[path];
		if (!route) {
			res.statusCode = 404;
			res.end();
			return;
		}
		route(res);
	});
	return {
		origin,
		seen,
		close: () =>
			new Promise<void>((resolve) => {
				server.closeAllConnections();
				server.close(() => resolve());
			}),
	};
}

const redirect = (to: string) => (res: ServerResponse) => {
	res.statusCode = 302;
	res.setHeader('location', to);
	res.end();
};

describe('Bounds on what Graph’s answers can make the node do', () => {
	let fx: Fixture;
	let files: FileServer;
	const recording = makeWav({ durationMs: 300 });
	before(async () => {
		fx = await startFixture({
			simulator: {
				apps: [
					{
						...defaultApp(),
						roles: [...DEFAULT_APP_ROLES, 'OnlineMeetings.ReadWrite.All', 'CallRecords.Read.All'],
					},
				],
			},
		});
		// Another origin than the files' own, for redirects that leave it.
		const elsewhere = await startFileServer(() => ({
			'/recording.wav': (res) => res.end(recording),
		}));
		files = await startFileServer((origin) => ({
			'/recording.wav': (res) => res.end(recording),
			'/same-origin': redirect(`${origin}/recording.wav`),
			'/other-origin': redirect(`${elsewhere.origin}/recording.wav`),
			'/to-http': redirect(`http://127.0.0.1:1/recording.wav`),
			'/loop': redirect(`${origin}/loop`),
			'/huge': (res) => {
				// More than the bound, sent in chunks without a length: only the reading can stop it.
				const chunk = Buffer.alloc(1024 * 1024, 1);
				let sent = 0;
				const more = (): void => {
					while (sent <= MAX_RECORDING_BYTES + chunk.length) {
						sent += chunk.length;
						if (!res.write(chunk)) {
							res.once('drain', more);
							return;
						}
					}
					res.end();
				};
				res.on('error', () => undefined);
				more();
			},
		}));
		const closeFiles = files.close;
		files.close = async () => {
			await closeFiles();
			await elsewhere.close();
		};
	});
	after(async () => {
		await files.close();
		await fx.close();
	});
	beforeEach(() => {
		fx.sim.reset();
		files.seen.length = 0;
	});

	/** Record Response whose completed answer points at `path` on the file server. */
	const download = async (path: string) => {
		fx.sim.faults.nextGraphFaults.push({
			kind: 'answer',
			status: 200,
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({
				'@odata.type': '#microsoft.graph.recordOperation',
				id: '0fe0623f-d628-42ed-b4bd-8ac290072cc5',
				status: 'completed',
				recordingLocation: `${files.origin}${path}`,
				recordingAccessToken: 'recording-token',
			}),
		});
		return await fx.run(
			mediaParameters('recordResponse', {
				additionalFields: { downloadRecording: true, binaryPropertyName: 'audio' },
			}),
			undefined,
			false,
			V2,
		);
	};

	it('a recording behind a redirect on its own origin: followed, with the recording’s token', async () => {
		const result = await download('/same-origin');
		assert.ifError(result.error);
		assert.equal(
			Buffer.from(result.output?.[0]?.[0]?.binary?.audio.data ?? '', 'base64').length,
			recording.length,
		);
		assert.deepEqual(
			files.seen.map((r) => [r.path, r.authorization]),
			[
				['/same-origin', 'Bearer recording-token'],
				['/recording.wav', 'Bearer recording-token'],
			],
		);
	});

	it('a redirect to another origin: followed without the token (it goes only where Graph said)', async () => {
		const result = await download('/other-origin');
		assert.ifError(result.error);
		assert.equal(result.output?.[0]?.[0]?.json.recordingDownload, 'audio');
		assert.deepEqual(
			files.seen.map((r) => r.path),
			['/other-origin'],
		);
	});

	it('a redirect to plain http, or more than 3 redirects: refused, naming the field; the token never leaves in clear text', async () => {
		const toHttp = await download('/to-http');
		assert.match(
			toHttp.error?.message ?? '',
			/Download Recording.*redirect of the recording's location is not an https URL/,
		);
		const loop = await download('/loop');
		assert.match(loop.error?.message ?? '', /Download Recording.*redirected more than 3 times/);
		assert.equal(files.seen.filter((r) => r.path === '/loop').length, 4);
	});

	it(`a recording larger than ${MAX_RECORDING_BYTES} bytes: reading stops there, with an error naming the field`, async () => {
		const before = process.memoryUsage().rss;
		const result = await download('/huge');
		assert.match(
			result.error?.message ?? '',
			new RegExp(`Download Recording.*larger than ${MAX_RECORDING_BYTES} bytes`),
		);
		const grown = process.memoryUsage().rss - before;
		assert.ok(grown < 4 * MAX_RECORDING_BYTES, `RSS grew by ${grown} bytes`);
	});

	it("a call record's next link with a $skiptoken that is not URL encoding: an error saying so (no bare URIError)", async () => {
		const id = 'e523d2ed-2966-4b6b-925b-754a88034cc5';
		fx.sim.faults.nextGraphFaults.push({
			kind: 'answer',
			status: 200,
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({
				id,
				sessions: [],
				'sessions@odata.nextLink': `https://graph.microsoft.com/v1.0/communications/callRecords/${id}/sessions?$skiptoken=%E0%A4%A`,
			}),
		});
		const result = await fx.run(
			{ resource: 'callRecord', operation: 'get', callRecordId: id },
			undefined,
			false,
			V2,
		);
		assert.ok(result.error);
		assert.doesNotMatch(result.error.message, /URI malformed/);
		assert.match(result.error.message, /\$skiptoken that is not valid URL encoding/);
	});

	it('Online Meeting › Get by a join link Outlook’s Safe Links wrapped: looked up by the link inside', async () => {
		const organizer = ENGINEER;
		const [meeting] = outputJson(
			await fx.run(
				{ resource: 'onlineMeeting', operation: 'create', userId: organizer, subject: 'wrapped' },
				undefined,
				false,
				V2,
			),
		);
		const link = String(meeting.joinWebUrl);
		const wrapped = `https://eur01.safelinks.protection.outlook.com/?url=${encodeURIComponent(link)}&data=05%7C01&reserved=0`;
		fx.sim.reset();
		const result = await fx.run(
			{
				resource: 'onlineMeeting',
				operation: 'get',
				userId: organizer,
				findBy: 'joinUrl',
				joinUrl: wrapped,
			},
			undefined,
			false,
			V2,
		);
		assert.ifError(result.error);
		assert.equal(outputJson(result)[0]?.id, meeting.id);
		assert.doesNotMatch(fx.sim.graphRequests()[0]?.path ?? '', /safelinks/);
	});
});

describe('Call and Wait for Keypress: a binary prompt’s size is bounded before anyone is called', () => {
	let fx: WaitingFixture;
	before(async () => {
		fx = await startWaitingFixture();
	});
	after(async () => await fx.close());

	it(`more than ${PROMPT_LIMITS.maxBytes} bytes: refused naming the field and the bound; nobody called`, async () => {
		// A real WAV in Graph's format, just longer than the bound (about 5.5 minutes).
		const big = makeWav({ durationMs: Math.ceil((PROMPT_LIMITS.maxBytes / 32_000) * 1000) + 1000 });
		assert.ok(big.length > PROMPT_LIMITS.maxBytes);
		const run = await fx.waiting.start(
			{
				resource: 'call',
				operation: 'callAndWaitForKeypress',
				keypressTarget: 'teamsUser',
				userId: ENGINEER,
				promptSource: 'binary',
				promptBinaryField: 'speech',
				additionalFields: { timeoutSeconds: 60 },
			},
			[
				{
					json: {},
					binary: {
						speech: { data: big.toString('base64'), mimeType: 'audio/wav', fileName: 'a.wav' },
					},
				},
			],
		);
		assert.match(
			run.error?.message ?? '',
			new RegExp(
				`Input Binary Field.*holds ${big.length} bytes; a prompt may have at most ${PROMPT_LIMITS.maxBytes}`,
			),
		);
		assert.equal(fx.sim.graphRequests().length, 0, 'nobody was called');
	});
});
