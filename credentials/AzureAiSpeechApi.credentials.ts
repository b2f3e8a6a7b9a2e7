import type {
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	IHttpRequestHelper,
	IHttpRequestOptions,
	INodeProperties,
	Icon,
} from 'n8n-workflow';

import { bindSpeechCredential, speechPreAuthentication } from '../lib/speech/azure/credentialAuth';

const regionalClouds = ['global', 'usGov', 'china'];

/**
 * The one Endpoint field, in three forms with disjoint display rules: optional beside a region,
 * required where there is no region to fall back on (Entra ID, Custom).
 */
function endpointField(
	description: string,
	show: Record<string, string[]>,
	required = false,
): INodeProperties {
	return {
		displayName: 'Endpoint',
		name: 'endpoint',
		type: 'string',
		default: '',
		placeholder: 'https://my-speech.cognitiveservices.azure.com',
		description,
		required,
		displayOptions: { show },
	};
}

const properties: INodeProperties[] = [
	{
		displayName: 'Authentication',
		name: 'authentication',
		type: 'options',
		options: [
			{
				name: 'Key',
				value: 'apiKey',
				description: 'KEY 1 or KEY 2 from the Speech resource (Keys and Endpoint)',
			},
			{
				name: 'Microsoft Entra ID',
				value: 'entraId',
				description:
					"An app registration with the role Cognitive Services Speech User on the resource; needs the resource's custom domain",
			},
		],
		default: 'apiKey',
	},
	{
		displayName: 'Cloud',
		name: 'cloud',
		type: 'options',
		options: [
			{
				name: 'Azure (Global)',
				value: 'global',
				description: '{region}.tts.speech.microsoft.com, login.microsoftonline.com',
			},
			{
				name: 'Azure Government',
				value: 'usGov',
				description:
					'{region}.tts.speech.azure.us (usgovarizona, usgovvirginia), login.microsoftonline.us',
			},
			{
				name: 'Azure China (21Vianet)',
				value: 'china',
				description:
					'{region}.tts.speech.azure.cn (chinaeast2, chinanorth2, chinanorth3), login.chinacloudapi.cn',
			},
			{
				name: 'Custom',
				value: 'custom',
				description:
					'Any https endpoint and authority host (e.g. a private gateway or a test double)',
			},
		],
		default: 'global',
	},
	{
		displayName: 'Region',
		name: 'region',
		type: 'string',
		default: '',
		placeholder: 'westeurope',
		description:
			"The Speech resource's region as Keys and Endpoint shows it under Location/Region (e.g. westeurope, eastus). Not needed when Endpoint is given.",
		displayOptions: { show: { authentication: ['apiKey'], cloud: regionalClouds } },
	},
	endpointField(
		"Optional: the resource's custom domain (Keys and Endpoint), used instead of the region. The key is only ever sent to this origin.",
		{ authentication: ['apiKey'], cloud: regionalClouds },
	),
	endpointField(
		"The resource's custom domain (Keys and Endpoint); Microsoft Entra ID works only with one. Tokens are only ever sent to this origin.",
		{ authentication: ['entraId'] },
		true,
	),
	endpointField(
		'Https origin that serves /tts/cognitiveservices/v1. The key is only ever sent to this origin.',
		{ authentication: ['apiKey'], cloud: ['custom'] },
		true,
	),
	{
		displayName: 'Key',
		name: 'apiKey',
		type: 'string',
		typeOptions: { password: true },
		default: '',
		description: 'KEY 1 or KEY 2 of the Speech resource',
		required: true,
		displayOptions: { show: { authentication: ['apiKey'] } },
	},
	{
		displayName: 'Tenant ID',
		name: 'tenantId',
		type: 'string',
		default: '',
		placeholder: '00000000-0000-0000-0000-000000000000',
		description: "Directory (tenant) ID from the app registration's Overview page",
		required: true,
		displayOptions: { show: { authentication: ['entraId'] } },
	},
	{
		displayName: 'Client ID',
		name: 'clientId',
		type: 'string',
		default: '',
		placeholder: '00000000-0000-0000-0000-000000000000',
		description: 'Application (client) ID of the app registration',
		required: true,
		displayOptions: { show: { authentication: ['entraId'] } },
	},
	{
		displayName: 'Client Secret',
		name: 'clientSecret',
		type: 'string',
		typeOptions: { password: true },
		default: '',
		description: 'The secret\'s Value from the app registration\'s "Certificates & secrets" page',
		required: true,
		displayOptions: { show: { authentication: ['entraId'] } },
	},
	{
		displayName: 'Resource ID',
		name: 'resourceId',
		type: 'string',
		default: '',
		placeholder:
			'/subscriptions/…/resourceGroups/…/providers/Microsoft.CognitiveServices/accounts/…',
		description: "The Speech resource's ID (Azure portal: the resource's Properties page)",
		required: true,
		displayOptions: { show: { authentication: ['entraId'] } },
	},
	{
		displayName: 'Authority Host',
		name: 'authorityHost',
		type: 'string',
		default: '',
		placeholder: 'https://login.microsoftonline.com',
		description: 'Origin of the Entra authority (https only, no path)',
		required: true,
		displayOptions: { show: { authentication: ['entraId'], cloud: ['custom'] } },
	},
	{
		// The Entra ID token: n8n stores it, reuses it, and empties it (calling preAuthentication
		// again) when Azure answers 401. Key credentials leave it empty.
		displayName: 'Access Token',
		name: 'accessToken',
		type: 'hidden',
		typeOptions: { expirable: true, password: true },
		default: '',
	},
];

/**
 * The voices list the test asks for, the URL that lib/speech/azure/speechSettings.ts builds
 * (test/speech.credential.test.ts keeps the two equal): the custom domain's
 * /tts/cognitiveservices/voices/list, else the region's host in the chosen cloud.
 */
export const VOICES_LIST_URL =
	"={{ $credentials.authentication === 'entraId' || $credentials.cloud === 'custom' || String($credentials.endpoint ?? '').trim() !== '' ? String($credentials.endpoint).trim().replace(/\\/+$/, '') + '/tts/cognitiveservices/voices/list' : 'https://' + String($credentials.region ?? '').toLowerCase().replace(/\\s+/g, '') + '.tts.speech.' + ($credentials.cloud === 'usGov' ? 'azure.us' : $credentials.cloud === 'china' ? 'azure.cn' : 'microsoft.com') + '/cognitiveservices/voices/list' }}";

export class AzureAiSpeechApi implements ICredentialType {
	name = 'azureAiSpeechApi';

	displayName = 'Azure AI Speech API';

	icon: Icon = {
		light: 'file:../icons/azureAiSpeech.svg',
		dark: 'file:../icons/azureAiSpeech.dark.svg',
	};

	documentationUrl =
		'https://www.npmjs.com/package/n8n-nodes-microsoft-graph-calls#spoken-prompts-azure-ai-speech';

	properties = properties;

	async preAuthentication(this: IHttpRequestHelper, credentials: ICredentialDataDecryptedObject) {
		return await speechPreAuthentication(this.helpers, credentials);
	}

	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		requestOptions: IHttpRequestOptions,
	): Promise<IHttpRequestOptions> {
		return bindSpeechCredential(credentials, requestOptions);
	}

	// Lists the resource's voices: the key (or app), the region or endpoint and the network all
	// have to be right for that, so a passing test means prompts can be rendered.
	test: ICredentialTestRequest = {
		request: { method: 'GET', url: VOICES_LIST_URL },
		rules: [
			{
				type: 'responseCode',
				properties: {
					value: 401,
					message:
						"Azure AI Speech refused the key or token (401): check Key and Region (a key works only with its own resource's region or endpoint), or, for Microsoft Entra ID, the Resource ID.",
				},
			},
			{
				type: 'responseCode',
				properties: {
					value: 403,
					message:
						"Azure AI Speech answered 403 Forbidden: for Microsoft Entra ID the app needs the role Cognitive Services Speech User on the resource; the resource's network rules may not admit n8n's address.",
				},
			},
			{
				type: 'responseCode',
				properties: {
					value: 404,
					message: 'Nothing answers at that address (404): check Region or Endpoint.',
				},
			},
			{
				type: 'responseCode',
				properties: {
					value: 429,
					message:
						'Azure AI Speech is throttling this resource (429): the key works; try the test again in a minute.',
				},
			},
		],
	};
}
