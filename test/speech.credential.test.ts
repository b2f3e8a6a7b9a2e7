/**
 * The Azure AI Speech credential: its test lists the voices of the simulated resource the way
 * n8n runs a declarative test (n8n-core's RoutingNode, preAuthentication, authenticate), fails
 * in words for a wrong key or app, and sends its key nowhere but its own Speech origins.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, beforeEach, describe, it } from 'node:test';

import { Workflow, type INodeType } from 'n8n-workflow';

import { AzureAiSpeechApi, VOICES_LIST_URL } from '../credentials/AzureAiSpeechApi.credentials';
import { clearTokenClients } from '../lib/entra/tokenMinter';
import { readAzureSpeechSettings } from '../lib/speech/azure/speechSettings';
import { DEFAULT_SPEECH_KEY, startGraphSimulator, type GraphSimulator } from '../simulator';
import {
	runSpeechCredentialTest,
	speechEntraCredential,
	speechKeyCredential,
} from './support/speech';

describe('Azure AI Speech credential: the test', () => {
	let sim: GraphSimulator;
	before(async () => {
		sim = await startGraphSimulator();
	});
	after(async () => await sim.close());
	beforeEach(() => {
		sim.reset();
		clearTokenClients();
	});

	it('with the right key it lists the voices (one GET, the key in its header) and passes', async () => {
		const result = await runSpeechCredentialTest(speechKeyCredential(sim));
		assert.deepEqual(result, { status: 'OK', message: 'Connection successful!' });
		const requests = sim.speechRequests();
		assert.deepEqual(
			requests.map((r) => `${r.method} ${r.path} ${r.status}`),
			['GET /tts/cognitiveservices/voices/list 200'],
		);
		assert.equal(requests[0]?.headers['ocp-apim-subscription-key'], DEFAULT_SPEECH_KEY);
	});

	// n8n 1.x's NodeApiError drops the HTTP answer it wraps, so its tester never reaches the
	// credential's rules and shows its own sentence for a 401; n8n 2.x keeps the answer and shows
	// the rule's message. The harness runs the 1.x libraries this package is built against.
	const refused401 =
		/^Authorization failed - please check your credentials$|refused the key or token \(401\): check Key and Region/;

	it('a wrong key fails, saying the credentials were refused', async () => {
		const result = await runSpeechCredentialTest(speechKeyCredential(sim, { apiKey: 'wrong-key' }));
		assert.equal(result.status, 'Error');
		assert.match(result.message, refused401);
		assert.equal(sim.speechRequests().at(-1)?.status, 401);
	});

	it('Microsoft Entra ID: the app gets a token, the voices come back; a wrong resource ID fails', async () => {
		assert.equal((await runSpeechCredentialTest(speechEntraCredential(sim))).status, 'OK');
		assert.match(
			sim.speechRequests()[0]?.headers.authorization ?? '',
			/^Bearer aad#\/subscriptions\/.+#ey/,
		);
		const wrong = await runSpeechCredentialTest(
			speechEntraCredential(sim, {
				resourceId:
					'/subscriptions/1/resourceGroups/g/providers/Microsoft.CognitiveServices/accounts/other',
			}),
		);
		assert.equal(wrong.status, 'Error');
		assert.match(wrong.message, refused401);
		assert.deepEqual(
			sim
				.speechRequests()
				.slice(-2)
				.map((r) => r.status),
			[401, 401],
			'n8n asked for a fresh token after the 401 and tried once more',
		);
	});

	it("a wrong client secret fails with Entra's reason", async () => {
		const result = await runSpeechCredentialTest(
			speechEntraCredential(sim, { clientSecret: 'wrong' }),
		);
		assert.equal(result.status, 'Error');
		assert.match(
			result.message,
			/Could not get a Microsoft Entra ID token for Azure AI Speech: .*AADSTS7000215/,
		);
	});

	it('a field the credential cannot use fails before any request, naming it', async () => {
		const result = await runSpeechCredentialTest(
			speechKeyCredential(sim, { endpoint: `http://127.0.0.1:${sim.port}` }),
		);
		assert.equal(result.status, 'Error');
		assert.match(result.message, /"Endpoint" must use https/);
		assert.equal(sim.requests.length, 0);
	});
});

describe('Azure AI Speech credential: where its key may go', () => {
	const credential = new AzureAiSpeechApi();
	const fields = { authentication: 'apiKey', cloud: 'global', region: 'westeurope', apiKey: 'k1' };

	it("adds the key for the region's Speech hosts only, and turns redirects off", async () => {
		const bound = await credential.authenticate(fields, {
			url: 'https://westeurope.tts.speech.microsoft.com/cognitiveservices/v1',
			method: 'POST',
		});
		assert.equal((bound.headers as Record<string, string>)['Ocp-Apim-Subscription-Key'], 'k1');
		assert.equal(bound.disableFollowRedirect, true);
		for (const url of [
			'https://eastus.tts.speech.microsoft.com/x',
			'http://westeurope.tts.speech.microsoft.com/x',
			'https://graph.microsoft.com/v1.0/me',
		]) {
			await assert.rejects(
				(async () => await credential.authenticate(fields, { url, method: 'GET' }))(),
				/Refusing to send the Azure AI Speech key to .*: this credential authenticates only https requests to https:\/\/westeurope\.tts\.speech\.microsoft\.com and https:\/\/westeurope\.api\.cognitive\.microsoft\.com/,
			);
		}
	});

	it('the test asks for the same voices list the speech layer would, in every cloud and form', () => {
		const nodeType = { description: { properties: [] } } as unknown as INodeType;
		const workflow = new Workflow({
			nodes: [{ id: 'n', name: 'N', type: 't', typeVersion: 1, position: [0, 0], parameters: {} }],
			connections: {},
			active: false,
			nodeTypes: {
				getByName: () => nodeType,
				getByNameAndVersion: () => nodeType,
				getKnownTypes: () => ({}),
			},
		});
		const entra = {
			authentication: 'entraId',
			tenantId: 'contoso.com',
			clientId: '8f0c2d1e-5b7a-4c3e-9d21-0a6b4e2f7c11',
			clientSecret: 's',
			resourceId:
				'/subscriptions/1/resourceGroups/g/providers/Microsoft.CognitiveServices/accounts/a',
		};
		const cases: Record<string, string>[] = [
			{ authentication: 'apiKey', cloud: 'global', region: 'westeurope', apiKey: 'k' },
			{ authentication: 'apiKey', cloud: 'global', region: ' West Europe ', apiKey: 'k' },
			{ authentication: 'apiKey', cloud: 'usGov', region: 'usgovarizona', apiKey: 'k' },
			{ authentication: 'apiKey', cloud: 'china', region: 'chinaeast2', apiKey: 'k' },
			{
				authentication: 'apiKey',
				cloud: 'global',
				region: 'westeurope',
				endpoint: 'https://my.cognitiveservices.azure.com/',
				apiKey: 'k',
			},
			{
				authentication: 'apiKey',
				cloud: 'custom',
				endpoint: 'https://speech.example.com',
				apiKey: 'k',
			},
			{ ...entra, cloud: 'global', endpoint: 'https://my.cognitiveservices.azure.com' },
			{ ...entra, cloud: 'china', endpoint: 'https://my.cognitiveservices.azure.cn' },
			{
				...entra,
				cloud: 'custom',
				endpoint: 'https://speech.example.com',
				authorityHost: 'https://login.example.com',
			},
		];
		for (const fields of cases) {
			const fromTest = workflow.expression.getParameterValue(
				VOICES_LIST_URL,
				null,
				0,
				0,
				'N',
				[],
				'internal',
				{
					$credentials: fields,
				},
			);
			assert.equal(fromTest, readAzureSpeechSettings(fields).urls.voices, JSON.stringify(fields));
		}
	});

	it('is registered in package.json and imports no node code', () => {
		const root = join(__dirname, '..');
		const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
			n8n: { credentials: string[] };
		};
		assert.ok(
			manifest.n8n.credentials.includes('dist/credentials/AzureAiSpeechApi.credentials.js'),
		);
		const seen = new Set<string>();
		const visit = (file: string): void => {
			if (seen.has(file)) return;
			seen.add(file);
			const source = readFileSync(file, 'utf8');
			for (const [, target] of source.matchAll(/from '(\.[^']+)'/g)) {
				const resolved = join(file, '..', target as string);
				assert.ok(!resolved.startsWith(join(root, 'nodes')), `${file} imports ${target}`);
				visit(`${resolved}.ts`);
			}
		};
		visit(join(root, 'credentials', 'AzureAiSpeechApi.credentials.ts'));
		assert.ok(seen.size > 5, `${seen.size} files followed`);
	});
});
