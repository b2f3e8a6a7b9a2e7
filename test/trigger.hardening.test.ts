/**
 * Issue 13's token-claim, replay and tenant findings, each through the trigger served by the
 * real n8n-core webhook context: what the attack did before (test name, left of →) and what
 * the trigger does now.
 */
import assert from 'node:assert/strict';
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';

import { clearKeyCache } from '../lib/notifications/keySource';
import { ReplayGuard } from '../lib/notifications/replayGuard';
import { MicrosoftGraphCallsTrigger } from '../nodes/MicrosoftGraphCallsTrigger/MicrosoftGraphCallsTrigger.node.ts';
import { startCapture, stopCapture, type Capture } from './harness/capture';
import { CREDENTIAL_ID } from '../harness/runNode';
import { base64UrlEncode, DEFAULT_TENANT_ID } from '../simulator';
import { simulatorCredential } from './support/fixture';
import { operationEnvelope, startTriggerFixture, type TriggerFixture } from './support/trigger';

const OTHER_TENANT = 'aa67bd4c-8475-432d-bd41-39f255720e0a';
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const nowSeconds = () => Math.floor(Date.now() / 1000);

describe('Trigger: token age, kid type, escaped log values', () => {
	let fx: TriggerFixture;
	let capture: Capture;
	before(async () => {
		fx = await startTriggerFixture();
	});
	after(async () => await fx.close());
	beforeEach(() => {
		capture = startCapture();
	});
	afterEach(() => stopCapture());

	const refused = async (token: string) => {
		const executions = fx.trigger.executions.length;
		const answer = await fx.post(operationEnvelope(), bearer(token));
		assert.equal(answer.status, 401, `${answer.status} ${answer.body}`);
		assert.equal(fx.trigger.executions.length, executions);
	};
	const refusalLines = () =>
		capture.logLines.filter((line) => line.includes('refused a notification'));

	it('iat a year ahead and exp ten years ahead: accepted (202) → 401', async () => {
		const year = 365 * 24 * 3600;
		await refused(
			fx.token({ claims: { iat: nowSeconds() + year, exp: nowSeconds() + 10 * year } }),
		);
		await refused(fx.token({ claims: { exp: nowSeconds() + 10 * year } }));
	});

	it('a token issued 3 h ago, still unexpired: accepted → 401 (older than 2 h)', async () => {
		await refused(
			fx.token({ claims: { iat: nowSeconds() - 3 * 3600, nbf: nowSeconds() - 3 * 3600 } }),
		);
	});

	it('control: issued 1 h ago, expiring in 50 min → 202', async () => {
		const answer = await fx.post(
			operationEnvelope(),
			bearer(fx.token({ claims: { iat: nowSeconds() - 3600, exp: nowSeconds() + 3000 } })),
		);
		assert.equal(answer.status, 202);
	});

	it('a numeric kid: refused with "kid.slice is not a function" → refused saying the kid is not a string', async () => {
		await refused(fx.token({ header: { kid: 42 } }));
		const lines = refusalLines();
		assert.equal(lines.length, 1, capture.logLines.join('\n'));
		assert.match(lines[0], /kid is a number, not a string/);
		assert.doesNotMatch(lines[0], /slice/);
	});

	it('kid and tid with line breaks: a forged log line appeared → escaped, one line each', async () => {
		// Each unknown kid is looked up in freshly fetched keys (a 401), not answered "try again".
		clearKeyCache();
		await refused(fx.token({ header: { kid: 'no-such-key\nINFO forged: all good' } }));
		await refused(fx.token({ claims: { tid: `${OTHER_TENANT}\r\nINFO forged tenant line` } }));
		clearKeyCache();
		await refused(fx.token({ header: { kid: 'esc\u001b[2Jcleared' } }));
		const lines = refusalLines();
		assert.equal(lines.length, 3, capture.logLines.join('\n'));
		for (const line of lines) assert.doesNotMatch(line, /[\n\r\u001b]/);
		assert.match(lines[0], /no-such-key\\nINFO forged/);
		assert.match(lines[1], /\\r\\nINFO forged tenant line/);
		assert.match(lines[2], /esc\\u001b\[2Jcleared/);
	});
});

describe('Trigger: replays', () => {
	let fx: TriggerFixture;
	before(async () => {
		fx = await startTriggerFixture();
	});
	after(async () => await fx.close());

	it('the same notification posted three times: three executions → 202 each, one execution', async () => {
		const executions = fx.trigger.executions.length;
		const token = fx.token();
		const body = operationEnvelope('call-replay', 'op-replay');
		for (let i = 0; i < 3; i++) assert.equal((await fx.post(body, bearer(token))).status, 202);
		assert.equal(fx.trigger.executions.length, executions + 1);
	});

	it('ten copies at once: one execution', async () => {
		const executions = fx.trigger.executions.length;
		const token = fx.token();
		const body = operationEnvelope('call-burst', 'op-burst');
		const answers = await Promise.all(
			Array.from({ length: 10 }, async () => await fx.post(body, bearer(token))),
		);
		assert.ok(answers.every((a) => a.status === 202));
		assert.equal(fx.trigger.executions.length, executions + 1);
	});

	it('a copy arriving after other notifications is still recognised', async () => {
		const token = fx.token();
		const body = operationEnvelope('call-later', 'op-later');
		assert.equal((await fx.post(body, bearer(token))).status, 202);
		for (let i = 0; i < 3; i++)
			await fx.post(operationEnvelope(`call-between-${i}`), bearer(fx.token()));
		const executions = fx.trigger.executions.length;
		assert.equal((await fx.post(body, bearer(token))).status, 202);
		assert.equal(fx.trigger.executions.length, executions);
	});

	it('the same token with another body is another notification (the platform reuses tokens): documented limit', async () => {
		const executions = fx.trigger.executions.length;
		const token = fx.token();
		await fx.post(operationEnvelope('call-a', 'op-a'), bearer(token));
		await fx.post(operationEnvelope('call-b', 'op-b'), bearer(token));
		assert.equal(fx.trigger.executions.length, executions + 2);
	});

	it('the guard is bounded and forgets expired entries', () => {
		const guard = new ReplayGuard(3);
		const t0 = 1_000_000;
		assert.equal(guard.firstSighting('a', t0 + 10, t0), true);
		assert.equal(guard.firstSighting('a', t0 + 10, t0 + 5), false);
		assert.equal(guard.firstSighting('a', t0 + 30, t0 + 11), true, 'expired: seen as new');
		for (const f of ['b', 'c', 'd', 'e']) guard.firstSighting(f, t0 + 100, t0 + 12);
		assert.ok(guard.size <= 3, `size ${guard.size}`);
		assert.equal(
			ReplayGuard.fingerprint('t', '{"a":1}'),
			ReplayGuard.fingerprint('t', Buffer.from('{"a":1}')),
		);
		assert.notEqual(
			ReplayGuard.fingerprint('t', '{"a":1}'),
			ReplayGuard.fingerprint('t', '{"a":2}'),
		);
	});
});

describe('Trigger: a credential naming its tenant by domain', () => {
	let fx: TriggerFixture;
	before(async () => {
		fx = await startTriggerFixture();
	});
	after(async () => await fx.close());
	const useTenant = (tenantId: string) =>
		fx.credentials.save(CREDENTIAL_ID, {
			...simulatorCredential(fx.sim),
			notificationOpenIdConfigurationUrl: fx.sim.callbacks.openIdConfigurationUrl,
			tenantId,
		});

	it('no Accepted Tenant IDs: any tenant was accepted → activation refused saying what to enter, and every notification 401', async () => {
		useTenant('contoso.onmicrosoft.com');
		await assert.rejects(fx.trigger.checkExists(), (error: Error) => {
			assert.match(error.message, /Accepted Tenant IDs/);
			assert.match(error.message, /Directory \(tenant\) ID GUID/);
			return true;
		});
		const executions = fx.trigger.executions.length;
		for (const tid of [DEFAULT_TENANT_ID, OTHER_TENANT]) {
			const answer = await fx.post(operationEnvelope(), bearer(fx.token({ claims: { tid } })));
			assert.equal(answer.status, 401);
		}
		assert.equal(fx.trigger.executions.length, executions);
	});

	it('control: a GUID credential activates', async () => {
		useTenant(DEFAULT_TENANT_ID);
		assert.equal(await fx.trigger.checkExists(), true);
	});
});

describe('Trigger: Accepted Tenant IDs with a domain credential', () => {
	let fx: TriggerFixture;
	before(async () => {
		fx = await startTriggerFixture(
			{ options: { allowedTenantIds: `${OTHER_TENANT}, ${DEFAULT_TENANT_ID}` } },
			{ credential: { tenantId: 'contoso.onmicrosoft.com' } },
		);
	});
	after(async () => await fx.close());

	it('activates, accepts the listed tenants and refuses the others', async () => {
		assert.equal(await fx.trigger.checkExists(), true);
		assert.equal((await fx.post(operationEnvelope(), bearer(fx.token()))).status, 202);
		const third = '5810cede-f3cc-42eb-b2c1-e9bd5d53ec96';
		assert.equal(
			(await fx.post(operationEnvelope(), bearer(fx.token({ claims: { tid: third } })))).status,
			401,
		);
	});
});

describe('Trigger: Accepted Tenant IDs that are not GUIDs', () => {
	let fx: TriggerFixture;
	before(async () => {
		fx = await startTriggerFixture({ options: { allowedTenantIds: 'contoso.onmicrosoft.com' } });
	});
	after(async () => await fx.close());

	it('activation refused naming the entry', async () => {
		await assert.rejects(
			fx.trigger.checkExists(),
			/"contoso\.onmicrosoft\.com" is not a tenant ID/,
		);
	});
});

describe('Trigger: the header of a token is only ever read, never trusted for size', () => {
	let fx: TriggerFixture;
	before(async () => {
		fx = await startTriggerFixture();
	});
	after(async () => await fx.close());

	it('a kid of 10,000 characters is refused without a fetch', async () => {
		const fetchesBefore = fx.sim.requests.length;
		const [, payload, signature] = fx.token().split('.');
		const header = base64UrlEncode(JSON.stringify({ alg: 'RS256', kid: 'k'.repeat(10_000) }));
		const answer = await fx.post(operationEnvelope(), bearer(`${header}.${payload}.${signature}`));
		assert.equal(answer.status, 401);
		assert.equal(fx.sim.requests.length, fetchesBefore);
	});
});

describe('Trigger in the editor: where the URL comes from, and Events without the extra toggle', () => {
	const description = () => new MicrosoftGraphCallsTrigger().description;
	const property = (name: string) => description().properties.find((p) => p.name === name);

	it('the notice says how to get a public https URL and when the Test URL works', () => {
		const notice = property('notice')?.displayName ?? '';
		assert.match(notice, /WEBHOOK_URL/);
		assert.match(notice, /reverse proxy/);
		assert.match(notice, /tunnel/);
		assert.match(notice, /Listening for test event/);
		assert.match(notice, /Production URL/);
	});

	it('version 2 is the default and hides Only Operation Results; version 1 keeps it', () => {
		assert.deepEqual(description().version, [1, 2]);
		assert.equal(description().defaultVersion, 2);
		assert.deepEqual(property('onlyOperationResults')?.displayOptions, {
			show: { '@version': [1] },
		});
		const events = property('events');
		assert.ok(events?.options?.some((o) => 'value' in o && o.value === 'operationResult'));
	});
});
