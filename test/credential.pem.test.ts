/**
 * Issue 14, finding 2: a PEM key or certificate pasted into n8n's credential form arrives with
 * its line breaks removed (a password box), turned into spaces, as CRLF or as literal `\n`.
 * Each shape is rebuilt before use: checked on rebuildPem itself, then through the real token
 * flows (the credential test's and an execution's) against the simulator, which verifies the
 * client assertion's signature with the registered certificate.
 */
import assert from 'node:assert/strict';
import { createPrivateKey, X509Certificate } from 'node:crypto';
import { after, before, describe, it } from 'node:test';

import { httpRequest } from 'n8n-core/dist/execution-engine/node-execution-context/utils/request-helper-functions';
import type { ICredentialDataDecryptedObject, IHttpRequestHelper } from 'n8n-workflow';

import { MicrosoftGraphCallsApi } from '../credentials/MicrosoftGraphCallsApi.credentials';
import { checkEntraAppCredential } from '../lib/entra/credentialCheck';
import type { OperationPermission } from '../lib/entra/readiness';

import { rebuildPem } from '../lib/entra/pem';
import { readEntraAppSettings } from '../lib/entra/settings';
import { senderFromFetch } from '../lib/entra/tokenSenders';
import { clearTokenClients } from '../lib/entra/tokenMinter';
import {
	DEFAULT_CLIENT_ID,
	DEFAULT_TENANT_ID,
	defaultApp,
	startGraphSimulator,
	type GraphSimulator,
} from '../simulator';
import { createClientCertificate } from '../simulator/certificates';

const cert = createClientCertificate('pem-paste');
const pkcs8 = cert.privateKeyPem;
const pkcs1 = createPrivateKey(pkcs8).export({ type: 'pkcs1', format: 'pem' }).toString();

/** What each route leaves of a multi-line PEM. */
const SHAPES: Record<string, (pem: string) => string> = {
	'line breaks removed (password box)': (pem) => pem.replace(/\r?\n/g, ''),
	'line breaks turned into spaces': (pem) => pem.trim().replace(/\r?\n/g, ' '),
	'CRLF line breaks': (pem) => pem.replace(/\r?\n/g, '\r\n'),
	'literal \\n sequences (JSON, environment variable)': (pem) => pem.replace(/\r?\n/g, '\\n'),
};
/** Shapes Node's own parser refuses: without the rebuild these would fail. */
const BROKEN_WITHOUT_REBUILD = new Set([
	'line breaks removed (password box)',
	'line breaks turned into spaces',
	'literal \\n sequences (JSON, environment variable)',
]);

function der(pem: string): string {
	return createPrivateKey(pem).export({ type: 'pkcs8', format: 'der' }).toString('base64');
}

describe('rebuildPem: every paste shape of a key and a certificate', () => {
	for (const [format, key] of [
		['PKCS#8 (BEGIN PRIVATE KEY)', pkcs8],
		['PKCS#1 (BEGIN RSA PRIVATE KEY)', pkcs1],
	] as const) {
		for (const [shape, mangle] of Object.entries(SHAPES)) {
			it(`${format}, ${shape}`, () => {
				const pasted = mangle(key);
				if (BROKEN_WITHOUT_REBUILD.has(shape))
					assert.throws(() => createPrivateKey(pasted), 'the shape should break the parser');
				const rebuilt = rebuildPem(pasted);
				assert.equal(der(rebuilt), der(key), 'a different key came back');
				assert.equal(rebuilt.split('\n')[0], key.split('\n')[0], 'the label changed');
				assert.ok(
					rebuilt.split('\n').every((l) => l.length <= 64),
					'lines longer than 64 characters',
				);
			});
		}
	}
	for (const [shape, mangle] of Object.entries(SHAPES)) {
		it(`certificate, ${shape}`, () => {
			const rebuilt = rebuildPem(mangle(cert.certificatePem));
			assert.equal(
				new X509Certificate(rebuilt).fingerprint256,
				new X509Certificate(cert.certificatePem).fingerprint256,
			);
		});
	}

	it('a chain pasted without line breaks comes back as two blocks', () => {
		const other = createClientCertificate('pem-paste-issuer').certificatePem;
		const rebuilt = rebuildPem(
			SHAPES['line breaks removed (password box)']!(cert.certificatePem + other),
		);
		assert.equal(rebuilt.match(/-----BEGIN CERTIFICATE-----\n/g)?.length, 2);
		assert.equal(
			new X509Certificate(rebuilt).fingerprint256,
			new X509Certificate(cert.certificatePem).fingerprint256,
		);
	});

	it('an encrypted PKCS#1 key (Proc-Type headers) is left as it was, not made up', () => {
		const encrypted =
			'-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-256-CBC,00112233445566778899AABBCCDDEEFF\n\nAAAA\n-----END RSA PRIVATE KEY-----';
		assert.equal(rebuildPem(encrypted), encrypted);
	});

	it('text without a PEM block comes back trimmed, unchanged', () => {
		assert.equal(rebuildPem('  not a key \n'), 'not a key');
	});
});

describe('Credential settings: a mangled key is still refused with our words, never quoting it', () => {
	it('a key with a character missing from its body', () => {
		const lines = pkcs8.trim().split('\n');
		lines[3] = lines[3]!.slice(1);
		const damaged = lines.join('');
		assert.throws(
			() =>
				readEntraAppSettings({
					tenantId: 'contoso.onmicrosoft.com',
					clientId: 'c',
					authentication: 'certificate',
					privateKey: damaged,
					certificate: cert.certificatePem,
				}),
			(error: Error) => {
				assert.match(error.message, /^"Private Key" is not a readable PEM private key/);
				assert.ok(!error.message.includes(lines[4]!), 'the message quotes the key');
				return true;
			},
		);
	});
});

/** A Custom-cloud certificate credential pointing at the simulator (support/fixture.ts loads the node). */
function simulatorCredential(
	sim: GraphSimulator,
	fields: ICredentialDataDecryptedObject,
): ICredentialDataDecryptedObject {
	return {
		cloud: 'custom',
		authorityHost: sim.origin,
		graphEndpoint: sim.origin,
		tenantId: DEFAULT_TENANT_ID,
		clientId: DEFAULT_CLIENT_ID,
		...fields,
	};
}

/**
 * One row of the node's permission table is enough here: these tests are about the key reaching
 * Entra intact, not about which operations the roles allow (credential.test.ts covers that).
 * Kept local so this file does not load the node's modules.
 */
const INVITE_ONLY: readonly OperationPermission[] = [
	{ operation: 'Call Participant › Invite', roles: ['Calls.InitiateGroupCall.All'] },
];

/**
 * The credential test as the node's `credentialTest` runs it (the node module itself is not
 * imported: the same checkEntraAppCredential with the same fetch sender).
 */
async function credentialTest(data: ICredentialDataDecryptedObject) {
	clearTokenClients();
	return await checkEntraAppCredential(data, senderFromFetch(), INVITE_ONLY);
}

describe('Pasted certificate credentials sign in against the simulator (credential test)', () => {
	let sim: GraphSimulator;
	before(async () => {
		sim = await startGraphSimulator({
			apps: [{ ...defaultApp(), clientSecret: undefined, certificatePem: cert.certificatePem }],
		});
	});
	after(async () => await sim.close());

	for (const [format, key] of [
		['PKCS#8', pkcs8],
		['PKCS#1', pkcs1],
	] as const) {
		for (const [shape, mangle] of Object.entries(SHAPES)) {
			it(`${format} key and certificate, ${shape}: "Test" succeeds with a signed assertion`, async () => {
				sim.reset();
				const result = await credentialTest(
					simulatorCredential(sim, {
						authentication: 'certificate',
						clientSecret: '',
						privateKey: mangle(key),
						certificate: mangle(cert.certificatePem),
					}),
				);
				assert.equal(result.status, 'OK', result.message);
				const [request] = sim.tokenRequests();
				assert.ok(request, 'no token request reached the simulator');
				const form = new URLSearchParams(request.body);
				assert.ok(form.get('client_assertion'), 'no client assertion sent');
				assert.equal(form.get('client_secret'), null);
			});
		}
	}

	it('PKCS#1 key pasted without line breaks, thumbprint instead of the certificate: an execution gets a token', async () => {
		sim.reset();
		clearTokenClients();
		// What n8n does before an execution's first Graph request: preAuthentication with n8n's
		// own HTTP helper (n8n-core's httpRequest, axios underneath).
		const output = await new MicrosoftGraphCallsApi().preAuthentication.call(
			{ helpers: { httpRequest } } as unknown as IHttpRequestHelper,
			simulatorCredential(sim, {
				authentication: 'certificate',
				clientSecret: '',
				privateKey: pkcs1.replace(/\n/g, ''),
				certificateThumbprintSha256: cert.thumbprintSha256Hex,
				accessToken: '',
			}),
		);
		assert.ok(sim.issuedTokens.includes(output.accessToken), 'not a token the simulator issued');
		assert.equal(sim.tokenRequests().length, 1);
	});
});
