/**
 * Runs an exported n8n workflow (JSON) in process: the Manual Trigger emits one empty item, then
 * each node of this package runs in n8n-core's real ExecuteContext, in connection order, inside a
 * Workflow that holds every node. Earlier nodes' results are in the run data, so expressions such
 * as $('Join incident bridge').first().json.id resolve as they do in n8n. Only linear workflows.
 */
import { ExecuteContext } from 'n8n-core';
import {
	createRunExecutionData,
	Workflow,
	type IConnections,
	type IExecuteData,
	type INode,
	type INodeExecutionData,
	type INodeType,
	type INodeTypes,
} from 'n8n-workflow';

import { MicrosoftGraphCalls } from '../../nodes/MicrosoftGraphCalls/MicrosoftGraphCalls.node.ts';
import type { HarnessCredentialsHelper } from '../../harness/credentialsHelper';
import {
	additionalDataFor,
	CREDENTIAL_ID,
	CREDENTIAL_TYPE,
	NODE_TYPE,
} from '../../harness/runNode';

export interface WorkflowJson {
	nodes: INode[];
	connections: IConnections;
}

const graphNode = new MicrosoftGraphCalls();
const manualTrigger: INodeType = {
	description: {
		displayName: 'Manual Trigger',
		name: 'manualTrigger',
		group: ['trigger'],
		version: 1,
		description: 'stand-in for n8n-nodes-base.manualTrigger',
		defaults: { name: 'Manual Trigger' },
		inputs: [],
		outputs: ['main'],
		properties: [],
	},
};

const nodeTypes: INodeTypes = {
	getByName: (type) => (type === NODE_TYPE ? graphNode : manualTrigger),
	getByNameAndVersion: (type) => (type === NODE_TYPE ? graphNode : manualTrigger) as INodeType,
	getKnownTypes: () => ({}),
};

export async function runWorkflowJson(
	json: WorkflowJson,
	credentials: HarnessCredentialsHelper,
): Promise<Record<string, INodeExecutionData[]>> {
	const nodes = json.nodes.map((node) => ({
		...node,
		credentials: node.credentials
			? { [CREDENTIAL_TYPE]: { id: CREDENTIAL_ID, name: 'Graph app' } }
			: undefined,
	}));
	const workflow = new Workflow({
		id: 'wf-example',
		name: 'example',
		nodes,
		connections: json.connections,
		active: false,
		nodeTypes,
	});
	const trigger = nodes.find((node) => node.type === 'n8n-nodes-base.manualTrigger');
	if (!trigger) throw new Error('The workflow has no Manual Trigger.');
	const runExecutionData = createRunExecutionData();
	const outputs: Record<string, INodeExecutionData[]> = {};
	const record = (name: string, items: INodeExecutionData[], previousNode?: string) => {
		outputs[name] = items;
		runExecutionData.resultData.runData[name] = [
			{
				startTime: Date.now(),
				executionTime: 0,
				executionIndex: 0,
				source: previousNode ? [{ previousNode }] : [],
				data: { main: [items] },
			},
		];
	};
	record(trigger.name, [{ json: {} }]);
	let previous = trigger.name;
	for (;;) {
		const next = json.connections[previous]?.main?.[0]?.[0]?.node;
		if (!next) break;
		const node = workflow.getNode(next) as INode;
		const items = outputs[previous].map((item, index) => ({
			...item,
			pairedItem: { item: index },
		}));
		const inputData = { main: [items] };
		const executeData: IExecuteData = {
			node,
			data: inputData,
			source: { main: [{ previousNode: previous }] },
		};
		const context = new ExecuteContext(
			workflow,
			node,
			additionalDataFor(credentials),
			'manual',
			runExecutionData,
			0,
			items,
			inputData,
			executeData,
			[],
			new AbortController().signal,
		);
		const result = await graphNode.execute.call(context);
		record(next, result[0] ?? [], previous);
		previous = next;
	}
	return outputs;
}
