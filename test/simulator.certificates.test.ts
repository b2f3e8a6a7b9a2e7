/**
 * The CA dev mode asks people to trust in their browser (createCertificateAuthority with
 * loopbackOnly): it vouches for the simulator's certificates on 127.0.0.1 and localhost, and a
 * certificate it signs for any other name is refused by a TLS client that checks name
 * constraints (Node's OpenSSL here; Chromium does too). Real sockets, verification on.
 */
import assert from 'node:assert/strict';
import { createServer, get, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { after, describe, it } from 'node:test';
import * as forge from 'node-forge';

import {
	createCertificateAuthority,
	isLoopbackOnlyCa,
	issueServerCertificate,
} from '../simulator/certificates';

function listen(cert: {
	certPem: string;
	keyPem: string;
}): Promise<{ server: Server; port: number }> {
	const server = createServer({ cert: cert.certPem, key: cert.keyPem }, (_req, res) =>
		res.end('ok'),
	);
	return new Promise((resolve) =>
		server.listen(0, '127.0.0.1', () =>
			resolve({ server, port: (server.address() as AddressInfo).port }),
		),
	);
}

function fetchOver(
	port: number,
	ca: string,
	servername?: string,
	skipHostnameCheck = false,
): Promise<string> {
	return new Promise((resolve) => {
		const req = get(
			{
				host: '127.0.0.1',
				port,
				ca,
				agent: false,
				...(servername === undefined ? {} : { servername }),
				// Only for the foreign leaf: its name is not 127.0.0.1 by design; the chain is still checked.
				...(skipHostnameCheck ? { checkServerIdentity: () => undefined } : {}),
			},
			(res) => {
				res.resume();
				res.on('end', () => resolve(`HTTP ${res.statusCode}`));
			},
		);
		req.on('error', (error) => resolve(error.message));
	});
}

/** A leaf for another site, signed by `ca` (what a leaked key could make). */
function foreignLeaf(ca: { certPem: string; keyPem: string }): { certPem: string; keyPem: string } {
	const keys = forge.pki.rsa.generateKeyPair(2048);
	const cert = forge.pki.createCertificate();
	cert.publicKey = keys.publicKey;
	cert.serialNumber = '01';
	cert.validity.notBefore = new Date(Date.now() - 3_600_000);
	cert.validity.notAfter = new Date(Date.now() + 86_400_000);
	cert.setSubject([{ name: 'commonName', value: 'bank.example' }]);
	cert.setIssuer(forge.pki.certificateFromPem(ca.certPem).subject.attributes);
	cert.setExtensions([{ name: 'subjectAltName', altNames: [{ type: 2, value: 'bank.example' }] }]);
	cert.sign(forge.pki.privateKeyFromPem(ca.keyPem), forge.md.sha256.create());
	return {
		certPem: forge.pki.certificateToPem(cert),
		keyPem: forge.pki.privateKeyToPem(keys.privateKey),
	};
}

describe("Dev mode's CA: trusted in a browser, it vouches only for 127.0.0.1 and localhost", () => {
	const servers: Server[] = [];
	after(() => servers.forEach((s) => s.close()));
	const ca = createCertificateAuthority('dev-mode CA under test', { loopbackOnly: true });

	it('carries the constraint (and the test CA does not)', () => {
		assert.equal(isLoopbackOnlyCa(ca.certPem), true);
		assert.equal(isLoopbackOnlyCa(createCertificateAuthority().certPem), false);
	});

	it("the simulator's certificate for 127.0.0.1 and localhost is accepted", async () => {
		const { server, port } = await listen(issueServerCertificate(ca));
		servers.push(server);
		assert.equal(await fetchOver(port, ca.certPem), 'HTTP 200');
		assert.equal(await fetchOver(port, ca.certPem, 'localhost'), 'HTTP 200');
	});

	it('a certificate it signed for another site is refused (permitted subtree violation)', async () => {
		const { server, port } = await listen(foreignLeaf(ca));
		servers.push(server);
		assert.match(
			await fetchOver(port, ca.certPem, 'bank.example', true),
			/permitted subtree violation/,
		);
		// The same leaf under an unconstrained CA would pass the chain check: the constraint is what refuses it.
		const open = createCertificateAuthority();
		const { server: other, port: otherPort } = await listen(foreignLeaf(open));
		servers.push(other);
		assert.equal(await fetchOver(otherPort, open.certPem, 'bank.example', true), 'HTTP 200');
	});
});
