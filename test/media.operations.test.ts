/**
 * Issue 15, in process: the media operations against the simulator, over real sockets. Bodies
 * are Graph's documented ones (api-reference/v1.0/api/call-playprompt.md, call-record.md,
 * call-subscribetotone.md, call-senddtmftones.md, call-cancelmediaprocessing.md,
 * participant-startholdmusic.md, participant-stopholdmusic.md).
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';

import { DEFAULT_CALL_ID, makeWav } from '../simulator';
import { ENGINEER, MANAGER, participantParameters } from './support/calls';
import { inviteParameters, outputJson, startFixture, type Fixture } from './support/fixture';
import {
	actionRequests,
	mediaParameters,
	notifications,
	promptsParameter,
	waitForResults,
} from './support/media';

const V2 = 2;
const GOOD_WAV = makeWav();
const STEREO_CD = makeWav({ sampleRate: 44_100, channels: 2 });
const UNREACHABLE = 'https://127.0.0.1:1/alert.wav';

describe('Call › Play Prompt', () => {
	let fx: Fixture;
	let goodUrl: string;
	let badUrl: string;
	before(async () => {
		fx = await startFixture();
	});
	after(async () => await fx.close());
	beforeEach(() => {
		fx.sim.reset();
		goodUrl = fx.sim.media.host('alert.wav', GOOD_WAV);
		badUrl = fx.sim.media.host('music.wav', STEREO_CD);
	});

	it("sends Graph's documented body; the answer is the running playPromptOperation; the result comes later with upper-case IDs without dashes", async () => {
		const [operation] = outputJson(
			await fx.run(
				mediaParameters('playPrompt', {
					...promptsParameter(goodUrl),
					additionalFields: { clientContext: 'd45324c1-fcb5-430a-902c-f20af696537c' },
				}),
				undefined,
				false,
				V2,
			),
		);
		const [request] = actionRequests(fx.sim, 'playPrompt');
		assert.deepEqual(JSON.parse(request.body), {
			prompts: [
				{
					'@odata.type': '#microsoft.graph.mediaPrompt',
					mediaInfo: { '@odata.type': '#microsoft.graph.mediaInfo', uri: goodUrl },
				},
			],
			clientContext: 'd45324c1-fcb5-430a-902c-f20af696537c',
		});
		assert.equal(operation['@odata.type'], '#microsoft.graph.playPromptOperation');
		assert.equal(operation.status, 'running');
		assert.deepEqual(operation.promptChecks, [
			{ url: goodUrl, checked: true, format: 'PCM, 1 channel(s), 16-bit, 16000 Hz' },
		]);
		const [result] = await waitForResults(fx.sim, 'playPromptOperation');
		assert.equal(result.status, 'completed');
		assert.equal(result.resultInfo?.code, 200);
		assert.equal(result.clientContext, 'd45324c1-fcb5-430a-902c-f20af696537c');
		const url = String(notifications(fx.sim)[0].resourceUrl);
		const compact = (id: string) => id.replace(/-/g, '').toUpperCase();
		assert.equal(
			url,
			`/communications/calls/${compact(DEFAULT_CALL_ID)}/operations/${compact(String(operation.id))}`,
		);
		assert.deepEqual(fx.sim.media.fetched, [goodUrl], 'Graph (the simulator) fetched the prompt');
	});

	it('refuses a prompt that is not WAV mono 16-bit 16 kHz before Graph is called, naming the field', async () => {
		const result = await fx.run(
			mediaParameters('playPrompt', promptsParameter(goodUrl, badUrl)),
			undefined,
			false,
			V2,
		);
		assert.equal(result.error?.name, 'NodeOperationError');
		assert.match(
			result.error?.message ?? '',
			/Prompts › Prompt 2 › URL.*2 channel\(s\), 16-bit, 44100 Hz.*44100 Hz/,
		);
		assert.equal(fx.sim.graphRequests().length, 0);
	});

	it('the check reads only the start of the file and sends no Authorization header', async () => {
		await fx.run(mediaParameters('playPrompt', promptsParameter(goodUrl)), undefined, false, V2);
		const fetch = fx.sim.requests.find((r) => r.path === '/_media/alert.wav');
		assert.ok(fetch);
		assert.equal(fetch.headers.authorization, undefined, 'never the Graph token');
		assert.equal(fetch.headers.range, 'bytes=0-4095');
		assert.equal(fetch.status, 206);
	});

	it('with Check Prompt Format off, a wrong file reaches Graph, which fails the operation (8535)', async () => {
		const [operation] = outputJson(
			await fx.run(
				mediaParameters('playPrompt', {
					...promptsParameter(badUrl),
					additionalFields: { checkPromptFormat: false },
				}),
				undefined,
				false,
				V2,
			),
		);
		assert.equal(operation.status, 'running');
		assert.equal(operation.promptChecks, undefined);
		const [result] = await waitForResults(fx.sim, 'playPromptOperation');
		assert.equal(result.status, 'failed');
		assert.equal(result.resultInfo?.subcode, 8535);
	});

	it('a file n8n cannot reach is reported, not refused; Graph cannot fetch it either and fails (8536)', async () => {
		const [operation] = outputJson(
			await fx.run(
				mediaParameters('playPrompt', promptsParameter(UNREACHABLE)),
				undefined,
				false,
				V2,
			),
		);
		const [check] = operation.promptChecks as Array<Record<string, unknown>>;
		assert.equal(check.checked, false);
		assert.match(String(check.reason), /could not fetch/);
		const [result] = await waitForResults(fx.sim, 'playPromptOperation');
		assert.equal(result.status, 'failed');
		assert.equal(result.resultInfo?.subcode, 8536);
	});

	it('prompts play in order: the second operation ends after the first', async () => {
		for (const context of ['first', 'second']) {
			await fx.run(
				mediaParameters('playPrompt', {
					...promptsParameter(goodUrl),
					additionalFields: { clientContext: context, checkPromptFormat: false },
				}),
				undefined,
				false,
				V2,
			);
		}
		const results = await waitForResults(fx.sim, 'playPromptOperation', 2);
		assert.deepEqual(
			results.map((r) => r.clientContext),
			['first', 'second'],
		);
	});

	for (const [name, parameters, expect] of [
		[
			'an http URL',
			promptsParameter('http://cdn.contoso.com/a.wav'),
			/Prompts › Prompt 1 › URL.*not an https URL/,
		],
		[
			'words typed into the URL field',
			promptsParameter('Checkout is down. Press 1 to acknowledge.'),
			/Prompts › Prompt 1 › URL \(item 0\): "Checkout is down\. Press 1 to acknowledge\." is not a URL: .*https:\/\/.*choose Prompt From › Text and type them there/,
		],
		['no prompt', { prompts: {} }, /Prompts \(item 0\): add at least one prompt/],
		[
			'21 prompts',
			promptsParameter(...Array.from({ length: 21 }, (_, i) => `https://cdn.contoso.com/${i}.wav`)),
			/Prompts \(item 0\): has 21 prompts; Graph plays at most 20/,
		],
		[
			'a URL with a password',
			promptsParameter('https://u:p@cdn.contoso.com/a.wav'),
			/user name or password/,
		],
		[
			'a client context of 257 characters',
			{
				...promptsParameter('https://cdn.contoso.com/a.wav'),
				additionalFields: { clientContext: 'x'.repeat(257) },
			},
			/Additional Fields › Client Context.*257 characters/,
		],
	] as const) {
		it(`refuses ${name} before sending`, async () => {
			const result = await fx.run(mediaParameters('playPrompt', parameters), undefined, false, V2);
			assert.match(result.error?.message ?? '', expect);
			assert.equal(fx.sim.graphRequests().length, 0);
		});
	}

	it('a dry run shows the body and fetches nothing', async () => {
		const [dry] = outputJson(
			await fx.run(
				mediaParameters('playPrompt', { ...promptsParameter(goodUrl), options: { dryRun: true } }),
				undefined,
				false,
				V2,
			),
		);
		assert.equal(dry.dryRun, true);
		assert.equal(fx.sim.requests.length, 0);
	});
});

describe('Call › Record Response', () => {
	let fx: Fixture;
	before(async () => {
		fx = await startFixture();
	});
	after(async () => await fx.close());
	beforeEach(() => fx.sim.reset());

	it("sends the documented options; the recording's location and token come with the result; it downloads with that token only", async () => {
		const prompt = fx.sim.media.host('leave-message.wav', GOOD_WAV);
		const [operation] = outputJson(
			await fx.run(
				mediaParameters('recordResponse', {
					promptUrl: prompt,
					additionalFields: {
						bargeInAllowed: true,
						playBeep: true,
						maxRecordDurationInSeconds: 10,
						initialSilenceTimeoutInSeconds: 5,
						maxSilenceTimeoutInSeconds: 2,
						stopTones: ['#', '1', '*'],
						clientContext: 'd45324c1-fcb5-430a-902c-f20af696537c',
					},
				}),
				undefined,
				false,
				V2,
			),
		);
		assert.deepEqual(JSON.parse(actionRequests(fx.sim, 'recordResponse')[0].body), {
			prompts: [
				{
					'@odata.type': '#microsoft.graph.mediaPrompt',
					mediaInfo: { '@odata.type': '#microsoft.graph.mediaInfo', uri: prompt },
				},
			],
			bargeInAllowed: true,
			playBeep: true,
			maxRecordDurationInSeconds: 10,
			initialSilenceTimeoutInSeconds: 5,
			maxSilenceTimeoutInSeconds: 2,
			stopTones: ['#', '1', '*'],
			clientContext: 'd45324c1-fcb5-430a-902c-f20af696537c',
		});
		assert.equal(operation['@odata.type'], '#microsoft.graph.recordOperation');
		assert.equal(operation.status, 'running');
		assert.equal(operation.recordingLocation, null);
		const [result] = await waitForResults(fx.sim, 'recordOperation');
		assert.equal(result.status, 'completed');
		assert.equal(result.resultInfo?.subcode, 8515);
		const location = String(result.recordingLocation);
		const anonymous = await fetch(location);
		assert.equal(anonymous.status, 401, 'the recording needs its access token');
		const download = await fetch(location, {
			headers: { authorization: `Bearer ${String(result.recordingAccessToken)}` },
		});
		assert.equal(download.status, 200);
		assert.equal(Buffer.from(await download.arrayBuffer()).toString('ascii', 0, 4), 'RIFF');
	});

	it('a stop tone ends the recording (stopToneDetected)', async () => {
		fx.sim.media.knobs.recordMs = 5000;
		await fx.run(
			mediaParameters('recordResponse', { additionalFields: { stopTones: ['#'] } }),
			undefined,
			false,
			V2,
		);
		fx.sim.media.pressKeys(DEFAULT_CALL_ID, [
			{ tone: 'tone1', afterMs: 10 },
			{ tone: 'pound', afterMs: 10 },
		]);
		const [result] = await waitForResults(fx.sim, 'recordOperation', 1, 2000);
		assert.equal(result.completionReason, 'stopToneDetected');
	});

	it('in real time (the softphone: promptsPlayTheirLength) a recording lasts its prompt and its initial silence, and a key in that time still stops it', async () => {
		fx.sim.media.knobs.promptsPlayTheirLength = true;
		const prompt = fx.sim.media.host('press-any-key.wav', makeWav({ durationMs: 400 }));
		const record = async () =>
			await fx.run(
				mediaParameters('recordResponse', {
					promptUrl: prompt,
					additionalFields: { initialSilenceTimeoutInSeconds: 1, stopTones: ['5'] },
				}),
				undefined,
				false,
				V2,
			);
		const started = Date.now();
		await record();
		const [silent] = await waitForResults(fx.sim, 'recordOperation', 1, 5000);
		const took = Date.now() - started;
		assert.ok(took >= 1_400, `ended after ${took} ms: before its 0.4 s prompt and 1 s of silence`);
		assert.notEqual(silent.completionReason, 'stopToneDetected');
		await record();
		fx.sim.media.pressKeys(DEFAULT_CALL_ID, [{ tone: 'tone5', afterMs: 700 }]);
		const [, pressed] = await waitForResults(fx.sim, 'recordOperation', 2, 5000);
		assert.equal(pressed?.completionReason, 'stopToneDetected');
	});

	it("opt-in download: Graph's completed answer puts the recording in the binary field, fetched with the recording's token, never the Graph token", async () => {
		const recording = makeWav({ durationMs: 500 });
		const location = fx.sim.media.host('rec-1', recording, 'application/octet-stream');
		fx.sim.faults.nextGraphFaults.push({
			kind: 'answer',
			status: 200,
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({
				'@odata.type': '#microsoft.graph.recordOperation',
				id: '0fe0623f-d628-42ed-b4bd-8ac290072cc5',
				status: 'completed',
				recordingLocation: location,
				recordingAccessToken: 'recording-token',
			}),
		});
		const result = await fx.run(
			mediaParameters('recordResponse', {
				additionalFields: { downloadRecording: true, binaryPropertyName: 'audio' },
			}),
			undefined,
			false,
			V2,
		);
		assert.ifError(result.error);
		const [item] = result.output?.[0] ?? [];
		assert.equal(item.json.recordingDownload, 'audio');
		assert.equal(item.binary?.audio.mimeType, 'application/octet-stream');
		assert.equal(Buffer.from(item.binary?.audio.data ?? '', 'base64').length, recording.length);
		const get = fx.sim.requests.find((r) => r.path === '/_media/rec-1');
		assert.equal(get?.headers.authorization, 'Bearer recording-token');
	});

	it('opt-in download while the recording still runs: the item says where the result will come from', async () => {
		const [operation] = outputJson(
			await fx.run(
				mediaParameters('recordResponse', { additionalFields: { downloadRecording: true } }),
				undefined,
				false,
				V2,
			),
		);
		assert.match(String(operation.recordingDownload), /Operation Result event/);
	});

	for (const [name, fields, expect] of [
		[
			'a duration of 0',
			{ maxRecordDurationInSeconds: 0 },
			/Max Record Duration \(Seconds\).*between 1 and 120, got 0/,
		],
		[
			'a silence timeout of 121',
			{ maxSilenceTimeoutInSeconds: 121 },
			/Max Silence Timeout \(Seconds\).*got 121/,
		],
		[
			'1.5 seconds',
			{ initialSilenceTimeoutInSeconds: 1.5 },
			/Initial Silence Timeout.*whole number/,
		],
		[
			'a stop tone that is no key',
			{ stopTones: ['x'] },
			/Stop Tones \(item 0\): "x" is not a phone key/,
		],
	] as const) {
		it(`refuses ${name} before sending`, async () => {
			const result = await fx.run(
				mediaParameters('recordResponse', { additionalFields: { ...fields } as never }),
				undefined,
				false,
				V2,
			);
			assert.match(result.error?.message ?? '', expect);
			assert.equal(fx.sim.graphRequests().length, 0);
		});
	}
});

describe('Media permissions: Calls.AccessMedia.All is the only one for Record Response and Subscribe to Tone', () => {
	let fx: Fixture;
	before(async () => {
		fx = await startFixture();
		fx.sim.addApp({
			tenantId: (await import('../simulator')).DEFAULT_TENANT_ID,
			clientId: '6731de76-14a6-49ae-97bc-6eba6914391e',
			clientSecret: 'no-media-secret',
			roles: ['Calls.Initiate.All', 'Calls.JoinGroupCall.All'],
		});
		fx.sim.addCall({
			id: 'a1b2c3d4-0000-4000-8000-000000000001',
			ownerClientId: '6731de76-14a6-49ae-97bc-6eba6914391e',
			tenantId: (await import('../simulator')).DEFAULT_TENANT_ID,
		});
		fx.credentials.save('cred-1', {
			...(await import('./support/fixture')).simulatorCredential(fx.sim),
			clientId: '6731de76-14a6-49ae-97bc-6eba6914391e',
			clientSecret: 'no-media-secret',
		});
	});
	after(async () => await fx.close());

	for (const operation of ['recordResponse', 'subscribeToTone']) {
		it(`${operation}: 403 with the permission named`, async () => {
			const result = await fx.run(
				mediaParameters(operation, { callId: 'a1b2c3d4-0000-4000-8000-000000000001' }),
				undefined,
				false,
				V2,
			);
			assert.match(result.error?.message ?? '', /Graph answered 403/);
			assert.match(
				String((result.error as { description?: string }).description),
				/Calls\.AccessMedia\.All/,
			);
		});
	}

	it('playPrompt needs no more than the roles the call was created with', async () => {
		const url = fx.sim.media.host('ok.wav', GOOD_WAV);
		const [operation] = outputJson(
			await fx.run(
				mediaParameters('playPrompt', {
					callId: 'a1b2c3d4-0000-4000-8000-000000000001',
					...promptsParameter(url),
				}),
				undefined,
				false,
				V2,
			),
		);
		assert.equal(operation.status, 'running');
	});
});

describe('Call › Subscribe to Tone, Send DTMF Tones, Cancel Media Processing', () => {
	let fx: Fixture;
	before(async () => {
		fx = await startFixture();
	});
	after(async () => await fx.close());
	beforeEach(() => fx.sim.reset());

	it('Subscribe to Tone: completed at once, no completion notification; each key arrives as a call update with toneInfo', async () => {
		const [operation] = outputJson(
			await fx.run(
				mediaParameters('subscribeToTone', { additionalFields: { clientContext: 'fd1c7836' } }),
				undefined,
				false,
				V2,
			),
		);
		assert.equal(operation['@odata.type'], '#microsoft.graph.subscribeToToneOperation');
		assert.equal(operation.status, 'completed');
		assert.deepEqual(JSON.parse(actionRequests(fx.sim, 'subscribeToTone')[0].body), {
			clientContext: 'fd1c7836',
		});
		fx.sim.media.pressKeys(DEFAULT_CALL_ID, [
			{ tone: 'tone1', afterMs: 20 },
			{ tone: 'pound', afterMs: 20 },
		]);
		await fx.sim.callbacks.waitForDeliveries((d) => d.length >= 2);
		await new Promise((resolve) => setTimeout(resolve, 100));
		const all = notifications(fx.sim);
		assert.equal(all.length, 2, 'two tones, and no operation result for the subscription');
		assert.deepEqual(
			all.map((n) => [
				n.changeType,
				(n.resourceData as Record<string, Record<string, unknown>>).toneInfo,
			]),
			[
				['updated', { '@odata.type': '#microsoft.graph.toneInfo', sequenceId: 1, tone: 'tone1' }],
				['updated', { '@odata.type': '#microsoft.graph.toneInfo', sequenceId: 2, tone: 'pound' }],
			],
		);
	});

	it('without a subscription, keys pressed produce no notification', async () => {
		fx.sim.media.pressKeys(DEFAULT_CALL_ID, [{ tone: 'tone1', afterMs: 5 }]);
		await new Promise((resolve) => setTimeout(resolve, 80));
		assert.equal(notifications(fx.sim).length, 0);
	});

	it("Send DTMF Tones: keys as typed become Graph's tone names; the result says completedSuccessfully", async () => {
		const [operation] = outputJson(
			await fx.run(
				mediaParameters('sendDtmfTones', {
					tones: '1234567890*#',
					additionalFields: { delayBetweenTonesMs: 5, clientContext: 'd45324c1' },
				}),
				undefined,
				false,
				V2,
			),
		);
		assert.deepEqual(JSON.parse(actionRequests(fx.sim, 'sendDtmfTones')[0].body), {
			tones: [
				'tone1',
				'tone2',
				'tone3',
				'tone4',
				'tone5',
				'tone6',
				'tone7',
				'tone8',
				'tone9',
				'tone0',
				'star',
				'pound',
			],
			delayBetweenTonesMs: 5,
			clientContext: 'd45324c1',
		});
		assert.equal(operation.status, 'running');
		const [result] = await waitForResults(fx.sim, 'sendDtmfTonesOperation');
		assert.equal(result.status, 'completed');
		assert.equal(result.completionReason, 'completedSuccessfully');
	});

	for (const [tones, expect] of [
		['12x', /^Tones \(item 0\): "x" is not a phone key/],
		['', /^Tones \(item 0\): is empty/],
	] as const) {
		it(`Send DTMF Tones refuses "${tones}" before sending`, async () => {
			const result = await fx.run(
				mediaParameters('sendDtmfTones', { tones }),
				undefined,
				false,
				V2,
			);
			assert.match(result.error?.message ?? '', expect);
			assert.equal(fx.sim.graphRequests().length, 0);
		});
	}

	it('Cancel Media Processing: the running prompt and the queued one fail with 8508, without a completionReason (v1.0 playPromptOperation has none)', async () => {
		fx.sim.media.knobs.promptPlayMs = 5000;
		const url = fx.sim.media.host('long.wav', GOOD_WAV);
		for (const context of ['playing', 'queued']) {
			await fx.run(
				mediaParameters('playPrompt', {
					...promptsParameter(url),
					additionalFields: { clientContext: context },
				}),
				undefined,
				false,
				V2,
			);
		}
		const [cancel] = outputJson(
			await fx.run(mediaParameters('cancelMediaProcessing'), undefined, false, V2),
		);
		assert.equal(cancel['@odata.type'], '#microsoft.graph.cancelMediaProcessingOperation');
		assert.equal(cancel.status, 'completed');
		const results = await waitForResults(fx.sim, 'playPromptOperation', 2);
		assert.deepEqual(
			results.map((r) => [r.clientContext, r.status, r.resultInfo?.subcode, r.completionReason]),
			[
				['playing', 'failed', 8508, undefined],
				['queued', 'failed', 8508, undefined],
			],
		);
	});

	it('Send DTMF Tones is refused in clouds other than the global one', async () => {
		fx.credentials.save('cred-1', {
			...(await import('./support/fixture')).simulatorCredential(fx.sim),
			cloud: 'usGovL4',
		});
		try {
			const result = await fx.run(
				mediaParameters('sendDtmfTones', { tones: '1' }),
				undefined,
				false,
				V2,
			);
			assert.match(result.error?.message ?? '', /Credential › Cloud.*global cloud/);
		} finally {
			fx.credentials.save(
				'cred-1',
				(await import('./support/fixture')).simulatorCredential(fx.sim),
			);
		}
	});
});

describe('Call Participant › Start Hold Music, Stop Hold Music', () => {
	let fx: Fixture;
	let engineerId: string;
	let managerId: string;
	before(async () => {
		fx = await startFixture();
	});
	after(async () => await fx.close());
	beforeEach(async () => {
		fx.sim.reset();
		outputJson(
			await fx.run(
				inviteParameters([
					{ type: 'user', id: ENGINEER },
					{ type: 'user', id: MANAGER },
				]),
			),
		);
		const roster = fx.sim.getCall(DEFAULT_CALL_ID)?.participants ?? [];
		engineerId = roster.find((p) => p.identityKey === `user:${ENGINEER}`)?.id ?? '';
		managerId = roster.find((p) => p.identityKey === `user:${MANAGER}`)?.id ?? '';
		fx.sim.callbacks.deliveries.length = 0;
	});

	it('start with a custom prompt: 202 and the documented body; the result names the operation without a leading slash', async () => {
		const url = fx.sim.media.host('hold.wav', GOOD_WAV);
		const [operation] = outputJson(
			await fx.run(
				participantParameters('startHoldMusic', DEFAULT_CALL_ID, engineerId, {
					additionalFields: { customPromptUrl: url, clientContext: 'd45324c1' },
				}),
				undefined,
				false,
				V2,
			),
		);
		assert.deepEqual(JSON.parse(actionRequests(fx.sim, 'startHoldMusic')[0].body), {
			customPrompt: {
				'@odata.type': '#microsoft.graph.mediaPrompt',
				mediaInfo: { '@odata.type': '#microsoft.graph.mediaInfo', uri: url },
			},
			clientContext: 'd45324c1',
		});
		assert.equal(actionRequests(fx.sim, 'startHoldMusic')[0].status, 202);
		assert.equal(operation['@odata.type'], '#microsoft.graph.startHoldMusicOperation');
		const [result] = await waitForResults(fx.sim, 'startHoldMusicOperation');
		assert.equal(result.status, 'completed');
		assert.match(String(notifications(fx.sim)[0].resourceUrl), /^communications\/calls\//);
		assert.equal(fx.sim.media.heldParticipant(DEFAULT_CALL_ID), engineerId);
	});

	it('a second participant on hold is refused with the one-at-a-time hint; after Stop it works', async () => {
		await fx.run(
			participantParameters('startHoldMusic', DEFAULT_CALL_ID, engineerId),
			undefined,
			false,
			V2,
		);
		const refused = await fx.run(
			participantParameters('startHoldMusic', DEFAULT_CALL_ID, managerId),
			undefined,
			false,
			V2,
		);
		assert.match(refused.error?.message ?? '', /Graph answered 400/);
		assert.match(
			String((refused.error as { description?: string }).description),
			/only one participant can be on hold/,
		);
		const [stop] = outputJson(
			await fx.run(
				participantParameters('stopHoldMusic', DEFAULT_CALL_ID, engineerId),
				undefined,
				false,
				V2,
			),
		);
		assert.equal(stop['@odata.type'], '#microsoft.graph.stopHoldMusicOperation');
		const [again] = outputJson(
			await fx.run(
				participantParameters('startHoldMusic', DEFAULT_CALL_ID, managerId),
				undefined,
				false,
				V2,
			),
		);
		assert.equal(again.status, 'running');
	});

	it('an unknown participant: 404 with the participant hint', async () => {
		const result = await fx.run(
			participantParameters(
				'stopHoldMusic',
				DEFAULT_CALL_ID,
				'0f1a2b3c-4d5e-6f70-8192-a3b4c5d6e7f8',
			),
			undefined,
			false,
			V2,
		);
		assert.match(result.error?.message ?? '', /Graph answered 404/);
		assert.match(
			String((result.error as { description?: string }).description),
			/Call Participant › Get Many/,
		);
	});

	it('a custom prompt in the wrong format is refused before sending', async () => {
		const url = fx.sim.media.host('hold-cd.wav', STEREO_CD);
		const result = await fx.run(
			participantParameters('startHoldMusic', DEFAULT_CALL_ID, engineerId, {
				additionalFields: { customPromptUrl: url },
			}),
			undefined,
			false,
			V2,
		);
		assert.match(result.error?.message ?? '', /Additional Fields › Custom Prompt URL/);
		assert.equal(actionRequests(fx.sim, 'startHoldMusic').length, 0);
	});
});

describe('Media rules of the call itself', () => {
	let fx: Fixture;
	before(async () => {
		fx = await startFixture();
	});
	after(async () => await fx.close());
	beforeEach(() => {
		fx.sim.reset();
		const call = fx.sim.getCall(DEFAULT_CALL_ID);
		assert.ok(call);
		call.state = 'established';
		call.details = {};
	});

	it('a call with app-hosted media: Graph refuses prompts (400) and the hint says service-hosted media', async () => {
		const call = fx.sim.getCall(DEFAULT_CALL_ID);
		assert.ok(call);
		call.details = { mediaConfig: { '@odata.type': '#microsoft.graph.appHostedMediaConfig' } };
		const url = fx.sim.media.host('a.wav', GOOD_WAV);
		const result = await fx.run(
			mediaParameters('playPrompt', promptsParameter(url)),
			undefined,
			false,
			V2,
		);
		assert.match(result.error?.message ?? '', /Graph answered 400.*serviceHostedMediaConfig/);
		assert.match(
			String((result.error as { description?: string }).description),
			/service-hosted media/,
		);
	});

	it('a call that ended: 404 8522 and the hint that names the call, not the prompt', async () => {
		const call = fx.sim.getCall(DEFAULT_CALL_ID);
		assert.ok(call);
		call.state = 'terminated';
		const result = await fx.run(mediaParameters('subscribeToTone'), undefined, false, V2);
		assert.match(result.error?.message ?? '', /Graph answered 404/);
		assert.match(
			String((result.error as { description?: string }).description),
			/subscribe to tone in calls that the same app/,
		);
	});

	it('a recording is discarded when the call ends: its location answers 404 from then on', async () => {
		await fx.run(mediaParameters('recordResponse'), undefined, false, V2);
		const [result] = await waitForResults(fx.sim, 'recordOperation');
		const headers = { authorization: `Bearer ${String(result.recordingAccessToken)}` };
		assert.equal((await fetch(String(result.recordingLocation), { headers })).status, 200);
		const call = fx.sim.getCall(DEFAULT_CALL_ID);
		assert.ok(call);
		call.state = 'terminated';
		assert.equal((await fetch(String(result.recordingLocation), { headers })).status, 404);
	});

	it('keys scripted for every subscription arrive after Subscribe to Tone, in order', async () => {
		fx.sim.media.knobs.tonesAfterSubscribe = [
			{ tone: 'tone4', afterMs: 10 },
			{ tone: 'tone2', afterMs: 10 },
		];
		await fx.run(mediaParameters('subscribeToTone'), undefined, false, V2);
		await fx.sim.callbacks.waitForDeliveries((d) => d.length >= 2);
		assert.deepEqual(
			notifications(fx.sim).map(
				(n) => (n.resourceData as Record<string, Record<string, unknown>>).toneInfo.tone,
			),
			['tone4', 'tone2'],
		);
	});

	it('hold music whose custom prompt Graph cannot play fails, and nobody stays on hold', async () => {
		outputJson(await fx.run(inviteParameters([{ type: 'user', id: ENGINEER }])));
		const participant = fx.sim
			.getCall(DEFAULT_CALL_ID)
			?.participants.find((p) => p.identityKey === `user:${ENGINEER}`);
		assert.ok(participant);
		fx.sim.callbacks.deliveries.length = 0;
		const url = fx.sim.media.host('hold-cd.wav', STEREO_CD);
		await fx.run(
			participantParameters('startHoldMusic', DEFAULT_CALL_ID, participant.id, {
				additionalFields: { customPromptUrl: url, checkPromptFormat: false },
			}),
			undefined,
			false,
			V2,
		);
		const [result] = await waitForResults(fx.sim, 'startHoldMusicOperation');
		assert.equal(result.status, 'failed');
		assert.equal(fx.sim.media.heldParticipant(DEFAULT_CALL_ID), undefined);
	});
});
