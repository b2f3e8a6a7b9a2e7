/**
 * examples/agent-asks-a-human-by-phone.json in real n8n: n8n's AI Agent node (version 3) with
 * n8n's OpenAI Chat Model pointed at a chat-completions double on 127.0.0.1, and Call and Wait
 * for Keypress as its tool (`…microsoftGraphCallsTool`, phone number from `$fromAI`). The double
 * plays the model: it reads the approver's number from the request and calls the tool with it,
 * then answers with what the tool returned. The checks: the tool's parameter reaches the model as
 * the tool's schema and comes back as the number Graph is asked to call; the execution waits at
 * the tool while the phone rings; the outcome (pressed, or unanswered) goes back to the agent as
 * the tool's answer and into the posted decision.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as path from 'node:path';

import type { WorkflowImport } from '../harness/n8n';
import type { GraphSimulator } from '../simulator';
import { calledNumber, creates } from './page';

export const AGENT_ID = 'e2eAgentAsksHuman';
export const AGENT_PATH = 'change-request';
const MODEL = 'gpt-4o-mini';

interface ChatMessage {
	role: string;
	content?: unknown;
	tool_calls?: Array<{ id: string; function: { name: string; arguments: string } }>;
	tool_call_id?: string;
}
interface ChatRequest {
	model?: string;
	stream?: boolean;
	messages: ChatMessage[];
	tools?: Array<{
		type: string;
		function: { name: string; description?: string; parameters?: { properties?: object } };
	}>;
}

export interface ModelDouble {
	/** `http://127.0.0.1:<port>/v1`: the OpenAI credential's Base URL. */
	url: string;
	requests: ChatRequest[];
	close(): Promise<void>;
}

const text = (content: unknown): string =>
	typeof content === 'string'
		? content
		: Array.isArray(content)
			? content.map((part) => (part as { text?: string }).text ?? '').join('')
			: '';

/**
 * What the double says next: a call of the first tool with the E.164 number found in the user's
 * message, or, once a tool has answered, a decision built from that answer.
 */
function reply(request: ChatRequest): { content: string | null; toolCall?: object } {
	const toolAnswer = [...request.messages].reverse().find((m) => m.role === 'tool');
	if (toolAnswer) {
		const answer = text(toolAnswer.content);
		const approved = /"outcome"\s*:\s*"pressed"/.test(answer);
		const outcome = /"outcome"\s*:\s*"(\w+)"/.exec(answer)?.[1] ?? 'none';
		return {
			content: `${approved ? 'APPROVED' : 'NOT APPROVED'}: the approver's call ended with outcome ${outcome}.`,
		};
	}
	const user = request.messages.filter((m) => m.role === 'user').map((m) => text(m.content));
	const phoneNumber = /\+\d{8,15}/.exec(user.join('\n'))?.[0];
	const tool = request.tools?.[0]?.function.name;
	if (!phoneNumber || !tool)
		return { content: 'NOT APPROVED: no approver number or no tool to call them with.' };
	return {
		content: null,
		toolCall: {
			index: 0,
			id: `call_${request.messages.length}`,
			type: 'function',
			function: { name: tool, arguments: JSON.stringify({ phoneNumber }) },
		},
	};
}

/** A chat-completions endpoint (JSON or server-sent events, as asked) that plays the model. */
export async function startModelDouble(): Promise<ModelDouble> {
	const requests: ChatRequest[] = [];
	const server = http.createServer((req, res) => {
		const chunks: Buffer[] = [];
		req.on('data', (chunk: Buffer) => chunks.push(chunk));
		req.on('end', () => {
			if (req.method !== 'POST' || !req.url?.endsWith('/chat/completions')) {
				res.writeHead(404, { 'content-type': 'application/json' });
				res.end(JSON.stringify({ error: { message: `not here: ${req.method} ${req.url}` } }));
				return;
			}
			const request = JSON.parse(Buffer.concat(chunks).toString('utf8')) as ChatRequest;
			requests.push(request);
			const { content, toolCall } = reply(request);
			const base = { id: `chatcmpl-${requests.length}`, created: 0, model: MODEL };
			const finish = toolCall ? 'tool_calls' : 'stop';
			if (request.stream) {
				res.writeHead(200, { 'content-type': 'text/event-stream' });
				const delta = {
					role: 'assistant',
					content,
					...(toolCall ? { tool_calls: [toolCall] } : {}),
				};
				for (const choice of [
					{ index: 0, delta, finish_reason: null },
					{ index: 0, delta: {}, finish_reason: finish },
				])
					res.write(
						`data: ${JSON.stringify({ ...base, object: 'chat.completion.chunk', choices: [choice] })}\n\n`,
					);
				res.end('data: [DONE]\n\n');
				return;
			}
			const { index: _index, ...call } = (toolCall ?? {}) as { index?: number };
			res.writeHead(200, { 'content-type': 'application/json' });
			res.end(
				JSON.stringify({
					...base,
					object: 'chat.completion',
					choices: [
						{
							index: 0,
							message: { role: 'assistant', content, ...(toolCall ? { tool_calls: [call] } : {}) },
							finish_reason: finish,
						},
					],
					usage: { prompt_tokens: 10, completion_tokens: 10, total_tokens: 20 },
				}),
			);
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const address = server.address();
	if (address === null || typeof address === 'string') throw new Error('no port');
	return {
		url: `http://127.0.0.1:${address.port}/v1`,
		requests,
		close: async () => await new Promise<void>((resolve) => server.close(() => resolve())),
	};
}

export function agentExample(repoRoot: string): WorkflowImport {
	return JSON.parse(
		fs.readFileSync(path.join(repoRoot, 'examples', 'agent-asks-a-human-by-phone.json'), 'utf8'),
	) as WorkflowImport;
}

/** The example as a user fills it in: both credentials, the resource account, prompt, chat. */
export function agentWorkflow(
	example: WorkflowImport,
	options: {
		graphCredential: Record<string, { id: string; name: string }>;
		openAiCredential: Record<string, { id: string; name: string }>;
		resourceAccount: string;
		promptUrl: string;
		chatUrl: string;
	},
): WorkflowImport {
	const nodes = example.nodes.map((node) => {
		if (node.type.endsWith('.microsoftGraphCallsTool'))
			return {
				...node,
				credentials: options.graphCredential,
				parameters: {
					...node.parameters,
					applicationInstanceId: options.resourceAccount,
					promptUrl: options.promptUrl,
				},
			};
		if (node.type.endsWith('.lmChatOpenAi'))
			return { ...node, credentials: options.openAiCredential };
		if (node.type === 'n8n-nodes-base.httpRequest')
			return { ...node, parameters: { ...node.parameters, url: options.chatUrl } };
		return node;
	});
	return { ...example, id: AGENT_ID, nodes, active: false };
}

export async function agentChecks(options: {
	sim: GraphSimulator;
	model: ModelDouble;
	chat: { posts: Array<Record<string, unknown>> };
	/** Posts the change request to the example's webhook. */
	post: (body: object, hookPath: string) => Promise<unknown>;
	waitFor: (what: string, predicate: () => boolean) => Promise<void>;
	check: (name: string, body: () => Promise<void>) => Promise<void>;
}): Promise<void> {
	const { sim, model, chat, post, waitFor, check } = options;
	const media = sim.media.knobs;
	const calling = sim.callbacks.knobs;

	await check(
		'examples/agent-asks-a-human-by-phone.json: the agent calls the number it chose, waits, "1" → APPROVED',
		async () => {
			const from = sim.graphRequests().length;
			const posted = chat.posts.length;
			const asked = model.requests.length;
			calling.neverAnswer = [];
			media.promptPlayMs = 2_000;
			media.tonesAfterSubscribe = [{ tone: 'tone1', afterMs: 700 }];
			await post(
				{ request: 'Deploy release 4.2 to production tonight. Approver: +14255550103.' },
				AGENT_PATH,
			);
			await waitFor('the posted decision', () => chat.posts.length > posted);
			const decision = String(chat.posts[posted]?.text);
			assert.match(decision, /^APPROVED: .*outcome pressed/, decision);
			// The model saw the tool with its $fromAI parameter, and asked for it.
			const [first, second] = model.requests.slice(asked);
			const tool = first?.tools?.[0]?.function;
			assert.ok(tool, 'the tool was offered to the model');
			assert.match(String(tool.description), /press 1/i);
			assert.deepEqual(Object.keys(tool.parameters?.properties ?? {}), ['phoneNumber']);
			// Graph was asked to call the number the model gave, once.
			assert.deepEqual(creates(sim, from).map(calledNumber), ['+14255550103']);
			// The tool's answer (the waiting webhook's item) went back to the model.
			const answer = text(second?.messages.find((m) => m.role === 'tool')?.content);
			assert.match(answer, /"outcome"\s*:\s*"pressed"/, answer);
			assert.match(answer, /"key"\s*:\s*"1"/, answer);
			const callId = /"callId"\s*:\s*"([0-9a-f-]{36})"/.exec(answer)?.[1];
			assert.ok(callId, answer);
			assert.equal(sim.getCall(callId)?.state, 'terminated', 'hung up after the key');
			assert.equal(model.requests.length, asked + 2, 'two model turns');
		},
	);

	await check(
		'examples/agent-asks-a-human-by-phone.json: the approver does not answer → the agent hears "unanswered", NOT APPROVED',
		async () => {
			const from = sim.graphRequests().length;
			const posted = chat.posts.length;
			calling.neverAnswer = ['phone:+14255550104'];
			calling.noAnswerTimeoutMs = 1_500;
			await post(
				{ request: 'Rotate the production database password now. Approver: +14255550104.' },
				AGENT_PATH,
			);
			await waitFor('the posted decision', () => chat.posts.length > posted);
			const decision = String(chat.posts[posted]?.text);
			assert.match(decision, /^NOT APPROVED: .*outcome unanswered/, decision);
			assert.deepEqual(creates(sim, from).map(calledNumber), ['+14255550104']);
			calling.neverAnswer = [];
		},
	);
}
