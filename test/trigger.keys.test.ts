/**
 * The trigger's key source under attack, through the real n8n-core webhook context and its HTTP
 * helper: a key server (test/support/keyServer.ts) that redirects, hangs, fails, names another
 * host or answers a megabyte. Each case names the behaviour before and after it was hardened.
 */
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { after, before, describe, it } from 'node:test';

import { keyFetchCount } from '../lib/notifications/keySource';
import { CREDENTIAL_ID } from '../harness/runNode';
import {
	DEFAULT_CLIENT_ID,
	DEFAULT_TENANT_ID,
	createCertificateAuthority,
	issueServerCertificate,
	loadCaFromEnv,
} from '../simulator';
import { simulatorCredential } from './support/fixture';
import { startKeyServer, type KeyServer } from './support/keyServer';
import { operationEnvelope, startTriggerFixture, type TriggerFixture } from './support/trigger';

describe('Trigger key source: redirects, foreign hosts, size, hanging and failing endpoints', () => {
	let fx: TriggerFixture;
	let keys: KeyServer;
	before(async () => {
		fx = await startTriggerFixture();
		const ca = loadCaFromEnv() ?? createCertificateAuthority();
		keys = await startKeyServer({
			...issueServerCertificate(ca),
			audience: DEFAULT_CLIENT_ID,
			tenantId: DEFAULT_TENANT_ID,
		});
	});
	after(async () => {
		await keys.close();
		await fx.close();
	});

	/** Points the credential's notification keys at one scenario of the key server. */
	const useKeys = (scenario: string): void =>
		fx.credentials.save(CREDENTIAL_ID, {
			...simulatorCredential(fx.sim),
			notificationOpenIdConfigurationUrl: keys.configurationUrl(scenario),
		});
	const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
	const timed = async (token: string) => {
		const started = Date.now();
		const answer = await fx.post(operationEnvelope(), bearer(token));
		return { ...answer, ms: Date.now() - started };
	};

	it('control: a well-behaved key server, a token signed with its key → 202', async () => {
		useKeys('ok-control');
		const executions = fx.trigger.executions.length;
		assert.equal((await timed(keys.signToken())).status, 202);
		assert.equal(fx.trigger.executions.length, executions + 1);
	});

	for (const [scenario, what] of [
		['redirect-config', 'the OpenID configuration answers a redirect to plain http'],
		['redirect-keys', 'the JWKS answers a redirect to plain http'],
	] as const) {
		it(`${what}: was followed and the token accepted (202) → not followed, 503, nothing fetched over http`, async () => {
			useKeys(scenario);
			const executions = fx.trigger.executions.length;
			const answer = await timed(keys.signToken());
			assert.equal(answer.status, 503, answer.body);
			assert.equal(fx.trigger.executions.length, executions);
			assert.equal(keys.count(scenario, undefined, 'http'), 0, 'nothing was fetched over http');
		});
	}

	it('jwks_uri on another host than the configuration: was fetched and trusted → refused, 503, never contacted', async () => {
		useKeys('foreign-host');
		const answer = await timed(keys.signToken());
		assert.equal(answer.status, 503, answer.body);
		assert.equal(keys.count('foreign-host', 'keys'), 0);
	});

	it('a JWKS of 1 MB: was read whole and trusted → refused (64 KB cap), 503', async () => {
		useKeys('oversized');
		const answer = await timed(keys.signToken());
		assert.equal(answer.status, 503, answer.body);
		assert.equal(keys.count('oversized', 'keys'), 1);
	});

	it('a hanging key endpoint: each request held ≈10 s → at most the 2 s wait, then answered at once; one fetch', async () => {
		useKeys('hang');
		const first = await Promise.all(
			Array.from({ length: 5 }, async () => await timed(keys.signToken())),
		);
		for (const answer of first) {
			assert.equal(answer.status, 503, answer.body);
			assert.ok(answer.ms < 3_500, `answered after ${answer.ms} ms`);
		}
		for (let i = 0; i < 5; i++) {
			const answer = await timed(keys.signToken());
			assert.equal(answer.status, 503);
			assert.ok(answer.ms < 2_500, `answered after ${answer.ms} ms`);
		}
		assert.equal(keys.count('hang', 'openid'), 1, 'one fetch for all ten requests');
	});

	it('an unreachable key endpoint: 50 forged tokens caused 50 fetches → one fetch per interval, fast answers', async () => {
		useKeys('down');
		const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
		const answers = await Promise.all(
			Array.from(
				{ length: 50 },
				async (_, i) => await timed(keys.signToken({}, { kid: `forged-${i}` }, privateKey)),
			),
		);
		assert.ok(answers.every((a) => a.status === 503));
		for (let i = 0; i < 20; i++) {
			const answer = await timed(keys.signToken({}, { kid: `forged-again-${i}` }, privateKey));
			assert.equal(answer.status, 503);
			assert.ok(answer.ms < 1_000, `answered after ${answer.ms} ms`);
		}
		assert.equal(keys.count('down'), 1, 'the key server saw one request in all');
		assert.equal(keyFetchCount(keys.configurationUrl('down')), 1);
	});

	it('unknown kids cannot force refetches inside the interval (503 with Retry-After: not checked against fresh keys yet) and never slow a known kid', async () => {
		useKeys('ok-kids');
		assert.equal((await timed(keys.signToken())).status, 202);
		const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
		for (let i = 0; i < 20; i++) {
			const answer = await timed(keys.signToken({}, { kid: `attacker-${i}` }, privateKey));
			assert.equal(answer.status, 503);
		}
		const known = await timed(keys.signToken());
		assert.equal(known.status, 202);
		assert.ok(known.ms < 1_000, `a known kid answered after ${known.ms} ms`);
		assert.equal(keys.count('ok-kids', 'openid'), 1, 'no refetch within the interval');
	});
});
