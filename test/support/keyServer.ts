/**
 * A notification key server whose every misbehaviour can be chosen per path: the OpenID
 * configuration and JWKS of a calling platform, served over https on 127.0.0.1 (leaf from the
 * test CA), and a plain-http twin that a redirect can point to. Used by the in-process trigger
 * tests and by the real-n8n trigger suite; node built-ins only (the e2e tsconfig is stricter).
 *
 * Paths: `/{scenario}/openid` and `/{scenario}/keys`, where the scenario's first word is its
 * behaviour (`ok-1`, `hang`, `redirect-config`…) unless `setBehaviour` overrides it.
 */
import { createHash, generateKeyPairSync, randomUUID, sign, type KeyObject } from 'node:crypto';
import {
	createServer as createHttpServer,
	type IncomingMessage,
	type ServerResponse,
} from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { Socket } from 'node:net';

export type KeyServerBehaviour =
	/** Configuration and JWKS as the platform serves them. */
	| 'ok'
	/** Accepts the connection and never answers. */
	| 'hang'
	/** 500 on everything. */
	| 'down'
	/** The configuration answers 302 to the same document on plain http. */
	| 'redirect-config'
	/** The JWKS answers 302 to the same keys on plain http. */
	| 'redirect-keys'
	/** The configuration's jwks_uri names another host (localhost instead of 127.0.0.1). */
	| 'foreign-host'
	/** The JWKS is padded to about 1 MB (keys still valid). */
	| 'oversized';

const BEHAVIOURS: readonly KeyServerBehaviour[] = [
	'ok',
	'hang',
	'down',
	'redirect-config',
	'redirect-keys',
	'foreign-host',
	'oversized',
];

export interface KeyServerRequest {
	scheme: 'https' | 'http';
	path: string;
	at: number;
}

export interface KeyServer {
	/** https://127.0.0.1:port */
	origin: string;
	/** The OpenID configuration URL of a scenario. */
	configurationUrl(scenario: string): string;
	/** Every request, both listeners, in order (live array). */
	requests: KeyServerRequest[];
	/** Requests for a scenario's documents (either scheme). */
	count(scenario: string, document?: 'openid' | 'keys', scheme?: 'https' | 'http'): number;
	setBehaviour(scenario: string, behaviour: KeyServerBehaviour): void;
	/** The newest key's ID (the one signToken uses). */
	kid: string;
	/** Publishes a new key beside the old ones; tokens are signed with it from now on. */
	rotateKey(): void;
	/** A token as the platform signs them, with this server's key; claims override the defaults. */
	signToken(
		claims?: Record<string, unknown>,
		header?: Record<string, unknown>,
		key?: KeyObject,
	): string;
	close(): Promise<void>;
}

export interface KeyServerOptions {
	certPem: string;
	keyPem: string;
	audience: string;
	tenantId: string;
}

const b64 = (value: string | Buffer): string => Buffer.from(value).toString('base64url');

async function listen(server: ReturnType<typeof createHttpServer>): Promise<number> {
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const address = server.address();
	if (address === null || typeof address === 'string') throw new Error('no port');
	return address.port;
}

export async function startKeyServer(options: KeyServerOptions): Promise<KeyServer> {
	const jwks: { keys: Array<Record<string, unknown>> } = { keys: [] };
	let privateKey: KeyObject | undefined;
	let kid = '';
	const newKey = (): void => {
		const pair = generateKeyPairSync('rsa', { modulusLength: 2048 });
		const jwk = pair.publicKey.export({ format: 'jwk' });
		kid = createHash('sha256')
			.update(pair.publicKey.export({ type: 'spki', format: 'der' }))
			.digest('base64url')
			.slice(0, 27);
		privateKey = pair.privateKey;
		jwks.keys.push({ kty: 'RSA', use: 'sig', kid, n: jwk.n, e: jwk.e });
	};
	newKey();
	const requests: KeyServerRequest[] = [];
	const overrides = new Map<string, KeyServerBehaviour>();
	const sockets = new Set<Socket>();
	let httpsOrigin = '';
	let httpOrigin = '';
	let httpsPort = 0;

	const behaviourOf = (scenario: string): KeyServerBehaviour => {
		const override = overrides.get(scenario);
		if (override) return override;
		return (
			BEHAVIOURS.filter((b) => scenario === b || scenario.startsWith(`${b}-`)).sort(
				(a, b) => b.length - a.length,
			)[0] ?? 'ok'
		);
	};

	const handler =
		(scheme: 'https' | 'http') =>
		(req: IncomingMessage, res: ServerResponse): void => {
			const path = (req.url ?? '/').split('?')[0] ?? '/';
			requests.push({ scheme, path, at: Date.now() });
			const [, scenario = '', document = ''] = path.split('/');
			const behaviour = scheme === 'http' ? 'ok' : behaviourOf(scenario);
			const json = (status: number, body: unknown) => {
				res.writeHead(status, { 'content-type': 'application/json' });
				res.end(JSON.stringify(body));
			};
			if (behaviour === 'hang') return; // the socket stays open until close()
			if (behaviour === 'down') return json(500, { error: 'down' });
			if (document === 'openid') {
				if (behaviour === 'redirect-config') {
					res.writeHead(302, { location: `${httpOrigin}/${scenario}/openid` });
					return void res.end();
				}
				const jwksOrigin =
					scheme === 'http'
						? httpOrigin
						: behaviour === 'foreign-host'
							? `https://localhost:${httpsPort}`
							: httpsOrigin;
				return json(200, {
					issuer: 'https://api.botframework.com',
					jwks_uri: `${jwksOrigin}/${scenario}/keys`,
					id_token_signing_alg_values_supported: ['RS256'],
				});
			}
			if (document === 'keys') {
				if (behaviour === 'redirect-keys') {
					res.writeHead(302, { location: `${httpOrigin}/${scenario}/keys` });
					return void res.end();
				}
				if (behaviour === 'oversized')
					return json(200, { ...jwks, padding: 'x'.repeat(1024 * 1024) });
				return json(200, jwks);
			}
			json(404, { error: 'not found' });
		};

	const https = createHttpsServer({ cert: options.certPem, key: options.keyPem }, handler('https'));
	const http = createHttpServer(handler('http'));
	for (const server of [https, http])
		server.on('connection', (socket: Socket) => {
			sockets.add(socket);
			socket.on('close', () => sockets.delete(socket));
		});
	httpsPort = await listen(https);
	httpsOrigin = `https://127.0.0.1:${httpsPort}`;
	httpOrigin = `http://127.0.0.1:${await listen(http)}`;

	return {
		origin: httpsOrigin,
		configurationUrl: (scenario) => `${httpsOrigin}/${scenario}/openid`,
		requests,
		count: (scenario, document, scheme) =>
			requests.filter(
				(r) =>
					r.path.startsWith(`/${scenario}/`) &&
					(document === undefined || r.path.endsWith(`/${document}`)) &&
					(scheme === undefined || r.scheme === scheme),
			).length,
		setBehaviour: (scenario, behaviour) => overrides.set(scenario, behaviour),
		get kid() {
			return kid;
		},
		rotateKey: newKey,
		signToken(claims = {}, header = {}, key) {
			const now = Math.floor(Date.now() / 1000);
			const payload: Record<string, unknown> = {
				iss: 'https://api.botframework.com',
				aud: options.audience,
				tid: options.tenantId,
				iat: now,
				nbf: now - 5,
				exp: now + 3600,
				jti: randomUUID(),
				...claims,
			};
			for (const [name, value] of Object.entries(payload))
				if (value === undefined) delete payload[name];
			const input = `${b64(JSON.stringify({ alg: 'RS256', typ: 'JWT', kid, ...header }))}.${b64(JSON.stringify(payload))}`;
			return `${input}.${b64(sign('sha256', Buffer.from(input), key ?? (privateKey as KeyObject)))}`;
		},
		close: async () => {
			for (const socket of sockets) socket.destroy();
			await Promise.all(
				[https, http].map(
					(server) => new Promise<void>((resolve) => server.close(() => resolve())),
				),
			);
		},
	};
}
