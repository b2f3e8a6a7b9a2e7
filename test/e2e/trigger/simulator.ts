/**
 * The Graph simulator as the trigger suite uses it: test/e2e/simulator.ts (the typed `require`
 * of test/simulator shared by the e2e suites) plus what issue #7 added and this suite needs —
 * the call-notification centre (`callbacks`: knobs, deliveries, signing) and
 * `issueServerCertificate` (n8n's own https certificate, issued by the simulator's test CA).
 * Same reason for `require` as there: tsc must not follow into test/simulator.
 */
import * as path from 'node:path';
import type { KeyObject } from 'node:crypto';
import * as e2eSim from '../simulator';

export {
	createCertificateAuthority,
	writeCaFiles,
	DEFAULT_CLIENT_ID,
	DEFAULT_CLIENT_SECRET,
	DEFAULT_TENANT_ID,
} from '../simulator';
export type { CertificateAuthority } from '../simulator';

/** Subset of test/simulator/callNotifications.ts (CallingKnobs). */
export interface CallingKnobs {
	answerDelayMs: number;
	neverAnswer: string[];
	noAnswerTimeoutMs: number;
	establishDelayMs: number;
}

/** Subset of test/simulator/callNotifications.ts (NotificationDelivery). */
export interface NotificationDelivery {
	url: string;
	callId: string;
	body: Record<string, unknown>;
	token: string;
	at: number;
	skipped?: boolean;
	status?: number;
	error?: string;
}

/** Subset of test/simulator/callNotifications.ts (TokenOptions). */
export interface TokenOptions {
	claims?: Record<string, unknown>;
	header?: Record<string, unknown>;
	privateKey?: KeyObject;
}

export interface CallbackCenter {
	knobs: CallingKnobs;
	deliveries: NotificationDelivery[];
	openIdConfigurationUrl: string;
	jwksUrl: string;
	signToken(audience: string, tenantId: string, options?: TokenOptions): string;
	waitForDeliveries(
		predicate: (deliveries: NotificationDelivery[]) => boolean,
		timeoutMs?: number,
	): Promise<void>;
}

export type GraphSimulator = e2eSim.GraphSimulator & { callbacks: CallbackCenter };

interface ServerCertificate {
	certPem: string;
	keyPem: string;
}

// eslint-disable-next-line @typescript-eslint/no-require-imports -- see test/e2e/simulator.ts
const full = require(path.join(__dirname, '..', '..', 'simulator')) as {
	issueServerCertificate?: (ca: e2eSim.CertificateAuthority) => ServerCertificate;
};
if (typeof full.issueServerCertificate !== 'function')
	throw new Error('test/simulator no longer exports issueServerCertificate()');
const issue = full.issueServerCertificate;

/** A TLS server certificate for 127.0.0.1 (SAN IP 127.0.0.1 and localhost), signed by the CA. */
export function issueServerCertificate(ca: e2eSim.CertificateAuthority): ServerCertificate {
	return issue(ca);
}

export async function startGraphSimulator(
	options: e2eSim.SimulatorOptions,
): Promise<GraphSimulator> {
	const sim = (await e2eSim.startGraphSimulator(options)) as GraphSimulator;
	const cb = sim.callbacks as Partial<CallbackCenter> | undefined;
	if (
		cb === undefined ||
		typeof cb.signToken !== 'function' ||
		!Array.isArray(cb.deliveries) ||
		typeof cb.knobs !== 'object'
	) {
		throw new Error('test/simulator no longer exposes callbacks (knobs, deliveries, signToken)');
	}
	return sim;
}
