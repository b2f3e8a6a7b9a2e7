/**
 * The Azure AI Speech credential's fields, checked and turned into where to send what, before
 * any request. Shared by the credential (credentials/AzureAiSpeechApi.credentials.ts) and the
 * speech client, so both agree on the hosts and on where the key may go.
 */
import type { CloudEndpoints } from '../../entra/clouds';
import { MICROSOFT_CLOUDS } from '../../entra/clouds';
import { isGuid, isMultiTenantAlias, isTenantId } from '../../entra/idShapes';
import type { EntraAppSettings } from '../../entra/settings';
import { readHttpsOrigin } from '../../httpsOrigin';
import { tryParseUrl } from '../../safeParse';
import { SpeechError } from '../errors';
import {
	SPEECH_CLOUDS,
	SPEECH_PATHS,
	type SpeechCloud,
	type SpeechCloudName,
} from './speechClouds';

/** Field names of the credential and the labels its form shows (errors name the label). */
export const SPEECH_FIELDS = {
	authentication: 'Authentication',
	cloud: 'Cloud',
	region: 'Region',
	endpoint: 'Endpoint',
	apiKey: 'Key',
	tenantId: 'Tenant ID',
	clientId: 'Client ID',
	clientSecret: 'Client Secret',
	resourceId: 'Resource ID',
	authorityHost: 'Authority Host',
} as const;

type FieldName = keyof typeof SPEECH_FIELDS;

export type SpeechAuth =
	| { kind: 'key'; key: string }
	| {
			kind: 'entra';
			/** The Speech resource's Azure resource ID, for the aad#<resourceId>#<token> header. */
			resourceId: string;
			app: EntraAppSettings;
			scope: string;
	  };

export interface AzureSpeechSettings {
	cloud: SpeechCloud;
	urls: { synthesis: string; voices: string; issueToken: string };
	/**
	 * The only origins a key or token is ever sent to: the text-to-speech host, and the host
	 * that issues tokens for it (the same one for a custom domain).
	 */
	trustedOrigins: readonly string[];
	auth: SpeechAuth;
}

export type SpeechCredentialFields = Record<string, unknown>;

function text(fields: SpeechCredentialFields, name: FieldName): string {
	const value = fields[name];
	return typeof value === 'string' ? value.trim() : '';
}

function fail(name: FieldName, message: string): never {
	throw new SpeechError('badInput', message, { field: SPEECH_FIELDS[name] });
}

function required(fields: SpeechCredentialFields, name: FieldName): string {
	return (
		text(fields, name) ||
		fail(name, `The credential's "${SPEECH_FIELDS[name]}" is empty: fill it in.`)
	);
}

function readCloudName(fields: SpeechCredentialFields): SpeechCloudName {
	const name = text(fields, 'cloud') || 'global';
	if (name === 'global' || name === 'usGov' || name === 'china' || name === 'custom') return name;
	return fail(
		'cloud',
		`Unknown cloud "${name}": choose Azure (Global), Azure Government, Azure China or Custom.`,
	);
}

/** An https origin and nothing else: the key is sent to exactly this origin, never elsewhere. */
function readOrigin(fields: SpeechCredentialFields, name: FieldName, example: string): string {
	const reading = readHttpsOrigin(required(fields, name), { example, what: 'keys and tokens are' });
	return reading.ok ? reading.origin : fail(name, `"${SPEECH_FIELDS[name]}" ${reading.problem}`);
}

/** "West Europe" and "westeurope" are the same region; the hosts use the second form. */
function readRegion(fields: SpeechCredentialFields, cloud: SpeechCloud): string {
	const region = required(fields, 'region').toLowerCase().replace(/\s+/g, '');
	if (!/^[a-z][a-z0-9]{2,30}$/.test(region))
		return fail(
			'region',
			`"Region" must be an Azure region name such as westeurope or eastus (got "${region.slice(0, 40)}").`,
		);
	if (cloud.regions && !cloud.regions.includes(region))
		return fail(
			'region',
			`${cloud.label} offers Azure AI Speech in ${cloud.regions.join(', ')} only (got "${region}").`,
		);
	return region;
}

function customDomain(fields: SpeechCredentialFields, cloud: SpeechCloud): string {
	const origin = readOrigin(fields, 'endpoint', `https://my-speech.${cloud.customDomainSuffix}`);
	if (
		cloud.name !== 'custom' &&
		!new URL(origin).hostname.endsWith(`.${cloud.customDomainSuffix}`)
	) {
		return fail(
			'endpoint',
			`"Endpoint" must be the resource's custom domain in ${cloud.label}, https://<name>.${cloud.customDomainSuffix} (Azure portal > the Speech resource > Keys and Endpoint); got ${origin}. For any other host choose Cloud > Custom.`,
		);
	}
	return origin;
}

/** Azure's ID of the resource: /subscriptions/…/resourceGroups/…/providers/Microsoft.CognitiveServices/accounts/…. */
const RESOURCE_ID =
	/^\/subscriptions\/[^/]+\/resourceGroups\/[^/]+\/providers\/Microsoft\.CognitiveServices\/accounts\/[^/]+$/i;

/** The Graph-cloud record whose Entra authority serves the Speech cloud. */
function entraCloud(cloud: SpeechCloud): CloudEndpoints {
	if (cloud.name === 'usGov') return MICROSOFT_CLOUDS.usGovL4;
	if (cloud.name === 'china') return MICROSOFT_CLOUDS.china;
	if (cloud.name === 'global') return MICROSOFT_CLOUDS.global;
	// graphEndpoint is never used for Speech: mintAccessToken is given the Speech scope.
	return {
		name: 'custom',
		label: 'Custom',
		authorityHost: cloud.authorityHost,
		graphEndpoint: cloud.authorityHost,
		callsApiAvailable: false,
		betaAvailable: false,
		authorityKnownToMsal: false,
	};
}

function readEntra(fields: SpeechCredentialFields, cloud: SpeechCloud): SpeechAuth {
	const tenantId = required(fields, 'tenantId');
	if (isMultiTenantAlias(tenantId) || !isTenantId(tenantId))
		fail(
			'tenantId',
			`"Tenant ID" must be the Directory (tenant) ID GUID or a verified domain such as contoso.onmicrosoft.com (got "${tenantId.slice(0, 60)}").`,
		);
	const clientId = required(fields, 'clientId');
	if (!isGuid(clientId))
		fail(
			'clientId',
			`"Client ID" must be the app registration's Application (client) ID, a GUID (got "${clientId.slice(0, 60)}").`,
		);
	const clientSecret = required(fields, 'clientSecret');
	const resourceId = required(fields, 'resourceId');
	if (!RESOURCE_ID.test(resourceId))
		fail(
			'resourceId',
			`"Resource ID" must be the Speech resource's ID from Azure portal > the resource > Properties, /subscriptions/<subscription>/resourceGroups/<group>/providers/Microsoft.CognitiveServices/accounts/<name>.`,
		);
	return {
		kind: 'entra',
		resourceId,
		scope: cloud.entraScope,
		app: {
			cloud: entraCloud(cloud),
			tenantId,
			clientId,
			authentication: { kind: 'clientSecret', clientSecret },
		},
	};
}

function readKey(fields: SpeechCredentialFields): SpeechAuth {
	const key = required(fields, 'apiKey');
	// It becomes a header value: anything but visible ASCII would corrupt or split the header.
	if (!/^[\x21-\x7e]+$/.test(key))
		fail(
			'apiKey',
			'"Key" holds spaces or characters a key never has: copy KEY 1 or KEY 2 from Azure portal > the Speech resource > Keys and Endpoint.',
		);
	return { kind: 'key', key };
}

/** Reads and checks the credential; throws SpeechError naming the field to fix. */
export function readAzureSpeechSettings(fields: SpeechCredentialFields): AzureSpeechSettings {
	const cloudName = readCloudName(fields);
	const cloud: SpeechCloud =
		cloudName === 'custom'
			? {
					...SPEECH_CLOUDS.global,
					name: 'custom',
					label: 'Custom',
					authorityHost:
						text(fields, 'authentication') === 'entraId'
							? readOrigin(fields, 'authorityHost', 'https://login.microsoftonline.com')
							: SPEECH_CLOUDS.global.authorityHost,
				}
			: SPEECH_CLOUDS[cloudName];
	const method = text(fields, 'authentication') || 'apiKey';
	if (method !== 'apiKey' && method !== 'entraId')
		fail('authentication', `Unknown authentication "${method}": choose Key or Microsoft Entra ID.`);
	const entra = method === 'entraId';
	// Entra ID works only with a custom domain (how-to-configure-azure-ad-auth), and so does Custom.
	const useDomain = entra || cloud.name === 'custom' || text(fields, 'endpoint') !== '';
	let urls: AzureSpeechSettings['urls'];
	if (useDomain) {
		const origin = customDomain(fields, cloud);
		urls = {
			synthesis: `${origin}${SPEECH_PATHS.customDomain.synthesis}`,
			voices: `${origin}${SPEECH_PATHS.customDomain.voices}`,
			issueToken: `${origin}${SPEECH_PATHS.sts}`,
		};
	} else {
		const region = readRegion(fields, cloud);
		const tts = `https://${region}.${cloud.ttsHostSuffix}`;
		urls = {
			synthesis: `${tts}${SPEECH_PATHS.regional.synthesis}`,
			voices: `${tts}${SPEECH_PATHS.regional.voices}`,
			issueToken: `https://${region}.${cloud.stsHostSuffix}${SPEECH_PATHS.sts}`,
		};
	}
	const trustedOrigins = [
		...new Set([new URL(urls.synthesis).origin, new URL(urls.issueToken).origin]),
	];
	return { cloud, urls, trustedOrigins, auth: entra ? readEntra(fields, cloud) : readKey(fields) };
}

/** True when `url` may carry this credential's key or token: https, and one of its origins. */
export function isTrustedSpeechUrl(settings: AzureSpeechSettings, url: string): boolean {
	const parsed = tryParseUrl(url);
	return parsed?.protocol === 'https:' && settings.trustedOrigins.includes(parsed.origin);
}
