/**
 * The conformance scenario's side of the wire: an HTTPS client of the simulator (trusting only
 * its CA, a fresh connection per request) that keeps every answer, and an HTTPS webhook on
 * 127.0.0.1 that takes the simulator's notifications as a bot would.
 */
import { createServer, request as httpsRequest } from 'node:https';
import type { AddressInfo } from 'node:net';

import {
	DEFAULT_CLIENT_ID,
	DEFAULT_CLIENT_SECRET,
	DEFAULT_TENANT_ID,
	issueServerCertificate,
	type CertificateAuthority,
	type GraphSimulator,
} from '../../simulator';
import type { JsonValue } from './shapes';

/** One answer of the simulator, with the route the scenario asked (IDs written as {id}). */
export interface ObservedAnswer {
	route: string;
	status: number;
	contentType: string | undefined;
	/** Parsed JSON; undefined when there was no body or it was not JSON. */
	body: JsonValue | undefined;
}

interface Exchange {
	status: number;
	headers: Record<string, string>;
	text: string;
}

function exchange(
	url: string,
	ca: string,
	method: string,
	headers: Record<string, string>,
	body: string,
): Promise<Exchange> {
	return new Promise((resolve, reject) => {
		const req = httpsRequest(
			url,
			{
				method,
				ca,
				agent: false,
				headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
			},
			(res) => {
				const chunks: Buffer[] = [];
				res.on('data', (chunk: Buffer) => chunks.push(chunk));
				res.on('end', () => {
					const flat: Record<string, string> = {};
					for (const [name, value] of Object.entries(res.headers))
						if (value !== undefined) flat[name] = Array.isArray(value) ? value.join(', ') : value;
					resolve({
						status: res.statusCode ?? 0,
						headers: flat,
						text: Buffer.concat(chunks).toString('utf8'),
					});
				});
				res.on('error', reject);
			},
		);
		req.on('error', reject);
		req.end(body);
	});
}

function parsed(text: string, contentType: string | undefined): JsonValue | undefined {
	if (text === '' || !/json/i.test(contentType ?? '')) return undefined;
	try {
		return JSON.parse(text) as JsonValue;
	} catch {
		return undefined;
	}
}

export interface GraphClient {
	answers: ObservedAnswer[];
	/** A Graph request (`path` after /v1.0), kept under `route`; `token` overrides the app's. */
	call(
		route: string,
		method: string,
		path: string,
		body?: JsonValue | string,
		token?: string,
	): Promise<ObservedAnswer>;
	/** GET of an absolute URL Graph gave (a recording), with these headers. */
	get(route: string, url: string, headers: Record<string, string>): Promise<ObservedAnswer>;
	/** A client-credentials token of the given app. */
	token(clientId?: string, secret?: string): Promise<string>;
}

export async function graphClient(sim: GraphSimulator): Promise<GraphClient> {
	const answers: ObservedAnswer[] = [];
	const keep = (route: string, answer: Exchange): ObservedAnswer => {
		const contentType = answer.headers['content-type'];
		const observed = {
			route,
			status: answer.status,
			contentType,
			body: parsed(answer.text, contentType),
		};
		answers.push(observed);
		return observed;
	};
	const token = async (clientId = DEFAULT_CLIENT_ID, secret = DEFAULT_CLIENT_SECRET) => {
		const answer = await exchange(
			`${sim.origin}/${DEFAULT_TENANT_ID}/oauth2/v2.0/token`,
			sim.caCertPem,
			'POST',
			{ 'content-type': 'application/x-www-form-urlencoded' },
			new URLSearchParams({
				grant_type: 'client_credentials',
				client_id: clientId,
				client_secret: secret,
				scope: `${sim.origin}/.default`,
			}).toString(),
		);
		const value = (JSON.parse(answer.text) as { access_token?: string }).access_token;
		if (!value) throw new Error(`no token for ${clientId}: ${answer.status} ${answer.text}`);
		return value;
	};
	const appToken = await token();
	return {
		answers,
		token,
		call: async (route, method, path, body, bearer = appToken) => {
			const text = body === undefined ? '' : typeof body === 'string' ? body : JSON.stringify(body);
			const headers: Record<string, string> =
				bearer === '' ? {} : { authorization: `Bearer ${bearer}` };
			if (text !== '') headers['content-type'] = 'application/json';
			return keep(
				route,
				await exchange(`${sim.origin}/v1.0${path}`, sim.caCertPem, method, headers, text),
			);
		},
		get: async (route, url, headers) =>
			keep(route, await exchange(url, sim.caCertPem, 'GET', headers, '')),
	};
}

/** The bot's calling webhook: HTTPS on 127.0.0.1, 202 to Graph's notifications, 204 to the legacy format. */
export interface Webhook {
	url: string;
	close(): Promise<void>;
}

export async function startWebhook(ca: CertificateAuthority): Promise<Webhook> {
	const { certPem, keyPem } = issueServerCertificate(ca);
	const server = createServer({ cert: certPem, key: keyPem }, (req, res) => {
		const chunks: Buffer[] = [];
		req.on('data', (chunk: Buffer) => chunks.push(chunk));
		req.on('end', () => {
			let graphFormat = false;
			try {
				graphFormat = Array.isArray(
					(JSON.parse(Buffer.concat(chunks).toString('utf8')) as { value?: unknown }).value,
				);
			} catch {
				graphFormat = false;
			}
			res.statusCode = graphFormat ? 202 : 204;
			res.end();
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	return {
		url: `https://127.0.0.1:${port}/api/calls`,
		close: () => new Promise<void>((resolve) => server.close(() => resolve())),
	};
}
