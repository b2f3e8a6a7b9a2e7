/**
 * Self-check of the Graph simulator: starts one with a fresh CA and exercises the token
 * endpoint, the calls API, $batch and the fault knobs over real HTTPS (trusting the CA
 * explicitly, never by disabling verification). Prints PASS/FAIL per check; exits 1 on any
 * failure. Run: npx tsx simulator/selfcheck.ts
 *
 * The last checks run msal-node, @microsoft/microsoft-graph-client and global fetch in a child
 * process that trusts the CA only through NODE_EXTRA_CA_CERTS, as n8n would.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpsRequest } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import {
	createCertificateAuthority,
	createClientCertificate,
	DEFAULT_CALL_ID,
	DEFAULT_CLIENT_ID,
	DEFAULT_CLIENT_SECRET,
	DEFAULT_TENANT_DOMAIN,
	DEFAULT_TENANT_ID,
	GRAPH_ROLES,
	JWT_BEARER_ASSERTION_TYPE,
	signJwt,
	startGraphSimulator,
	type GraphSimulator,
} from './index';
import type { JsonObject } from './json';
import { base64UrlEncode, decodeJwt } from './jwt';

interface HttpAnswer {
	status: number;
	headers: Record<string, string>;
	text: string;
}

interface SendOptions {
	method?: string;
	headers?: Record<string, string>;
	body?: string;
	timeoutMs?: number;
}

/** One HTTPS exchange trusting only the simulator's CA; a fresh connection each time (agent: false). */
function send(sim: GraphSimulator, path: string, options: SendOptions = {}): Promise<HttpAnswer> {
	return new Promise((resolve, reject) => {
		const body = options.body ?? '';
		const req = httpsRequest(
			`${sim.origin}${path}`,
			{
				method: options.method ?? 'GET',
				ca: sim.caCertPem,
				agent: false,
				headers: {
					...(body ? { 'content-length': String(Buffer.byteLength(body)) } : {}),
					...options.headers,
				},
			},
			(res) => {
				const chunks: Buffer[] = [];
				res.on('data', (c: Buffer) => chunks.push(c));
				res.on('end', () => {
					const headers: Record<string, string> = {};
					for (const [k, v] of Object.entries(res.headers))
						if (v !== undefined) headers[k] = Array.isArray(v) ? v.join(', ') : v;
					resolve({
						status: res.statusCode ?? 0,
						headers,
						text: Buffer.concat(chunks).toString('utf8'),
					});
				});
				res.on('error', reject);
			},
		);
		req.on('error', reject);
		if (options.timeoutMs)
			req.setTimeout(options.timeoutMs, () => req.destroy(new Error('client timeout')));
		req.end(body);
	});
}

function json(answer: HttpAnswer): Record<string, unknown> {
	const value: unknown = JSON.parse(answer.text);
	if (typeof value !== 'object' || value === null || Array.isArray(value))
		throw new Error(`not a JSON object: ${answer.text}`);
	return value as Record<string, unknown>;
}

function assert(condition: unknown, message: string): asserts condition {
	if (!condition) throw new Error(message);
}

function form(fields: Record<string, string>): SendOptions {
	return {
		method: 'POST',
		headers: { 'content-type': 'application/x-www-form-urlencoded' },
		body: new URLSearchParams(fields).toString(),
	};
}

function tokenPath(tenant = DEFAULT_TENANT_ID): string {
	return `/${tenant}/oauth2/v2.0/token`;
}

async function tokenFor(
	sim: GraphSimulator,
	fields: Record<string, string>,
	tenant?: string,
): Promise<HttpAnswer> {
	return send(
		sim,
		tokenPath(tenant),
		form({ grant_type: 'client_credentials', scope: `${sim.origin}/.default`, ...fields }),
	);
}

async function secretToken(
	sim: GraphSimulator,
	clientId = DEFAULT_CLIENT_ID,
	secret = DEFAULT_CLIENT_SECRET,
): Promise<string> {
	const answer = await tokenFor(sim, { client_id: clientId, client_secret: secret });
	assert(answer.status === 200, `token request failed: ${answer.status} ${answer.text}`);
	const token = json(answer).access_token;
	assert(typeof token === 'string', 'no access_token');
	return token;
}

function aadstsCode(answer: HttpAnswer): number | undefined {
	const codes = json(answer).error_codes;
	return Array.isArray(codes) && typeof codes[0] === 'number' ? codes[0] : undefined;
}

function graphErrorOf(answer: HttpAnswer): {
	code: unknown;
	message: unknown;
	innerError: Record<string, unknown>;
} {
	const error = json(answer).error as
		{ code: unknown; message: unknown; innerError: Record<string, unknown> } | undefined;
	assert(error && typeof error === 'object', `no Graph error body: ${answer.text}`);
	return error;
}

function invitePath(callId = DEFAULT_CALL_ID, version = 'v1.0'): string {
	return `/${version}/communications/calls/${callId}/participants/invite`;
}

function userParticipant(id: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
	return {
		'@odata.type': '#microsoft.graph.invitationParticipantInfo',
		identity: {
			'@odata.type': '#microsoft.graph.identitySet',
			user: { id, displayName: 'Test user' },
		},
		...extra,
	};
}

function postJson(token: string, body: unknown, headers: Record<string, string> = {}): SendOptions {
	return {
		method: 'POST',
		headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...headers },
		body: typeof body === 'string' ? body : JSON.stringify(body),
	};
}

/** A client assertion as msal-node builds it (PS256 + x5t#S256, or RS256 + x5t). */
function assertion(
	sim: GraphSimulator,
	clientId: string,
	cert: { privateKeyPem: string; thumbprintSha1Hex: string; thumbprintSha256Hex: string },
	alg: 'PS256' | 'RS256',
	overrides: Record<string, string | number> = {},
): string {
	const now = Math.floor(Date.now() / 1000);
	const header: JsonObject =
		alg === 'PS256'
			? { typ: 'JWT', 'x5t#S256': base64UrlEncode(Buffer.from(cert.thumbprintSha256Hex, 'hex')) }
			: { typ: 'JWT', x5t: base64UrlEncode(Buffer.from(cert.thumbprintSha1Hex, 'hex')) };
	const payload = {
		aud: `${sim.origin}${tokenPath()}`,
		iss: clientId,
		sub: clientId,
		jti: `${now}-${Math.random()}`,
		nbf: now,
		exp: now + 600,
		...overrides,
	};
	return signJwt(header, payload, cert.privateKeyPem, alg);
}

type Check = [name: string, run: () => Promise<void>];

const CHILD_SCRIPT = `
const msal = require('@azure/msal-node');
const graph = require('@microsoft/microsoft-graph-client');
const { origin, tenant, clientId, secret, certClientId, certPem, keyPem, thumb256, callId } = JSON.parse(process.env.SIM_INFO);
async function main() {
  const out = {};
  const authority = origin + '/' + tenant;
  const common = { knownAuthorities: [new URL(origin).host] };
  const bySecret = new msal.ConfidentialClientApplication({ auth: { clientId, authority, clientSecret: secret, ...common } });
  const r1 = await bySecret.acquireTokenByClientCredential({ scopes: [origin + '/.default'] });
  out.secretToken = !!(r1 && r1.accessToken);
  const r1b = await bySecret.acquireTokenByClientCredential({ scopes: [origin + '/.default'] });
  out.cached = r1b.accessToken === r1.accessToken;
  const byCert = new msal.ConfidentialClientApplication({ auth: { clientId: certClientId, authority,
    clientCertificate: { thumbprintSha256: thumb256, privateKey: keyPem, x5c: certPem }, ...common } });
  const r2 = await byCert.acquireTokenByClientCredential({ scopes: [origin + '/.default'] });
  out.certToken = !!(r2 && r2.accessToken);
  const wrong = new msal.ConfidentialClientApplication({ auth: { clientId, authority, clientSecret: 'wrong', ...common } });
  try { await wrong.acquireTokenByClientCredential({ scopes: [origin + '/.default'] }); out.wrongSecret = 'no error'; }
  catch (e) { out.wrongSecret = e.errorCode + ' ' + (e.errorNo || '') ; }
  const res = await fetch(origin + '/v1.0/communications/calls/' + callId + '/participants', { headers: { authorization: 'Bearer ' + r1.accessToken } });
  out.fetchStatus = res.status;
  const client = graph.Client.init({ baseUrl: origin, customHosts: new Set([new URL(origin).hostname]),
    authProvider: (done) => done(null, r1.accessToken) });
  const op = await client.api('/communications/calls/' + callId + '/participants/invite')
    .post({ participants: [{ identity: { user: { id: 'aaaaaaaa-0000-4000-8000-000000000009' } } }] });
  out.graphClientInvite = op && op.status;
  try { await client.api('/communications/calls/nope/participants/invite').post({ participants: [] }); out.graphClient404 = 'no error'; }
  catch (e) { out.graphClient404 = e.statusCode + ' ' + e.code; }
  console.log(JSON.stringify(out));
}
main().catch((e) => { console.log(JSON.stringify({ fatal: String(e && e.stack || e) })); });
`;

function runChild(env: Record<string, string>): Promise<Record<string, unknown>> {
	return new Promise((resolve, reject) => {
		execFile(
			process.execPath,
			['-e', CHILD_SCRIPT],
			{ cwd: join(__dirname, '..', '..'), env: { ...process.env, ...env }, timeout: 30_000 },
			(error, stdout, stderr) => {
				if (error) return reject(new Error(`${error.message}\n${stderr}`));
				try {
					resolve(JSON.parse(stdout.trim().split('\n').pop() ?? '{}') as Record<string, unknown>);
				} catch {
					reject(new Error(`child output: ${stdout}\n${stderr}`));
				}
			},
		);
	});
}

async function main(): Promise<void> {
	const sim = await startGraphSimulator({ ca: createCertificateAuthority() });
	const certApp = {
		clientId: '3c2b1a09-7f6e-4d5c-8b4a-39281706f5e4',
		cert: createClientCertificate('selfcheck-client'),
	};
	sim.addApp({
		tenantId: DEFAULT_TENANT_ID,
		clientId: certApp.clientId,
		certificatePem: certApp.cert.certificatePem,
	});
	const noRoleClient = '5e4d3c2b-1a09-4f8e-9d7c-6b5a49382716';
	sim.addApp({
		tenantId: DEFAULT_TENANT_ID,
		clientId: noRoleClient,
		clientSecret: 'no-role-secret',
		roles: [GRAPH_ROLES.joinGroupCallRole],
	});
	const userA = '278405a3-f568-4b3e-b684-009193463064';
	const userB = '7e1b4346-85a6-4bdd-abe3-d11c5d420efe';
	const userC = '1e126418-44a0-4a94-a6f8-0efe1ad71acb';
	let token = '';

	const checks: Check[] = [
		[
			'token with client secret',
			async () => {
				const answer = await tokenFor(sim, {
					client_id: DEFAULT_CLIENT_ID,
					client_secret: DEFAULT_CLIENT_SECRET,
				});
				assert(answer.status === 200, `status ${answer.status}: ${answer.text}`);
				const body = json(answer);
				assert(
					body.token_type === 'Bearer' && body.expires_in === 3599 && body.ext_expires_in === 3599,
					`body ${answer.text}`,
				);
				token = String(body.access_token);
				const jwt = decodeJwt(token);
				assert(jwt && jwt.header.alg === 'RS256' && typeof jwt.header.kid === 'string', 'header');
				const p = jwt.payload;
				assert(
					p.aud === sim.origin &&
						p.appid === DEFAULT_CLIENT_ID &&
						p.appidacr === '1' &&
						p.tid === DEFAULT_TENANT_ID,
					'claims',
				);
				assert(
					p.iss === `https://sts.windows.net/${DEFAULT_TENANT_ID}/` &&
						p.idtyp === 'app' &&
						p.ver === '1.0',
					'iss/idtyp/ver',
				);
				assert(Array.isArray(p.roles) && p.roles.includes(GRAPH_ROLES.inviteRole), 'roles');
				assert(sim.issuedTokens.includes(token), 'issuedTokens');
			},
		],
		[
			'token via tenant domain and trailing-slash resource',
			async () => {
				const answer = await send(
					sim,
					tokenPath(DEFAULT_TENANT_DOMAIN),
					form({
						grant_type: 'client_credentials',
						client_id: DEFAULT_CLIENT_ID,
						client_secret: DEFAULT_CLIENT_SECRET,
						scope: `${sim.origin}//.default`,
					}),
				);
				assert(answer.status === 200, `status ${answer.status}: ${answer.text}`);
			},
		],
		[
			'token with certificate assertion (PS256, x5t#S256)',
			async () => {
				const answer = await tokenFor(sim, {
					client_id: certApp.clientId,
					client_assertion_type: JWT_BEARER_ASSERTION_TYPE,
					client_assertion: assertion(sim, certApp.clientId, certApp.cert, 'PS256'),
				});
				assert(answer.status === 200, `status ${answer.status}: ${answer.text}`);
				const jwt = decodeJwt(String(json(answer).access_token));
				assert(jwt?.payload.appidacr === '2', 'appidacr should be 2');
			},
		],
		[
			'token with certificate assertion (RS256, x5t)',
			async () => {
				const answer = await tokenFor(sim, {
					client_id: certApp.clientId,
					client_assertion_type: JWT_BEARER_ASSERTION_TYPE,
					client_assertion: assertion(sim, certApp.clientId, certApp.cert, 'RS256'),
				});
				assert(answer.status === 200, `status ${answer.status}: ${answer.text}`);
			},
		],
		[
			'assertion problems -> 700027 (wrong key, wrong aud, expired)',
			async () => {
				const other = createClientCertificate('not-registered');
				const cases = [
					assertion(sim, certApp.clientId, other, 'PS256'),
					assertion(sim, certApp.clientId, certApp.cert, 'PS256', {
						aud: `${sim.origin}/other/oauth2/v2.0/token`,
					}),
					assertion(sim, certApp.clientId, certApp.cert, 'PS256', {
						exp: Math.floor(Date.now() / 1000) - 3600,
					}),
					assertion(
						sim,
						certApp.clientId,
						{ ...other, thumbprintSha256Hex: certApp.cert.thumbprintSha256Hex },
						'PS256',
					),
				];
				for (const a of cases) {
					const answer = await tokenFor(sim, {
						client_id: certApp.clientId,
						client_assertion_type: JWT_BEARER_ASSERTION_TYPE,
						client_assertion: a,
					});
					assert(
						answer.status === 401 &&
							aadstsCode(answer) === 700027 &&
							json(answer).error === 'invalid_client',
						`${answer.status} ${answer.text}`,
					);
				}
			},
		],
		[
			'wrong secret -> 401 invalid_client AADSTS7000215',
			async () => {
				const answer = await tokenFor(
					sim,
					{ client_id: DEFAULT_CLIENT_ID, client_secret: 'wrong' },
					undefined,
				);
				const body = json(answer);
				assert(
					answer.status === 401 &&
						body.error === 'invalid_client' &&
						aadstsCode(answer) === 7000215,
					answer.text,
				);
				const description = String(body.error_description);
				assert(
					/^AADSTS7000215: .+\r\nTrace ID: [0-9a-f-]{36}\r\nCorrelation ID: [0-9a-f-]{36}\r\nTimestamp: \d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ$/.test(
						description,
					),
					description,
				);
				assert(
					typeof body.trace_id === 'string' &&
						typeof body.correlation_id === 'string' &&
						typeof body.timestamp === 'string' &&
						typeof body.error_uri === 'string',
					'fields',
				);
			},
		],
		[
			'token endpoint error codes (90002, 50059, 700016, 70011, 70003, 7000222, 7000112)',
			async () => {
				sim.addApp({
					tenantId: DEFAULT_TENANT_ID,
					clientId: 'aaaaaaaa-1111-4111-8111-aaaaaaaaaaaa',
					clientSecret: 's',
					secretExpired: true,
				});
				sim.addApp({
					tenantId: DEFAULT_TENANT_ID,
					clientId: 'bbbbbbbb-2222-4222-8222-bbbbbbbbbbbb',
					clientSecret: 's',
					disabled: true,
				});
				const expectations: Array<[Promise<HttpAnswer>, number, number, string]> = [
					[
						tokenFor(
							sim,
							{ client_id: DEFAULT_CLIENT_ID, client_secret: DEFAULT_CLIENT_SECRET },
							'00000000-0000-4000-8000-000000000000',
						),
						400,
						90002,
						'invalid_request',
					],
					[
						tokenFor(
							sim,
							{ client_id: DEFAULT_CLIENT_ID, client_secret: DEFAULT_CLIENT_SECRET },
							'common',
						),
						400,
						50059,
						'invalid_request',
					],
					[
						tokenFor(sim, {
							client_id: '99999999-9999-4999-8999-999999999999',
							client_secret: 'x',
						}),
						400,
						700016,
						'unauthorized_client',
					],
					[
						tokenFor(sim, {
							client_id: DEFAULT_CLIENT_ID,
							client_secret: DEFAULT_CLIENT_SECRET,
							scope: 'https://graph.microsoft.com/.default',
						}),
						400,
						70011,
						'invalid_scope',
					],
					[
						tokenFor(sim, {
							client_id: DEFAULT_CLIENT_ID,
							client_secret: DEFAULT_CLIENT_SECRET,
							grant_type: 'password',
						}),
						400,
						70003,
						'unsupported_grant_type',
					],
					[
						tokenFor(sim, {
							client_id: 'aaaaaaaa-1111-4111-8111-aaaaaaaaaaaa',
							client_secret: 's',
						}),
						401,
						7000222,
						'invalid_client',
					],
					[
						tokenFor(sim, {
							client_id: 'bbbbbbbb-2222-4222-8222-bbbbbbbbbbbb',
							client_secret: 's',
						}),
						400,
						7000112,
						'unauthorized_client',
					],
				];
				for (const [pending, status, code, error] of expectations) {
					const answer = await pending;
					assert(
						answer.status === status && aadstsCode(answer) === code && json(answer).error === error,
						`expected ${status}/${code}: ${answer.status} ${answer.text}`,
					);
				}
			},
		],
		[
			'invite into the default call -> 200, Location, operation',
			async () => {
				const answer = await send(
					sim,
					invitePath(),
					postJson(
						token,
						{ participants: [userParticipant(userA)], clientContext: 'ctx-1' },
						{ 'client-request-id': 'my-client-request' },
					),
				);
				assert(answer.status === 200, `status ${answer.status}: ${answer.text}`);
				const body = json(answer);
				assert(
					body['@odata.type'] === '#microsoft.graph.inviteParticipantsOperation' &&
						body.status === 'running' &&
						body.clientContext === 'ctx-1',
					answer.text,
				);
				assert(
					body.resultInfo === null &&
						Array.isArray(body.participants) &&
						body.participants.length === 1,
					'participants',
				);
				assert(
					answer.headers.location ===
						`${sim.origin}/v1.0/communications/calls/${DEFAULT_CALL_ID}/operations/${String(body.id)}`,
					`location ${answer.headers.location}`,
				);
				assert(
					answer.headers['client-request-id'] === 'my-client-request' &&
						!!answer.headers['request-id'],
					'ids',
				);
				assert(
					answer.headers['x-ms-ags-diagnostic']?.includes('"DataCenter":"Simulator"') &&
						answer.headers['content-type'] === 'application/json',
					'headers',
				);
				assert(sim.inviteCount(DEFAULT_CALL_ID, `user:${userA}`) === 1, 'inviteCount');
				const rec = sim.invitations[sim.invitations.length - 1];
				assert(
					rec.operationId === body.id && rec.requestId === answer.headers['request-id'],
					'invitation record',
				);
			},
		],
		[
			'replacesCallId quirk: only the first participant is processed',
			async () => {
				const replaces = 'a7ebfb2d-871e-419c-87af-27290b22e8db';
				const answer = await send(
					sim,
					invitePath(),
					postJson(token, {
						participants: [
							userParticipant(userB, { replacesCallId: replaces }),
							userParticipant(userC, { replacesCallId: replaces }),
						],
					}),
				);
				assert(answer.status === 200, answer.text);
				assert(
					sim.inviteCount(DEFAULT_CALL_ID, `user:${userB}`) === 1 &&
						sim.inviteCount(DEFAULT_CALL_ID, `user:${userC}`) === 0,
					'second must be ignored',
				);
				const participants = json(answer).participants;
				assert(
					Array.isArray(participants) && participants.length === 1,
					'operation lists only the first',
				);
			},
		],
		[
			'invite validation -> 400 (bad JSON, phone, v1.0 endpointType, 6 participants, long clientContext, no identity)',
			async () => {
				const bodies: unknown[] = [
					'{"participants": [',
					{ participants: [{ identity: { phone: { id: '12345' } } }] },
					{ participants: [userParticipant(userA, { endpointType: 'voicemail' })] },
					{ participants: Array.from({ length: 6 }, (_, i) => userParticipant(`u${i}`)) },
					{ participants: [userParticipant(userA)], clientContext: 'x'.repeat(257) },
					{ participants: [{ identity: { user: null } }] },
					{ participants: [] },
				];
				const before = sim.invitations.length;
				for (const body of bodies) {
					const answer = await send(sim, invitePath(), postJson(token, body));
					assert(
						answer.status === 400 && graphErrorOf(answer).code === 'BadRequest',
						`${JSON.stringify(body).slice(0, 60)} -> ${answer.status} ${answer.text}`,
					);
				}
				assert(sim.invitations.length === before, 'rejected invites must not be recorded');
				const beta = await send(
					sim,
					invitePath(DEFAULT_CALL_ID, 'beta'),
					postJson(token, { participants: [userParticipant(userA, { endpointType: 'default' })] }),
				);
				assert(beta.status === 200, `beta endpointType: ${beta.status} ${beta.text}`);
				const phone = await send(
					sim,
					invitePath(),
					postJson(token, { participants: [{ identity: { phone: { id: '+12345678901' } } }] }),
				);
				assert(
					phone.status === 200 && sim.inviteCount(DEFAULT_CALL_ID, 'phone:+12345678901') === 1,
					`phone: ${phone.text}`,
				);
			},
		],
		[
			'token without Calls.InitiateGroupCall.All -> 403 7504',
			async () => {
				const weak = await secretToken(sim, noRoleClient, 'no-role-secret');
				const answer = await send(
					sim,
					invitePath(),
					postJson(weak, { participants: [userParticipant(userA)] }),
				);
				const error = graphErrorOf(answer);
				assert(
					answer.status === 403 &&
						error.code === '7504' &&
						error.message ===
							'Insufficient enterprise tenant permissions, you cannot access this API.',
					answer.text,
				);
				assert(
					error.innerError['request-id'] === answer.headers['request-id'] &&
						typeof error.innerError.date === 'string',
					'innerError',
				);
			},
		],
		[
			'unknown call, and a call owned by another app -> 404 8522',
			async () => {
				const unknown = await send(
					sim,
					invitePath('00000000-dead-4bee-8000-000000000000'),
					postJson(token, { participants: [userParticipant(userA)] }),
				);
				assert(unknown.status === 404 && graphErrorOf(unknown).code === '8522', unknown.text);
				sim.addCall({
					id: 'foreign-call',
					ownerClientId: noRoleClient,
					tenantId: DEFAULT_TENANT_ID,
				});
				const foreign = await send(sim, '/v1.0/communications/calls/foreign-call/participants', {
					headers: { authorization: `Bearer ${token}` },
				});
				assert(foreign.status === 404 && graphErrorOf(foreign).code === '8522', foreign.text);
			},
		],
		[
			'GET call and roster shows the invitees',
			async () => {
				const call = await send(sim, `/v1.0/communications/calls/${DEFAULT_CALL_ID}`, {
					headers: { authorization: `Bearer ${token}` },
				});
				assert(
					call.status === 200 &&
						json(call).state === 'established' &&
						json(call).tenantId === DEFAULT_TENANT_ID,
					call.text,
				);
				const roster = await send(
					sim,
					`/v1.0/communications/calls/${DEFAULT_CALL_ID}/participants`,
					{ headers: { authorization: `Bearer ${token}` } },
				);
				assert(roster.status === 200, roster.text);
				const value = json(roster).value as Array<{
					info: { identity: Record<string, { id: string }> };
				}>;
				const ids = value.map(
					(p) => Object.values(p.info.identity).find((v) => typeof v === 'object')?.id,
				);
				assert(
					ids.includes(DEFAULT_CLIENT_ID) &&
						ids.includes(userA) &&
						ids.includes(userB) &&
						ids.includes('+12345678901'),
					`roster ids ${ids.join(',')}`,
				);
				assert(!ids.includes(userC), 'ignored participant must not be in the roster');
			},
		],
		[
			'$batch with 2 steps',
			async () => {
				const batch = {
					requests: [
						{
							id: '1',
							method: 'POST',
							url: `/communications/calls/${DEFAULT_CALL_ID}/participants/invite`,
							headers: { 'Content-Type': 'application/json' },
							body: { participants: [userParticipant(userC)] },
						},
						{
							id: '2',
							method: 'GET',
							url: `/communications/calls/${DEFAULT_CALL_ID}/participants`,
						},
					],
				};
				const answer = await send(sim, '/v1.0/$batch', postJson(token, batch));
				assert(answer.status === 200, answer.text);
				const responses = json(answer).responses as Array<{
					id: string;
					status: number;
					headers: Record<string, string>;
					body: Record<string, unknown>;
				}>;
				assert(
					responses.length === 2 && responses[0].status === 200 && responses[1].status === 200,
					answer.text,
				);
				assert(
					responses[0].headers.location?.includes('/operations/') &&
						responses[0].body.status === 'running',
					'step 1',
				);
				assert(
					sim.inviteCount(DEFAULT_CALL_ID, `user:${userC}`) === 1 &&
						sim.invitations[sim.invitations.length - 1].batchStepId === '1',
					'recorded',
				);
			},
		],
		[
			'$batch: a queued 503 hits one step; more than 20 steps -> 400',
			async () => {
				sim.faults.nextGraphFaults.push({ kind: 'status', status: 503, retryAfterSeconds: 7 });
				const step = (id: string) => ({
					id,
					method: 'GET',
					url: `/communications/calls/${DEFAULT_CALL_ID}`,
				});
				const answer = await send(
					sim,
					'/v1.0/$batch',
					postJson(token, { requests: [step('a'), step('b')] }),
				);
				const responses = json(answer).responses as Array<{
					status: number;
					headers: Record<string, string>;
				}>;
				assert(
					answer.status === 200 &&
						responses[0].status === 503 &&
						responses[0].headers['retry-after'] === '7' &&
						responses[1].status === 200,
					answer.text,
				);
				const big = await send(
					sim,
					'/v1.0/$batch',
					postJson(token, { requests: Array.from({ length: 21 }, (_, i) => step(String(i))) }),
				);
				assert(big.status === 400 && graphErrorOf(big).code === 'BadRequest', big.text);
			},
		],
		[
			'expired token after expireTokens() -> 401',
			async () => {
				const before = await secretToken(sim);
				sim.expireTokens();
				const answer = await send(
					sim,
					invitePath(),
					postJson(before, { participants: [userParticipant(userA)] }),
				);
				const error = graphErrorOf(answer);
				assert(
					answer.status === 401 &&
						error.code === 'InvalidAuthenticationToken' &&
						error.message === 'Lifetime validation failed, the token is expired.',
					answer.text,
				);
				assert(answer.headers['www-authenticate']?.startsWith('Bearer '), 'WWW-Authenticate');
				token = await secretToken(sim); // new tokens work again
				const again = await send(sim, `/v1.0/communications/calls/${DEFAULT_CALL_ID}`, {
					headers: { authorization: `Bearer ${token}` },
				});
				assert(again.status === 200, again.text);
				const none = await send(sim, `/v1.0/communications/calls/${DEFAULT_CALL_ID}`);
				assert(
					none.status === 401 && graphErrorOf(none).message === 'Access token is empty.',
					none.text,
				);
			},
		],
		[
			'429 fault with Retry-After, not processed',
			async () => {
				const before = sim.invitations.length;
				sim.faults.nextGraphFaults.push({ kind: 'status', status: 429, retryAfterSeconds: 2 });
				const answer = await send(
					sim,
					invitePath(),
					postJson(token, { participants: [userParticipant(userA)] }),
				);
				assert(
					answer.status === 429 &&
						answer.headers['retry-after'] === '2' &&
						graphErrorOf(answer).code === 'TooManyRequests',
					answer.text,
				);
				assert(sim.invitations.length === before, 'must not be processed');
				sim.faults.throttleRate = 1;
				sim.faults.throttleRetryAfterSeconds = 3;
				const throttled = await send(sim, `/v1.0/communications/calls/${DEFAULT_CALL_ID}`, {
					headers: { authorization: `Bearer ${token}` },
				});
				sim.faults.throttleRate = 0;
				assert(
					throttled.status === 429 && throttled.headers['retry-after'] === '3',
					throttled.text,
				);
				const last = sim.graphRequests()[sim.graphRequests().length - 1];
				assert(last.status === 429 && last.fault === 'throttle', 'recorded');
			},
		],
		[
			'reset / resetAfterProcessing / malformed / hang faults',
			async () => {
				const count = () => sim.inviteCount(DEFAULT_CALL_ID, `user:${userA}`);
				const before = count();
				sim.faults.nextGraphFaults.push({ kind: 'reset' });
				const reset = await send(
					sim,
					invitePath(),
					postJson(token, { participants: [userParticipant(userA)] }),
				).then(
					() => 'answered',
					(e: Error) => e.message,
				);
				assert(reset !== 'answered' && count() === before, `reset: ${reset}`);
				sim.faults.nextGraphFaults.push({ kind: 'resetAfterProcessing' });
				const after = await send(
					sim,
					invitePath(),
					postJson(token, { participants: [userParticipant(userA)] }),
				).then(
					() => 'answered',
					(e: Error) => e.message,
				);
				assert(
					after !== 'answered' && count() === before + 1,
					`resetAfterProcessing: ${after}, count ${count()}`,
				);
				sim.faults.nextGraphFaults.push({ kind: 'malformed' });
				const malformed = await send(
					sim,
					invitePath(),
					postJson(token, { participants: [userParticipant(userA)] }),
				);
				assert(
					malformed.status === 200 && malformed.headers['content-type'] === 'application/json',
					'malformed status',
				);
				let parsed = true;
				try {
					JSON.parse(malformed.text);
				} catch {
					parsed = false;
				}
				assert(!parsed, 'malformed body must not parse');
				sim.faults.nextGraphFaults.push({ kind: 'hang' });
				const hang = await send(sim, `/v1.0/communications/calls/${DEFAULT_CALL_ID}`, {
					headers: { authorization: `Bearer ${token}` },
					timeoutMs: 300,
				}).then(
					() => 'answered',
					(e: Error) => e.message,
				);
				assert(hang === 'client timeout', `hang: ${hang}`);
			},
		],
		[
			'latency knob delays Graph answers',
			async () => {
				sim.faults.latencyMs = 250;
				const started = Date.now();
				const answer = await send(sim, `/v1.0/communications/calls/${DEFAULT_CALL_ID}`, {
					headers: { authorization: `Bearer ${token}` },
				});
				sim.faults.latencyMs = 0;
				assert(
					answer.status === 200 && Date.now() - started >= 240,
					`took ${Date.now() - started} ms`,
				);
			},
		],
		[
			'token faults (aadsts, status, reset)',
			async () => {
				sim.faults.nextTokenFaults.push(
					{ kind: 'aadsts', code: 7000222 },
					{ kind: 'status', status: 503 },
					{ kind: 'reset' },
				);
				const a = await tokenFor(sim, {
					client_id: DEFAULT_CLIENT_ID,
					client_secret: DEFAULT_CLIENT_SECRET,
				});
				assert(a.status === 401 && aadstsCode(a) === 7000222, a.text);
				const b = await tokenFor(sim, {
					client_id: DEFAULT_CLIENT_ID,
					client_secret: DEFAULT_CLIENT_SECRET,
				});
				assert(b.status === 503 && json(b).error === 'temporarily_unavailable', b.text);
				const c = await tokenFor(sim, {
					client_id: DEFAULT_CLIENT_ID,
					client_secret: DEFAULT_CLIENT_SECRET,
				}).then(
					() => 'answered',
					(e: Error) => e.message,
				);
				assert(c !== 'answered', 'reset');
				const d = await tokenFor(sim, {
					client_id: DEFAULT_CLIENT_ID,
					client_secret: DEFAULT_CLIENT_SECRET,
				});
				assert(d.status === 200, 'queue drained');
			},
		],
		[
			'unknown path 404, wrong method 405, body > 1 MiB 413',
			async () => {
				const auth = { authorization: `Bearer ${token}` };
				const unknown = await send(sim, '/v1.0/me/drive', { headers: auth });
				assert(unknown.status === 404 && graphErrorOf(unknown).code === 'NotFound', unknown.text);
				const method = await send(sim, invitePath(), { headers: auth });
				assert(method.status === 405 && method.headers.allow === 'POST', method.text);
				const big = await send(
					sim,
					invitePath(),
					postJson(token, 'x'.repeat(1024 * 1024 + 1)),
				).then(
					(a) => a.status,
					(e: Error) => e.message,
				);
				assert(big === 413, `413: ${String(big)}`);
			},
		],
		[
			'metadata: openid-configuration, instance discovery, keys',
			async () => {
				const oidc = await send(sim, `/${DEFAULT_TENANT_ID}/v2.0/.well-known/openid-configuration`);
				assert(
					oidc.status === 200 &&
						json(oidc).token_endpoint === `${sim.origin}${tokenPath()}` &&
						json(oidc).issuer === `${sim.origin}/${DEFAULT_TENANT_ID}/v2.0`,
					oidc.text,
				);
				const instance = await send(
					sim,
					`/common/discovery/instance?api-version=1.1&authorization_endpoint=${encodeURIComponent(`${sim.origin}/${DEFAULT_TENANT_ID}/oauth2/v2.0/authorize`)}`,
				);
				const metadata = json(instance).metadata as Array<{ preferred_network: string }>;
				assert(
					instance.status === 200 && metadata[0].preferred_network === `127.0.0.1:${sim.port}`,
					instance.text,
				);
				const keys = await send(sim, `/${DEFAULT_TENANT_ID}/discovery/v2.0/keys`);
				assert(keys.status === 200 && Array.isArray(json(keys).keys), keys.text);
				assert(sim.requests.filter((r) => r.kind === 'metadata').length >= 3, 'kind metadata');
			},
		],
		[
			'msal-node, graph-client and fetch in a child trusting NODE_EXTRA_CA_CERTS',
			async () => {
				const dir = mkdtempSync(join(tmpdir(), 'graph-sim-'));
				try {
					const caFile = join(dir, 'ca.pem');
					writeFileSync(caFile, sim.caCertPem);
					const info = {
						origin: sim.origin,
						tenant: DEFAULT_TENANT_ID,
						clientId: DEFAULT_CLIENT_ID,
						secret: DEFAULT_CLIENT_SECRET,
						certClientId: certApp.clientId,
						certPem: certApp.cert.certificatePem,
						keyPem: certApp.cert.privateKeyPem,
						thumb256: certApp.cert.thumbprintSha256Hex,
						callId: DEFAULT_CALL_ID,
					};
					const out = await runChild({
						NODE_EXTRA_CA_CERTS: caFile,
						SIM_INFO: JSON.stringify(info),
					});
					assert(!out.fatal, String(out.fatal));
					assert(
						out.secretToken === true && out.cached === true && out.certToken === true,
						JSON.stringify(out),
					);
					assert(
						String(out.wrongSecret).includes('7000215'),
						`wrongSecret ${String(out.wrongSecret)}`,
					);
					assert(
						out.fetchStatus === 200 &&
							out.graphClientInvite === 'running' &&
							out.graphClient404 === '404 8522',
						JSON.stringify(out),
					);
				} finally {
					rmSync(dir, { recursive: true, force: true });
				}
			},
		],
		[
			'reset() clears requests, invitations and faults; close() is clean',
			async () => {
				sim.faults.nextGraphFaults.push({ kind: 'hang' });
				sim.reset();
				assert(
					sim.requests.length === 0 &&
						sim.invitations.length === 0 &&
						sim.faults.nextGraphFaults.length === 0,
					'cleared',
				);
				assert(sim.getCall(DEFAULT_CALL_ID)?.participants.length === 1, 'roster back to the bot');
				const answer = await send(sim, `/v1.0/communications/calls/${DEFAULT_CALL_ID}`, {
					headers: { authorization: `Bearer ${token}` },
				});
				const recorded = (): number => sim.requests.length; // a function: TS would keep the narrowed length 0 from above
				assert(
					answer.status === 200 && recorded() === 1 && sim.requests[0].status === 200,
					'still serving, recording',
				);
			},
		],
	];

	let failures = 0;
	for (const [name, run] of checks) {
		try {
			await run();
			console.log(`PASS  ${name}`);
		} catch (error) {
			failures += 1;
			console.log(`FAIL  ${name}\n      ${error instanceof Error ? error.message : String(error)}`);
		}
	}
	await sim.close();
	console.log(
		failures === 0
			? `\nAll ${checks.length} checks passed.`
			: `\n${failures} of ${checks.length} checks FAILED.`,
	);
	process.exitCode = failures === 0 ? 0 : 1;
}

main().catch((error: unknown) => {
	console.error(error);
	process.exitCode = 1;
});
