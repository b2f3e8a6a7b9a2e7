/**
 * Speech test support: credentials pointing at the simulator's Speech endpoint, n8n's own
 * `helpers.httpRequest`, and the credential test run the way n8n runs a declarative `test`.
 */
import { ExecuteContext, RoutingNode } from 'n8n-core';
import {
	createRunExecutionData,
	Workflow,
	type ICredentialDataDecryptedObject,
	type ICredentialTestRequest,
	type IHttpRequestOptions,
	type INode,
	type INodeCredentialTestResult,
	type INodeType,
	type INodeTypes,
} from 'n8n-workflow';

import { AzureAiSpeechApi } from '../../credentials/AzureAiSpeechApi.credentials';
import { HarnessCredentialsHelper } from '../../harness/credentialsHelper';
import { additionalDataFor } from '../../harness/runNode';
import {
	DEFAULT_CLIENT_ID,
	DEFAULT_CLIENT_SECRET,
	DEFAULT_SPEECH_KEY,
	DEFAULT_SPEECH_RESOURCE_ID,
	DEFAULT_TENANT_ID,
	type GraphSimulator,
} from '../../simulator';

export const SPEECH_CREDENTIAL_TYPE = 'azureAiSpeechApi';

/** A key credential of the Custom cloud whose endpoint is the simulator. */
export function speechKeyCredential(
	sim: GraphSimulator,
	overrides: ICredentialDataDecryptedObject = {},
): ICredentialDataDecryptedObject {
	return {
		authentication: 'apiKey',
		cloud: 'custom',
		endpoint: sim.origin,
		apiKey: DEFAULT_SPEECH_KEY,
		...overrides,
	};
}

/** An Entra ID credential: the simulator is the authority and the custom-domain endpoint. */
export function speechEntraCredential(
	sim: GraphSimulator,
	overrides: ICredentialDataDecryptedObject = {},
): ICredentialDataDecryptedObject {
	return {
		authentication: 'entraId',
		cloud: 'custom',
		endpoint: sim.origin,
		authorityHost: sim.origin,
		tenantId: DEFAULT_TENANT_ID,
		clientId: DEFAULT_CLIENT_ID,
		clientSecret: DEFAULT_CLIENT_SECRET,
		resourceId: DEFAULT_SPEECH_RESOURCE_ID,
		...overrides,
	};
}

const TEMP_NODE_TYPE = 'n8n-nodes-base.noOp';

function tempNode(credentialId: string): INode {
	return {
		id: 'temp',
		name: 'Temp-Node',
		type: TEMP_NODE_TYPE,
		typeVersion: 1,
		position: [0, 0],
		parameters: {},
		credentials: { [SPEECH_CREDENTIAL_TYPE]: { id: credentialId, name: 'Speech' } },
	};
}

function contextFor(
	node: INode,
	nodeType: INodeType,
	credentials: HarnessCredentialsHelper,
): ExecuteContext {
	const nodeTypes: INodeTypes = {
		getByName: () => nodeType,
		getByNameAndVersion: () => nodeType,
		getKnownTypes: () => ({}),
	};
	const workflow = new Workflow({ nodes: [node], connections: {}, active: false, nodeTypes });
	const inputData = { main: [[{ json: {} }]] };
	return new ExecuteContext(
		workflow,
		node,
		additionalDataFor(credentials),
		'internal',
		createRunExecutionData(),
		0,
		[],
		inputData,
		{ node, data: inputData, source: null },
		[],
		new AbortController().signal,
	);
}

/** n8n's `helpers.httpRequest` (n8n-core, axios underneath), as a node has it. */
export function n8nHttpRequest(): (options: IHttpRequestOptions) => Promise<unknown> {
	const nodeType = { description: { properties: [] } } as unknown as INodeType;
	const context = contextFor(tempNode('none'), nodeType, new HarnessCredentialsHelper({}));
	return async (options) => await context.helpers.httpRequest(options);
}

/**
 * The credential's `test`, run as n8n 1.123's CredentialsTester runs a declarative test: a temp
 * node whose one property routes the test request, n8n-core's RoutingNode, the credential's
 * preAuthentication and authenticate, and the same mapping of failures to messages (rules for
 * the status, else the status text, else the error's code, else its message). With the 1.x
 * libraries NodeApiError keeps no `cause`, so, as in n8n 1.x, the rules are never reached.
 */
export async function runSpeechCredentialTest(
	data: ICredentialDataDecryptedObject,
): Promise<INodeCredentialTestResult> {
	const credentialType = new AzureAiSpeechApi();
	const test = credentialType.test as ICredentialTestRequest;
	const helper = new HarnessCredentialsHelper({ [SPEECH_CREDENTIAL_TYPE]: credentialType });
	const id = 'speech-cred';
	helper.save(id, data);
	const decrypted = await helper.getDecrypted(
		undefined,
		{ id, name: 'Speech' },
		SPEECH_CREDENTIAL_TYPE,
	);
	const nodeType = {
		description: {
			name: TEMP_NODE_TYPE,
			displayName: 'Temp',
			version: 1,
			defaults: {},
			inputs: ['main'],
			outputs: ['main'],
			credentials: [{ name: SPEECH_CREDENTIAL_TYPE, required: true }],
			properties: [
				{
					displayName: 'Temp',
					name: 'temp',
					type: 'string',
					routing: { request: test.request },
					default: '',
				},
			],
		},
	} as unknown as INodeType;
	const routing = new RoutingNode(contextFor(tempNode(id), nodeType, helper), nodeType, {
		id,
		name: 'Speech',
		type: SPEECH_CREDENTIAL_TYPE,
		data: decrypted,
	});
	try {
		await routing.runNode();
	} catch (error) {
		const cause = (
			error as { cause?: { response?: { status: number; statusText?: string }; code?: string } }
		).cause;
		if (cause?.response) {
			const rule = test.rules?.find(
				(r) => r.type === 'responseCode' && r.properties.value === cause.response?.status,
			);
			if (rule && rule.type === 'responseCode')
				return { status: 'Error', message: rule.properties.message };
			return {
				status: 'Error',
				message: cause.response.statusText || `Received HTTP status code: ${cause.response.status}`,
			};
		}
		if (cause?.code) return { status: 'Error', message: cause.code };
		return { status: 'Error', message: (error as Error).message };
	}
	return { status: 'OK', message: 'Connection successful!' };
}
