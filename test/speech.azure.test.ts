/**
 * The Azure AI Speech client against the simulator over real HTTPS sockets (fetch and n8n's own
 * request helper, never a mocked fetch): key, issued token and Entra ID auth, output formats,
 * retries as Azure asks, every refusal in words, and the hosts of each cloud.
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';

import { clearTokenClients } from '../lib/entra/tokenMinter';
import { SpeechError } from '../lib/speech/errors';
import { clearIssuedTokens } from '../lib/speech/azure/speechAuth';
import {
	listAzureVoices,
	retryAfterMs,
	synthesizeWithAzure,
	type AzureSpeechOptions,
} from '../lib/speech/azure/speechClient';
import { speechHttpFromFetch, speechHttpFromN8n } from '../lib/speech/azure/speechHttp';
import { isTrustedSpeechUrl, readAzureSpeechSettings } from '../lib/speech/azure/speechSettings';
import { buildSsml } from '../lib/speech/ssml/buildSsml';
import {
	DEFAULT_SPEECH_KEY,
	SIMULATED_VOICES,
	startGraphSimulator,
	type GraphSimulator,
} from '../simulator';
import { n8nHttpRequest, speechEntraCredential, speechKeyCredential } from './support/speech';

const TEXT = 'The database is down.';
const ssmlFor = (text = TEXT, voice = 'en-US-JennyNeural') => buildSsml(text, 'en-US', voice);

function rejectsWith(kind: SpeechError['kind'], message: RegExp, field?: string) {
	return (error: unknown): boolean => {
		assert.ok(error instanceof SpeechError, String(error));
		assert.equal(error.kind, kind, error.message);
		assert.match(error.message, message);
		if (field !== undefined) assert.equal(error.field, field);
		assert.ok(!error.message.includes(DEFAULT_SPEECH_KEY), 'the key is never in a message');
		return true;
	};
}

describe('Azure AI Speech client', () => {
	let sim: GraphSimulator;
	const http = speechHttpFromFetch();
	const keyOptions = (
		overrides: Partial<AzureSpeechOptions> = {},
		fields = {},
	): AzureSpeechOptions => ({
		settings: readAzureSpeechSettings(speechKeyCredential(sim, fields)),
		http,
		...overrides,
	});
	const seconds = (samples: Int16Array) => samples.length / 16_000;

	before(async () => {
		sim = await startGraphSimulator();
	});
	after(async () => await sim.close());
	beforeEach(() => {
		sim.reset();
		clearIssuedTokens();
		clearTokenClients();
	});

	it('key: one request with the documented headers, to the custom domain path; audio as long as the text', async () => {
		const samples = await synthesizeWithAzure(keyOptions(), ssmlFor());
		assert.equal(seconds(samples), TEXT.length * 0.06);
		const [request] = sim.speechRequests();
		assert.equal(sim.speechRequests().length, 1);
		assert.equal(request?.method, 'POST');
		assert.equal(request?.path, '/tts/cognitiveservices/v1');
		assert.equal(request?.headers['ocp-apim-subscription-key'], DEFAULT_SPEECH_KEY);
		assert.equal(request?.headers['content-type'], 'application/ssml+xml');
		assert.equal(request?.headers['x-microsoft-outputformat'], 'riff-16khz-16bit-mono-pcm');
		assert.ok((request?.headers['user-agent'] ?? '').length > 0);
		assert.match(request?.body ?? '', /xmlns="http:\/\/www\.w3\.org\/2001\/10\/synthesis"/);
	});

	it('other output formats come back as Graph format: 24 kHz resampled, raw given a header', async () => {
		for (const outputFormat of [
			'riff-24khz-16bit-mono-pcm',
			'raw-16khz-16bit-mono-pcm',
			'raw-24khz-16bit-mono-pcm',
		] as const) {
			const samples = await synthesizeWithAzure(keyOptions({ outputFormat }), ssmlFor());
			assert.ok(
				Math.abs(seconds(samples) - TEXT.length * 0.06) < 0.001,
				`${outputFormat}: ${seconds(samples)} s`,
			);
		}
		assert.deepEqual(
			sim.speechRequests().map((r) => r.headers['x-microsoft-outputformat']),
			['riff-24khz-16bit-mono-pcm', 'raw-16khz-16bit-mono-pcm', 'raw-24khz-16bit-mono-pcm'],
		);
	});

	it("through n8n's own helpers.httpRequest (axios) as well as fetch", async () => {
		const samples = await synthesizeWithAzure(
			keyOptions({ http: speechHttpFromN8n(n8nHttpRequest()) }),
			ssmlFor(),
		);
		assert.equal(seconds(samples), TEXT.length * 0.06);
		const voices = await listAzureVoices(keyOptions({ http: speechHttpFromN8n(n8nHttpRequest()) }));
		assert.deepEqual(
			voices.map((v) => v.shortName),
			SIMULATED_VOICES.map((v) => v.ShortName),
		);
	});

	it('issued token: fetched once, reused for the next renders, renewed once after a 401', async () => {
		const options = keyOptions({ keyTransport: 'issuedToken' });
		await synthesizeWithAzure(options, ssmlFor());
		await Promise.all([
			synthesizeWithAzure(options, ssmlFor('two')),
			synthesizeWithAzure(options, ssmlFor('three')),
		]);
		const paths = () => sim.speechRequests().map((r) => r.path);
		assert.equal(
			paths().filter((p) => p === '/sts/v1.0/issueToken').length,
			1,
			'one token for three renders',
		);
		assert.deepEqual(
			sim.speech.syntheses.map((s) => s.auth),
			['issuedToken', 'issuedToken', 'issuedToken'],
		);
		const synthesis = sim.speechRequests().find((r) => r.path.endsWith('/v1'));
		assert.equal(synthesis?.headers['ocp-apim-subscription-key'], undefined, 'the key stays home');
		sim.speech.expireIssuedTokens();
		await synthesizeWithAzure(options, ssmlFor());
		assert.deepEqual(
			sim
				.speechRequests()
				.slice(-3)
				.map((r) => `${r.path} ${r.status}`),
			[
				'/tts/cognitiveservices/v1 401',
				'/sts/v1.0/issueToken 200',
				'/tts/cognitiveservices/v1 200',
			],
		);
	});

	it('Entra ID: a token for Azure AI services from the authority, sent as aad#<resource ID>#<token>', async () => {
		const options: AzureSpeechOptions = {
			settings: readAzureSpeechSettings(speechEntraCredential(sim)),
			http,
		};
		await synthesizeWithAzure(options, ssmlFor());
		await synthesizeWithAzure(options, ssmlFor('again'));
		assert.deepEqual(
			sim.speech.syntheses.map((s) => s.auth),
			['entra', 'entra'],
		);
		const tokenRequests = sim.tokenRequests().filter((r) => r.method === 'POST');
		assert.equal(tokenRequests.length, 1, "msal's cache serves the second render");
		assert.match(
			decodeURIComponent(tokenRequests[0]?.body ?? ''),
			/scope=https:\/\/cognitiveservices\.azure\.com\/\.default/,
		);
		const wrongResource = readAzureSpeechSettings(
			speechEntraCredential(sim, {
				resourceId:
					'/subscriptions/1/resourceGroups/g/providers/Microsoft.CognitiveServices/accounts/other',
			}),
		);
		await assert.rejects(
			synthesizeWithAzure({ settings: wrongResource, http }, ssmlFor()),
			rejectsWith(
				'notAuthorized',
				/refused the Microsoft Entra ID token \(HTTP 401 Unauthorized\): check the credential's "Resource ID"/,
				'Resource ID',
			),
		);
		await assert.rejects(
			synthesizeWithAzure(
				{
					settings: readAzureSpeechSettings(speechEntraCredential(sim, { clientSecret: 'wrong' })),
					http,
				},
				ssmlFor(),
			),
			rejectsWith(
				'notAuthorized',
				/Could not get a Microsoft Entra ID token for Azure AI Speech: .*AADSTS7000215/,
			),
		);
	});

	it('a wrong key: 401 in words naming Key and Endpoint, no retry', async () => {
		await assert.rejects(
			synthesizeWithAzure(keyOptions({}, { apiKey: 'not-the-key' }), ssmlFor()),
			rejectsWith(
				'notAuthorized',
				/refused the key \(HTTP 401 Unauthorized\): check the credential's "Key" and "Endpoint".*Azure said: "Access denied/,
				'Key',
			),
		);
		assert.equal(sim.speechRequests().length, 1);
	});

	it('429: waits the Retry-After Azure asks for, then succeeds', async () => {
		sim.speech.knobs.nextFaults.push({ kind: 'status', status: 429, retryAfter: '1' });
		const started = Date.now();
		const samples = await synthesizeWithAzure(keyOptions(), ssmlFor());
		assert.ok(Date.now() - started >= 950, `waited ${Date.now() - started} ms`);
		assert.equal(seconds(samples), TEXT.length * 0.06);
		assert.deepEqual(
			sim.speechRequests().map((r) => r.status),
			[429, 200],
		);
	});

	it('429 beyond the retry budget: a clear error at once, naming the wait and the budget', async () => {
		sim.speech.knobs.nextFaults.push({ kind: 'status', status: 429, retryAfter: '30' });
		const started = Date.now();
		await assert.rejects(
			synthesizeWithAzure(keyOptions(), ssmlFor()),
			rejectsWith(
				'throttled',
				/throttling this resource \(HTTP 429.*asked to wait 30 s \(Retry-After\); after 1 attempt\(s\) that is beyond this render's retry budget of 10 s/,
			),
		);
		assert.ok(Date.now() - started < 2000, 'no pointless wait');
		sim.reset();
		sim.speech.knobs.nextFaults.push(
			...Array.from({ length: 5 }, () => ({
				kind: 'status' as const,
				status: 429,
				retryAfter: '1',
			})),
		);
		await assert.rejects(
			synthesizeWithAzure(keyOptions({ retryBudgetMs: 2500 }), ssmlFor()),
			rejectsWith('throttled', /after 3 attempt\(s\)/),
		);
		assert.equal(sim.speechRequests().length, 3);
	});

	it('503 without Retry-After is retried after a short backoff; a reset connection too', async () => {
		sim.speech.knobs.nextFaults.push({ kind: 'status', status: 503 }, { kind: 'reset' });
		await synthesizeWithAzure(keyOptions(), ssmlFor());
		assert.deepEqual(
			sim.speechRequests().map((r) => r.status),
			[503, undefined, 200],
		);
	});

	it('400 from Azure (SSML it will not take, an unknown voice): said with the voice and the field', async () => {
		await assert.rejects(
			synthesizeWithAzure(keyOptions(), ssmlFor(TEXT, 'en-US-NobodyNeural'), {
				voice: 'en-US-NobodyNeural',
				field: 'Voice',
			}),
			rejectsWith(
				'refused',
				/refused the synthesis \(HTTP 400 Bad Request\): the voice "en-US-NobodyNeural" is not one this resource has, or the SSML is not what Azure accepts/,
				'Voice',
			),
		);
		const strayText = ssmlFor().replace('</voice>', '</voice> stray text');
		await assert.rejects(
			synthesizeWithAzure(keyOptions(), strayText, { voice: 'en-US-JennyNeural', field: 'SSML' }),
			rejectsWith('refused', /HTTP 400/, 'SSML'),
		);
		assert.match(sim.speech.lastRefusal ?? '', /outside any <voice>/);
	});

	it('a redirect is not followed (the key would go along), and nothing is sent beyond the configured origins', async () => {
		sim.speech.knobs.nextFaults.push({ kind: 'status', status: 307 });
		await assert.rejects(
			synthesizeWithAzure(keyOptions(), ssmlFor()),
			rejectsWith('refused', /redirected the synthesis.*not followed/),
		);
		const settings = readAzureSpeechSettings({
			authentication: 'apiKey',
			region: 'westeurope',
			apiKey: 'k',
		});
		assert.deepEqual(settings.trustedOrigins, [
			'https://westeurope.tts.speech.microsoft.com',
			'https://westeurope.api.cognitive.microsoft.com',
		]);
		assert.ok(
			isTrustedSpeechUrl(
				settings,
				'https://westeurope.tts.speech.microsoft.com/cognitiveservices/v1',
			),
		);
		for (const url of [
			'http://westeurope.tts.speech.microsoft.com/x',
			'https://eastus.tts.speech.microsoft.com/x',
			'https://westeurope.tts.speech.microsoft.com.evil.example/x',
			'not a url',
		])
			assert.ok(!isTrustedSpeechUrl(settings, url), url);
	});

	it('no answer: a network error in words, without the codes n8n would rewrite', async () => {
		const closed = await startGraphSimulator();
		const origin = closed.origin;
		await closed.close();
		await assert.rejects(
			synthesizeWithAzure(
				{
					...keyOptions({ retryBudgetMs: 0 }),
					settings: readAzureSpeechSettings(speechKeyCredential(sim, { endpoint: origin })),
				},
				ssmlFor(),
			),
			(error: unknown) => {
				assert.ok(error instanceof SpeechError && error.kind === 'network');
				assert.match(
					error.message,
					/Could not reach Azure AI Speech for the synthesis: the connection to 127\.0\.0\.1:\d+ was refused\./,
				);
				assert.ok(!/ECONNREFUSED/.test(error.message));
				return true;
			},
		);
	});

	it('a cancelled render stops waiting for a retry', async () => {
		sim.speech.knobs.nextFaults.push({ kind: 'status', status: 429, retryAfter: '5' });
		const controller = new AbortController();
		const render = synthesizeWithAzure(keyOptions({ signal: controller.signal }), ssmlFor());
		setTimeout(() => controller.abort(), 100);
		await assert.rejects(render, rejectsWith('aborted', /cancelled/));
	});

	it('Retry-After: seconds or an HTTP date', () => {
		assert.equal(retryAfterMs('3'), 3000);
		assert.equal(
			retryAfterMs(new Date(Date.UTC(2030, 0, 1, 0, 0, 10)).toUTCString(), Date.UTC(2030, 0, 1)),
			10_000,
		);
		assert.equal(retryAfterMs('soon'), undefined);
		assert.equal(retryAfterMs(undefined), undefined);
	});
});

describe('Azure AI Speech settings: hosts per cloud, checked before any request', () => {
	const urls = (fields: Record<string, string>) =>
		readAzureSpeechSettings({ apiKey: 'k', ...fields }).urls;

	it('regions in the global, Government and China clouds', () => {
		assert.deepEqual(urls({ region: 'West Europe' }), {
			synthesis: 'https://westeurope.tts.speech.microsoft.com/cognitiveservices/v1',
			voices: 'https://westeurope.tts.speech.microsoft.com/cognitiveservices/voices/list',
			issueToken: 'https://westeurope.api.cognitive.microsoft.com/sts/v1.0/issueToken',
		});
		assert.deepEqual(urls({ cloud: 'usGov', region: 'usgovvirginia' }), {
			synthesis: 'https://usgovvirginia.tts.speech.azure.us/cognitiveservices/v1',
			voices: 'https://usgovvirginia.tts.speech.azure.us/cognitiveservices/voices/list',
			issueToken: 'https://usgovvirginia.api.cognitive.microsoft.us/sts/v1.0/issueToken',
		});
		assert.deepEqual(urls({ cloud: 'china', region: 'chinanorth3' }), {
			synthesis: 'https://chinanorth3.tts.speech.azure.cn/cognitiveservices/v1',
			voices: 'https://chinanorth3.tts.speech.azure.cn/cognitiveservices/voices/list',
			issueToken: 'https://chinanorth3.api.cognitive.azure.cn/sts/v1.0/issueToken',
		});
	});

	it("custom domains, and Entra ID with its cloud's authority and scope", () => {
		assert.equal(
			urls({ endpoint: 'https://my-speech.cognitiveservices.azure.com/' }).synthesis,
			'https://my-speech.cognitiveservices.azure.com/tts/cognitiveservices/v1',
		);
		assert.equal(
			urls({ cloud: 'usGov', endpoint: 'https://my-speech.cognitiveservices.azure.us' }).issueToken,
			'https://my-speech.cognitiveservices.azure.us/sts/v1.0/issueToken',
		);
		const entra = {
			authentication: 'entraId',
			tenantId: 'contoso.onmicrosoft.com',
			clientId: '8f0c2d1e-5b7a-4c3e-9d21-0a6b4e2f7c11',
			clientSecret: 's',
			resourceId:
				'/subscriptions/1/resourceGroups/g/providers/Microsoft.CognitiveServices/accounts/a',
		};
		for (const [cloud, domain, authority, scope] of [
			[
				'global',
				'cognitiveservices.azure.com',
				'https://login.microsoftonline.com',
				'https://cognitiveservices.azure.com/.default',
			],
			[
				'usGov',
				'cognitiveservices.azure.us',
				'https://login.microsoftonline.us',
				'https://cognitiveservices.azure.us/.default',
			],
			[
				'china',
				'cognitiveservices.azure.cn',
				'https://login.chinacloudapi.cn',
				'https://cognitiveservices.azure.cn/.default',
			],
		] as const) {
			const settings = readAzureSpeechSettings({
				...entra,
				cloud,
				endpoint: `https://x.${domain}`,
			});
			assert.ok(settings.auth.kind === 'entra');
			assert.equal(settings.auth.app.cloud.authorityHost, authority);
			assert.equal(settings.auth.scope, scope);
		}
	});

	const refusals: [string, Record<string, string>, string, RegExp][] = [
		['no region or endpoint', {}, 'Region', /"Region" is empty/],
		[
			'a made-up region',
			{ region: 'west-europe!' },
			'Region',
			/Azure region name such as westeurope/,
		],
		[
			'a region Government does not offer',
			{ cloud: 'usGov', region: 'westeurope' },
			'Region',
			/Azure Government offers Azure AI Speech in usgovarizona, usgovvirginia only/,
		],
		[
			'a plain http endpoint',
			{ endpoint: 'http://my.cognitiveservices.azure.com' },
			'Endpoint',
			/must use https/,
		],
		[
			'an endpoint with a path',
			{ endpoint: 'https://my.cognitiveservices.azure.com/tts/cognitiveservices/v1' },
			'Endpoint',
			/must be an origin only \(scheme, host and optional port\), without path, query or user name: e\.g\. https:\/\/my\.cognitiveservices\.azure\.com/,
		],
		[
			'the regional API host as endpoint',
			{ endpoint: 'https://westeurope.api.cognitive.microsoft.com' },
			'Endpoint',
			/custom domain in Azure \(global\), https:\/\/<name>\.cognitiveservices\.azure\.com/,
		],
		[
			'a key with a line break',
			{ region: 'westeurope', apiKey: 'abc\ndef' },
			'Key',
			/spaces or characters a key never has/,
		],
		[
			'Entra ID without an endpoint',
			{
				authentication: 'entraId',
				tenantId: 'contoso.com',
				clientId: '8f0c2d1e-5b7a-4c3e-9d21-0a6b4e2f7c11',
				clientSecret: 's',
				resourceId:
					'/subscriptions/1/resourceGroups/g/providers/Microsoft.CognitiveServices/accounts/a',
			},
			'Endpoint',
			/"Endpoint" is empty/,
		],
		[
			'a bad resource ID',
			{
				authentication: 'entraId',
				endpoint: 'https://x.cognitiveservices.azure.com',
				tenantId: 'contoso.com',
				clientId: '8f0c2d1e-5b7a-4c3e-9d21-0a6b4e2f7c11',
				clientSecret: 's',
				resourceId: 'my-speech',
			},
			'Resource ID',
			/Properties/,
		],
		[
			'a multi-tenant alias',
			{
				authentication: 'entraId',
				endpoint: 'https://x.cognitiveservices.azure.com',
				tenantId: 'common',
			},
			'Tenant ID',
			/Directory \(tenant\) ID/,
		],
	];
	for (const [name, fields, field, message] of refusals) {
		it(`${name}: refused naming "${field}"`, () => {
			assert.throws(
				() => readAzureSpeechSettings({ apiKey: 'k', ...fields }),
				(error: unknown) => {
					assert.ok(error instanceof SpeechError);
					assert.equal(error.field, field);
					assert.match(error.message, message);
					return true;
				},
			);
		});
	}
});
