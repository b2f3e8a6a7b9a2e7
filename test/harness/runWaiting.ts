/**
 * Send-and-wait in process: runs the action node's execute() in n8n-core's ExecuteContext with
 * an https waiting-webhook base URL served here (127.0.0.1, leaf signed by the test CA), records
 * the wait n8n would store (runExecutionData.waitTill), and serves the node's waiting webhook the
 * way n8n's waiting-webhook route does: POST /webhook-waiting/{executionId}/{nodeId}, the JSON
 * body parsed, the node's webhook() in a WebhookContext with that execution's run data. What
 * webhook() returns as workflowData is what the execution would resume with.
 */
import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

import { ExecuteContext, WebhookContext } from 'n8n-core';
import {
	createRunExecutionData,
	Workflow,
	type IDataObject,
	type IExecuteData,
	type INode,
	type INodeExecutionData,
	type INodeParameters,
	type INodeType,
	type INodeTypes,
	type IRunExecutionData,
	type IWebhookData,
	type IWebhookDescription,
	type IWorkflowExecuteAdditionalData,
} from 'n8n-workflow';

import { MicrosoftGraphCalls } from '../../nodes/MicrosoftGraphCalls/MicrosoftGraphCalls.node.ts';
import { issueServerCertificate, loadCaFromEnv, createCertificateAuthority } from '../../simulator';
import type { HarnessCredentialsHelper } from '../../harness/credentialsHelper';
import { additionalDataFor, NODE_CREDENTIALS, NODE_TYPE } from '../../harness/runNode';

/**
 * Each start() is a new execution with an ID of its own, as in n8n: a late callback of an earlier
 * test's call finds no execution waiting at its URL (404) instead of reaching the next test's.
 */
let executions = 0;
const executionIdOf = (n: number): string => `exec-keypress-${n}`;

export interface WaitingHarness {
	/** `https://127.0.0.1:<port>/webhook-waiting`: n8n's webhookWaitingBaseUrl. */
	waitingBaseUrl: string;
	/** The ID of the execution the last start() began. */
	readonly executionId: string;
	/** Runs execute() once; resolves with its output or error and the wait it asked for. */
	start(
		parameters: INodeParameters,
		items?: INodeExecutionData[],
		/** As n8n 2.x: `$execution.resumeUrl` carries `?signature=<token>`, required on every request. */
		resumeToken?: string,
		/**
		 * As an AI agent's tool: the `…Tool` type n8n gives the node; with `engine`, run the way the
		 * AI Agent node (version 3+) has n8n's engine run it: the node marked
		 * `rewireOutputLogTo: "ai_tool"`, the model's arguments as the run's ai_tool input (what
		 * `$fromAI` reads) and merged into the input item with the tool call's ID.
		 */
		asTool?: { type: string; engine?: { args: IDataObject } },
		/** The node's typeVersion; default 2 (what the keypress tests were written for). */
		typeVersion?: number,
	): Promise<{ output?: INodeExecutionData[][]; error?: Error; waitTill?: Date }>;
	/** Every workflowData webhook() returned: each would resume the execution. */
	resumes: IDataObject[][];
	/**
	 * How long after webhook() returned workflowData the execution still reads as waiting. In n8n
	 * the webhook's 202 is already sent by then, and loading and starting the resumed execution
	 * takes a while; a notification arriving meanwhile reaches the webhook again. Default 0.
	 */
	resumeLagMs: number;
	/** Every request answered: path, status. */
	answers: Array<{ path: string; status: number }>;
	failures: Error[];
	close(): Promise<void>;
}

export async function startWaitingHarness(
	credentials: HarnessCredentialsHelper,
): Promise<WaitingHarness> {
	const nodeType = new MicrosoftGraphCalls();
	const nodeTypes: INodeTypes = {
		getByName: () => nodeType,
		getByNameAndVersion: () => nodeType as INodeType,
		getKnownTypes: () => ({}),
	};
	const ca = loadCaFromEnv() ?? createCertificateAuthority();
	const leaf = issueServerCertificate(ca);
	const server: Server = createServer({ cert: leaf.certPem, key: leaf.keyPem });
	const sockets = new Set<Socket>();
	server.on('connection', (socket: Socket) => {
		sockets.add(socket);
		socket.on('close', () => sockets.delete(socket));
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const address = server.address();
	if (address === null || typeof address === 'string') throw new Error('no port');
	const waitingBaseUrl = `https://127.0.0.1:${address.port}/webhook-waiting`;

	let current: { workflow: Workflow; node: INode; runExecutionData: IRunExecutionData } | undefined;
	const resumes: IDataObject[][] = [];
	/** The execution went on: its waiting webhook is gone. */
	let resumed = false;
	const answers: WaitingHarness['answers'] = [];
	const failures: Error[] = [];
	let token: string | undefined;
	const additionalData = (): IWorkflowExecuteAdditionalData =>
		({
			...additionalDataFor(credentials),
			// n8n-core 1.x builds resumeUrl as `${webhookWaitingBaseUrl}/${executionId}`; 2.x then
			// sets the `signature` query parameter. The ID carries it here to give 2.x's URL.
			executionId:
				token === undefined
					? executionIdOf(executions)
					: `${executionIdOf(executions)}?signature=${token}`,
			webhookWaitingBaseUrl: waitingBaseUrl,
		}) as unknown as IWorkflowExecuteAdditionalData;

	const start: WaitingHarness['start'] = async (
		parameters,
		items = [{ json: {} }],
		resumeToken,
		asTool,
		typeVersion = 2,
	) => {
		token = resumeToken;
		executions += 1;
		const node: INode = {
			id: 'node-1',
			name: 'Microsoft Graph Calls',
			type: asTool?.type ?? NODE_TYPE,
			typeVersion,
			position: [0, 0],
			parameters,
			credentials: NODE_CREDENTIALS,
		};
		const workflow = new Workflow({
			id: 'wf-keypress',
			name: 'keypress',
			nodes: [node],
			connections: {},
			active: true,
			nodeTypes,
		});
		const runExecutionData = createRunExecutionData();
		const engine = asTool?.engine;
		if (engine) {
			Object.assign(node, { rewireOutputLogTo: 'ai_tool' });
			items = items.map((item) => ({
				...item,
				json: { ...item.json, ...engine.args, toolCallId: 'call_1' },
			}));
			runExecutionData.resultData.runData[node.name] = [
				{
					startTime: 0,
					executionIndex: 0,
					executionTime: 0,
					source: [],
					inputOverride: { ai_tool: [[{ json: engine.args }]] },
				},
			];
		}
		current = { workflow, node, runExecutionData };
		resumed = false;
		const inputData = { main: [items] };
		const executeData: IExecuteData = { node, data: inputData, source: null };
		const context = new ExecuteContext(
			workflow,
			workflow.getNode(node.name) as INode,
			additionalData(),
			'trigger',
			runExecutionData,
			0,
			items,
			inputData,
			executeData,
			[],
			new AbortController().signal,
		);
		try {
			const output = await nodeType.execute.call(context);
			// n8n keeps the waiting node on the execution stack with its input: the webhook's
			// expressions ($json, $binary) read that input item.
			runExecutionData.executionData?.nodeExecutionStack.push(executeData);
			return { output, waitTill: runExecutionData.waitTill };
		} catch (error) {
			return { error: error as Error, waitTill: runExecutionData.waitTill };
		}
	};

	const handle = async (req: IncomingMessage, raw: ServerResponse): Promise<void> => {
		const url = new URL(req.url ?? '/', waitingBaseUrl);
		raw.on('finish', () => answers.push({ path: url.pathname, status: raw.statusCode }));
		const chunks: Buffer[] = [];
		for await (const chunk of req) chunks.push(chunk as Buffer);
		const text = Buffer.concat(chunks).toString('utf8');
		const execution = executions;
		const expected = `/webhook-waiting/${executionIdOf(execution)}/${current?.node.id ?? ''}`;
		const description = nodeType.description.webhooks?.find((w) => w.httpMethod === req.method);
		if (!current || resumed || !description || url.pathname !== expected) {
			// n8n answers 404 when no execution waits at that path (also once it has resumed).
			raw.statusCode = 404;
			raw.end('{"message":"not waiting"}');
			return;
		}
		if (token !== undefined && url.searchParams.get('signature') !== token) {
			// n8n 2.x: a waiting execution with a resume token refuses requests without it.
			raw.statusCode = 401;
			raw.end('{"error":"Invalid token"}');
			return;
		}
		let body: unknown = {};
		try {
			body = text === '' ? {} : (JSON.parse(text) as unknown);
		} catch {
			raw.statusCode = 400;
			raw.end('{"message":"Invalid JSON"}');
			return;
		}
		const res = Object.assign(raw, {
			status(code: number) {
				raw.statusCode = code;
				return res;
			},
			json(value: unknown) {
				raw.setHeader('content-type', 'application/json; charset=utf-8');
				raw.end(JSON.stringify(value));
				return res;
			},
		});
		// As express's query parser: a parameter given twice is a list.
		const query: Record<string, string | string[]> = {};
		for (const name of new Set(url.searchParams.keys())) {
			const values = url.searchParams.getAll(name);
			query[name] = values.length === 1 ? (values[0] ?? '') : values;
		}
		const request = Object.assign(req, {
			body,
			query,
			params: {},
			rawBody: Buffer.from(text),
		});
		const data = {
			...additionalData(),
			httpRequest: request,
			httpResponse: res,
		} as unknown as IWorkflowExecuteAdditionalData;
		const webhookData: IWebhookData = {
			httpMethod: req.method === 'GET' ? 'GET' : 'POST',
			node: current.node.name,
			path: current.node.id,
			webhookDescription: description as IWebhookDescription,
			workflowId: current.workflow.id,
			workflowExecuteAdditionalData: data,
		};
		const context = new WebhookContext(
			current.workflow,
			current.node,
			data,
			'webhook',
			webhookData,
			[],
			current.runExecutionData,
		);
		try {
			const result = await nodeType.webhook.call(context);
			if (result.workflowData) {
				resumes.push(result.workflowData[0].map((item) => item.json));
				if (harness.resumeLagMs > 0)
					await new Promise((resolve) => setTimeout(resolve, harness.resumeLagMs));
				// Only this execution: a later start() may have begun meanwhile.
				if (executions === execution) resumed = true;
			}
			if (!result.noWebhookResponse && !raw.headersSent) {
				raw.statusCode = 200;
				raw.end('{}');
			}
		} catch (error) {
			failures.push(error as Error);
			if (!raw.headersSent) {
				raw.statusCode = 500;
				raw.end('{"message":"Error in workflow"}');
			}
		}
	};
	server.on('request', (req: IncomingMessage, res: ServerResponse) => {
		handle(req, res).catch((error: Error) => {
			failures.push(error);
			res.destroy();
		});
	});

	const harness: WaitingHarness = {
		waitingBaseUrl,
		get executionId() {
			return executionIdOf(executions);
		},
		start,
		resumeLagMs: 0,
		resumes,
		answers,
		failures,
		close: () =>
			new Promise<void>((resolve) => {
				server.close(() => resolve());
				for (const socket of sockets) socket.destroy();
			}),
	};
	return harness;
}
