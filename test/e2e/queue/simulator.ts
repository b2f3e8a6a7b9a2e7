/** The Graph simulator as the queue suite uses it (test/e2e/simulator.ts: the simulator itself). */
export {
	createCertificateAuthority,
	issueServerCertificate,
	startGraphSimulator,
	writeCaFiles,
	DEFAULT_CALL_ID,
	DEFAULT_CLIENT_ID,
	DEFAULT_CLIENT_SECRET,
	DEFAULT_TENANT_ID,
	type CertificateAuthority,
	type GraphSimulator,
	type RecordedRequest,
} from '../simulator';
