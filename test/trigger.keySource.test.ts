/**
 * The key cache's time behaviour, with a clock the test moves (days pass in milliseconds) and a
 * real key server on 127.0.0.1: stale keys keep serving while refreshes fail, up to the hard
 * limit; refreshes happen off the request path; failures back off like successes; one fetch is
 * shared by concurrent requests; a rotated key is picked up within one interval.
 */
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { get } from 'node:https';
import { after, before, beforeEach, describe, it } from 'node:test';

import { clearKeyCache, DEFAULT_KEY_TIMINGS, type FetchJson } from '../lib/notifications/keySource';
import { verifyNotificationToken, type VerifierSettings } from '../lib/notifications/tokenVerifier';
import {
	DEFAULT_CLIENT_ID,
	DEFAULT_TENANT_ID,
	createCertificateAuthority,
	issueServerCertificate,
	loadCaFromEnv,
	type CertificateAuthority,
} from '../simulator';
import { startKeyServer, type KeyServer } from './support/keyServer';

const HOUR = 60 * 60 * 1000;
const DAY = 24 * HOUR;

/** A plain GET over a real socket (the node's n8n-helper fetcher is covered by trigger.keys). */
function fetchJsonWith(ca: CertificateAuthority): FetchJson {
	return async (url) =>
		await new Promise((resolve, reject) => {
			const req = get(url, { ca: [ca.certPem], timeout: 3_000 }, (res) => {
				const chunks: Buffer[] = [];
				res.on('data', (chunk: Buffer) => chunks.push(chunk));
				res.on('end', () => {
					if (res.statusCode !== 200) return reject(new Error(`HTTP ${res.statusCode}`));
					resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown);
				});
			});
			req.on('timeout', () => req.destroy(new Error('timeout')));
			req.on('error', reject);
		});
}

describe('Trigger key cache over time', () => {
	let keys: KeyServer;
	let ca: CertificateAuthority;
	let now = Date.now();
	before(async () => {
		ca = loadCaFromEnv() ?? createCertificateAuthority();
		keys = await startKeyServer({
			...issueServerCertificate(ca),
			audience: DEFAULT_CLIENT_ID,
			tenantId: DEFAULT_TENANT_ID,
		});
	});
	after(async () => await keys.close());
	beforeEach(() => {
		clearKeyCache();
		now = Date.now();
	});

	const settings = (scenario: string): VerifierSettings => ({
		openIdConfigurationUrl: keys.configurationUrl(scenario),
		audience: DEFAULT_CLIENT_ID,
		tenantIds: [DEFAULT_TENANT_ID],
		fetchJson: fetchJsonWith(ca),
		clock: () => now,
	});
	const verify = async (scenario: string, token = keys.signToken()) => {
		const started = Date.now();
		const result = await verifyNotificationToken(`Bearer ${token}`, settings(scenario));
		return { result, ms: Date.now() - started };
	};
	/** Lets a background fetch finish. */
	const settle = async () => await new Promise((resolve) => setTimeout(resolve, 150));

	it('keys older than 24 h and a failing refresh: genuine tokens were refused and every request refetched → served from the cache for up to 7 days, one background attempt per interval', async () => {
		assert.equal((await verify('ok-stale')).result.ok, true);
		keys.setBehaviour('ok-stale', 'down');
		now += 25 * HOUR;
		for (let i = 0; i < 20; i++) assert.equal((await verify('ok-stale')).result.ok, true);
		await settle();
		assert.equal(keys.count('ok-stale', 'openid'), 2, 'one background refresh attempt');
		now += 6 * DAY - 26 * HOUR; // 6 days old
		assert.equal((await verify('ok-stale')).result.ok, true);
		await settle();
		now += 2 * DAY; // 8 days old: beyond the hard limit
		const beyond = await verify('ok-stale');
		assert.equal(beyond.result.ok, false);
		assert.ok(!beyond.result.ok && beyond.result.keysUnavailable, JSON.stringify(beyond.result));
	});

	it('a stale cache and a hanging endpoint: the refresh runs in the background, requests do not wait for it', async () => {
		assert.equal((await verify('ok-background')).result.ok, true);
		keys.setBehaviour('ok-background', 'hang');
		now += 2 * HOUR;
		for (let i = 0; i < 5; i++) {
			const { result, ms } = await verify('ok-background');
			assert.equal(result.ok, true);
			assert.ok(ms < 200, `a known kid waited ${ms} ms`);
		}
		assert.equal(keys.count('ok-background', 'openid'), 2);
	});

	it('failed fetches back off like successful ones: at most one attempt per interval, whatever the tokens say; the answer says when to retry', async () => {
		const forged = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
		const interval = DEFAULT_KEY_TIMINGS.minFetchIntervalMs;
		for (let i = 0; i < 30; i++)
			await verify('down-backoff', keys.signToken({}, { kid: `k${i}` }, forged));
		assert.equal(keys.count('down-backoff'), 1);
		now += interval - 1_000;
		const inside = await verify('down-backoff');
		assert.equal(keys.count('down-backoff'), 1, 'still inside the interval');
		assert.ok(!inside.result.ok && inside.result.keysUnavailable, JSON.stringify(inside.result));
		assert.equal(
			inside.result.keysUnavailable.retryAfterMs,
			1_000,
			'the next attempt is allowed in a second',
		);
		now += 2_000;
		await verify('down-backoff');
		assert.equal(keys.count('down-backoff'), 2, 'one more attempt once the interval has passed');
	});

	it('concurrent requests at a cold start share one fetch', async () => {
		const results = await Promise.all(
			Array.from({ length: 20 }, async () => await verify('ok-cold')),
		);
		assert.ok(results.every((r) => r.result.ok));
		assert.equal(keys.count('ok-cold', 'openid'), 1);
		assert.equal(keys.count('ok-cold', 'keys'), 1);
	});

	it("an attacker's unknown kid just before a key rotation: the new key was refused for 5 min → not refused but 'try again' (keys unavailable) inside the interval, accepted one interval later", async () => {
		assert.equal((await verify('ok-rotation')).result.ok, true);
		now += DEFAULT_KEY_TIMINGS.minFetchIntervalMs + 1;
		const forged = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
		await verify('ok-rotation', keys.signToken({}, { kid: 'attacker' }, forged));
		assert.equal(keys.count('ok-rotation', 'openid'), 2, 'the unknown kid used the refetch');
		keys.rotateKey();
		const early = await verify('ok-rotation');
		assert.ok(
			!early.result.ok && early.result.keysUnavailable,
			`inside the interval the new key is not fetched yet, and the sender is told to retry: ${JSON.stringify(early.result)}`,
		);
		now += DEFAULT_KEY_TIMINGS.minFetchIntervalMs + 1;
		const later = await verify('ok-rotation');
		assert.equal(later.result.ok, true, JSON.stringify(later.result));
		assert.ok(
			DEFAULT_KEY_TIMINGS.minFetchIntervalMs <= 10_000,
			'the interval (and so the retry) is at most 10 s',
		);
	});
});
