/**
 * Malformed and hostile requests for a Graph callback receiver (the trigger's webhook and the
 * keypress page's waiting webhook): header types and encodings, token shapes, bodies and sizes,
 * and for a page, call IDs, look-alike URLs and prompt links. Used in process
 * (test/callbacks.hostile.test.ts) and against real n8n (test/e2e/examples/hostile.ts).
 *
 * Each request says which answers the receiver may give. None of them may start an execution,
 * resume a waiting one, or be answered 500.
 */
import { generateKeyPairSync } from 'node:crypto';

import { base64UrlEncode, signJwt, toneNotification, type TokenOptions } from '../../simulator';

export interface HostileRequest {
	name: string;
	method: 'POST' | 'GET';
	/** Absolute URL (the receiver's, or a variant of it). */
	url: string;
	headers: Record<string, string>;
	body?: string;
	/** Answers the node may give; real n8n may answer some bodies itself (`n8nMayAnswer`). */
	expect: number[];
	/** A body n8n's own parser may refuse before the node sees it (malformed JSON, …). */
	n8nMayAnswer?: boolean;
}

/** Signs a token like the platform's (the simulator's CallbackCenter.signToken). */
export type Signer = (options?: TokenOptions) => string;

const json = { 'content-type': 'application/json' };
const bearer = (token: string) => ({ ...json, authorization: `Bearer ${token}` });
const part = (value: unknown) => base64UrlEncode(JSON.stringify(value));

/** A token whose header is exactly `header` (no signing library would write most of these). */
function rawToken(header: unknown, payload: Record<string, unknown> = { aud: 'x' }): string {
	return `${part(header)}.${part(payload)}.${base64UrlEncode('signature')}`;
}

function envelope(notifications: unknown[]): string {
	return JSON.stringify({
		'@odata.type': '#microsoft.graph.commsNotifications',
		value: notifications,
	});
}

/** What every receiver must refuse: headers, tokens and bodies. */
export function hostileRequests(options: {
	url: string;
	sign: Signer;
	/** The call the receiver's notifications are about (a page's own call, or any). */
	callId: string;
}): HostileRequest[] {
	const { url, sign } = options;
	const tone = envelope([toneNotification(options.callId, 'tone1', 1)]);
	const forgedKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
	const throwing = { toString: 1, valueOf: 1 };
	const post = (
		name: string,
		headers: Record<string, string>,
		body: string,
		expect: number[],
		n8nMayAnswer = false,
	): HostileRequest => ({ name, method: 'POST', url, headers, body, expect, n8nMayAnswer });
	const unauthorized = [401];
	return [
		// Headers and their encodings.
		post('no Authorization header', json, tone, unauthorized),
		post('an empty Authorization header', { ...json, authorization: '' }, tone, unauthorized),
		post('"Bearer" and nothing else', { ...json, authorization: 'Bearer' }, tone, unauthorized),
		post('Basic credentials', { ...json, authorization: 'Basic dXNlcjpwYXNz' }, tone, unauthorized),
		post('Bearer and two tokens', bearer(`${sign()} ${sign()}`), tone, unauthorized),
		post(
			'a token in Latin-1 bytes',
			bearer('\u00ff\u00fe\u00e9.\u00e8.\u00e0'),
			tone,
			unauthorized,
		),
		post('a token of 12,000 characters', bearer('a'.repeat(12_000)), tone, unauthorized),
		// Beyond Node's 16 KB of headers: the HTTP server answers 431 before any node runs.
		post('a token of 20,000 characters', bearer('a'.repeat(20_000)), tone, [431]),
		// Token shapes a library could choke on.
		post('not a JWT', bearer('not-a-jwt'), tone, unauthorized),
		post('three parts of garbage', bearer('a.b.c'), tone, unauthorized),
		post(
			'a header that is not JSON',
			bearer(`${base64UrlEncode('{')}.e30.c2ln`),
			tone,
			unauthorized,
		),
		post('a header that is a list', bearer(rawToken(['RS256'])), tone, unauthorized),
		post('a header that is null', bearer(rawToken(null)), tone, unauthorized),
		post(
			'alg an object with a throwing conversion',
			bearer(rawToken({ alg: throwing, kid: 'k' })),
			tone,
			unauthorized,
		),
		post('alg a list', bearer(rawToken({ alg: ['RS256'], kid: 'k' })), tone, unauthorized),
		post('alg a number', bearer(rawToken({ alg: 256, kid: 'k' })), tone, unauthorized),
		post(
			'kid an object with a throwing conversion',
			bearer(rawToken({ alg: 'RS256', kid: throwing })),
			tone,
			unauthorized,
		),
		post(
			'alg "none"',
			bearer(`${part({ alg: 'none', kid: 'k' })}.${part({})}.`),
			tone,
			unauthorized,
		),
		post(
			'a payload that is not JSON',
			bearer(`${part({ alg: 'RS256', kid: 'k' })}.${base64UrlEncode('[')}.c2ln`),
			tone,
			unauthorized,
		),
		// 401, or 503 while the forged kid cannot be looked up in fresh keys yet: never accepted.
		post(
			'signed with an unpublished key',
			bearer(sign({ privateKey: forgedKey })),
			tone,
			[401, 503],
		),
		post(
			'signed by an RS256 key named as another algorithm',
			bearer(
				signJwt({ typ: 'JWT', kid: 'k' }, { aud: 'x' }, forgedKey, 'RS256').replace(
					/^[^.]+/,
					part({ alg: 'HS256', kid: 'k' }),
				),
			),
			tone,
			unauthorized,
		),
		post(
			'expired an hour ago',
			bearer(sign({ claims: { exp: Math.floor(Date.now() / 1000) - 3600 } })),
			tone,
			unauthorized,
		),
		post(
			'for another app',
			bearer(sign({ claims: { aud: '0b0b0b0b-0000-4000-8000-000000000000' } })),
			tone,
			unauthorized,
		),
		post(
			'for another tenant',
			bearer(sign({ claims: { tid: 'aa67bd4c-8475-432d-bd41-39f255720e0a' } })),
			tone,
			unauthorized,
		),
		// Genuine tokens with bodies that are not Graph's.
		post('malformed JSON', bearer(sign()), '{"value": [', [400], true),
		post('a JSON list', bearer(sign()), '[]', [400]),
		post('JSON null', bearer(sign()), 'null', [400], true),
		post('a JSON string', bearer(sign()), '"value"', [400], true),
		post('"value" not a list', bearer(sign()), '{"value": "x"}', [400]),
		post('"value" of numbers', bearer(sign()), '{"value": [1, 2, 3]}', [400]),
		post(
			'"value" of objects without a resourceUrl',
			bearer(sign()),
			'{"value": [{}, {"a": 1}]}',
			[400],
		),
		post(
			'101 notifications in one envelope',
			bearer(sign()),
			envelope(Array.from({ length: 101 }, () => toneNotification(options.callId, 'tone1', 1))),
			[400],
		),
		post(
			'__proto__ keys',
			bearer(sign()),
			'{"__proto__": {"value": []}, "constructor": {"prototype": {"polluted": true}}}',
			[400],
		),
		post(
			'JSON nested 5,000 deep',
			bearer(sign()),
			`${'['.repeat(5_000)}${']'.repeat(5_000)}`,
			[400],
			true,
		),
		post(
			'a body of 2 MB',
			bearer(sign()),
			JSON.stringify({ value: [], padding: 'x'.repeat(2 * 1024 * 1024) }),
			[202],
			true,
		),
	];
}

/** What a keypress page must also refuse: its URL's binding, Graph's call IDs, its prompt link. */
export function hostilePageRequests(options: {
	/** The call's callbackUri (the waiting URL with start time and binding token). */
	callbackUri: string;
	sign: Signer;
	callId: string;
}): HostileRequest[] {
	const { callbackUri, sign } = options;
	const url = new URL(callbackUri);
	const variant = (edit: (u: URL) => void): string => {
		const copy = new URL(url.toString());
		edit(copy);
		return copy.toString();
	};
	const tone = (callId: string) => envelope([toneNotification(callId, 'tone1', 1)]);
	const post = (name: string, target: string, body: string, expect: number[]): HostileRequest => ({
		name,
		method: 'POST',
		url: target,
		headers: bearer(sign()),
		body,
		expect,
	});
	const get = (name: string, target: string): HostileRequest => ({
		name,
		method: 'GET',
		url: target,
		headers: {},
		expect: [404],
	});
	const promptLink = (token: string | string[]) =>
		variant((u) => {
			for (const name of ['startedAt', 'binding']) u.searchParams.delete(name);
			for (const value of [token].flat()) u.searchParams.append('prompt', value);
		});
	const braced = `{${options.callId}}`;
	return [
		post(
			'a genuine tone at the URL without its binding token',
			variant((u) => u.searchParams.delete('binding')),
			tone(options.callId),
			[404],
		),
		post(
			'a genuine tone at the URL with another binding token',
			variant((u) => u.searchParams.set('binding', 'A'.repeat(43))),
			tone(options.callId),
			[404],
		),
		post(
			'a genuine tone at the URL with another start time',
			variant((u) => u.searchParams.set('startedAt', '1700000000000')),
			tone(options.callId),
			[404],
		),
		post(
			'a binding token of the right length in characters, not in bytes',
			variant((u) => u.searchParams.set('binding', `${'é'.repeat(2)}${'A'.repeat(41)}`)),
			tone(options.callId),
			[404],
		),
		post(
			'the binding token twice',
			variant((u) => u.searchParams.append('binding', u.searchParams.get('binding') ?? '')),
			tone(options.callId),
			[404],
		),
		post(`a tone for the call written ${braced}`, callbackUri, tone(braced), [202]),
		post('a tone for the call "."', callbackUri, tone('.'), [202]),
		post('a tone for the call "../.."', callbackUri, tone('../..'), [202]),
		post('a tone for a call ID of 10,000 characters', callbackUri, tone('a'.repeat(10_000)), [202]),
		get('the prompt link without a token', promptLink([])),
		get('the prompt link with a wrong token', promptLink('A'.repeat(43))),
		get(
			'the prompt link with a token of the right length in characters, not in bytes',
			promptLink(`${'é'.repeat(2)}${'A'.repeat(41)}`),
		),
		get('the prompt link with the token twice', promptLink(['A'.repeat(43), 'A'.repeat(43)])),
		get('the prompt link with a token of 10,000 characters', promptLink('A'.repeat(10_000))),
	];
}
