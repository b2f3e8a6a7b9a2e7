/**
 * The Graph simulator (simulator/) as the e2e suites, the demo and dev mode use it: imported,
 * so its types are the simulator's own and cannot drift. It passes this folder's stricter
 * tsconfig (noUncheckedIndexedAccess), which `npm run lint` checks.
 */
import * as fs from 'node:fs';

import {
	createCertificateAuthority,
	writeCaFiles,
	type CertificateAuthority,
} from '../../simulator';

export {
	createCertificateAuthority,
	createClientCertificate,
	defaultApp,
	defaultCall,
	issueServerCertificate,
	makeWav,
	startGraphSimulator,
	playPerson,
	toneNotification,
	writeCaFiles,
	DEFAULT_CALL_ID,
	DEFAULT_CLIENT_ID,
	DEFAULT_CLIENT_SECRET,
	DEFAULT_TENANT_ID,
} from '../../simulator';
export type {
	CallingKnobs,
	CertificateAuthority,
	ClientCertificate,
	GraphSimulator,
	InvitationRecord,
	NotificationDelivery,
	PersonScript,
	ScriptedPerson,
	RecordedRequest,
	RosterParticipant,
	SeededCall,
	SimulatedApp,
	SimulatedCall,
	SimulatorOptions,
	TokenOptions,
} from '../../simulator';

/** A fresh CA written to `dir` (NODE_EXTRA_CA_CERTS for n8n = certPath). */
export function writeFreshCa(dir: string): { ca: CertificateAuthority; certPath: string } {
	fs.mkdirSync(dir, { recursive: true });
	const ca = createCertificateAuthority();
	return { ca, certPath: writeCaFiles(dir, ca).certPath };
}
