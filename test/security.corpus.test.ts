/**
 * Runs every case of test/fixtures/bad-input-corpus.json through the node (n8n-core's real
 * ExecuteContext) against the simulator. A case expects one of:
 * - error: a NodeOperationError "<field> (item N): …" and the simulator received nothing at all
 *   (no token request, no Graph request) for that item;
 * - request: exactly one Graph request, with this method, path and body (and headers, if given),
 *   to the configured origin;
 * - dryRun: the described request (URL and body), nothing received by the simulator, and
 *   neither the Authorization header nor any configured secret in the output.
 *
 * Values may be written with small generators, so the corpus stays data:
 * {"$repeat": s, "times": n} (text repeated, or a list of n copies), {"$concat": [...]},
 * {"$repeatJson": v, "times": n} (JSON text of a list of n copies), {"$nest": base, "key": k,
 * "depth": n} (base with k nested n levels deep), {"$nestJson": …} (the same as JSON text;
 * "wrap": "list" puts it in a list), {"$jsonText": text} (JSON.parse(text), so "__proto__"
 * arrives as an own key).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';

import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { createCredentialStore, runNode } from '../harness/runNode';
import {
	createClientCertificate,
	DEFAULT_CLIENT_ID,
	DEFAULT_CLIENT_SECRET,
	DEFAULT_TENANT_ID,
} from '../simulator';
import {
	inviteParameters,
	simulatorCredential,
	startFixture,
	type Fixture,
} from './support/fixture';

const USER = '278405a3-f568-4b3e-b684-009193463064';

interface CorpusCase {
	id: string;
	category: string;
	attack: string;
	parameters: Record<string, unknown>;
	items?: IDataObject[];
	/** Which credential: the default client secret, a certificate, or a secret plus a stored token. */
	credential?: 'certificate' | 'storedToken';
	/** Items before the failing one that are sent (continue-on-fail off: the run stops there). */
	sentBefore?: number;
	expect:
		| { error: { field: string; item: number; contains: string } }
		| { request: { method: string; path: string; body: unknown; headers?: Record<string, string> } }
		| { dryRun: { url: string; body: unknown } };
}

export const CORPUS_PATH = join(__dirname, 'fixtures', 'bad-input-corpus.json');
export const corpus = JSON.parse(readFileSync(CORPUS_PATH, 'utf8')) as CorpusCase[];

function nest(key: string, depth: number): unknown {
	let chain: unknown = 1;
	for (let level = 0; level < depth; level++) chain = { [key]: chain };
	return chain;
}

/** Expands the generators described above; everything else is returned as it is. */
export function expand(value: unknown): unknown {
	if (Array.isArray(value)) return value.map(expand);
	if (!value || typeof value !== 'object') return value;
	const spec = value as Record<string, unknown>;
	if ('$repeat' in spec) {
		const times = spec.times as number;
		const unit = expand(spec.$repeat);
		return typeof unit === 'string'
			? unit.repeat(times)
			: Array.from({ length: times }, () => structuredClone(unit));
	}
	if ('$concat' in spec)
		return (spec.$concat as unknown[]).map((part) => String(expand(part))).join('');
	if ('$repeatJson' in spec)
		return JSON.stringify(
			Array.from({ length: spec.times as number }, () => expand(spec.$repeatJson)),
		);
	if ('$nest' in spec || '$nestJson' in spec) {
		const base = expand(spec.$nest ?? spec.$nestJson) as Record<string, unknown>;
		let nested: unknown = {
			...base,
			[spec.key as string]: nest(spec.key as string, spec.depth as number),
		};
		if (spec.wrap === 'list') nested = [nested];
		return '$nestJson' in spec ? JSON.stringify(nested) : nested;
	}
	if ('$jsonText' in spec) return JSON.parse(spec.$jsonText as string);
	return Object.fromEntries(Object.entries(spec).map(([key, entry]) => [key, expand(entry)]));
}

function parametersOf(entry: CorpusCase): INodeParameters {
	return {
		...inviteParameters([{ type: 'user', id: USER }]),
		...(expand(entry.parameters) as INodeParameters),
	};
}

/** Every configured secret of the credential a case runs with. */
function secretsOf(credential: Record<string, unknown>): string[] {
	const values = [credential.clientSecret, credential.privateKey, credential.accessToken].filter(
		(v): v is string => typeof v === 'string' && v !== '',
	);
	// A PEM key is also matched by its base64 body lines, so a partial leak is caught.
	const keyLines =
		typeof credential.privateKey === 'string'
			? credential.privateKey
					.split('\n')
					.filter((line) => line.length >= 40 && !line.startsWith('-----'))
			: [];
	return [...values, ...keyLines];
}

describe('Security corpus: hostile input through the node', () => {
	let fx: Fixture;
	const stores: Record<
		string,
		{ store: ReturnType<typeof createCredentialStore>; secrets: string[] }
	> = {};

	before(async () => {
		fx = await startFixture();
		const client = createClientCertificate();
		const secretCredential = simulatorCredential(fx.sim);
		const certificateCredential = simulatorCredential(fx.sim, {
			authentication: 'certificate',
			privateKey: client.privateKeyPem,
			certificate: client.certificatePem,
			clientSecret: '',
		});
		const storedTokenCredential = simulatorCredential(fx.sim, {
			accessToken: 'stored-access-token-Zq81mXv2',
		});
		stores.default = { store: fx.credentials, secrets: secretsOf(secretCredential) };
		stores.certificate = {
			store: createCredentialStore(certificateCredential),
			secrets: secretsOf(certificateCredential),
		};
		stores.storedToken = {
			store: createCredentialStore(storedTokenCredential),
			secrets: secretsOf(storedTokenCredential),
		};
		assert.deepEqual([DEFAULT_TENANT_ID, DEFAULT_CLIENT_ID].length, 2);
		assert.ok(stores.default.secrets.includes(DEFAULT_CLIENT_SECRET));
	});
	after(async () => await fx.close());

	it('holds at least 60 cases, each with a unique id, a category and one expected outcome', () => {
		assert.ok(corpus.length >= 60, `only ${corpus.length} cases`);
		assert.equal(new Set(corpus.map((c) => c.id)).size, corpus.length, 'case ids are unique');
		for (const entry of corpus) {
			assert.ok(entry.category && entry.attack, `${entry.id} names its category and attack`);
			assert.equal(Object.keys(entry.expect).length, 1, `${entry.id} states exactly one outcome`);
		}
	});

	for (const entry of corpus) {
		it(`[${entry.category}] ${entry.id}: ${entry.attack}`, async () => {
			fx.sim.reset();
			const { store, secrets } = stores[entry.credential ?? 'default'];
			const items = entry.items
				? (expand(entry.items) as IDataObject[]).map((json) => ({ json }))
				: undefined;
			const result = await runNode({ parameters: parametersOf(entry), items, credentials: store });
			const expectation = entry.expect;

			if ('error' in expectation) {
				const { field, item, contains } = expectation.error;
				assert.ok(result.error, 'the node must fail');
				assert.equal(result.error.name, 'NodeOperationError', result.error.message);
				const prefix = `${field} (item ${item}): `;
				assert.ok(
					result.error.message.startsWith(prefix),
					`"${result.error.message.slice(0, 300)}" starts with "${prefix}"`,
				);
				assert.ok(
					result.error.message.includes(contains),
					`"${result.error.message.slice(0, 300)}" contains "${contains}"`,
				);
				assert.ok(
					result.error.message.length < 2000,
					'the message stays short, whatever the input length',
				);
				const sentBefore = entry.sentBefore ?? 0;
				if (sentBefore === 0)
					assert.equal(
						fx.sim.requests.length,
						0,
						'the simulator received nothing, not even a token request',
					);
				else
					assert.equal(
						fx.invites().length,
						sentBefore,
						'only the items before the bad one were sent',
					);
				return;
			}

			if ('request' in expectation) {
				assert.equal(result.error, undefined, result.error?.message);
				const graph = fx.sim.graphRequests();
				assert.equal(graph.length, 1, 'exactly one Graph request');
				const [request] = graph;
				assert.equal(request.method, expectation.request.method);
				assert.equal(request.path, expectation.request.path);
				assert.deepEqual(JSON.parse(request.body), expectation.request.body);
				for (const [name, value] of Object.entries(expectation.request.headers ?? {}))
					assert.equal(request.headers[name], value, `header ${name}`);
				assert.match(
					request.headers.authorization ?? '',
					/^Bearer /,
					'the token went to the configured origin only',
				);
				return;
			}

			assert.equal(result.error, undefined, result.error?.message);
			const [output] = result.output?.[0] ?? [];
			assert.ok(output, 'one output item');
			const json = output.json;
			assert.equal(json.dryRun, true);
			assert.equal(json.url, expectation.dryRun.url.replace('{origin}', fx.sim.origin));
			assert.deepEqual(json.body, expectation.dryRun.body);
			const text = JSON.stringify(json);
			assert.ok(
				!Object.keys(json.headers as IDataObject).some(
					(name) => name.toLowerCase() === 'authorization',
				),
				'no Authorization header in a dry run',
			);
			assert.doesNotMatch(
				text,
				/Bearer|eyJ[A-Za-z0-9_-]{10,}/,
				'no bearer token or JWT in a dry run',
			);
			for (const secret of secrets)
				assert.ok(!text.includes(secret), 'no configured secret in the dry-run output');
			assert.equal(fx.sim.requests.length, 0, 'a dry run sends nothing, not even a token request');
		});
	}
});
