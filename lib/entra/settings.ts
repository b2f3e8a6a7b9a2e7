import { type CloudEndpoints, MICROSOFT_CLOUDS, isCloudName } from './clouds';
import { CredentialConfigError } from './errors';
import { isMultiTenantAlias, isTenantId } from './idShapes';
import { rebuildPem } from './pem';
import { readHttpsOrigin } from '../httpsOrigin';
import { tryReadCertificate, tryReadPrivateKey } from '../safeParse';

interface SecretAuthentication {
	kind: 'clientSecret';
	clientSecret: string;
}

interface CertificateAuthentication {
	kind: 'certificate';
	privateKeyPem: string;
	/** Upper-case hex SHA-256 of the certificate's DER, as Entra shows it. */
	thumbprintSha256: string;
	/** The PEM certificate, when given: msal sends it as `x5c` so subject-name/issuer auth works. */
	certificatePem?: string;
}

/** The credential's fields, checked and normalised. Built before any network call. */
export interface EntraAppSettings {
	cloud: CloudEndpoints;
	tenantId: string;
	clientId: string;
	authentication: SecretAuthentication | CertificateAuthentication;
}

/** The raw credential record as n8n hands it over (field name → value). */
export type CredentialFields = Record<string, unknown>;

function text(fields: CredentialFields, name: string): string {
	const value = fields[name];
	return typeof value === 'string' ? value.trim() : '';
}

function required(fields: CredentialFields, name: string, label: string): string {
	const value = text(fields, name);
	if (!value)
		throw new CredentialConfigError(`The credential's "${label}" is empty: fill it in.`, name);
	return value;
}

/** An https origin and nothing else: the token is only ever sent to this exact origin. */
function parseHttpsOrigin(value: string, label: string, field: string): string {
	const reading = readHttpsOrigin(value, {
		example: 'https://graph.example.com',
		what: 'tokens are',
	});
	if (!reading.ok) throw new CredentialConfigError(`"${label}" ${reading.problem}`, field);
	return reading.origin;
}

/** Just the cloud part of the credential: cheap enough to run for every request. */
export function readCloud(fields: CredentialFields): CloudEndpoints {
	const name = text(fields, 'cloud') || 'global';
	if (!isCloudName(name)) {
		throw new CredentialConfigError(
			`Unknown cloud "${name}": choose Global, US Government L4, US Government L5, China or Custom.`,
			'cloud',
		);
	}
	if (name !== 'custom') return MICROSOFT_CLOUDS[name];
	return {
		name: 'custom',
		label: 'Custom',
		authorityHost: parseHttpsOrigin(
			required(fields, 'authorityHost', 'Authority Host'),
			'Authority Host',
			'authorityHost',
		),
		graphEndpoint: parseHttpsOrigin(
			required(fields, 'graphEndpoint', 'Graph Endpoint'),
			'Graph Endpoint',
			'graphEndpoint',
		),
		callsApiAvailable: true,
		betaAvailable: true,
		authorityKnownToMsal: false,
	};
}

function readTenantId(fields: CredentialFields): string {
	const tenantId = required(fields, 'tenantId', 'Tenant ID');
	if (isMultiTenantAlias(tenantId)) {
		throw new CredentialConfigError(
			`Tenant ID "${tenantId}" only works for user sign-in; an app-only token needs the tenant's own ID. Use the Directory (tenant) ID GUID from the app registration's Overview page, or a verified domain such as contoso.onmicrosoft.com.`,
			'tenantId',
		);
	}
	if (!isTenantId(tenantId)) {
		throw new CredentialConfigError(
			`Tenant ID "${tenantId}" is neither a GUID nor a domain name: copy the Directory (tenant) ID from the app registration's Overview page.`,
			'tenantId',
		);
	}
	return tenantId;
}

function normaliseThumbprint(value: string): string {
	const hex = value.replace(/[\s:]/g, '').toUpperCase();
	if (!/^[0-9A-F]{64}$/.test(hex)) {
		throw new CredentialConfigError(
			'"Certificate Thumbprint (SHA-256)" must be 64 hexadecimal characters (the SHA-256 thumbprint, not the 40-character SHA-1 one).',
			'certificateThumbprintSha256',
		);
	}
	return hex;
}

function readCertificate(fields: CredentialFields): CertificateAuthentication {
	// Rebuilt first: a paste into n8n's password box arrives without its line breaks (pem.ts).
	const privateKeyPem = rebuildPem(required(fields, 'privateKey', 'Private Key'));
	// The parser's own message can quote key material: it is never passed on.
	const privateKey = tryReadPrivateKey(privateKeyPem);
	if (!privateKey) {
		throw new CredentialConfigError(
			'"Private Key" is not a readable PEM private key: paste the whole "-----BEGIN PRIVATE KEY-----" (or "-----BEGIN RSA PRIVATE KEY-----") block, from the first dash to the last, unencrypted.',
			'privateKey',
		);
	}
	const certificatePem = rebuildPem(text(fields, 'certificate'));
	if (certificatePem) {
		const certificate = tryReadCertificate(certificatePem);
		if (!certificate) {
			throw new CredentialConfigError(
				'"Certificate" is not a readable PEM certificate: paste the whole "-----BEGIN CERTIFICATE-----" block, from the first dash to the last, or leave it empty and give the SHA-256 thumbprint.',
				'certificate',
			);
		}
		if (!certificate.checkPrivateKey(privateKey)) {
			throw new CredentialConfigError(
				'"Private Key" does not belong to "Certificate": paste the key that was generated with the certificate uploaded to the app registration.',
				'privateKey',
			);
		}
		return {
			kind: 'certificate',
			privateKeyPem,
			certificatePem,
			thumbprintSha256: certificate.fingerprint256.replace(/:/g, ''),
		};
	}
	const thumbprint = text(fields, 'certificateThumbprintSha256');
	if (!thumbprint) {
		throw new CredentialConfigError(
			'Certificate authentication needs the PEM "Certificate" or its "Certificate Thumbprint (SHA-256)": fill in one of them.',
			'certificate',
		);
	}
	return { kind: 'certificate', privateKeyPem, thumbprintSha256: normaliseThumbprint(thumbprint) };
}

/** Reads and checks the credential's fields; throws CredentialConfigError naming the field to fix. */
export function readEntraAppSettings(fields: CredentialFields): EntraAppSettings {
	const cloud = readCloud(fields);
	const tenantId = readTenantId(fields);
	const clientId = required(fields, 'clientId', 'Client ID');
	const method = text(fields, 'authentication') || 'clientSecret';
	const authentication: EntraAppSettings['authentication'] =
		method === 'certificate'
			? readCertificate(fields)
			: { kind: 'clientSecret', clientSecret: required(fields, 'clientSecret', 'Client Secret') };
	return { cloud, tenantId, clientId, authentication };
}
