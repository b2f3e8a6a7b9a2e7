import type {
	ICredentialDataDecryptedObject,
	ICredentialType,
	IHttpRequestHelper,
	IHttpRequestOptions,
	INodeProperties,
	Icon,
} from 'n8n-workflow';

import { MICROSOFT_CLOUDS } from '../lib/entra/clouds';
import { rememberOwnFailure } from '../lib/entra/ownFailures';
import { CredentialConfigError } from '../lib/entra/errors';
import { readEntraAppSettings } from '../lib/entra/settings';
import { senderFromHttpRequest } from '../lib/entra/tokenSenders';
import { mintAccessToken } from '../lib/entra/tokenMinter';
import { bindTokenToGraphOrigin } from '../lib/entra/tokenBinding';

const cloudOptions = [
	...Object.values(MICROSOFT_CLOUDS).map((cloud) => ({
		name: cloud.label,
		value: cloud.name,
		description: `${cloud.authorityHost} and ${cloud.graphEndpoint}${cloud.callsApiAvailable ? '' : ' (the calls API is not available there)'}`,
	})),
	{
		name: 'Custom',
		value: 'custom',
		description: 'Your own https authority host and Graph endpoint (e.g. a test double)',
	},
];

const properties: INodeProperties[] = [
	{
		displayName: 'Cloud',
		name: 'cloud',
		type: 'options',
		options: cloudOptions,
		default: 'global',
		description:
			'The Microsoft cloud the tenant lives in. It decides where tokens are requested and where Graph is called.',
	},
	{
		displayName: 'Authority Host',
		name: 'authorityHost',
		type: 'string',
		default: '',
		placeholder: 'https://login.microsoftonline.com',
		description:
			'Origin of the Entra authority (https only, no path). The token endpoint is {authority}/{tenant}/oauth2/v2.0/token.',
		displayOptions: { show: { cloud: ['custom'] } },
		required: true,
	},
	{
		displayName: 'Graph Endpoint',
		name: 'graphEndpoint',
		type: 'string',
		default: '',
		placeholder: 'https://graph.microsoft.com',
		description:
			'Origin of Microsoft Graph (https only, no path). The access token is only ever sent to this origin.',
		displayOptions: { show: { cloud: ['custom'] } },
		required: true,
	},
	{
		displayName: 'Notification OpenID Configuration URL',
		name: 'notificationOpenIdConfigurationUrl',
		type: 'string',
		default: '',
		placeholder: 'https://api.aps.skype.com/v1/.well-known/OpenIdConfiguration',
		description:
			"Used by the Microsoft Graph Calls Trigger: where the keys that sign call notifications are published (https; its jwks_uri is read at run time). Empty: Microsoft's calling platform configuration.",
		displayOptions: { show: { cloud: ['custom'] } },
	},
	{
		displayName: 'Tenant ID',
		name: 'tenantId',
		type: 'string',
		default: '',
		placeholder: '00000000-0000-0000-0000-000000000000',
		description:
			'Directory (tenant) ID from the app registration\'s Overview page, or a verified domain such as contoso.onmicrosoft.com. "common" and "organizations" do not work for app-only tokens.',
		required: true,
	},
	{
		displayName: 'Client ID',
		name: 'clientId',
		type: 'string',
		default: '',
		placeholder: '00000000-0000-0000-0000-000000000000',
		description: 'Application (client) ID of the app registration',
		required: true,
	},
	{
		displayName: 'Authentication',
		name: 'authentication',
		type: 'options',
		options: [
			{
				name: 'Client Secret',
				value: 'clientSecret',
				description: 'A secret from "Certificates & secrets"',
			},
			{
				name: 'Certificate',
				value: 'certificate',
				description: 'A certificate uploaded to the app registration, with its private key',
			},
		],
		default: 'clientSecret',
	},
	{
		displayName: 'Client Secret',
		name: 'clientSecret',
		type: 'string',
		typeOptions: { password: true },
		default: '',
		description:
			'The secret\'s Value (not its Secret ID) from the app registration\'s "Certificates & secrets" page',
		displayOptions: { show: { authentication: ['clientSecret'] } },
		required: true,
	},
	{
		// How n8n draws `password: true` with `rows` (checked in the editors' builds):
		// - 2.41: a masked multi-line textarea, so a pasted PEM keeps its line breaks;
		// - 1.123: a one-line <input type="password">, and the browser removes the line breaks
		//   from whatever is pasted into it.
		// The key stays a password field (masked on screen, and n8n's community rule
		// credential-password-field requires it for a field named like this); settings.ts
		// rebuilds the PEM from what the box leaves (lib/entra/pem.ts), so both work.
		displayName: 'Private Key',
		name: 'privateKey',
		type: 'string',
		typeOptions: { password: true, rows: 5 },
		default: '',
		placeholder: '-----BEGIN PRIVATE KEY-----',
		description:
			'Unencrypted PEM private key (BEGIN PRIVATE KEY or BEGIN RSA PRIVATE KEY) of the certificate uploaded to the app registration. Paste the whole block; line breaks lost in the paste are restored.',
		displayOptions: { show: { authentication: ['certificate'] } },
		required: true,
	},
	{
		// Not a password field on purpose: a certificate is public (Entra shows it to anyone who
		// can read the app registration), and without `password` both n8n lines draw a
		// multi-line textarea that keeps a pasted PEM intact. Rebuilt like the key all the same.
		displayName: 'Certificate',
		name: 'certificate',
		type: 'string',
		typeOptions: { rows: 5 },
		default: '',
		placeholder: '-----BEGIN CERTIFICATE-----',
		description:
			'The PEM certificate uploaded to the app registration. Give this or its SHA-256 thumbprint below.',
		displayOptions: { show: { authentication: ['certificate'] } },
	},
	{
		displayName: 'Certificate Thumbprint (SHA-256)',
		name: 'certificateThumbprintSha256',
		type: 'string',
		default: '',
		placeholder: '64 hexadecimal characters',
		description: 'Needed only when the certificate above is left empty',
		displayOptions: { show: { authentication: ['certificate'] } },
	},
	{
		// n8n stores the minted token here, reuses it across items and executions, and empties
		// it (calling preAuthentication again) when Graph answers 401.
		displayName: 'Access Token',
		name: 'accessToken',
		type: 'hidden',
		typeOptions: { expirable: true, password: true },
		default: '',
	},
];

export class MicrosoftGraphCallsApi implements ICredentialType {
	name = 'microsoftGraphCallsApi';

	displayName = 'Microsoft Graph Calls (Entra App) API';

	icon: Icon = {
		light: 'file:../icons/microsoftGraphCalls.svg',
		dark: 'file:../icons/microsoftGraphCalls.dark.svg',
	};

	// The README's set-up section on the package's npm page (package.json "homepage"): the page
	// n8n's "Open docs" link should land on is the one that says what to fill in and where from.
	documentationUrl =
		'https://www.npmjs.com/package/n8n-nodes-microsoft-graph-calls#set-up-the-entra-app-and-the-calling-bot';

	properties = properties;

	async preAuthentication(this: IHttpRequestHelper, credentials: ICredentialDataDecryptedObject) {
		let settings;
		try {
			settings = readEntraAppSettings(credentials);
		} catch (error) {
			if (error instanceof CredentialConfigError) throw rememberOwnFailure(error, 'authentication');
			throw error;
		}
		// n8n calls this with the old token still set only when Graph rejected it: then msal's
		// cache must be skipped, or it would hand back the same rejected token.
		const forceRefresh =
			typeof credentials.accessToken === 'string' && credentials.accessToken !== '';
		const accessToken = await mintAccessToken(
			settings,
			senderFromHttpRequest(this.helpers.httpRequest),
			{ forceRefresh },
		);
		return { accessToken };
	}

	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		requestOptions: IHttpRequestOptions,
	): Promise<IHttpRequestOptions> {
		return bindTokenToGraphOrigin(credentials, requestOptions);
	}
}
