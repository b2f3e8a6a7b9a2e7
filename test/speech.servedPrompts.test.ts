/**
 * Typed prompts of operations no execution waits on, end to end in process: Play Prompt, Record
 * Response, Start Hold Music and Answer's prefetched media (node version 3: Prompt From › Text by
 * default) render the words, give Graph a signed link on the Microsoft Graph Calls Trigger that
 * receives the call's notifications, and the simulator (standing for Graph) downloads the WAV from
 * that trigger, checks it and "plays" it. Azure AI Speech against the simulator's Speech endpoint
 * (key, 401, 429); a tampered link; bad input refused before Graph is asked.
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';

import { clearIssuedTokens } from '../lib/speech/azure/speechAuth';
import { SPEECH_CREDENTIAL_ID } from '../harness/runNode';
import { createParameters, ENGINEER } from './support/calls';
import { httpsSend } from './support/https';
import { actionRequests, waitForResults } from './support/media';
import { placeIncomingCall } from '../simulator/incomingCalls';

async function waitFor(check: () => boolean, timeoutMs = 5000): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (!check()) {
		if (Date.now() > deadline) throw new Error('timed out');
		await new Promise((resolve) => setTimeout(resolve, 20));
	}
}
import { speechKeyCredential } from './support/speech';
import { startTriggerFixture, type TriggerFixture } from './support/trigger';

const V3 = 3;
const ALERT = 'Production is down. Press 1 to acknowledge.';

describe('Typed prompts served by the trigger (operations no execution waits on)', () => {
	let fx: TriggerFixture;
	let callId: string;
	before(async () => {
		fx = await startTriggerFixture({ speakWithAzure: true }, { typeVersion: 2 });
		fx.credentials.save(SPEECH_CREDENTIAL_ID, speechKeyCredential(fx.sim));
	});
	after(async () => await fx.close());
	beforeEach(async () => {
		fx.sim.reset();
		clearIssuedTokens();
		// A call whose notifications (and so whose typed prompts) go to the trigger.
		const created = await fx.run(
			createParameters('peerToPeer', {
				targets: { participant: { id: ENGINEER } },
				callbackUrl: fx.trigger.url,
			}),
			undefined,
			false,
			2,
		);
		assert.ifError(created.error);
		callId = String(created.output?.[0]?.[0]?.json.id);
	});

	const play = async (fields: Record<string, unknown> = {}) =>
		await fx.run(
			{ resource: 'call', operation: 'playPrompt', callId, promptText: ALERT, ...fields },
			undefined,
			false,
			V3,
		);
	const playedUri = (): string => {
		const [request] = actionRequests(fx.sim, 'playPrompt');
		const body = JSON.parse(request?.body ?? '{}') as {
			prompts?: Array<{ mediaInfo?: { uri?: string; resourceId?: string } }>;
		};
		return String(body.prompts?.[0]?.mediaInfo?.uri);
	};

	it("the offline voice: the link is on the trigger, Graph downloads a WAV of Graph's format and the text's length from it, and plays it", async () => {
		const run = await play();
		assert.ifError(run.error);
		const item = run.output?.[0]?.[0]?.json as { spokenPrompts?: Array<Record<string, unknown>> };
		const [report] = item.spokenPrompts ?? [];
		assert.equal(report?.engine, 'offline');
		assert.equal(report?.voice, 'slt');
		assert.equal(report?.servedBy, new URL(fx.trigger.url).origin);
		const uri = playedUri();
		assert.ok(uri.startsWith(`${fx.trigger.url}?speech=`), uri);
		assert.match(uri, /&sig=[A-Za-z0-9_-]{43}$/);
		const [result] = await waitForResults(fx.sim, 'playPromptOperation');
		assert.equal(result?.status, 'completed');
		const download = fx.sim.media.downloads.find((d) => d.uri === uri);
		assert.equal(download?.problem, undefined, JSON.stringify(download));
		const seconds = Number(report?.durationSeconds);
		assert.ok(
			seconds > 1.5 && seconds < 8,
			`plausible for ${ALERT.length} characters: ${seconds} s`,
		);
		assert.ok(
			Math.abs((download?.durationMs ?? 0) / 1000 - seconds) < 0.1,
			'what Graph played is what was rendered',
		);
	});

	it('a link altered in any part gets 404 from the trigger; the right one gets the WAV', async () => {
		assert.ifError((await play()).error);
		const uri = playedUri();
		const good = await httpsSend({ url: uri }, fx.sim.caCertPem);
		assert.equal(good.status, 200);
		assert.equal(good.headers['content-type'], 'audio/wav');
		const url = new URL(uri);
		const speech = String(url.searchParams.get('speech'));
		const variants = [
			(u: URL) =>
				u.searchParams.set(
					'speech',
					`${speech.slice(0, -2)}${speech.endsWith('A') ? 'B' : 'A'}${speech.slice(-1)}`,
				),
			(u: URL) => u.searchParams.set('sig', 'A'.repeat(43)),
			(u: URL) => u.searchParams.delete('sig'),
			(u: URL) => u.searchParams.delete('speech'),
			(u: URL) => u.searchParams.append('sig', u.searchParams.get('sig') ?? ''),
		];
		for (const edit of variants) {
			const altered = new URL(uri);
			edit(altered);
			const answer = await httpsSend({ url: altered.toString() }, fx.sim.caCertPem);
			assert.equal(answer.status, 404, altered.search.slice(0, 80));
		}
		const gets = fx.trigger.answers.filter((answer) => answer.method === 'GET');
		// These and the simulator's downloads (it fetches every link it is given, as Graph does).
		assert.ok(gets.length >= variants.length + 1);
		assert.ok(
			gets.every((answer) => !answer.startedExecution),
			'a GET starts no execution',
		);
		assert.deepEqual(fx.trigger.failures.map(String), []);
	});

	it("Azure AI Speech (key): rendered by the simulator's Speech endpoint, served by the trigger, played", async () => {
		const run = await play({ speechEngine: 'azure', speechVoice: 'en-US-JennyNeural' });
		assert.ifError(run.error);
		const uri = playedUri();
		const [result] = await waitForResults(fx.sim, 'playPromptOperation');
		assert.equal(result?.status, 'completed');
		assert.equal(fx.sim.media.downloads.find((d) => d.uri === uri)?.problem, undefined);
		assert.ok(fx.sim.speechRequests().length >= 1, 'Azure was asked');
	});

	it('Azure 429 with Retry-After: waited and retried, then played; a wrong key: refused naming the credential, nothing sent to Graph', async () => {
		fx.sim.speech.knobs.nextFaults.push({ kind: 'status', status: 429, retryAfter: '1' });
		const throttled = await play({
			speechEngine: 'azure',
			speechVoice: 'en-US-GuyNeural',
			promptText: `${ALERT} (retry)`,
		});
		assert.ifError(throttled.error);
		assert.equal(actionRequests(fx.sim, 'playPrompt').length, 1);
		fx.sim.reset();
		fx.credentials.save(SPEECH_CREDENTIAL_ID, speechKeyCredential(fx.sim, { apiKey: 'wrong-key' }));
		try {
			const refused = await play({
				speechEngine: 'azure',
				speechVoice: 'en-US-JennyNeural',
				promptText: `${ALERT} (wrong key)`,
			});
			assert.ok(refused.error);
			assert.match(refused.error.message, /key|401|refused/i);
			assert.equal(actionRequests(fx.sim, 'playPrompt').length, 0, 'Graph was not asked');
		} finally {
			fx.credentials.save(SPEECH_CREDENTIAL_ID, speechKeyCredential(fx.sim));
		}
	});

	it('bad input is refused before Graph is asked, naming the field: too long, malformed SSML, an unknown offline voice, Azure without a voice', async () => {
		const cases: Array<[Record<string, unknown>, RegExp]> = [
			[{ promptText: 'x'.repeat(5_001) }, /^Text \(item 0\): .*5,001 characters.*at most 5,000/],
			[{ promptText: '<speak version="1.0"><voice>unclosed' }, /SSML|Text/],
			[{ speechVoice: 'nobody' }, /Voice Name or ID/],
			[
				{ speechEngine: 'azure' },
				/^Voice Name or ID \(item 0\): is empty. Azure AI Speech needs a voice/,
			],
			[{ promptText: '   ' }, /^Text \(item 0\): is empty/],
		];
		for (const [fields, expected] of cases) {
			const run = await play(fields);
			assert.match(run.error?.message ?? '', expected, JSON.stringify(fields).slice(0, 80));
		}
		assert.equal(actionRequests(fx.sim, 'playPrompt').length, 0, 'nothing was played');
	});

	it('version 2 nodes keep URL prompts as their default (n8n stores no value equal to the default)', async () => {
		const run = await fx.run(
			{
				resource: 'call',
				operation: 'playPrompt',
				callId,
				// Not a WAV (an empty file would not do: a server answers its Range request 416, which
				// the format check reports instead of refusing).
				prompts: { prompt: [{ url: fx.sim.media.host('a.wav', Buffer.from('not a WAV file')) }] },
			},
			undefined,
			false,
			2,
		);
		assert.ok(
			run.error,
			'the URL list was used (a file that is not a WAV is refused by the format check)',
		);
		assert.match(run.error.message, /Prompts › Prompt 1 › URL/);
	});

	const downloadOf = (uri: string) => fx.sim.media.downloads.find((d) => d.uri === uri);
	const onTrigger = (uri: unknown) =>
		assert.ok(String(uri).startsWith(`${fx.trigger.url}?speech=`), String(uri));

	it('Record Response says the typed prompt before recording; the trigger serves it', async () => {
		const run = await fx.run(
			{
				resource: 'call',
				operation: 'recordResponse',
				callId,
				promptText: 'Please say your name after the beep.',
			},
			undefined,
			false,
			V3,
		);
		assert.ifError(run.error);
		assert.equal((run.output?.[0]?.[0]?.json.spokenPrompts as unknown[]).length, 1);
		const [request] = actionRequests(fx.sim, 'recordResponse');
		const body = JSON.parse(request?.body ?? '{}') as {
			prompts: Array<{ mediaInfo: { uri: string; resourceId: string } }>;
		};
		const uri = String(body.prompts[0]?.mediaInfo.uri);
		onTrigger(uri);
		await waitForResults(fx.sim, 'recordOperation');
		assert.equal(downloadOf(uri)?.problem, undefined, JSON.stringify(downloadOf(uri)));
		assert.ok((downloadOf(uri)?.durationMs ?? 0) > 1000);
	});

	it("Start Hold Music: the participant hears the typed words instead of Teams' music; new nodes start with the music", async () => {
		const participantId = String(
			fx.sim.getCall(callId)?.participants.find((p) => p.identityKey === `user:${ENGINEER}`)?.id,
		);
		const run = await fx.run(
			{
				resource: 'callParticipant',
				operation: 'startHoldMusic',
				callId,
				participantId,
				promptSource: 'text',
				promptText: 'Please hold. The on-call engineer is joining.',
			},
			undefined,
			false,
			V3,
		);
		assert.ifError(run.error);
		const [request] = actionRequests(fx.sim, 'startHoldMusic');
		const body = JSON.parse(request?.body ?? '{}') as {
			customPrompt: { mediaInfo: { uri: string } };
		};
		const uri = body.customPrompt.mediaInfo.uri;
		onTrigger(uri);
		await waitForResults(fx.sim, 'startHoldMusicOperation');
		assert.equal(downloadOf(uri)?.problem, undefined);
		const defaults = await fx.run(
			{ resource: 'callParticipant', operation: 'startHoldMusic', callId, participantId },
			undefined,
			false,
			V3,
		);
		assert.ifError(defaults.error);
		assert.equal(
			(
				JSON.parse(actionRequests(fx.sim, 'startHoldMusic')[1]?.body ?? '{}') as object
			).hasOwnProperty('customPrompt'),
			false,
			"new nodes start with Teams' hold music",
		);
	});

	it("Answer prefetches typed prompts from the trigger; a later typed Play Prompt of the same words has the same resourceId (Graph's cache key)", async () => {
		const incoming = await placeIncomingCall(fx.sim, { callbackUri: fx.trigger.url });
		const words = 'Connecting you to the on-call engineer.';
		const run = await fx.run(
			{
				resource: 'call',
				operation: 'answer',
				callId: incoming.callId,
				additionalFields: {
					preFetchMedia: { spoken: [{ text: words, speechEngine: 'offline' }] },
				},
			},
			undefined,
			false,
			V3,
		);
		assert.ifError(run.error);
		const [request] = fx.sim.graphRequests().filter((r) => r.path.endsWith('/answer'));
		const body = JSON.parse(request?.body ?? '{}') as {
			mediaConfig: { preFetchMedia: Array<{ uri: string; resourceId: string }> };
		};
		const [media] = body.mediaConfig.preFetchMedia;
		onTrigger(media?.uri);
		await waitFor(() => downloadOf(String(media?.uri)) !== undefined);
		assert.equal(downloadOf(String(media?.uri))?.problem, undefined);
		callId = incoming.callId;
		assert.ifError((await play({ promptText: words })).error);
		const played = JSON.parse(actionRequests(fx.sim, 'playPrompt')[0]?.body ?? '{}') as {
			prompts: Array<{ mediaInfo: { resourceId: string } }>;
		};
		assert.equal(played.prompts[0]?.mediaInfo.resourceId, media?.resourceId);
	});

	it('Answer refuses a bad typed prefetch prompt naming its entry, and answers nothing', async () => {
		const incoming = await placeIncomingCall(fx.sim, { callbackUri: fx.trigger.url });
		const run = await fx.run(
			{
				resource: 'call',
				operation: 'answer',
				callId: incoming.callId,
				additionalFields: { preFetchMedia: { spoken: [{ text: 'Fine.' }, { text: ' ' }] } },
			},
			undefined,
			false,
			V3,
		);
		assert.match(
			run.error?.message ?? '',
			/^Additional Fields › Prefetch Media › Typed Prompt 2 › Text \(item 0\): is empty/,
		);
		assert.equal(fx.sim.graphRequests().filter((r) => r.path.endsWith('/answer')).length, 0);
	});
});
