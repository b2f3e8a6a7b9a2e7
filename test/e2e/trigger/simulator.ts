/**
 * The Graph simulator as the trigger suite uses it (test/e2e/simulator.ts: the simulator itself,
 * with its call-notification centre `callbacks` and `issueServerCertificate` for n8n's own https).
 */
export {
	createCertificateAuthority,
	issueServerCertificate,
	startGraphSimulator,
	writeCaFiles,
	DEFAULT_CLIENT_ID,
	DEFAULT_CLIENT_SECRET,
	DEFAULT_TENANT_ID,
	type CallingKnobs,
	type CertificateAuthority,
	type GraphSimulator,
	type NotificationDelivery,
	type TokenOptions,
} from '../simulator';
export type { CallbackCenter } from '../../../simulator';
