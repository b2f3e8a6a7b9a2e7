/**
 * What a callback receiver (the trigger's webhook, the keypress page's waiting webhook) needs
 * from its credential and options, read once per request (and at the trigger's activation): the
 * app's client ID, the tenants whose notifications are accepted (GUIDs only: the token's `tid`
 * is one), and where the signing keys come from.
 */
import { CredentialConfigError } from '../entra/errors';
import { readEntraAppSettings, type CredentialFields } from '../entra/settings';
import { isGuid } from '../entra/idShapes';
import { tryParseUrl } from '../safeParse';
import { MICROSOFT_NOTIFICATION_OPENID_CONFIGURATION } from './tokenVerifier';

export interface ReceiverSettings {
	clientId: string;
	tenantIds: string[];
	openIdConfigurationUrl: string;
}

export type ReceiverSettingsRead =
	{ ok: true; settings: ReceiverSettings } | { ok: false; message: string };

/** Splits "a, b; c" into entries. */
function listedTenantIds(option: unknown): string[] {
	return (typeof option === 'string' ? option : '')
		.split(/[\s,;]+/)
		.map((id) => id.trim())
		.filter(Boolean);
}

function customConfigurationUrl(fields: CredentialFields): string | ReceiverSettingsRead {
	const value = fields.notificationOpenIdConfigurationUrl;
	const text = typeof value === 'string' ? value.trim() : '';
	if (!text) return MICROSOFT_NOTIFICATION_OPENID_CONFIGURATION;
	const url = tryParseUrl(text);
	if (!url || url.protocol !== 'https:')
		return {
			ok: false,
			message: `The credential's Notification OpenID Configuration URL must be an https URL.`,
		};
	return url.href;
}

export function readReceiverSettings(
	fields: CredentialFields,
	acceptedTenantIdsOption: unknown,
): ReceiverSettingsRead {
	let app;
	try {
		app = readEntraAppSettings(fields);
	} catch (error) {
		return {
			ok: false,
			message:
				error instanceof CredentialConfigError
					? error.message
					: 'The credential could not be read.',
		};
	}
	const listed = listedTenantIds(acceptedTenantIdsOption);
	const notGuid = listed.find((id) => !isGuid(id));
	if (notGuid !== undefined)
		return {
			ok: false,
			message: `Accepted Tenant IDs: "${notGuid.slice(0, 80)}" is not a tenant ID. Enter Directory (tenant) ID GUIDs such as aa67bd4c-8475-432d-bd41-39f255720e0a, separated by commas.`,
		};
	let tenantIds = listed;
	if (tenantIds.length === 0) {
		// A notification token names its tenant by GUID only: a domain cannot be compared with it,
		// and accepting any tenant would let every Entra tenant's apps through.
		if (!isGuid(app.tenantId))
			return {
				ok: false,
				message: `The credential names its tenant by domain ("${app.tenantId}"), but notification tokens carry the tenant's GUID. Open this trigger's Options › Accepted Tenant IDs and enter the Directory (tenant) ID GUID (Entra admin center › Overview › Tenant ID), or put that GUID into the credential's Tenant ID.`,
			};
		tenantIds = [app.tenantId];
	}
	const configurationUrl =
		app.cloud.name === 'custom'
			? customConfigurationUrl(fields)
			: MICROSOFT_NOTIFICATION_OPENID_CONFIGURATION;
	if (typeof configurationUrl !== 'string') return configurationUrl;
	return {
		ok: true,
		settings: { clientId: app.clientId, tenantIds, openIdConfigurationUrl: configurationUrl },
	};
}
