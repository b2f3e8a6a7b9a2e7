import type {
	ICredentialsDecrypted,
	ICredentialTestFunctions,
	IExecuteFunctions,
	INodeCredentialTestResult,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';

import { checkEntraAppCredential } from '../../lib/entra/credentialCheck';
import { senderFromLegacyRequest } from '../../lib/entra/senders';
import { versionDescription } from './actions/node.description';
import { router } from './actions/router';

export class MicrosoftGraphCalls implements INodeType {
	description: INodeTypeDescription = versionDescription;

	methods = {
		credentialTest: {
			// n8n hands a credential test only the legacy request helper; the check itself is shared.
			async microsoftGraphCallsApiTest(this: ICredentialTestFunctions, credential: ICredentialsDecrypted): Promise<INodeCredentialTestResult> {
				return await checkEntraAppCredential(credential.data ?? {}, senderFromLegacyRequest(this.helpers.request));
			},
		},
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
