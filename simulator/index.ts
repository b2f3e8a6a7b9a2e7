/**
 * Graph simulator: a local HTTPS test double of the Entra ID token endpoint and the Microsoft
 * Graph calls API, for tests of n8n-nodes-microsoft-graph-calls. One origin
 * (https://127.0.0.1:<port>) plays both the authority host and the Graph host.
 *
 *   const sim = await startGraphSimulator();
 *   // token:  POST `${sim.origin}/${DEFAULT_TENANT_ID}/oauth2/v2.0/token`, scope `${sim.origin}/.default`
 *   // invite: POST `${sim.origin}/v1.0/communications/calls/${DEFAULT_CALL_ID}/participants/invite`
 *   // trust:  sim.caCertPem (https `ca` option) or NODE_EXTRA_CA_CERTS=<file with it>
 *   await sim.close();
 */
import { AccessTokenIssuer } from './accessTokens';
import { CallbackCenter } from './callNotifications';
import { createCertificateAuthority, issueServerCertificate, loadCaFromEnv } from './certificates';
import {
	DEFAULT_APP_ROLES,
	DEFAULT_CALL_ID,
	DEFAULT_CLIENT_ID,
	DEFAULT_CLIENT_SECRET,
	DEFAULT_TENANT_DOMAIN,
	DEFAULT_TENANT_ID,
	DEFAULT_TOKEN_LIFETIME_SECONDS,
} from './constants';
import type { SimulatorContext } from './context';
import { handleControlRequest } from './control';
import { DocumentedVariants, processVariantSeed } from './documentedVariants';
import { MediaCenter } from './media';
import { PhoneCenter } from './phones';
import { SpeechCenter } from './speech';
import { clearFaultKnobs, createFaultKnobs } from './faults';
import { RequestRecorder } from './recorder';
import { Registry } from './registry';
import { listenHttps } from './server';
import type { GraphSimulator, SeededCall, SimulatedApp, SimulatorOptions } from './types';

export {
	COGNITIVE_SERVICES_AUDIENCE,
	DEFAULT_APP_ROLES,
	DEFAULT_CALL_ID,
	DEFAULT_CLIENT_ID,
	DEFAULT_CLIENT_SECRET,
	DEFAULT_SPEECH_KEY,
	DEFAULT_SPEECH_RESOURCE_ID,
	DEFAULT_TENANT_DOMAIN,
	DEFAULT_TENANT_ID,
	GRAPH_ROLES,
} from './constants';
export {
	CA_CERT_ENV,
	CA_KEY_ENV,
	certificateThumbprints,
	createCertificateAuthority,
	createClientCertificate,
	issueServerCertificate,
	loadCaFromEnv,
	writeCaFiles,
	type ClientCertificate,
	type ServerCertificate,
} from './certificates';
export {
	base64UrlEncode,
	decodeJwt,
	signJwt,
	verifyJwtSignature,
	type DecodedJwt,
	type JwtAlgorithm,
} from './jwt';
export { JWT_BEARER_ASSERTION_TYPE } from './clientAssertion';
export {
	CallbackCenter,
	JWKS_PATH,
	NOTIFICATION_ISSUER,
	OPENID_CONFIGURATION_PATH,
	type CallingKnobs,
	type NotificationDelivery,
	type TokenOptions,
} from './callNotifications';
export { IDENTITY_KINDS } from './inviteValidation';
export {
	MediaCenter,
	notificationId,
	toneNotification,
	type KeyPress,
	type MediaKnobs,
	type PromptDownload,
} from './media';
export { makeWav, promptFileProblem, wavDurationMs, type WavSpec } from './wav';
export { DEFAULT_PEOPLE, type Person } from './directory';
export { KEYPAD, PhoneCenter, type LegState, type PhoneLeg, type PlayedPrompt } from './phones';
export {
	playPerson,
	type PersonScript,
	type RingAction,
	type ScriptedPerson,
} from './scriptedPerson';
export {
	DocumentedVariants,
	processVariantSeed,
	VARIANT_SEED_ENV,
	type DocumentedVariant,
} from './documentedVariants';
export {
	SIMULATED_VOICES,
	SpeechCenter,
	ssmlProblem,
	type SimulatedVoice,
	type SpeechFault,
	type SpeechKnobs,
	type Synthesis,
} from './speech';
export { applyKnobs, CONTROL_PREFIX, type ControlState } from './control';
export type {
	CertificateAuthority,
	FaultKnobs,
	GraphFault,
	GraphSimulator,
	InvitationRecord,
	RecordedRequest,
	RequestKind,
	RosterParticipant,
	SeededCall,
	SimulatedApp,
	SimulatedCall,
	SimulatorOptions,
	TokenFault,
} from './types';

/** The default app: DEFAULT_* ids and secret, default roles, tenant reachable by GUID or DEFAULT_TENANT_DOMAIN. */
export function defaultApp(): SimulatedApp {
	return {
		tenantId: DEFAULT_TENANT_ID,
		tenantDomains: [DEFAULT_TENANT_DOMAIN],
		clientId: DEFAULT_CLIENT_ID,
		displayName: 'Graph Simulator Bot',
		clientSecret: DEFAULT_CLIENT_SECRET,
		roles: [...DEFAULT_APP_ROLES],
	};
}

/** The default call: established, owned by the default app. */
export function defaultCall(): SeededCall {
	return {
		id: DEFAULT_CALL_ID,
		ownerClientId: DEFAULT_CLIENT_ID,
		tenantId: DEFAULT_TENANT_ID,
		state: 'established',
	};
}

export async function startGraphSimulator(options: SimulatorOptions = {}): Promise<GraphSimulator> {
	const ca = options.ca ?? loadCaFromEnv() ?? createCertificateAuthority();
	const listener = await listenHttps({ port: options.port ?? 0, ...issueServerCertificate(ca) });
	const origin = `https://127.0.0.1:${listener.port}`;

	const registry = new Registry();
	for (const app of options.apps ?? [defaultApp()]) registry.addApp(app);
	for (const call of options.calls ?? [defaultCall()]) registry.addCall(call);
	const tokens = new AccessTokenIssuer(
		origin,
		options.tokenLifetimeSeconds ?? DEFAULT_TOKEN_LIFETIME_SECONDS,
	);
	const recorder = new RequestRecorder(options.onRequest);
	const variants = new DocumentedVariants(options.variantSeed ?? processVariantSeed());
	const callbacks = new CallbackCenter(origin, ca.certPem, variants);
	const media = new MediaCenter(origin, ca.certPem, callbacks, registry);
	const speech = new SpeechCenter(tokens);
	const phones = new PhoneCenter(options.people);
	callbacks.phones = phones;
	media.phones = phones;
	phones.wire({
		hangUp: (call, personKey) => callbacks.personHungUp(call, personKey),
		pressTone: (callId, tone) => media.pressKeys(callId, [{ tone, afterMs: 0 }]),
	});
	const ctx: SimulatorContext = {
		origin,
		registry,
		tokens,
		faults: createFaultKnobs(options.latencyMs ?? 0),
		recorder,
		callbacks,
		media,
		variants,
		speech,
		phones,
	};
	const reset = (): void => {
		recorder.clear();
		registry.clearRuntime();
		clearFaultKnobs(ctx.faults);
		callbacks.reset();
		media.reset();
		variants.reset();
		speech.reset();
		phones.reset();
	};
	const controlTarget = { faults: ctx.faults, recorder, invitations: registry.invitations, reset };
	listener.serve(
		ctx,
		options.controlApi
			? (method, pathname, body) => handleControlRequest(controlTarget, method, pathname, body)
			: undefined,
	);

	let closed: Promise<void> | undefined;
	return {
		origin,
		port: listener.port,
		caCertPem: ca.certPem,
		requests: recorder.requests,
		tokenRequests: () => recorder.ofKind('token'),
		graphRequests: () => recorder.ofKind('graph'),
		inviteCount: (callId, identityKey) => registry.inviteCount(callId, identityKey),
		invitations: registry.invitations,
		faults: ctx.faults,
		issuedTokens: tokens.issued,
		expireTokens: () => tokens.expireAll(),
		addApp: (app) => registry.addApp(app),
		addCall: (call) => {
			registry.addCall(call);
		},
		getCall: (id) => registry.getCall(id),
		reset,
		callbacks,
		media,
		variants,
		speech,
		phones,
		speechRequests: () => recorder.ofKind('speech'),
		// Idempotent: test teardown often closes twice (afterEach + finally).
		close: () => {
			callbacks.close();
			media.close();
			return (closed ??= listener.close());
		},
	};
}
