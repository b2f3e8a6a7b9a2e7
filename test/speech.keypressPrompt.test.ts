/**
 * Call and Wait for Keypress with a typed prompt (node version 3: Prompt From › Text by default):
 * execute renders the words before anyone is called; the waiting webhook gives Graph a link on the
 * execution's own waiting URL and serves the WAV there when the simulator (standing for Graph)
 * downloads it; a key resumes the execution. Azure AI Speech through the simulator's Speech
 * endpoint; a tampered link; bad input refused with nothing sent to Graph.
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';

import { SPEECH_CREDENTIAL_ID } from '../harness/runNode';
import { clearIssuedTokens } from '../lib/speech/azure/speechAuth';
import { ENGINEER } from './support/calls';
import { httpsSend } from './support/https';
import { actionRequests } from './support/media';
import { speechKeyCredential } from './support/speech';
import { startWaitingFixture, type WaitingFixture } from './support/waiting';
import { makeWav } from '../simulator';

const V3 = 3;
const ALERT = 'Checkout is failing for all customers. Press 1 to acknowledge.';

async function until(check: () => boolean, what: () => string, timeoutMs = 8000): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (!check()) {
		if (Date.now() > deadline) throw new Error(`timed out waiting for ${what()}`);
		await new Promise((resolve) => setTimeout(resolve, 20));
	}
}

describe('Call and Wait for Keypress with a typed prompt', () => {
	let fx: WaitingFixture;
	before(async () => {
		fx = await startWaitingFixture();
		fx.credentials.save(SPEECH_CREDENTIAL_ID, speechKeyCredential(fx.sim));
	});
	after(async () => await fx.close());
	beforeEach(() => {
		fx.sim.reset();
		clearIssuedTokens();
		fx.waiting.resumes.length = 0;
		fx.waiting.answers.length = 0;
		fx.sim.callbacks.knobs.answerDelayMs = 30;
		// A person presses after hearing the alert: Graph has downloaded it by then.
		fx.sim.media.knobs.tonesAfterSubscribe = [{ tone: 'tone1', afterMs: 400 }];
		fx.sim.media.knobs.promptPlayMs = 1500;
	});

	const start = async (fields: Record<string, unknown> = {}) =>
		await fx.waiting.start(
			{
				resource: 'call',
				operation: 'callAndWaitForKeypress',
				people: { person: [{ type: 'teamsUser', id: ENGINEER }] },
				promptText: ALERT,
				additionalFields: { acceptedKeys: '1', timeoutSeconds: 60 },
				...fields,
			},
			undefined,
			undefined,
			undefined,
			V3,
		);
	const playedUris = (): string[] =>
		actionRequests(fx.sim, 'playPrompt').map((request) =>
			String(
				(JSON.parse(request.body) as { prompts: Array<{ mediaInfo: { uri: string } }> }).prompts[0]
					?.mediaInfo.uri,
			),
		);
	const resumed = async (): Promise<Record<string, unknown>> => {
		await until(
			() => fx.waiting.resumes.length === 1,
			() => `the resume; answers ${JSON.stringify(fx.waiting.answers)}`,
		);
		return fx.waiting.resumes[0]?.[0] ?? {};
	};

	it("the offline voice: rendered before the call, Graph downloads it from the execution's waiting URL, the key resumes", async () => {
		const run = await start();
		assert.ifError(run.error);
		const waitingItem = run.output?.[0]?.[0]?.json as {
			spokenPrompts?: Array<Record<string, unknown>>;
		};
		const [spoken] = waitingItem.spokenPrompts ?? [];
		assert.equal(spoken?.engine, 'offline');
		const seconds = Number(spoken?.durationSeconds);
		assert.ok(seconds > 2 && seconds < 10, `plausible for ${ALERT.length} characters: ${seconds}`);
		const outcome = await resumed();
		assert.equal(outcome.outcome, 'pressed');
		assert.equal(outcome.key, '1');
		const [uri] = playedUris();
		assert.ok(
			uri?.startsWith(`${fx.waiting.waitingBaseUrl}/${fx.waiting.executionId}/node-1?prompt=`),
			uri,
		);
		const download = fx.sim.media.downloads.find((d) => d.uri === uri);
		assert.ok(download, `Graph downloaded ${uri}`);
		assert.equal(download.problem, undefined, JSON.stringify(download));
		assert.ok(
			Math.abs((download.durationMs ?? 0) / 1000 - seconds) < 0.1,
			'Graph played what execute rendered',
		);
		assert.deepEqual(fx.waiting.failures, []);
	});

	it('a link altered in any part gets 404 and resumes nothing', async () => {
		fx.sim.media.knobs.tonesAfterSubscribe = [];
		const run = await start({ additionalFields: { acceptedKeys: '1', timeoutSeconds: 60 } });
		assert.ifError(run.error);
		await until(
			() => playedUris().length > 0,
			() => 'the prompt',
		);
		const [uri] = playedUris();
		const good = await httpsSend({ url: String(uri) }, fx.sim.caCertPem);
		assert.equal(good.status, 200);
		assert.equal(good.headers['content-type'], 'audio/wav');
		const token = String(new URL(String(uri)).searchParams.get('prompt'));
		const flipped = `${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`;
		for (const altered of [
			String(uri).replace(token, flipped),
			String(uri).replace(`prompt=${token}`, 'prompt='),
			String(uri).split('?')[0] ?? '',
		]) {
			const answer = await httpsSend({ url: altered }, fx.sim.caCertPem);
			assert.equal(answer.status, 404, altered);
		}
		assert.equal(fx.waiting.resumes.length, 0, 'a GET resumes nothing');
	});

	it('Azure AI Speech: rendered by the Speech endpoint in execute and again (from the cache) when Graph downloads it', async () => {
		const run = await start({ speechEngine: 'azure', speechVoice: 'en-US-JennyNeural' });
		assert.ifError(run.error);
		const [spoken] =
			(run.output?.[0]?.[0]?.json.spokenPrompts as Array<Record<string, unknown>>) ?? [];
		assert.equal(spoken?.engine, 'azure');
		assert.equal(spoken?.voice, 'en-US-JennyNeural');
		assert.equal((await resumed()).outcome, 'pressed');
		const [uri] = playedUris();
		const download = fx.sim.media.downloads.find((d) => d.uri === uri);
		assert.equal(download?.problem, undefined, JSON.stringify(download));
		const rendered = (run.output?.[0]?.[0]?.json.spokenPrompts as unknown[]).length;
		assert.equal(
			fx.sim.speech.syntheses.length,
			rendered,
			'one synthesis per message rendered in execute: the webhook served the cached renders',
		);
	});

	it('bad input is refused before anyone is called, naming the field', async () => {
		const cases: Array<[Record<string, unknown>, RegExp]> = [
			[{ promptText: '   ' }, /Text.*is empty/],
			[{ promptText: 'x'.repeat(5001) }, /Text/],
			[{ promptText: '<speak><voice>unclosed</speak>' }, /SSML|Text/],
			[{ speechVoice: 'nobody' }, /Voice Name or ID/],
			[{ speechEngine: 'azure' }, /Voice Name or ID.*is empty/],
		];
		for (const [fields, message] of cases) {
			fx.sim.reset();
			const run = await start(fields);
			assert.ok(run.error, JSON.stringify(fields).slice(0, 60));
			assert.match(run.error.message, message);
			assert.equal(
				fx.sim.graphRequests().filter((r) => r.method === 'POST').length,
				0,
				'nothing sent to Graph',
			);
		}
	});

	it('version 2 nodes keep Prompt From › URL as their default', async () => {
		const promptUrl = fx.sim.media.host('alert.wav', makeWav());
		const run = await fx.waiting.start({
			resource: 'call',
			operation: 'callAndWaitForKeypress',
			keypressTarget: 'teamsUser',
			userId: ENGINEER,
			promptUrl,
			additionalFields: { acceptedKeys: '1', timeoutSeconds: 60 },
		});
		assert.ifError(run.error);
		assert.equal((await resumed()).outcome, 'pressed');
		assert.deepEqual(playedUris(), [promptUrl]);
	});
});
