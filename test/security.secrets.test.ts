/**
 * No secret anywhere. Recognisable secret, private key and token values are configured, a broad
 * set of scenarios runs through the node (success, Graph errors, token errors, a rejected
 * token, dry runs, certificate auth, bad input, transport failures, the credential test), and
 * everything captured is scanned: every output item, every error (message, description, stack,
 * own properties, causes), every n8n log line (Logger and LoggerProxy), every console line,
 * and the credential test's messages.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import type {
	ICredentialDataDecryptedObject,
	ICredentialTestFunctions,
	INodeParameters,
} from 'n8n-workflow';

import { Logger } from '@n8n/backend-common';
import { Container } from '@n8n/di';
import { LoggerProxy } from 'n8n-workflow';

import { clearTokenClients } from '../lib/entra/tokenMinter';
import { MicrosoftGraphCalls } from '../nodes/MicrosoftGraphCalls/MicrosoftGraphCalls.node.ts';
import { startCapture, stopCapture, type Capture } from './harness/capture';
import { createCredentialStore, runNode } from '../harness/runNode';
import {
	createClientCertificate,
	DEFAULT_APP_ROLES,
	DEFAULT_CALL_ID,
	DEFAULT_CLIENT_SECRET,
	DEFAULT_TENANT_ID,
	type ClientCertificate,
	type GraphFault,
	type TokenFault,
} from '../simulator';
import {
	inviteParameters,
	simulatorCredential,
	startFixture,
	type Fixture,
} from './support/fixture';

const USER = '278405a3-f568-4b3e-b684-009193463064';
const CERT_CLIENT = 'c3a7e9d1-2b4f-4e6a-8c1d-5f7b9e3a2c40';
const CERT_CALL = '9d8c7b6a-5f4e-4d3c-8b2a-1f0e9d8c7b6a';
const STORED_TOKEN = 'stored-token-Vx9Lm2Qp7Rt4';

interface Scenario {
	name: string;
	parameters?: INodeParameters;
	credential?: 'secret' | 'certificate' | 'wrongCertificate' | 'storedToken';
	graphFaults?: GraphFault[];
	tokenFaults?: TokenFault[];
	expireTokens?: boolean;
	continueOnFail?: boolean;
	items?: number;
}

const invite = (extra: INodeParameters = {}) =>
	inviteParameters([{ type: 'user', id: USER }], extra);

const scenarios: Scenario[] = [
	{ name: 'success' },
	{
		name: 'success with response metadata',
		parameters: invite({ options: { includeResponseMetadata: true } }),
	},
	{ name: 'success, three items', items: 3 },
	{ name: 'dry run', parameters: invite({ options: { dryRun: true } }) },
	{
		name: 'dry run, certificate',
		parameters: invite({ options: { dryRun: true } }),
		credential: 'certificate',
	},
	{
		name: 'dry run, stored token',
		parameters: invite({ options: { dryRun: true } }),
		credential: 'storedToken',
	},
	{
		name: 'Graph 404 8522',
		graphFaults: [{ kind: 'status', status: 404, code: '8522', message: 'Call not found' }],
	},
	{
		name: 'Graph 403',
		graphFaults: [{ kind: 'status', status: 403, code: '7504' }],
		continueOnFail: true,
	},
	{ name: 'Graph 400', graphFaults: [{ kind: 'status', status: 400 }] },
	{ name: 'Graph 500', graphFaults: [{ kind: 'status', status: 500 }], continueOnFail: true },
	{
		name: 'Graph 429 without retries',
		parameters: invite({ options: { maxRetries: 0 } }),
		graphFaults: [{ kind: 'status', status: 429, retryAfterSeconds: 1 }],
	},
	{
		name: 'Graph 503 then success',
		graphFaults: [{ kind: 'status', status: 503, retryAfterSeconds: 0 }],
	},
	{ name: 'malformed answer', graphFaults: [{ kind: 'malformed' }], continueOnFail: true },
	{ name: 'connection reset', graphFaults: [{ kind: 'reset' }] },
	{
		name: 'reset after processing',
		graphFaults: [{ kind: 'resetAfterProcessing' }],
		continueOnFail: true,
	},
	{
		name: 'timeout',
		parameters: invite({ options: { timeoutSeconds: 1 } }),
		graphFaults: [{ kind: 'hang' }],
	},
	{
		name: 'redirect to another host',
		graphFaults: [
			{ kind: 'answer', status: 307, headers: { location: 'https://127.0.0.1:9/steal' } },
		],
	},
	{
		name: 'oversized answer',
		graphFaults: [{ kind: 'oversized', bytes: 5 * 1024 * 1024, chunked: true }],
		continueOnFail: true,
	},
	{ name: 'rejected (expired) token, re-minted', expireTokens: true },
	{ name: 'token: invalid secret (7000215)', tokenFaults: [{ kind: 'aadsts', code: 7000215 }] },
	{
		name: 'token: expired secret (7000222)',
		tokenFaults: [{ kind: 'aadsts', code: 7000222 }],
		continueOnFail: true,
	},
	{ name: 'token: app not found (700016)', tokenFaults: [{ kind: 'aadsts', code: 700016 }] },
	{ name: 'token: connection reset', tokenFaults: [{ kind: 'reset' }] },
	{
		name: 'token: redirect elsewhere',
		tokenFaults: [{ kind: 'redirect', status: 307, location: 'https://127.0.0.1:9/steal' }],
	},
	{
		name: 'certificate auth success',
		credential: 'certificate',
		parameters: invite({ callId: CERT_CALL }),
	},
	{
		name: 'certificate auth with an unregistered certificate',
		credential: 'wrongCertificate',
		parameters: invite({ callId: CERT_CALL }),
	},
	{
		name: 'certificate auth, Graph 404',
		credential: 'certificate',
		graphFaults: [{ kind: 'status', status: 404 }],
	},
	{ name: 'stored token used, then rejected and re-minted', credential: 'storedToken' },
	{ name: 'bad input: call ID traversal', parameters: invite({ callId: '../../users' }) },
	{
		name: 'bad input: header injection',
		parameters: invite({
			options: { customHeaders: { header: [{ name: 'X-A', value: 'a\r\nAuthorization: x' }] } },
		}),
	},
	{
		name: 'bad input: Authorization header',
		parameters: invite({
			options: { customHeaders: { header: [{ name: 'Authorization', value: 'Bearer x' }] } },
		}),
		continueOnFail: true,
	},
	{
		name: 'bad input: JSON __proto__',
		parameters: { ...invite(), participantsMode: 'json', participantsJson: '[{"__proto__":{}}]' },
	},
];

describe('No secret anywhere', () => {
	let fx: Fixture;
	let capture: Capture;
	let certificate: ClientCertificate;
	let wrongCertificate: ClientCertificate;
	const credentials: Record<string, ICredentialDataDecryptedObject> = {};

	before(async () => {
		fx = await startFixture();
		certificate = createClientCertificate();
		wrongCertificate = createClientCertificate();
		fx.sim.addApp({
			tenantId: DEFAULT_TENANT_ID,
			clientId: CERT_CLIENT,
			certificatePem: certificate.certificatePem,
			roles: [...DEFAULT_APP_ROLES],
		});
		fx.sim.addCall({ id: CERT_CALL, ownerClientId: CERT_CLIENT, tenantId: DEFAULT_TENANT_ID });
		const certificateFields = {
			clientId: CERT_CLIENT,
			authentication: 'certificate',
			clientSecret: '',
		};
		credentials.secret = simulatorCredential(fx.sim);
		credentials.certificate = simulatorCredential(fx.sim, {
			...certificateFields,
			privateKey: certificate.privateKeyPem,
			certificate: certificate.certificatePem,
		});
		credentials.wrongCertificate = simulatorCredential(fx.sim, {
			...certificateFields,
			privateKey: wrongCertificate.privateKeyPem,
			certificate: wrongCertificate.certificatePem,
		});
		credentials.storedToken = simulatorCredential(fx.sim, { accessToken: STORED_TOKEN });
		capture = startCapture();
	});
	after(async () => {
		stopCapture();
		await fx.close();
	});

	for (const scenario of scenarios) {
		it(`runs: ${scenario.name}`, async () => {
			clearTokenClients();
			fx.sim.reset();
			if (scenario.expireTokens) {
				// A token minted now is rejected by Graph at the invite: n8n re-mints once.
				await runNode({
					parameters: invite({ options: { dryRun: true } }),
					credentials: createCredentialStore(credentials.secret),
				});
			}
			const store = createCredentialStore(credentials[scenario.credential ?? 'secret']);
			if (scenario.expireTokens) {
				await runNode({ parameters: invite(), credentials: store });
				fx.sim.expireTokens();
			}
			fx.sim.faults.nextGraphFaults.push(...(scenario.graphFaults ?? []));
			fx.sim.faults.nextTokenFaults.push(...(scenario.tokenFaults ?? []));
			const items = Array.from({ length: scenario.items ?? 1 }, () => ({ json: {} }));
			const result = await runNode({
				parameters: scenario.parameters ?? invite(),
				items,
				credentials: store,
				continueOnFail: scenario.continueOnFail,
			});
			assert.ok(
				result.output || result.error,
				'the run ended with output or an n8n error, not a crash',
			);
			// The secret goes to the token endpoint only; tokens go to Graph only.
			for (const request of fx.sim.requests) {
				if (request.kind !== 'token')
					assert.ok(
						!request.body.includes(DEFAULT_CLIENT_SECRET) &&
							!request.path.includes(DEFAULT_CLIENT_SECRET),
					);
				if (request.kind !== 'graph')
					assert.equal(
						request.headers.authorization,
						undefined,
						`${request.path} got an Authorization header`,
					);
			}
			scanned.tokens.push(...fx.sim.issuedTokens);
			for (const request of fx.sim.tokenRequests()) {
				const assertion = new URLSearchParams(request.body).get('client_assertion');
				if (assertion) scanned.tokens.push(assertion);
			}
		});
	}

	it('runs: the credential test, passing and failing', async () => {
		const node = new MicrosoftGraphCalls();
		const test = node.methods.credentialTest.microsoftGraphCallsApiTest;
		for (const data of [
			credentials.secret,
			credentials.certificate,
			credentials.wrongCertificate,
			{ ...credentials.secret, clientSecret: `${DEFAULT_CLIENT_SECRET}-wrong` },
		]) {
			clearTokenClients();
			const outcome = await test.call({} as ICredentialTestFunctions, {
				id: 'c',
				name: 'c',
				type: 'microsoftGraphCallsApi',
				data,
			});
			capture.extra.push(JSON.stringify(outcome));
		}
		scanned.tokens.push(...fx.sim.issuedTokens);
	});

	const scanned = { tokens: [] as string[] };

	it('found none of the secrets, keys or tokens in anything captured', (t) => {
		const keyLines = (pem: string) =>
			pem.split('\n').filter((line) => line.length >= 40 && !line.startsWith('-----'));
		const needles: { what: string; value: string }[] = [
			{ what: 'client secret', value: DEFAULT_CLIENT_SECRET },
			{ what: 'stored access token', value: STORED_TOKEN },
			{ what: 'private key (PEM)', value: certificate.privateKeyPem.trim() },
			{ what: 'unregistered private key (PEM)', value: wrongCertificate.privateKeyPem.trim() },
			...keyLines(certificate.privateKeyPem).map((value) => ({ what: 'private key line', value })),
			...keyLines(wrongCertificate.privateKeyPem).map((value) => ({
				what: 'unregistered private key line',
				value,
			})),
			// A JWT's signature alone identifies it: scanning it also catches a truncated token.
			...[...new Set(scanned.tokens)].flatMap((token) => [
				{ what: 'access token / assertion', value: token },
				{ what: 'token signature', value: token.split('.')[2] ?? token },
			]),
		];
		assert.ok(
			scanned.tokens.length >= 5,
			`tokens were really minted and scanned for (${scanned.tokens.length})`,
		);
		const texts = capture.texts();
		assert.ok(
			capture.items.length >= 10 && capture.errors.length >= 15,
			`the scenarios produced items (${capture.items.length}) and errors (${capture.errors.length}) to scan`,
		);
		const leaks: string[] = [];
		for (const { where, text } of texts) {
			for (const needle of needles)
				if (needle.value && text.includes(needle.value)) leaks.push(`${needle.what} in ${where}`);
			if (/Bearer\s+eyJ/.test(text)) leaks.push(`a bearer token in ${where}`);
		}
		assert.deepEqual(leaks, []);
		t.diagnostic(
			`scanned ${texts.length} texts: ${capture.items.length} output items, ${capture.errors.length} errors, ${capture.logLines.length} log lines, ${capture.extra.length} extra; ${needles.length} needles`,
		);
	});

	it('the scan would notice a leak (the needles are really searched for)', () => {
		capture.extra.push(`oops ${DEFAULT_CLIENT_SECRET}`);
		const found = capture.texts().some(({ text }) => text.includes(DEFAULT_CLIENT_SECRET));
		capture.extra.pop();
		assert.equal(found, true);
		// n8n-core logs through Container.get(Logger): that is the capturing logger now.
		const before = capture.logLines.length;
		Container.get(Logger).debug('probe line');
		LoggerProxy.warn('probe line');
		assert.equal(capture.logLines.length, before + 2);
		capture.logLines.splice(before);
		assert.ok(DEFAULT_CALL_ID);
	});
});
