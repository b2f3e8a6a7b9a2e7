import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { after, before, beforeEach, describe, it } from 'node:test';

import { clearKeyCache } from '../lib/notifications/keySource';
import {
	base64UrlEncode,
	DEFAULT_CLIENT_ID,
	DEFAULT_TENANT_ID,
	JWKS_PATH,
	OPENID_CONFIGURATION_PATH,
} from '../simulator';
import { operationEnvelope, startTriggerFixture, type TriggerFixture } from './support/trigger';

const OTHER_TENANT = 'aa67bd4c-8475-432d-bd41-39f255720e0a';

describe("Trigger: every notification's JWT is verified before anything else", () => {
	let fx: TriggerFixture;
	before(async () => {
		fx = await startTriggerFixture();
	});
	after(async () => await fx.close());
	let executionsBefore = 0;
	beforeEach(() => {
		executionsBefore = fx.trigger.executions.length;
	});

	const rejected = async (headers: Record<string, string>, status = 401) => {
		const answer = await fx.post(operationEnvelope(), headers);
		assert.equal(answer.status, status, `expected ${status}, got ${answer.status} ${answer.body}`);
		assert.equal(
			fx.trigger.executions.length,
			executionsBefore,
			'a refused request starts no execution',
		);
		assert.doesNotMatch(answer.body, /op-1|ctx-1/, 'the answer says nothing about the body');
		assert.deepEqual(fx.trigger.failures, []);
	};
	const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

	it('good token: 202 and one execution with the notification', async () => {
		const answer = await fx.post(operationEnvelope(), bearer(fx.token()));
		assert.equal(answer.status, 202);
		assert.equal(fx.trigger.executions.length, executionsBefore + 1);
		const [item] = fx.trigger.executions.at(-1) ?? [];
		assert.equal(item.json.event, 'operationResult');
		assert.equal(item.json.tenantId, DEFAULT_TENANT_ID);
		assert.equal(item.json.operationId, 'op-1');
	});

	it('issuer https://graph.microsoft.com is accepted too', async () => {
		const answer = await fx.post(
			operationEnvelope(),
			bearer(fx.token({ claims: { iss: 'https://graph.microsoft.com' } })),
		);
		assert.equal(answer.status, 202);
		assert.equal(fx.trigger.executions.length, executionsBefore + 1);
	});

	it('wrong signature (another key, the published kid): 401', async () => {
		const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
		await rejected(bearer(fx.token({ privateKey })));
	});

	it('tampered payload (signature of other claims): 401', async () => {
		const [header, , signature] = fx.token().split('.');
		const forgedPayload = base64UrlEncode(
			JSON.stringify({
				iss: 'https://api.botframework.com',
				aud: DEFAULT_CLIENT_ID,
				tid: OTHER_TENANT,
				exp: Math.floor(Date.now() / 1000) + 600,
			}),
		);
		await rejected(bearer(`${header}.${forgedPayload}.${signature}`));
	});

	it('wrong issuer: 401', async () => {
		await rejected(bearer(fx.token({ claims: { iss: 'https://sts.windows.net/evil/' } })));
	});

	it("wrong audience (another app's client ID): 401", async () => {
		await rejected(bearer(fx.token({ claims: { aud: '11111111-2222-3333-4444-555555555555' } })));
	});

	it('expired (an hour ago, beyond the 5-minute skew): 401', async () => {
		const now = Math.floor(Date.now() / 1000);
		await rejected(
			bearer(fx.token({ claims: { iat: now - 7200, nbf: now - 7200, exp: now - 3600 } })),
		);
	});

	it('no expiry claim: 401', async () => {
		await rejected(bearer(fx.token({ claims: { exp: undefined } })));
	});

	it('missing tenant claim: 401', async () => {
		await rejected(bearer(fx.token({ claims: { tid: undefined } })));
	});

	it("another tenant than the credential's: 401", async () => {
		await rejected(bearer(fx.token({ claims: { tid: OTHER_TENANT } })));
	});

	it('unknown key: 401 when keys fetched for it do not publish it; 503 with Retry-After when they could not be fetched again yet (inside the interval)', async () => {
		clearKeyCache();
		const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
		await rejected(bearer(fx.token({ privateKey, header: { kid: 'not-a-published-key' } })));
		await rejected(bearer(fx.token({ privateKey, header: { kid: 'another-unknown-key' } })), 503);
		const answer = await fx.post(
			operationEnvelope(),
			bearer(fx.token({ privateKey, header: { kid: 'a-third-unknown-key' } })),
		);
		assert.equal(answer.status, 503);
		assert.match(answer.body, /"code":"Unavailable"/);
	});

	it('alg "none" (unsigned): 401', async () => {
		const [, payload] = fx.token().split('.');
		const header = base64UrlEncode(
			JSON.stringify({ alg: 'none', typ: 'JWT', kid: fx.sim.callbacks.kid }),
		);
		await rejected(bearer(`${header}.${payload}.`));
	});

	it('HS256 with the public key as secret (algorithm confusion): 401', async () => {
		const [, payload] = fx.token().split('.');
		const header = base64UrlEncode(
			JSON.stringify({ alg: 'HS256', typ: 'JWT', kid: fx.sim.callbacks.kid }),
		);
		await rejected(bearer(`${header}.${payload}.${base64UrlEncode('x')}`));
	});

	it('no Authorization header: 401', async () => {
		await rejected({});
	});

	it('not a Bearer token, or not a JWT: 401', async () => {
		await rejected({ authorization: `Basic ${Buffer.from('a:b').toString('base64')}` });
		await rejected({ authorization: 'Bearer not-a-jwt' });
	});

	it('keys are cached: many notifications, one OpenID configuration and one JWKS fetch; unknown kids refetch at most once per interval', async () => {
		const fetches = (path: string) =>
			fx.sim.requests.filter((r) => r.path.toLowerCase() === path.toLowerCase()).length;
		const configBefore = fetches(OPENID_CONFIGURATION_PATH);
		const jwksBefore = fetches(JWKS_PATH);
		for (let i = 0; i < 3; i++)
			assert.equal((await fx.post(operationEnvelope(), bearer(fx.token()))).status, 202);
		assert.equal(fetches(JWKS_PATH), jwksBefore, 'cached keys are reused');
		executionsBefore = fx.trigger.executions.length;
		const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
		for (let i = 0; i < 3; i++) {
			const answer = await fx.post(
				operationEnvelope(),
				bearer(fx.token({ privateKey, header: { kid: `rotated-${i}` } })),
			);
			assert.ok([401, 503].includes(answer.status), `${answer.status} ${answer.body}`);
			assert.equal(fx.trigger.executions.length, executionsBefore);
		}
		assert.ok(
			fetches(JWKS_PATH) - jwksBefore <= 1,
			`at most one refetch for unknown keys, saw ${fetches(JWKS_PATH) - jwksBefore}`,
		);
		assert.ok(fetches(OPENID_CONFIGURATION_PATH) - configBefore <= 1);
	});

	it('a valid token with a body that is no notification envelope: 400, no execution', async () => {
		const answer = await fx.post({ hello: 'world' }, bearer(fx.token()));
		assert.equal(answer.status, 400);
		assert.equal(fx.trigger.executions.length, executionsBefore);
	});
});
