/** Shapes of the identifiers Entra and Graph use, shared by the credential and the node. */

const GUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A DNS name such as `contoso.onmicrosoft.com`: labels of letters, digits and inner hyphens. */
const DOMAIN_PATTERN = /^(?=.{4,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i;

/** Tenant aliases that only work for user sign-in, never for an app-only token. */
const MULTI_TENANT_ALIASES = ['common', 'organizations', 'consumers'] as const;

export function isGuid(value: string): boolean {
	return GUID_PATTERN.test(value);
}

export function isTenantId(value: string): boolean {
	return isGuid(value) || DOMAIN_PATTERN.test(value);
}

export function isMultiTenantAlias(value: string): boolean {
	return (MULTI_TENANT_ALIASES as readonly string[]).includes(value.trim().toLowerCase());
}
