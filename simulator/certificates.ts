/**
 * X.509 material for the simulator: a test CA, the HTTPS leaf it signs, and self-signed client
 * certificates for certificate-credential tests.
 *
 * Keys come from node:crypto (native, fast); node-forge only assembles and signs certificates,
 * because node:crypto can parse X.509 but not create it.
 */
import { createPrivateKey, generateKeyPairSync, randomBytes, X509Certificate } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as forge from 'node-forge';

import type { CertificateAuthority } from './types';

export const CA_CERT_ENV = 'GRAPH_SIM_CA_CERT';
export const CA_KEY_ENV = 'GRAPH_SIM_CA_KEY';

const HOUR_MS = 60 * 60 * 1000;
const DAY_MS = 24 * HOUR_MS;
const ORGANIZATION = 'n8n-nodes-microsoft-graph-calls test simulator';

export interface ServerCertificate {
	certPem: string;
	keyPem: string;
}

export interface ClientCertificate {
	certificatePem: string;
	/** PKCS#8 PEM, the form msal-node and node:crypto accept. */
	privateKeyPem: string;
	/** Upper-case hex without separators, as the Entra portal shows it (msal-node `thumbprint`). */
	thumbprintSha1Hex: string;
	/** Upper-case hex without separators (msal-node `thumbprintSha256`). */
	thumbprintSha256Hex: string;
}

interface RsaKeyPair {
	publicKeyPem: string;
	privateKeyPem: string;
}

function generateRsaKeyPair(): RsaKeyPair {
	const { publicKey, privateKey } = generateKeyPairSync('rsa', {
		modulusLength: 2048,
		publicKeyEncoding: { type: 'spki', format: 'pem' },
		privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
	});
	return { publicKeyPem: publicKey, privateKeyPem: privateKey };
}

/** Positive 128-bit serial: DER integers are signed, so the top bit must be clear. */
function randomSerialHex(): string {
	const bytes = randomBytes(16);
	bytes[0] = (bytes[0]! & 0x7f) | 0x10;
	return bytes.toString('hex');
}

function subjectAttributes(commonName: string): forge.pki.CertificateField[] {
	return [
		{ name: 'commonName', value: commonName },
		{ name: 'organizationName', value: ORGANIZATION },
	];
}

function newCertificate(
	publicKeyPem: string,
	validFrom: Date,
	validTo: Date,
): forge.pki.Certificate {
	const cert = forge.pki.createCertificate();
	cert.publicKey = forge.pki.publicKeyFromPem(publicKeyPem);
	cert.serialNumber = randomSerialHex();
	cert.validity.notBefore = validFrom;
	cert.validity.notAfter = validTo;
	return cert;
}

/** Back-dated by an hour so small clock differences between processes never matter. */
function validityWindow(days: number): [Date, Date] {
	const now = Date.now();
	return [new Date(now - HOUR_MS), new Date(now + days * DAY_MS)];
}

/**
 * RFC 5280 nameConstraints (DER) permitting only the names the simulator's certificates carry,
 * IP 127.0.0.1/32 and DNS localhost: a CA with it cannot vouch for any other site, so a person
 * can trust dev mode's CA in their browser without trusting it for the rest of the web, even
 * should its key leak. TLS clients that check name constraints (OpenSSL, Chromium) refuse a
 * certificate for any other name under it.
 */
function loopbackOnlyConstraints(): string {
	const { asn1 } = forge;
	const subtree = (tag: number, value: string): forge.asn1.Asn1 =>
		asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, [
			asn1.create(asn1.Class.CONTEXT_SPECIFIC, tag, false, value),
		]);
	const permitted = asn1.create(asn1.Class.CONTEXT_SPECIFIC, 0, true, [
		// iPAddress [7]: address and mask, 127.0.0.1/255.255.255.255.
		subtree(7, String.fromCharCode(127, 0, 0, 1, 255, 255, 255, 255)),
		// dNSName [2].
		subtree(2, 'localhost'),
	]);
	return asn1
		.toDer(asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, [permitted]))
		.getBytes();
}

/** Whether the CA carries the loopback-only name constraints (createCertificateAuthority). */
export function isLoopbackOnlyCa(certPem: string): boolean {
	const extension = forge.pki.certificateFromPem(certPem).getExtension('nameConstraints') as {
		value?: string;
	} | null;
	return extension !== null && extension.value === loopbackOnlyConstraints();
}

export function createCertificateAuthority(
	commonName = 'Graph Simulator Test CA (not trusted anywhere else)',
	options: {
		/** Name constraints: it can only issue certificates for 127.0.0.1 and localhost. */
		loopbackOnly?: boolean;
	} = {},
): CertificateAuthority {
	const keys = generateRsaKeyPair();
	const [from, to] = validityWindow(5 * 365);
	const cert = newCertificate(keys.publicKeyPem, from, to);
	cert.setSubject(subjectAttributes(commonName));
	cert.setIssuer(subjectAttributes(commonName));
	cert.setExtensions([
		{ name: 'basicConstraints', cA: true, pathLenConstraint: 0, critical: true },
		{ name: 'keyUsage', keyCertSign: true, cRLSign: true, digitalSignature: true, critical: true },
		{ name: 'subjectKeyIdentifier' },
		...(options.loopbackOnly === true
			? [
					{
						id: '2.5.29.30',
						name: 'nameConstraints',
						critical: true,
						value: loopbackOnlyConstraints(),
					},
				]
			: []),
	]);
	cert.sign(forge.pki.privateKeyFromPem(keys.privateKeyPem), forge.md.sha256.create());
	return { certPem: forge.pki.certificateToPem(cert), keyPem: keys.privateKeyPem };
}

/**
 * Issues the HTTPS leaf for 127.0.0.1 and localhost. The IP SAN matters: clients connect to
 * https://127.0.0.1:<port>, and TLS hostname checks look only at SANs.
 */
export function issueServerCertificate(ca: CertificateAuthority): ServerCertificate {
	const caCert = forge.pki.certificateFromPem(ca.certPem);
	const caKey = forge.pki.privateKeyFromPem(ca.keyPem);
	const keys = generateRsaKeyPair();
	const [from, to] = validityWindow(30);
	const cert = newCertificate(keys.publicKeyPem, from, to);
	cert.setSubject(subjectAttributes('127.0.0.1'));
	cert.setIssuer(caCert.subject.attributes);
	cert.setExtensions([
		{ name: 'basicConstraints', cA: false, critical: true },
		{ name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
		{ name: 'extKeyUsage', serverAuth: true },
		{
			name: 'subjectAltName',
			altNames: [
				{ type: 7, ip: '127.0.0.1' }, // iPAddress
				{ type: 2, value: 'localhost' }, // dNSName
			],
		},
		{ name: 'subjectKeyIdentifier' },
		{
			name: 'authorityKeyIdentifier',
			keyIdentifier: caCert.generateSubjectKeyIdentifier().getBytes(),
		},
	]);
	cert.sign(caKey, forge.md.sha256.create());
	return { certPem: forge.pki.certificateToPem(cert), keyPem: keys.privateKeyPem };
}

/** A self-signed certificate of the kind people upload to an app registration. */
export function createClientCertificate(commonName = 'graph-simulator-client'): ClientCertificate {
	const keys = generateRsaKeyPair();
	const [from, to] = validityWindow(365);
	const cert = newCertificate(keys.publicKeyPem, from, to);
	cert.setSubject(subjectAttributes(commonName));
	cert.setIssuer(subjectAttributes(commonName));
	cert.setExtensions([
		{ name: 'basicConstraints', cA: false },
		{ name: 'keyUsage', digitalSignature: true, keyEncipherment: true },
		{ name: 'extKeyUsage', clientAuth: true },
		{ name: 'subjectKeyIdentifier' },
	]);
	cert.sign(forge.pki.privateKeyFromPem(keys.privateKeyPem), forge.md.sha256.create());
	const certificatePem = forge.pki.certificateToPem(cert);
	const thumbprints = certificateThumbprints(certificatePem);
	return {
		certificatePem,
		privateKeyPem: keys.privateKeyPem,
		thumbprintSha1Hex: thumbprints.sha1Hex,
		thumbprintSha256Hex: thumbprints.sha256Hex,
	};
}

/** Thumbprints are hashes of the DER encoding; X509Certificate computes them as 'AA:BB:..'. */
export function certificateThumbprints(certificatePem: string): {
	sha1Hex: string;
	sha256Hex: string;
} {
	const x509 = new X509Certificate(certificatePem);
	return {
		sha1Hex: x509.fingerprint.replace(/:/g, '').toUpperCase(),
		sha256Hex: x509.fingerprint256.replace(/:/g, '').toUpperCase(),
	};
}

/**
 * Loads a CA named by GRAPH_SIM_CA_CERT and GRAPH_SIM_CA_KEY (file paths). A fixed CA lets a
 * long-lived process (n8n started with NODE_EXTRA_CA_CERTS) trust simulators started later.
 * Returns undefined when neither is set; throws when only one is, or when they do not match,
 * because silently generating a different CA would only surface later as a TLS error.
 */
export function loadCaFromEnv(
	env: NodeJS.ProcessEnv = process.env,
): CertificateAuthority | undefined {
	const certPath = env[CA_CERT_ENV];
	const keyPath = env[CA_KEY_ENV];
	if (!certPath && !keyPath) return undefined;
	if (!certPath || !keyPath) {
		throw new Error(
			`Set both ${CA_CERT_ENV} and ${CA_KEY_ENV} (or neither) to choose the simulator CA.`,
		);
	}
	const ca = { certPem: readFileSync(certPath, 'utf8'), keyPem: readFileSync(keyPath, 'utf8') };
	if (!new X509Certificate(ca.certPem).checkPrivateKey(createPrivateKey(ca.keyPem))) {
		throw new Error(
			`${CA_KEY_ENV} (${keyPath}) is not the private key of ${CA_CERT_ENV} (${certPath}).`,
		);
	}
	return ca;
}

/**
 * Writes the CA as simulator-ca.pem and simulator-ca-key.pem into dir (created if missing);
 * the key file is owner-only. Pass the paths back through GRAPH_SIM_CA_CERT / GRAPH_SIM_CA_KEY.
 */
export function writeCaFiles(
	dir: string,
	ca: CertificateAuthority,
): { certPath: string; keyPath: string } {
	mkdirSync(dir, { recursive: true });
	const certPath = join(dir, 'simulator-ca.pem');
	const keyPath = join(dir, 'simulator-ca-key.pem');
	writeFileSync(certPath, ca.certPem);
	writeFileSync(keyPath, ca.keyPem, { mode: 0o600 });
	chmodSync(keyPath, 0o600); // writeFileSync keeps the old mode of an existing file
	return { certPath, keyPath };
}
