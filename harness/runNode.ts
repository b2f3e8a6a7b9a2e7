import { ExecuteContext } from 'n8n-core';
import {
	createRunExecutionData,
	Workflow,
	type ICredentialDataDecryptedObject,
	type IExecuteData,
	type INode,
	type INodeExecutionData,
	type INodeParameters,
	type INodeType,
	type INodeTypes,
	type IWorkflowExecuteAdditionalData,
} from 'n8n-workflow';

import { AzureAiSpeechApi } from '../credentials/AzureAiSpeechApi.credentials';
import { MicrosoftGraphCallsApi } from '../credentials/MicrosoftGraphCallsApi.credentials';
import { MicrosoftGraphCalls } from '../nodes/MicrosoftGraphCalls/MicrosoftGraphCalls.node.ts';
import { HarnessCredentialsHelper } from './credentialsHelper';

export const NODE_TYPE = 'n8n-nodes-microsoft-graph-calls.microsoftGraphCalls';
export const CREDENTIAL_TYPE = 'microsoftGraphCallsApi';
export const CREDENTIAL_ID = 'cred-1';
/** The node's Azure AI Speech credential, when a run saves one under this ID (typed prompts). */
export const SPEECH_CREDENTIAL_TYPE = 'azureAiSpeechApi';
export const SPEECH_CREDENTIAL_ID = 'speech-cred-1';

/** The credentials a node of the harness names: the Graph app, and Azure AI Speech. */
export const NODE_CREDENTIALS = {
	[CREDENTIAL_TYPE]: { id: CREDENTIAL_ID, name: 'Graph app' },
	[SPEECH_CREDENTIAL_TYPE]: { id: SPEECH_CREDENTIAL_ID, name: 'Azure AI Speech' },
};

const defaultNodeType = new MicrosoftGraphCalls();

const nodeTypesFor = (nodeType: INodeType): INodeTypes => ({
	getByName: () => nodeType,
	getByNameAndVersion: () => nodeType,
	getKnownTypes: () => ({}),
});

/** One credential store shared by several runs: what n8n's database is across executions. */
export function createCredentialStore(
	data: ICredentialDataDecryptedObject,
): HarnessCredentialsHelper {
	const helper = new HarnessCredentialsHelper({
		[CREDENTIAL_TYPE]: new MicrosoftGraphCallsApi(),
		[SPEECH_CREDENTIAL_TYPE]: new AzureAiSpeechApi(),
	});
	helper.save(CREDENTIAL_ID, data);
	return helper;
}

export interface RunOptions {
	parameters: INodeParameters;
	items?: INodeExecutionData[];
	credentials: HarnessCredentialsHelper;
	continueOnFail?: boolean;
	/** The node's typeVersion (default 1: what workflows made before version 2 hold). */
	typeVersion?: number;
	/** Another build of the node (default: MicrosoftGraphCalls as the package ships it). */
	nodeType?: INodeType;
}

/** Who wants to see every run's result (the tests' secret scans): at most one at a time. */
let runObserver: ((result: RunResult) => void) | undefined;

export function observeRuns(observer: ((result: RunResult) => void) | undefined): void {
	runObserver = observer;
}

export interface RunResult {
	output?: INodeExecutionData[][];
	error?: Error;
}

export function additionalDataFor(
	credentialsHelper: HarnessCredentialsHelper,
): IWorkflowExecuteAdditionalData {
	return {
		credentialsHelper,
		executionId: 'test-execution',
		currentNodeExecutionIndex: 0,
		restApiUrl: 'http://127.0.0.1:5678/rest',
		instanceBaseUrl: 'http://127.0.0.1:5678/',
		formWaitingBaseUrl: 'http://127.0.0.1:5678/form-waiting',
		webhookBaseUrl: 'http://127.0.0.1:5678/webhook',
		webhookWaitingBaseUrl: 'http://127.0.0.1:5678/webhook-waiting',
		webhookTestBaseUrl: 'http://127.0.0.1:5678/webhook-test',
		variables: {},
		executeWorkflow: async () => {
			throw new Error('not supported in the harness');
		},
		getRunExecutionData: async () => undefined,
		logAiEvent: () => undefined,
		startRunnerTask: async () => {
			throw new Error('not supported in the harness');
		},
		// The rest (external secrets, sub-workflows, task runners) is never reached by this node.
	} as unknown as IWorkflowExecuteAdditionalData;
}

/**
 * Runs the node's execute() inside n8n-core's real ExecuteContext: parameters and expressions
 * are resolved by n8n-workflow, HTTP goes through n8n-core's request helpers (axios) to the
 * simulator, and credentials through a CredentialsHelper that follows n8n's server rules.
 */
export async function runNode(options: RunOptions): Promise<RunResult> {
	const nodeType = options.nodeType ?? defaultNodeType;
	const node: INode = {
		id: 'node-1',
		name: 'Microsoft Graph Calls',
		type: NODE_TYPE,
		typeVersion: options.typeVersion ?? 1,
		position: [0, 0],
		parameters: options.parameters,
		credentials: NODE_CREDENTIALS,
		continueOnFail: options.continueOnFail ?? false,
		onError: options.continueOnFail ? 'continueRegularOutput' : 'stopWorkflow',
	};
	const workflow = new Workflow({
		id: 'wf-1',
		name: 'test',
		nodes: [node],
		connections: {},
		active: false,
		nodeTypes: nodeTypesFor(nodeType),
	});
	const items = options.items ?? [{ json: {} }];
	const inputData = { main: [items] };
	const executeData: IExecuteData = { node, data: inputData, source: null };
	const context = new ExecuteContext(
		workflow,
		workflow.getNode(node.name) as INode,
		additionalDataFor(options.credentials),
		'manual',
		createRunExecutionData(),
		0,
		items,
		inputData,
		executeData,
		[],
		new AbortController().signal,
	);
	let result: RunResult;
	try {
		if (!nodeType.execute) throw new Error('the node type has no execute()');
		result = { output: (await nodeType.execute.call(context)) as INodeExecutionData[][] };
	} catch (error) {
		result = { error: error as Error };
	}
	runObserver?.(result);
	return result;
}
