/**
 * The HTTPS front door: listens on 127.0.0.1 only, reads bodies with a size cap, classifies
 * each request (token, graph, metadata, other), records it, dispatches it, and turns the
 * handler's outcome into an answer, a reset, or a hang. No request may crash the process.
 */
import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

import { MAX_BODY_BYTES } from './constants';
import type { SimulatorContext } from './context';
import { CONTROL_PREFIX } from './control';
import { entraErrorResponse, entraSpec } from './entraErrors';
import { handleGraphRequest } from './graphEndpoint';
import { defaultGraphError, graphError, renderGraphResponse } from './graphErrors';
import { newId } from './ids';
import { handleMetadataRequest, matchMetadataRoute, type MetadataRoute } from './metadata';
import { flattenHeaders, type IncomingRequest } from './recorder';
import { jsonResponse, respond, type HandlerResult, type SimResponse } from './responses';
import { speechRouteOf } from './speech';
import { handleTokenRequest } from './tokenEndpoint';
import type { RecordedRequest, RequestKind } from './types';

const LOOPBACK = '127.0.0.1';

type Route =
	| { kind: 'graph'; segments: string[] }
	| { kind: 'token'; tenant: string }
	| { kind: 'metadata'; route: MetadataRoute }
	| { kind: 'speech' }
	| { kind: 'other' };

type BodyRead = { ok: true; body: string } | { ok: false; reason: 'tooLarge' | 'aborted' };

function readBody(req: IncomingMessage, limit: number): Promise<BodyRead> {
	const declared = Number(req.headers['content-length']);
	if (Number.isFinite(declared) && declared > limit)
		return Promise.resolve({ ok: false, reason: 'tooLarge' });
	return new Promise((resolve) => {
		const chunks: Buffer[] = [];
		let size = 0;
		let settled = false;
		const settle = (result: BodyRead): void => {
			if (settled) return;
			settled = true;
			resolve(result);
		};
		req.on('data', (chunk: Buffer) => {
			size += chunk.length;
			if (size > limit) {
				req.pause();
				settle({ ok: false, reason: 'tooLarge' });
				return;
			}
			chunks.push(chunk);
		});
		req.on('end', () => settle({ ok: true, body: Buffer.concat(chunks).toString('utf8') }));
		req.on('error', () => settle({ ok: false, reason: 'aborted' }));
		req.on('close', () => settle({ ok: false, reason: 'aborted' }));
	});
}

function safeDecode(segment: string): string {
	try {
		return decodeURIComponent(segment);
	} catch {
		return segment;
	}
}

/** Splits the request target by hand: new URL() would read '//x/y' as a host name. */
function splitTarget(target: string): {
	pathname: string;
	query: URLSearchParams;
	segments: string[];
} {
	const queryStart = target.indexOf('?');
	const pathname = queryStart >= 0 ? target.slice(0, queryStart) : target;
	const query = new URLSearchParams(queryStart >= 0 ? target.slice(queryStart + 1) : '');
	return { pathname, query, segments: pathname.split('/').filter(Boolean).map(safeDecode) };
}

function classify(pathname: string, segments: string[]): Route {
	if (speechRouteOf(pathname)) return { kind: 'speech' };
	const first = segments[0]?.toLowerCase();
	if (first === 'v1.0' || first === 'beta') return { kind: 'graph', segments };
	if (segments.length === 4 && segments.slice(1).join('/').toLowerCase() === 'oauth2/v2.0/token') {
		return { kind: 'token', tenant: segments[0] ?? '' };
	}
	const metadata = matchMetadataRoute(segments);
	if (metadata) return { kind: 'metadata', route: metadata };
	return { kind: 'other' };
}

/** An error answer in the dialect of the endpoint that was asked. */
function errorResponse(
	ctx: SimulatorContext,
	kind: RequestKind,
	status: number,
	message: string,
	request: IncomingRequest,
): SimResponse {
	if (kind === 'graph') {
		const ids = {
			requestId: newId(),
			clientRequestId: request.headers['client-request-id'] || newId(),
		};
		return renderGraphResponse(graphError(status, defaultGraphError(status).code, message), ids);
	}
	if (kind === 'token') {
		const spec = entraSpec(
			90033,
			{ clientId: '', tenant: '' },
			{ status, error: status >= 500 ? 'server_error' : 'invalid_request', message },
		);
		return entraErrorResponse(ctx.origin, spec, request.headers['client-request-id']);
	}
	return jsonResponse(status, { error: { code: defaultGraphError(status).code, message } });
}

async function dispatch(
	ctx: SimulatorContext,
	route: Route,
	request: IncomingRequest,
	record: RecordedRequest,
): Promise<HandlerResult> {
	switch (route.kind) {
		case 'graph':
			return handleGraphRequest(ctx, request, record, route.segments);
		case 'token':
			return handleTokenRequest(ctx, request, record, route.tenant);
		case 'speech':
			return ctx.speech
				? ctx.speech.handle(request)
				: respond(jsonResponse(404, { error: { code: '404', message: 'No Speech endpoint.' } }));
		case 'metadata':
			return respond(
				handleMetadataRequest(
					ctx,
					route.route,
					request.method,
					request.query,
					request.headers['client-request-id'],
				),
			);
		case 'other': {
			const callbackMetadata = ctx.callbacks?.route(request.method, request.pathname);
			if (callbackMetadata) return respond(callbackMetadata);
			const mediaFile = ctx.media?.serve(request.method, request.pathname, request.headers);
			if (mediaFile) return respond(mediaFile);
			return respond(
				jsonResponse(404, {
					error: {
						code: 'NotFound',
						message: `The simulator serves nothing at '${request.pathname}'.`,
					},
				}),
			);
		}
	}
}

function send(res: ServerResponse, response: SimResponse): void {
	res.writeHead(response.status, response.headers);
	res.end(response.body);
}

/** The control API (control.ts), when the simulator was started with it. */
export type ControlHandler = (method: string, pathname: string, body: string) => SimResponse;

async function handleRequest(
	ctx: SimulatorContext,
	req: IncomingMessage,
	res: ServerResponse,
	control?: ControlHandler,
): Promise<void> {
	const target = req.url ?? '/';
	const { pathname, query, segments } = splitTarget(target);
	const route = classify(pathname, segments);
	const headers = flattenHeaders(req.headers);
	const read = await readBody(req, MAX_BODY_BYTES);
	if (!read.ok && read.reason === 'aborted') return; // the client went away; nobody to answer
	const request: IncomingRequest = {
		method: req.method ?? 'GET',
		url: target,
		pathname,
		query,
		headers,
		body: read.ok ? read.body : '',
	};
	if (control && read.ok && pathname.startsWith(CONTROL_PREFIX)) {
		send(res, control(request.method, pathname, request.body)); // not recorded
		return;
	}
	const record = ctx.recorder.begin(request, route.kind);

	if (!read.ok) {
		// Answer, then drop the connection so the rest of the oversized upload is not read.
		const response = errorResponse(
			ctx,
			route.kind,
			413,
			`The request body exceeds the limit of ${MAX_BODY_BYTES} bytes.`,
			request,
		);
		res.on('finish', () => req.socket.destroy());
		send(res, { ...response, headers: { ...response.headers, connection: 'close' } });
		ctx.recorder.finish(record, 413);
		return;
	}

	let outcome: HandlerResult;
	try {
		outcome = await dispatch(ctx, route, request, record);
	} catch (error) {
		const message = `Simulator internal error: ${error instanceof Error ? error.message : String(error)}`;
		outcome = respond(errorResponse(ctx, route.kind, 500, message, request));
	}
	switch (outcome.kind) {
		case 'respond':
			send(res, outcome.response);
			ctx.recorder.finish(record, outcome.response.status);
			return;
		case 'reset':
			req.socket.destroy();
			ctx.recorder.finish(record, undefined);
			return;
		case 'hang':
			// Nothing is written; close() destroys the socket.
			ctx.recorder.finish(record, undefined);
			return;
	}
}

export interface HttpsListener {
	port: number;
	/** Starts answering with the given context (known only once the port is). */
	serve(ctx: SimulatorContext, control?: ControlHandler): void;
	/** Starts answering with any handler (the softphone's origin). */
	handle(handler: (req: IncomingMessage, res: ServerResponse) => void): void;
	close(): Promise<void>;
}

export async function listenHttps(options: {
	port: number;
	certPem: string;
	keyPem: string;
}): Promise<HttpsListener> {
	const server: Server = createServer({ cert: options.certPem, key: options.keyPem });
	const sockets = new Set<Socket>();
	server.on('connection', (socket: Socket) => {
		sockets.add(socket);
		socket.on('close', () => sockets.delete(socket));
	});
	// Broken clients (bad TLS, garbage HTTP) only lose their own connection.
	server.on('tlsClientError', (_error: Error, socket: Socket) => socket.destroy());
	server.on('clientError', (_error: Error, socket: Socket) => socket.destroy());

	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen(options.port, LOOPBACK, () => {
			server.off('error', reject);
			resolve();
		});
	});
	const address = server.address();
	if (address === null || typeof address === 'string')
		throw new Error('The simulator did not get a TCP port.');

	return {
		port: address.port,
		serve(ctx: SimulatorContext, control?: ControlHandler): void {
			server.on('request', (req: IncomingMessage, res: ServerResponse) => {
				handleRequest(ctx, req, res, control).catch(() => {
					// Last resort: even the error path failed; drop only this connection.
					req.socket.destroy();
				});
			});
		},
		handle(handler: (req: IncomingMessage, res: ServerResponse) => void): void {
			server.on('request', handler);
		},
		close(): Promise<void> {
			return new Promise((resolve) => {
				server.close(() => resolve());
				// Hanging and keep-alive connections would otherwise hold close() open forever.
				for (const socket of sockets) socket.destroy();
			});
		},
	};
}
