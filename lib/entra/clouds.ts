/**
 * The Microsoft clouds an Entra app can live in. Each cloud pairs one authority host with one
 * Graph host: a token minted for one Graph host is useless on another, so the two are always
 * chosen together and the token's scope is derived from the Graph host.
 */
type CloudName = 'global' | 'usGovL4' | 'usGovL5' | 'china' | 'custom';

export interface CloudEndpoints {
	name: CloudName;
	label: string;
	/** Origin of the Entra authority, e.g. `https://login.microsoftonline.com`. */
	authorityHost: string;
	/** Origin of Microsoft Graph, e.g. `https://graph.microsoft.com`. */
	graphEndpoint: string;
	/** Graph's cloud communications (calls) API is not offered in every cloud. */
	callsApiAvailable: boolean;
	/** Whether Graph's beta endpoint exists in that cloud. */
	betaAvailable: boolean;
	/** msal-node ships metadata for Microsoft's own authorities; other hosts need it supplied. */
	authorityKnownToMsal: boolean;
}

export const MICROSOFT_CLOUDS: Readonly<Record<Exclude<CloudName, 'custom'>, CloudEndpoints>> = {
	global: {
		name: 'global',
		label: 'Global',
		authorityHost: 'https://login.microsoftonline.com',
		graphEndpoint: 'https://graph.microsoft.com',
		callsApiAvailable: true,
		betaAvailable: true,
		authorityKnownToMsal: true,
	},
	usGovL4: {
		name: 'usGovL4',
		label: 'US Government L4 (GCC High)',
		authorityHost: 'https://login.microsoftonline.us',
		graphEndpoint: 'https://graph.microsoft.us',
		callsApiAvailable: true,
		betaAvailable: false,
		authorityKnownToMsal: true,
	},
	usGovL5: {
		name: 'usGovL5',
		label: 'US Government L5 (DoD)',
		authorityHost: 'https://login.microsoftonline.us',
		graphEndpoint: 'https://dod-graph.microsoft.us',
		callsApiAvailable: true,
		betaAvailable: false,
		authorityKnownToMsal: true,
	},
	china: {
		name: 'china',
		label: 'China (21Vianet)',
		authorityHost: 'https://login.chinacloudapi.cn',
		graphEndpoint: 'https://microsoftgraph.chinacloudapi.cn',
		callsApiAvailable: false,
		betaAvailable: false,
		authorityKnownToMsal: true,
	},
};

export function isCloudName(value: unknown): value is CloudName {
	return typeof value === 'string' && (value === 'custom' || value in MICROSOFT_CLOUDS);
}

/** The scope of an app-only token for a Graph host: always `<origin>/.default`. */
export function graphScopeFor(graphEndpoint: string): string {
	return `${new URL(graphEndpoint).origin}/.default`;
}
