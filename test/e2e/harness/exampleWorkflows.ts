/**
 * The examples of examples/ as a user fills them in before they run: the credential picked on
 * this package's nodes, and each example's own blanks (a resource account, a prompt, a chat
 * webhook, a rota). Dev mode imports them filled in for the simulator; the e2e suites do the
 * same with their own values. Each fill fails loudly when the example no longer has the blank it
 * fills, so an edited example cannot silently run with its placeholder.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

import type { WorkflowImport, WorkflowNode } from './n8n';
import { repoRoot } from './paths';

const PACKAGE_NODE = 'n8n-nodes-microsoft-graph-calls.';
const KEYPRESS_OPERATION = 'callAndWaitForKeypress';
const HTTP_REQUEST = 'n8n-nodes-base.httpRequest';

/** What the fills read of a node: an exported workflow's node (also n8n-workflow's INode). */
interface ExampleNode {
	name: string;
	type: string;
	parameters: Record<string, unknown>;
}

export type CredentialRef = Record<string, { id: string; name: string }>;

/** examples/<file> as it is committed. */
export function readExample(file: string): WorkflowImport {
	return JSON.parse(
		fs.readFileSync(path.join(repoRoot, 'examples', file), 'utf8'),
	) as WorkflowImport;
}

/** Every node of this package gets `credential`, as a user picks it after importing. */
export function withGraphCredential(wf: WorkflowImport, credential: CredentialRef): WorkflowImport {
	return {
		...wf,
		nodes: wf.nodes.map((node) =>
			node.type.startsWith(PACKAGE_NODE) ? { ...node, credentials: credential } : node,
		),
	};
}

/** Replaces `pattern` in a Code node's JavaScript; throws when the example lost it. */
function editCode(
	node: WorkflowNode,
	pattern: RegExp,
	replacement: string,
	what: string,
): WorkflowNode {
	const code = String(node.parameters.jsCode);
	if (!pattern.test(code))
		throw new Error(`The Code node "${node.name}" has no ${what} any more: fill it in by hand.`);
	return {
		...node,
		parameters: { ...node.parameters, jsCode: code.replace(pattern, replacement) },
	};
}

/**
 * Sets `parameter` of the nodes `pick` chooses to `value`, where the example leaves it empty for
 * the user (n8n marks such a required field); throws when no node has that blank any more.
 */
function fillBlank<N extends ExampleNode>(
	nodes: N[],
	pick: (node: N) => boolean,
	parameter: string,
	value: string,
	what: string,
): N[] {
	let filled = 0;
	const result = nodes.map((node) => {
		if (!pick(node)) return node;
		if (node.parameters[parameter] !== '')
			throw new Error(`"${node.name}" no longer leaves ${what} empty: fill it in by hand.`);
		filled += 1;
		return { ...node, parameters: { ...node.parameters, [parameter]: value } };
	});
	if (filled === 0) throw new Error(`No node of the example has ${what} to fill in.`);
	return result;
}

/**
 * examples/page-and-acknowledge.json filled in: the credential, the resource account (and, when
 * given, a prompt URL) of both page nodes, and the chat webhook's URL in the Post node.
 */
export function fillPageExample(
	example: WorkflowImport,
	fill: { credential: CredentialRef; resourceAccount: string; promptUrl?: string; chatUrl: string },
): WorkflowImport {
	let nodes = withGraphCredential(example, fill.credential).nodes;
	nodes = fillBlank(
		nodes,
		(node) => node.parameters.operation === KEYPRESS_OPERATION,
		'applicationInstanceId',
		fill.resourceAccount,
		'the Resource Account ID',
	);
	if (fill.promptUrl !== undefined) {
		// The example's own prompt is typed text; a URL replaces it only when given.
		const promptUrl = fill.promptUrl;
		nodes = nodes.map((node) =>
			node.parameters.operation === KEYPRESS_OPERATION
				? { ...node, parameters: { ...node.parameters, promptSource: 'url', promptUrl } }
				: node,
		);
	}
	nodes = fillBlank(
		nodes,
		(node) => node.type === HTTP_REQUEST,
		'url',
		fill.chatUrl,
		"the chat webhook's URL",
	);
	return { ...example, nodes };
}

/**
 * examples/page-the-rota.json filled in: the credential and Resource Account ID of the page
 * node, the bridge's call ID in "Settings", the chat webhook's URL in the Post node, and (when
 * given) the rota in "Rota" (JavaScript for `return [ … ].map(…)`).
 */
export function fillRotaExample(
	example: WorkflowImport,
	fill: {
		credential: CredentialRef;
		resourceAccount: string;
		bridgeCallId: string;
		chatUrl: string;
		rota?: string;
	},
): WorkflowImport {
	let nodes = withGraphCredential(example, fill.credential).nodes;
	nodes = fillBlank(
		nodes,
		(node) => node.parameters.operation === KEYPRESS_OPERATION,
		'applicationInstanceId',
		fill.resourceAccount,
		'the Resource Account ID',
	);
	nodes = fillBlank(
		nodes,
		(node) => node.type === HTTP_REQUEST,
		'url',
		fill.chatUrl,
		"the chat webhook's URL",
	);
	nodes = nodes.map((node) => {
		if (node.name === 'Settings')
			return editCode(
				node,
				/bridgeCallId:\s*''/,
				`bridgeCallId: '${fill.bridgeCallId}'`,
				'empty bridgeCallId',
			);
		if (node.name === 'Rota' && fill.rota !== undefined)
			return editCode(node, /return \[[\s\S]*?\n\]/, fill.rota, 'rota');
		return node;
	});
	return { ...example, nodes };
}

/**
 * Every Call › Create of `example` with the Callback URL it leaves empty for the user (the
 * Production URL of their trigger) set to `callbackUrl`.
 */
export function fillCallbackUrls<N extends ExampleNode, T extends { nodes: N[] }>(
	example: T,
	callbackUrl: string,
): T {
	return {
		...example,
		nodes: fillBlank(
			example.nodes,
			(node) =>
				node.type.startsWith(PACKAGE_NODE) &&
				node.parameters.resource === 'call' &&
				node.parameters.operation === 'create',
			'callbackUrl',
			callbackUrl,
			'the Callback URL',
		),
	};
}

/**
 * examples/incoming-call-routing.json filled in: the credential, the rota of "Who is on call"
 * (JavaScript for `const rota = […];`), and, when given, the URL of the prompt it plays.
 */
export function fillRoutingExample(
	example: WorkflowImport,
	fill: { credential: CredentialRef; rota: string; promptUrl?: string },
): WorkflowImport {
	const nodes = withGraphCredential(example, fill.credential).nodes.map((node) => {
		if (node.name === 'Who is on call')
			return editCode(node, /const rota = \[[\s\S]*?\n\];/, fill.rota, 'rota');
		if (fill.promptUrl !== undefined && node.parameters.operation === 'playPrompt') {
			const prompts = node.parameters.prompts as
				{ prompt?: Array<Record<string, unknown>> } | undefined;
			return {
				...node,
				parameters: {
					...node.parameters,
					promptSource: 'url',
					prompts: {
						prompt: (prompts?.prompt ?? [{}]).map((p) => ({ ...p, url: fill.promptUrl })),
					},
				},
			};
		}
		return node;
	});
	return { ...example, nodes };
}

/** A rota with one shift that never ends: `userId` (named `name`) is always on call. */
export function alwaysOnCall(userId: string, name: string): string {
	return `const rota = [{ days: [0, 1, 2, 3, 4, 5, 6], from: 0, to: 24, userId: '${userId}', name: '${name}' }];`;
}
