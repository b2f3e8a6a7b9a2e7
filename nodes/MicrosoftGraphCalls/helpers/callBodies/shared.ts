import { isGuid } from '../../../../lib/entra/idShapes';
import { tryParseUrl } from '../../../../lib/safeParse';
import { validateGuid } from '../idFields';
import { InputProblem, wrongType } from '../inputProblem';
import { parseJsonObject } from '../jsonInput';
import { MAX_DISPLAY_NAME_LENGTH } from '../participants';

/** What every call body has, whatever its kind. */
export interface CallBasics {
	callbackUri: string;
	requestedModalities: string[];
}

export const MODALITIES = ['audio', 'video', 'videoBasedScreenSharing', 'data'] as const;
const MAX_CALLBACK_URL_LENGTH = 2048;

/** This node never hosts media itself: Graph does (no media server in the workflow). */
export const SERVICE_HOSTED_MEDIA = { '@odata.type': '#microsoft.graph.serviceHostedMediaConfig' };

export function identity(id: string, displayName?: string): Record<string, unknown> {
	return {
		'@odata.type': '#microsoft.graph.identity',
		...(displayName !== undefined ? { displayName } : {}),
		id,
	};
}

/** Optional text: trimmed, undefined when empty. */
export function text(raw: unknown, field: string): string | undefined {
	if (raw === undefined || raw === null) return undefined;
	if (typeof raw !== 'string') throw wrongType(field, 'text', raw);
	const trimmed = raw.trim();
	return trimmed === '' ? undefined : trimmed;
}

export function displayName(raw: unknown, field: string): string | undefined {
	const value = text(raw, field);
	if (value !== undefined && value.length > MAX_DISPLAY_NAME_LENGTH) {
		throw new InputProblem(field, `is longer than ${MAX_DISPLAY_NAME_LENGTH} characters.`);
	}
	return value;
}

/**
 * A call's callbackUri: Graph delivers every notification of the call to this URL, and accepts
 * only https. Required for a call the app creates; optional where Graph falls back to the bot's
 * calling webhook (answer, reject, redirect).
 */
export function readCallbackUrl(raw: unknown, field: string, required: true): string;
export function readCallbackUrl(raw: unknown, field: string, required: false): string | undefined;
export function readCallbackUrl(
	raw: unknown,
	field: string,
	required: boolean,
): string | undefined {
	const value = text(raw, field);
	if (value === undefined) {
		if (!required) return undefined;
		throw new InputProblem(
			field,
			"is empty. Graph requires an https URL where it sends the call's notifications: your bot's calling webhook, or the URL of a webhook that receives them.",
		);
	}
	if (value.length > MAX_CALLBACK_URL_LENGTH) {
		throw new InputProblem(
			field,
			`is ${value.length} characters long; keep it under ${MAX_CALLBACK_URL_LENGTH}.`,
		);
	}
	const url = tryParseUrl(value);
	if (!url)
		throw new InputProblem(
			field,
			`"${value.slice(0, 80)}" is not a URL. Give an https URL such as https://bot.contoso.com/api/calls${required ? '' : ", or leave it empty for the bot's calling webhook"}.`,
		);
	if (url.protocol !== 'https:') {
		throw new InputProblem(
			field,
			`must use https (got ${url.protocol.replace(':', '')}): Graph delivers call notifications only to https URLs.`,
		);
	}
	if (url.username || url.password)
		throw new InputProblem(field, 'must not contain a user name or password.');
	if (url.hash) throw new InputProblem(field, 'must not contain a #fragment.');
	return value;
}

/**
 * Modalities from a multi-options field (or a comma-separated expression): each one of
 * `allowed`, no duplicates, at least one; nothing given means audio.
 */
export function readModalities(raw: unknown, field: string, allowed: readonly string[]): string[] {
	if (raw === undefined || raw === null || raw === '') return ['audio'];
	const list =
		typeof raw === 'string'
			? raw
					.split(',')
					.map((entry) => entry.trim())
					.filter(Boolean)
			: raw;
	if (!Array.isArray(list)) throw wrongType(field, 'a list', raw);
	if (list.length === 0) throw new InputProblem(field, 'is empty. Choose at least Audio.');
	for (const entry of list) {
		if (typeof entry !== 'string' || !allowed.includes(entry)) {
			throw new InputProblem(field, `"${String(entry)}" is not one of ${allowed.join(', ')}.`);
		}
	}
	return [...new Set(list as string[])];
}

export function readCallBasics(callbackUrl: unknown, modalities: unknown): CallBasics {
	return {
		callbackUri: readCallbackUrl(callbackUrl, 'Callback URL', true),
		requestedModalities: readModalities(modalities, 'Requested Modalities', MODALITIES),
	};
}

/** The call's tenant: the field's GUID, else the credential's tenant when that is a GUID. */
export function tenantOf(raw: unknown, credentialTenantId: string, field = 'Tenant ID'): string {
	const value = text(raw, field);
	if (value !== undefined) return validateGuid(value, field, 'a tenant');
	if (isGuid(credentialTenantId)) return credentialTenantId;
	throw new InputProblem(
		field,
		`is empty and the credential names its tenant by domain ("${credentialTenantId}"). Graph wants the tenant GUID here: give it.`,
	);
}

/** The calling app as the call's source, shown with the given name. */
export function botSource(clientId: string, name: string | undefined): Record<string, unknown> {
	return {
		'@odata.type': '#microsoft.graph.participantInfo',
		identity: {
			'@odata.type': '#microsoft.graph.identitySet',
			application: identity(clientId, name),
		},
	};
}

/** Merges Options › Additional Body Properties, refusing what the node must own. */
export function withAdditionalProperties(
	body: Record<string, unknown>,
	extra: unknown,
): Record<string, unknown> {
	if (extra === undefined || extra === null || extra === '' || extra === '{}') return body;
	const field = 'Options › Additional Body Properties';
	const properties = parseJsonObject(extra, field);
	for (const key of ['callbackUri', 'mediaConfig', '@odata.type']) {
		if (key in properties) {
			throw new InputProblem(
				field,
				key === 'mediaConfig'
					? 'may not set "mediaConfig": this node always uses service-hosted media (app-hosted media needs a media bot this node is not).'
					: `may not set "${key}": use the node's own field.`,
			);
		}
	}
	return { ...body, ...properties };
}
