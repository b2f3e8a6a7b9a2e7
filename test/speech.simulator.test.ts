/**
 * The simulator's Azure AI Speech endpoint on its own, over HTTPS with plain requests: the
 * statuses the REST reference documents, each auth scheme, the output-format header, audio
 * whose length follows the text, faults, and the request log.
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';

import { readWav } from '../lib/audio/wav';
import {
	COGNITIVE_SERVICES_AUDIENCE,
	DEFAULT_CLIENT_ID,
	DEFAULT_CLIENT_SECRET,
	DEFAULT_SPEECH_KEY,
	DEFAULT_SPEECH_RESOURCE_ID,
	DEFAULT_TENANT_ID,
	SIMULATED_VOICES,
	startGraphSimulator,
	type GraphSimulator,
} from '../simulator';
import { httpsSend, type HttpsAnswer } from './support/https';

const SSML =
	'<speak version="1.0" xmlns="http://www.w3.org/2001/10/synthesis" xml:lang="en-US"><voice name="en-US-JennyNeural">Hello world</voice></speak>';

describe('Simulator: Azure AI Speech', () => {
	let sim: GraphSimulator;
	before(async () => {
		sim = await startGraphSimulator();
	});
	after(async () => await sim.close());
	beforeEach(() => sim.reset());

	const synthesize = async (
		headers: Record<string, string>,
		body = SSML,
		path = '/cognitiveservices/v1',
	): Promise<HttpsAnswer> =>
		await httpsSend(
			{
				method: 'POST',
				url: `${sim.origin}${path}`,
				headers: {
					'content-type': 'application/ssml+xml',
					'x-microsoft-outputformat': 'riff-16khz-16bit-mono-pcm',
					'user-agent': 'speech-simulator-test',
					...headers,
				},
				body,
			},
			sim.caCertPem,
		);
	const withKey = { 'ocp-apim-subscription-key': DEFAULT_SPEECH_KEY };

	it('synthesises a WAV whose length follows the text (60 ms per character), at both path forms', async () => {
		for (const path of ['/cognitiveservices/v1', '/tts/cognitiveservices/v1']) {
			const short = await synthesize(withKey, SSML, path);
			assert.equal(short.status, 200);
			const long = await synthesize(
				withKey,
				SSML.replace('Hello world', 'Hello world, and hello again'),
				path,
			);
			assert.equal(readWav(short.body).durationMs, 'Hello world'.length * 60);
			assert.equal(readWav(long.body).durationMs, 'Hello world, and hello again'.length * 60);
		}
		assert.equal(sim.speech.syntheses.length, 4);
		assert.deepEqual(sim.speech.syntheses[0]?.voices, ['en-US-JennyNeural']);
	});

	it('honours X-Microsoft-OutputFormat: 24 kHz RIFF, headerless raw, unknown is 400', async () => {
		const riff24 = await synthesize({
			...withKey,
			'x-microsoft-outputformat': 'riff-24khz-16bit-mono-pcm',
		});
		assert.equal(readWav(riff24.body).format.sampleRate, 24_000);
		const raw = await synthesize({
			...withKey,
			'x-microsoft-outputformat': 'raw-16khz-16bit-mono-pcm',
		});
		assert.equal(raw.body.length, 'Hello world'.length * 60 * 16 * 2, 'samples only');
		assert.notEqual(raw.body.toString('ascii', 0, 4), 'RIFF');
		assert.equal(
			(
				await synthesize({
					...withKey,
					'x-microsoft-outputformat': 'audio-16khz-32kbitrate-mono-mp3',
				})
			).status,
			400,
		);
	});

	it('refuses what the reference says it refuses', async () => {
		assert.equal((await synthesize({ 'ocp-apim-subscription-key': 'wrong' })).status, 401);
		assert.equal((await synthesize({})).status, 401);
		assert.equal((await synthesize({ ...withKey, 'content-type': 'text/plain' })).status, 415);
		assert.equal((await synthesize({ ...withKey, 'user-agent': '' })).status, 400);
		const cases: [string, RegExp][] = [
			[SSML.replace('</voice>', ''), /not closed|out of order/],
			[SSML.replace('Hello', 'R&D'), /bare "&"/],
			[
				SSML.replace('en-US-JennyNeural', 'en-US-NobodyNeural'),
				/unknown voice "en-US-NobodyNeural"/,
			],
			[SSML.replace(' version="1.0"', ''), /without version/],
			['<speak version="1.0" xml:lang="en-US">no voice</speak>', /outside any <voice>/],
		];
		for (const [body, why] of cases) {
			const answer = await synthesize(withKey, body);
			assert.equal(answer.status, 400, body);
			assert.equal(answer.body.length, 0, 'Azure says nothing about why');
			assert.match(sim.speech.lastRefusal ?? '', why);
		}
	});

	it('issueToken trades the key for a token that works as Bearer until it expires', async () => {
		const issue = async (key: string) =>
			await httpsSend(
				{
					method: 'POST',
					url: `${sim.origin}/sts/v1.0/issueToken`,
					headers: { 'ocp-apim-subscription-key': key },
				},
				sim.caCertPem,
			);
		assert.equal((await issue('wrong')).status, 401);
		const token = (await issue(DEFAULT_SPEECH_KEY)).text;
		assert.equal((await synthesize({ authorization: `Bearer ${token}` })).status, 200);
		assert.equal(sim.speech.syntheses[0]?.auth, 'issuedToken');
		sim.speech.expireIssuedTokens();
		assert.equal((await synthesize({ authorization: `Bearer ${token}` })).status, 401);
	});

	it('Entra ID: a token for Azure AI services, sent as aad#<resource ID>#<token>', async () => {
		const tokenFor = async (scope: string) => {
			const answer = await httpsSend(
				{
					method: 'POST',
					url: `${sim.origin}/${DEFAULT_TENANT_ID}/oauth2/v2.0/token`,
					headers: { 'content-type': 'application/x-www-form-urlencoded' },
					body: new URLSearchParams({
						grant_type: 'client_credentials',
						client_id: DEFAULT_CLIENT_ID,
						client_secret: DEFAULT_CLIENT_SECRET,
						scope,
					}).toString(),
				},
				sim.caCertPem,
			);
			return (JSON.parse(answer.text) as { access_token: string }).access_token;
		};
		const speechToken = await tokenFor(`${COGNITIVE_SERVICES_AUDIENCE}/.default`);
		const graphToken = await tokenFor(`${sim.origin}/.default`);
		const bearer = (resourceId: string, token: string) => ({
			authorization: `Bearer aad#${resourceId}#${token}`,
		});
		assert.equal((await synthesize(bearer(DEFAULT_SPEECH_RESOURCE_ID, speechToken))).status, 200);
		assert.equal(sim.speech.syntheses[0]?.auth, 'entra');
		assert.equal((await synthesize(bearer('/subscriptions/x/other', speechToken))).status, 401);
		assert.equal(
			(await synthesize(bearer(DEFAULT_SPEECH_RESOURCE_ID, graphToken))).status,
			401,
			'a Graph token is for Graph',
		);
		assert.equal(
			(await synthesize({ authorization: `Bearer ${speechToken}` })).status,
			401,
			'the aad# form is needed',
		);
	});

	it('lists voices in the documented shape, GET only', async () => {
		const list = await httpsSend(
			{ url: `${sim.origin}/tts/cognitiveservices/voices/list`, headers: withKey },
			sim.caCertPem,
		);
		assert.equal(list.status, 200);
		const voices = JSON.parse(list.text) as Array<Record<string, unknown>>;
		assert.deepEqual(
			voices.map((v) => v.ShortName),
			SIMULATED_VOICES.map((v) => v.ShortName),
		);
		assert.equal(typeof voices[0]?.SampleRateHertz, 'string');
		const post = await httpsSend(
			{ method: 'POST', url: `${sim.origin}/cognitiveservices/voices/list`, headers: withKey },
			sim.caCertPem,
		);
		assert.equal(post.status, 405);
	});

	it('faults are served in order, 429 with the Retry-After the knob gives, and every request is recorded', async () => {
		sim.speech.knobs.nextFaults.push(
			{ kind: 'status', status: 429, retryAfter: '2' },
			{ kind: 'status', status: 503 },
		);
		const throttled = await synthesize(withKey);
		assert.equal(throttled.status, 429);
		assert.equal(throttled.headers['retry-after'], '2');
		const unavailable = await synthesize(withKey);
		assert.equal(unavailable.status, 503);
		assert.equal(unavailable.headers['retry-after'], undefined);
		assert.equal((await synthesize(withKey)).status, 200);
		const recorded = sim.speechRequests();
		assert.deepEqual(
			recorded.map((r) => r.status),
			[429, 503, 200],
		);
		assert.equal(recorded[2]?.headers['x-microsoft-outputformat'], 'riff-16khz-16bit-mono-pcm');
		assert.equal(sim.graphRequests().length, 0, 'not mistaken for Graph');
	});
});
