/**
 * Serves the Microsoft Graph Calls Trigger's webhook() on a real HTTPS listener (127.0.0.1,
 * leaf signed by the test CA), the way n8n's webhook server does: per request, the JSON body is
 * parsed (as n8n's body parser does), and the node runs inside n8n-core's real WebhookContext
 * with the request and an express-like response. What the node emits is recorded per request:
 * each entry is one execution n8n would start.
 */
import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

import { HookContext, WebhookContext } from 'n8n-core';
import {
	Workflow,
	type INode,
	type INodeExecutionData,
	type INodeParameters,
	type INodeType,
	type INodeTypes,
	type IWebhookData,
	type IWebhookDescription,
	type IWebhookResponseData,
	type IWorkflowExecuteAdditionalData,
} from 'n8n-workflow';

import { MicrosoftGraphCallsTrigger } from '../../nodes/MicrosoftGraphCallsTrigger/MicrosoftGraphCallsTrigger.node.ts';
import {
	createCertificateAuthority,
	issueServerCertificate,
	loadCaFromEnv,
	type CertificateAuthority,
} from '../../simulator';
import type { HarnessCredentialsHelper } from '../../harness/credentialsHelper';
import { additionalDataFor, NODE_CREDENTIALS } from '../../harness/runNode';

export const TRIGGER_TYPE = 'n8n-nodes-microsoft-graph-calls.microsoftGraphCallsTrigger';
const WEBHOOK_ID = '6f1c6d3e-8f53-4a8e-9d5c-2b0f3a7e9c11';

export interface TriggerServer {
	/** The production webhook URL of the trigger: what Call › Create's Callback URL gets. */
	url: string;
	/** One entry per execution the trigger started (its emitted items). */
	executions: INodeExecutionData[][];
	/** Every request answered: its method, status and body text, and whether it started an execution. */
	answers: Array<{ method: string; status: number; body: string; startedExecution: boolean }>;
	/** Requests for which webhook() threw (should stay empty). */
	failures: Error[];
	/** Runs the webhook's checkExists as n8n does on activation; resolves or rejects as it does. */
	checkExists(): Promise<boolean>;
	close(): Promise<void>;
}

function expressLike(raw: ServerResponse): ServerResponse & {
	status(code: number): unknown;
	json(body: unknown): unknown;
	send(body?: unknown): unknown;
} {
	const res = raw as ServerResponse & {
		status(code: number): unknown;
		json(body: unknown): unknown;
		send(body?: unknown): unknown;
	};
	res.status = (code: number) => {
		raw.statusCode = code;
		return res;
	};
	res.json = (body: unknown) => {
		raw.setHeader('content-type', 'application/json; charset=utf-8');
		raw.end(JSON.stringify(body));
		return res;
	};
	res.send = (body?: unknown) => {
		raw.end(
			typeof body === 'string' || Buffer.isBuffer(body)
				? body
				: body === undefined
					? undefined
					: JSON.stringify(body),
		);
		return res;
	};
	return res;
}

async function readBody(req: IncomingMessage): Promise<string> {
	const chunks: Buffer[] = [];
	for await (const chunk of req) chunks.push(chunk as Buffer);
	return Buffer.concat(chunks).toString('utf8');
}

export async function startTriggerServer(options: {
	credentials: HarnessCredentialsHelper;
	parameters?: INodeParameters;
	ca?: CertificateAuthority;
	/** The node's typeVersion (default 1: what workflows made before version 2 hold). */
	typeVersion?: number;
}): Promise<TriggerServer> {
	const nodeType = new MicrosoftGraphCallsTrigger();
	const nodeTypes: INodeTypes = {
		getByName: () => nodeType,
		getByNameAndVersion: () => nodeType as INodeType,
		getKnownTypes: () => ({}),
	};
	const node: INode = {
		id: 'trigger-1',
		name: 'Microsoft Graph Calls Trigger',
		type: TRIGGER_TYPE,
		typeVersion: options.typeVersion ?? 1,
		position: [0, 0],
		webhookId: WEBHOOK_ID,
		parameters: options.parameters ?? {},
		credentials: NODE_CREDENTIALS,
	};
	const workflow = new Workflow({
		id: 'wf-trigger',
		name: 'trigger',
		nodes: [node],
		connections: {},
		active: true,
		nodeTypes,
	});
	const webhookFor = (method: string | undefined): IWebhookDescription | undefined =>
		nodeType.description.webhooks?.find((webhook) => webhook.httpMethod === (method ?? 'POST'));
	const description = webhookFor('POST') as IWebhookDescription;
	const executions: INodeExecutionData[][] = [];
	const answers: TriggerServer['answers'] = [];
	const failures: Error[] = [];

	const handle = async (req: IncomingMessage, raw: ServerResponse): Promise<void> => {
		let bodyText = '';
		let startedExecution = false;
		raw.on('finish', () =>
			answers.push({
				method: req.method ?? 'POST',
				status: raw.statusCode,
				body: bodyText,
				startedExecution,
			}),
		);
		const text = await readBody(req);
		let body: unknown = {};
		if (text !== '' && String(req.headers['content-type'] ?? '').includes('json')) {
			try {
				body = JSON.parse(text) as unknown;
			} catch {
				raw.statusCode = 400;
				raw.end('{"message":"Invalid JSON"}');
				return;
			}
		}
		const res = expressLike(raw);
		const originalEnd = raw.end.bind(raw) as (...args: unknown[]) => ServerResponse;
		raw.end = ((...args: unknown[]) => {
			if (typeof args[0] === 'string') bodyText = args[0];
			return originalEnd(...args);
		}) as ServerResponse['end'];
		const method = req.method ?? 'POST';
		const routed = webhookFor(method);
		if (!routed) {
			// n8n answers a method the trigger has no webhook for as an unknown path.
			raw.statusCode = 404;
			raw.end('{"message":"not registered"}');
			return;
		}
		// As express's query parser: a parameter given twice is a list.
		const url = new URL(req.url ?? '/', 'https://127.0.0.1');
		const query: Record<string, string | string[]> = {};
		for (const name of new Set(url.searchParams.keys())) {
			const values = url.searchParams.getAll(name);
			query[name] = values.length === 1 ? (values[0] ?? '') : values;
		}
		const request = Object.assign(req, { body, query, params: {}, rawBody: Buffer.from(text) });
		const additionalData = {
			...additionalDataFor(options.credentials),
			httpRequest: request,
			httpResponse: res,
		} as unknown as IWorkflowExecuteAdditionalData;
		const webhookData: IWebhookData = {
			httpMethod: method === 'GET' ? 'GET' : 'POST',
			node: node.name,
			path: `${WEBHOOK_ID}/${String(routed.path)}`,
			webhookDescription: routed,
			workflowId: workflow.id,
			workflowExecuteAdditionalData: additionalData,
			webhookId: WEBHOOK_ID,
		};
		const context = new WebhookContext(
			workflow,
			workflow.getNode(node.name) as INode,
			additionalData,
			'trigger',
			webhookData,
			[],
			null,
		);
		let result: IWebhookResponseData;
		try {
			result = await nodeType.webhook.call(context);
		} catch (error) {
			failures.push(error as Error);
			if (!raw.headersSent) {
				raw.statusCode = 500;
				raw.end('{"message":"Error in workflow"}');
			}
			return;
		}
		if (result.workflowData) {
			startedExecution = true;
			executions.push(result.workflowData[0] ?? []);
		}
		// n8n answers itself only when the node did not (noWebhookResponse) — as "onReceived" does.
		if (!result.noWebhookResponse && !raw.headersSent) {
			raw.statusCode = 200;
			raw.end('{"message":"Workflow was started"}');
		}
	};

	const ca = options.ca ?? loadCaFromEnv() ?? createCertificateAuthority();
	const leaf = issueServerCertificate(ca);
	const server: Server = createServer({ cert: leaf.certPem, key: leaf.keyPem });
	const sockets = new Set<Socket>();
	server.on('connection', (socket: Socket) => {
		sockets.add(socket);
		socket.on('close', () => sockets.delete(socket));
	});
	server.on('request', (req: IncomingMessage, res: ServerResponse) => {
		handle(req, res).catch((error: Error) => {
			failures.push(error);
			res.destroy();
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const address = server.address();
	if (address === null || typeof address === 'string') throw new Error('no port');
	const checkExists = async (): Promise<boolean> => {
		const additionalData = additionalDataFor(
			options.credentials,
		) as unknown as IWorkflowExecuteAdditionalData;
		const context = new HookContext(
			workflow,
			workflow.getNode(node.name) as INode,
			additionalData,
			'trigger',
			'activate',
		);
		const methods = nodeType.webhookMethods?.default;
		if (!methods) throw new Error('the trigger has no webhook methods');
		return await methods.checkExists.call(context);
	};
	return {
		checkExists,
		url: `https://127.0.0.1:${address.port}/webhook/${WEBHOOK_ID}/${String(description.path)}`,
		executions,
		answers,
		failures,
		close: () =>
			new Promise<void>((resolve) => {
				server.close(() => resolve());
				for (const socket of sockets) socket.destroy();
			}),
	};
}
