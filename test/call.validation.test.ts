import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import type { INodeParameters } from 'n8n-workflow';

import { createCredentialStore, runNode } from '../harness/runNode';
import {
	callParameters,
	createParameters,
	DEFAULT_CALL_ID,
	ENGINEER,
	joinUrl,
	MANAGER,
	RESOURCE_ACCOUNT,
	targets,
} from './support/calls';
import {
	assertRefusedBeforeSending,
	simulatorCredential,
	startFixture,
	type BadInputCase,
	type Fixture,
} from './support/fixture';

const p2p = (extra: INodeParameters = {}) =>
	createParameters('peerToPeer', { ...targets({ type: 'user', id: ENGINEER }), ...extra });
const join = (url: string) =>
	createParameters('joinMeeting', { joinMethod: 'joinUrl', joinUrl: url });
const pstn = (extra: INodeParameters = {}) =>
	createParameters('pstn', {
		applicationInstanceId: RESOURCE_ACCOUNT,
		phoneNumber: '+12345678901',
		...extra,
	});

const cases: BadInputCase[] = [
	// Callback URL
	{
		name: 'empty callback URL',
		parameters: p2p({ callbackUrl: '' }),
		expect: /^Callback URL \(item 0\): is empty\. Graph requires an https URL/,
	},
	{
		name: 'callback URL over http',
		parameters: p2p({ callbackUrl: 'http://bot.contoso.com/api/calls' }),
		expect: /^Callback URL \(item 0\): must use https \(got http\)/,
	},
	{
		name: 'callback URL that is not a URL',
		parameters: p2p({ callbackUrl: 'bot.contoso.com/api' }),
		expect: /^Callback URL \(item 0\): "bot\.contoso\.com\/api" is not a URL/,
	},
	{
		name: 'callback URL with user info',
		parameters: p2p({ callbackUrl: 'https://user:pw@bot.contoso.com/' }),
		expect: /^Callback URL \(item 0\): must not contain a user name or password/,
	},
	// Modalities
	{
		name: 'no requested modality',
		parameters: p2p({ requestedModalities: [] }),
		expect: /^Requested Modalities \(item 0\): is empty/,
	},
	{
		name: 'unknown modality',
		parameters: p2p({ requestedModalities: ['audio', 'hologram'] }),
		expect: /^Requested Modalities \(item 0\): "hologram" is not one of audio, video/,
	},
	// Targets
	{
		name: 'peer-to-peer without a target',
		parameters: createParameters('peerToPeer'),
		expect: /^Targets \(item 0\): is empty/,
	},
	{
		name: 'peer-to-peer with two targets',
		parameters: createParameters(
			'peerToPeer',
			targets({ type: 'user', id: ENGINEER }, { type: 'user', id: MANAGER }),
		),
		expect:
			/^Targets \(item 0\): has 2 entries; a peer-to-peer call rings one user\. Choose Call Type › Group Call/,
	},
	{
		name: 'group call with six users',
		parameters: createParameters(
			'groupCall',
			targets(...Array.from({ length: 6 }, () => ({ type: 'user', id: ENGINEER }))),
		),
		expect: /^Targets \(item 0\): has 6 entries; Graph starts group calls with at most 5 users/,
	},
	{
		name: 'group call with one user',
		parameters: createParameters('groupCall', targets({ type: 'user', id: ENGINEER })),
		expect:
			/^Targets \(item 0\): has one entry; a group call rings 2 to 5 users\. For one user choose Call Type › Peer-to-Peer/,
	},
	{
		name: 'target that is a phone number',
		parameters: createParameters('peerToPeer', targets({ type: 'phone', id: '+12345678901' })),
		expect: /^Target 1 › Type \(item 0\): must be Teams \/ Entra User.*Phone Number \(PSTN\)/,
	},
	{
		name: 'target user ID that is not a GUID',
		parameters: createParameters(
			'groupCall',
			targets({ type: 'user', id: 'alex@contoso.com' }, { type: 'user', id: MANAGER }),
		),
		expect: /^Target 1 › User ID \(item 0\): "alex@contoso\.com" is not a GUID/,
	},
	{
		name: 'target with Replaces Call ID',
		parameters: createParameters(
			'peerToPeer',
			targets({ type: 'user', id: ENGINEER, replacesCallId: DEFAULT_CALL_ID }),
		),
		expect: /^Target 1 › Replaces Call ID \(item 0\): applies only to Call Participant › Invite/,
	},
	{
		name: 'group call subject over 256 characters',
		parameters: createParameters('groupCall', {
			...targets({ type: 'user', id: ENGINEER }, { type: 'user', id: MANAGER }),
			subject: 'x'.repeat(257),
		}),
		expect: /^Subject \(item 0\): is longer than 256/,
	},
	// PSTN
	{
		name: 'PSTN without resource account',
		parameters: pstn({ applicationInstanceId: '' }),
		expect:
			/^Resource Account ID \(item 0\): is empty\. Calls to phone numbers start from a Teams resource account/,
	},
	{
		name: 'PSTN resource account that is not a GUID',
		parameters: pstn({ applicationInstanceId: 'incident-line@contoso.com' }),
		expect: /^Resource Account ID \(item 0\): "incident-line@contoso\.com" is not a GUID/,
	},
	{
		name: 'PSTN without phone number',
		parameters: pstn({ phoneNumber: '' }),
		expect: /^Phone Number \(item 0\): is empty/,
	},
	{
		name: 'PSTN number not in E.164',
		parameters: pstn({ phoneNumber: '0044 20 7946 0000' }),
		expect: /^Phone Number \(item 0\): "0044 20 7946 0000" is not an E\.164 phone number/,
	},
	{
		name: 'PSTN tenant that is not a GUID',
		parameters: pstn({ tenantId: 'contoso.onmicrosoft.com' }),
		expect: /^Tenant ID \(item 0\): "contoso\.onmicrosoft\.com" is not a GUID/,
	},
	// Join URL forms that cannot be decoded
	{ name: 'empty join URL', parameters: join(''), expect: /^Join URL \(item 0\): is empty/ },
	{
		name: 'join URL that is not a link',
		parameters: join('meeting tomorrow at 10'),
		expect: /^Join URL \(item 0\): is not a web link/,
	},
	{
		name: 'join URL of another host',
		parameters: join('https://zoom.us/j/123456789'),
		expect: /^Join URL \(item 0\): points to zoom\.us, not to Microsoft Teams/,
	},
	{
		name: 'join URL of Teams (free)',
		parameters: join('https://teams.live.com/meet/9876543210?p=abc'),
		expect:
			/^Join URL \(item 0\): is a link to a Teams \(free\) meeting of a personal Microsoft account/,
	},
	{
		name: 'Teams link that is not a meeting link',
		parameters: join('https://teams.microsoft.com/l/channel/19%3aabc%40thread.tacv2/General'),
		expect:
			/^Join URL \(item 0\): is a Teams link, but not a meeting join link that can be decoded/,
	},
	{
		name: 'meetup-join link without context',
		parameters: join(joinUrl().replace(/\?context=.*$/, '')),
		expect: /^Join URL \(item 0\): is a meetup-join link without its "context" part/,
	},
	{
		name: 'meetup-join link with a cut-off context',
		parameters: join(joinUrl().slice(0, -12)),
		expect: /^Join URL \(item 0\): has a "context" part that is not readable JSON/,
	},
	{
		name: 'meetup-join link without organizer (Oid)',
		parameters: join(joinUrl().replace(/%2c%22Oid.*%7d$/, '%7d')),
		expect: /^Join URL \(item 0\): has a "context" part without the organizer's object ID \(Oid\)/,
	},
	{
		name: 'meetup-join link with a tenant that is not a GUID',
		parameters: join(joinUrl(undefined, 'contoso')),
		expect: /^Join URL \(item 0\): has a "context" part without a tenant ID \(Tid\) GUID/,
	},
	{
		name: 'meetup-join link without thread',
		parameters: join('https://teams.microsoft.com/l/meetup-join/?context=%7b%7d'),
		expect:
			/^Join URL \(item 0\): is a meetup-join link, but its meeting thread .* is missing or unreadable/,
	},
	{
		name: 'meetup-join link with a broken escape in the thread',
		parameters: join(
			'https://teams.microsoft.com/l/meetup-join/19%3ameeting_%E0%A4%A/0?context=%7b%7d',
		),
		expect: /^Join URL \(item 0\): is a meetup-join link, but its meeting thread/,
	},
	{
		name: 'short meeting link without a meeting ID',
		parameters: join('https://teams.microsoft.com/meet/abc?p=x'),
		expect: /^Join URL \(item 0\): is a short meeting link, but "abc" is not a meeting ID/,
	},
	// Meeting ID
	{
		name: 'empty meeting ID',
		parameters: createParameters('joinMeeting', { joinMethod: 'meetingId', meetingId: '' }),
		expect: /^Meeting ID \(item 0\): is empty/,
	},
	{
		name: 'meeting ID with letters',
		parameters: createParameters('joinMeeting', { joinMethod: 'meetingId', meetingId: '234-ABC' }),
		expect: /^Meeting ID \(item 0\): "234-ABC" is not a meeting ID/,
	},
	{
		name: 'passcode with spaces',
		parameters: createParameters('joinMeeting', {
			joinMethod: 'meetingId',
			meetingId: '234567890123',
			passcode: 'ab cd',
		}),
		expect: /^Passcode \(item 0\): must be the passcode alone/,
	},
	// Body properties
	{
		name: 'additional body properties replacing mediaConfig',
		parameters: p2p({ options: { additionalBodyProperties: '{"mediaConfig": {}}' } }),
		expect:
			/^Options › Additional Body Properties \(item 0\): may not set "mediaConfig": this node always uses service-hosted media/,
	},
	{
		name: 'additional body properties replacing callbackUri',
		parameters: p2p({
			options: { additionalBodyProperties: '{"callbackUri": "https://x.example"}' },
		}),
		expect: /^Options › Additional Body Properties \(item 0\): may not set "callbackUri"/,
	},
	// Call ID of the other operations
	{
		name: 'Get with a call ID holding a slash',
		parameters: callParameters('get', 'abc/def'),
		expect: /^Call ID \(item 0\): contains "\/"/,
	},
	{
		name: 'Hang Up with an empty call ID',
		parameters: callParameters('hangUp', ''),
		expect: /^Call ID \(item 0\): is empty/,
	},
	{
		name: 'Keep Alive with a call URL that is not one',
		parameters: callParameters('keepAlive', 'https://graph.microsoft.com/v1.0/me'),
		expect:
			/^Call ID \(item 0\): is a URL, but not one that ends in \/communications\/calls\/\{id\}/,
	},
];

describe('Call: bad input is refused before anything is sent', () => {
	let fx: Fixture;
	before(async () => {
		fx = await startFixture();
	});
	after(async () => await fx.close());

	for (const bad of cases) {
		it(bad.name, async () => await assertRefusedBeforeSending(fx, bad.parameters, bad.expect));
	}

	for (const parameters of [
		p2p(),
		callParameters('get', DEFAULT_CALL_ID),
		callParameters('keepAlive', DEFAULT_CALL_ID),
	]) {
		it(`refuses the China cloud, where Graph offers no calls API (${String(parameters.operation)})`, async () => {
			const store = createCredentialStore({ ...simulatorCredential(fx.sim), cloud: 'china' });
			fx.sim.reset();
			const result = await runNode({ parameters, credentials: store });
			assert.ok(result.error);
			assert.match(
				result.error.message,
				/Credential › Cloud \(item 0\): the Microsoft Graph calls API is not available in the China \(21Vianet\) cloud/,
			);
			assert.equal(fx.sim.requests.length, 0);
		});
	}

	it('needs the tenant GUID when the credential names its tenant by domain (PSTN)', async () => {
		const store = createCredentialStore({
			...simulatorCredential(fx.sim),
			tenantId: 'simulator.onmicrosoft.com',
		});
		fx.sim.reset();
		const result = await runNode({ parameters: pstn(), credentials: store });
		assert.ok(result.error);
		assert.match(
			result.error.message,
			/^Tenant ID \(item 0\): is empty and the credential names its tenant by domain \("simulator\.onmicrosoft\.com"\)/,
		);
		assert.equal(fx.sim.graphRequests().length, 0);
	});
});
