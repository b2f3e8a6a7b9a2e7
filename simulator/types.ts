/**
 * Public types of the Graph simulator. Other test code programs against these names, so
 * change them only additively.
 */
import type { CallbackCenter } from './callNotifications';
import type { Person } from './directory';
import type { JsonObject } from './json';
import type { DocumentedVariants } from './documentedVariants';
import type { MediaCenter } from './media';
import type { PhoneCenter } from './phones';
import type { SpeechCenter } from './speech';

/** A certificate authority as two PEM strings, so it can be written to files and reloaded. */
export interface CertificateAuthority {
	certPem: string;
	keyPem: string;
}

export interface SimulatorOptions {
	/** Default 0 = ephemeral. The server always binds 127.0.0.1 only. */
	port?: number;
	/** CA that signs the server's leaf. Default: loadCaFromEnv(), else a fresh CA. */
	ca?: CertificateAuthority;
	/** Default: [defaultApp()]. */
	apps?: SimulatedApp[];
	/** Default: one established call DEFAULT_CALL_ID owned by DEFAULT_CLIENT_ID in DEFAULT_TENANT_ID. */
	calls?: SeededCall[];
	/** Default 3599. */
	tokenLifetimeSeconds?: number;
	/** Added before every Graph answer; also settable later through faults.latencyMs. */
	latencyMs?: number;
	/** Serve the control API (control.ts) under /_simulator/: knobs, reset, counters. Default false. */
	controlApi?: boolean;
	/** Called once per request after it was answered (or reset, or left hanging). Used by the CLI log. */
	onRequest?: (request: RecordedRequest) => void;
	/**
	 * Seeds the choice among Microsoft's documented variants of a shape (documentedVariants.ts).
	 * Default: the process's seed (GRAPH_SIM_VARIANT_SEED, else drawn once and printed).
	 */
	variantSeed?: number;
	/** The people of the simulated tenant the softphone lists. Default: DEFAULT_PEOPLE (directory.ts). */
	people?: Person[];
}

export interface SimulatedApp {
	tenantId: string;
	/** e.g. ['contoso.onmicrosoft.com']: the token path accepts the GUID or one of these. */
	tenantDomains?: string[];
	clientId: string;
	/** Shown in some Entra error messages; defaults to a name derived from the client id. */
	displayName?: string;
	clientSecret?: string;
	/** Registered certificate; client assertions are verified against its public key. */
	certificatePem?: string;
	/** App roles placed in tokens; default DEFAULT_APP_ROLES. */
	roles?: string[];
	/** The token endpoint answers AADSTS7000222 to the (otherwise right) secret. */
	secretExpired?: boolean;
	/** The token endpoint answers AADSTS7000112. */
	disabled?: boolean;
	/** Default true. false: the app has no bot registration with calling, so creating a call answers 403 7503. */
	callingBot?: boolean;
	/** Teams resource accounts (application instances) linked to the app, for calls to phone numbers. */
	resourceAccounts?: SimulatedResourceAccount[];
	/** Default true. false: the tenant has not run Set-CsApplicationMeetingConfiguration -AllowRemoveParticipantAppIds for the app. */
	allowRemoveParticipant?: boolean;
}

/** A Teams resource account linked to an app; PSTN calls start from one that has a phone number. */
export interface SimulatedResourceAccount {
	/** Entra object ID (GUID). */
	id: string;
	/** E.164; absent: no number assigned (dial-out fails with 403 10151). */
	phoneNumber?: string;
}

export interface SeededCall {
	id: string;
	ownerClientId: string;
	tenantId: string;
	/** Default 'established'. A 'terminated' call answers 404 8522 like a call that is gone. */
	state?: string;
	/** Where its notifications go (only 127.0.0.1 URLs are ever contacted). Default: an unresolvable .invalid URL. */
	callbackUri?: string;
}

/** One entry of a call's roster, as GET .../participants lists it. */
export interface RosterParticipant {
	id: string;
	/** `${kind}:${id}` of the identity that decided the entry (see InvitationRecord). */
	identityKey: string;
	/** The identitySet as the client sent it (or the bot's own identity). */
	identity: JsonObject;
	/** Hidden participants (invite with hidden: true) are in the call but not in the roster. */
	hidden: boolean;
	endpointType?: string | undefined;
	joinedAt: number;
	/** Set by participant: mute (server mute). */
	muted?: boolean;
}

/** A live call held by the simulator. getCall() returns the live object: tests may change state. */
export interface SimulatedCall {
	id: string;
	ownerClientId: string;
	tenantId: string;
	state: string;
	direction: 'outgoing' | 'incoming';
	callbackUri: string;
	/** The bot's own participant id; the bot is always first in the roster. */
	myParticipantId: string;
	createdAt: number;
	participants: RosterParticipant[];
	/** Calls created through POST /communications/calls: what kind, for the group-only rules. Seeded calls: undefined (a group call). */
	kind?: 'peerToPeer' | 'group' | 'meeting' | 'pstn';
	/** Properties of the created call (subject, targets, chatInfo, meetingInfo, source...) that GET returns as sent. */
	details?: JsonObject;
	/** Last successful keepAlive (ms since epoch). */
	keptAliveAt?: number;
}

export interface InvitationRecord {
	callId: string;
	/** Which identitySet key named the target: user, application, applicationInstance, device, guest, phone, acsUser, azureCommunicationServicesUser. */
	identityKind: string;
	identityId: string;
	operationId: string;
	/** The request-id header the client received with the answer (for $batch: the outer request's). */
	requestId: string;
	at: number;
	apiVersion: 'v1.0' | 'beta';
	/** Set when the invite came as a step of a $batch request. */
	batchStepId?: string;
	/** The invitationParticipantInfo as processed. */
	participant: JsonObject;
}

/** 'speech': Azure AI Speech text to speech (speech.ts). */
export type RequestKind = 'token' | 'graph' | 'metadata' | 'speech' | 'other';

export interface RecordedRequest {
	method: string;
	/** Path and query as received. */
	path: string;
	/** Lower-case names; repeated headers joined with ', '. */
	headers: Record<string, string>;
	body: string;
	/** Final status sent; undefined when the connection was reset or left hanging. */
	status?: number | undefined;
	at: number;
	/** When the answer was sent (or the connection reset / left hanging). */
	answeredAt?: number;
	kind: RequestKind;
	/** The request-id (Graph) or x-ms-request-id (token) the simulator answered with, if any. */
	requestId?: string;
	/** The fault knob that shaped this answer, if one did ('throttle' for throttleRate). */
	fault?: GraphFault['kind'] | TokenFault['kind'] | 'throttle' | undefined;
}

export interface FaultKnobs {
	latencyMs: number;
	/** One-shot faults consumed in order by the next Graph requests (each $batch step counts as one). */
	nextGraphFaults: GraphFault[];
	/**
	 * Throttle probability 0..1: each attempt (a Graph request, or one step of a $batch) is
	 * answered 429 with Retry-After independently with this probability, without being processed.
	 */
	throttleRate: number;
	throttleRetryAfterSeconds: number;
	/**
	 * Unset: throttling draws from Math.random(). Set: the draw for an attempt is a hash of
	 * (seed, method + path + body, how often that same request was seen since the last reset),
	 * so a run throttles the same attempts of the same items whatever the arrival order.
	 */
	throttleSeed?: number | undefined;
	/** Attempts answered 429 by throttling since the last reset (read-only counter). */
	throttledCount?: number;
	/** One-shot faults consumed in order by the next token requests. */
	nextTokenFaults: TokenFault[];
}

export type GraphFault =
	/** No fault: the request is processed as usual (lets one request through a queue of faults). */
	| { kind: 'pass' }
	/** Answers a Graph error with that status without processing the request. */
	| { kind: 'status'; status: number; retryAfterSeconds?: number; code?: string; message?: string }
	/** Destroys the socket before answering, without processing. */
	| { kind: 'reset' }
	/** Processes the request (records invitations) and then destroys the socket. */
	| { kind: 'resetAfterProcessing' }
	/** Never answers; the socket stays open until close(). */
	| { kind: 'hang' }
	/** Answers 200, content-type application/json, with a body that is not JSON; not processed. */
	| { kind: 'malformed' }
	/**
	 * Answers exactly this, not processed: e.g. a 307 with a Location on another host, or a 200
	 * whose Location header / @odata.nextLink point elsewhere.
	 */
	| { kind: 'answer'; status: number; headers?: Record<string, string>; body?: string }
	/**
	 * Answers `status` (default 200) with a valid JSON body of about `bytes` bytes; not processed.
	 * With `chunked` no Content-Length is sent, so only reading the body reveals its size.
	 */
	| { kind: 'oversized'; bytes: number; status?: number; chunked?: boolean };

export type TokenFault =
	/** An Entra error answer with that AADSTS code (status and error default per code, e.g. 7000215 -> 401 invalid_client). */
	| { kind: 'aadsts'; code: number; error?: string; status?: number }
	/**
	 * An Entra-shaped error with that HTTP status (5xx and 429: temporarily_unavailable, AADSTS90033).
	 * Note: msal-node stops calling the token endpoint after a 429/5xx for Retry-After seconds, 60 when absent.
	 */
	| { kind: 'status'; status: number; retryAfterSeconds?: number }
	/** Destroys the socket without answering. */
	| { kind: 'reset' }
	/** Answers a redirect (e.g. 307 with a Location on another host) instead of a token. */
	| { kind: 'redirect'; status: number; location: string };

export interface GraphSimulator {
	/** 'https://127.0.0.1:<port>': the authority host and the Graph host at once. */
	origin: string;
	port: number;
	/** The CA the client must trust. */
	caCertPem: string;
	/** Every request received, in arrival order (live array). */
	requests: RecordedRequest[];
	tokenRequests(): RecordedRequest[];
	/** /v1.0 and /beta requests, $batch included. */
	graphRequests(): RecordedRequest[];
	/** How many times identityKey (`${kind}:${id}`, id compared case-insensitively) was invited into callId. */
	inviteCount(callId: string, identityKey: string): number;
	/** Every processed invitation, one record per participant (live array). */
	invitations: InvitationRecord[];
	/** Mutable knobs (live object). */
	faults: FaultKnobs;
	/** Every access token minted (live array). */
	issuedTokens: string[];
	/** Every token issued so far becomes invalid at Graph (401 'Lifetime validation failed, the token is expired.'). */
	expireTokens(): void;
	addApp(app: SimulatedApp): void;
	addCall(call: SeededCall): void;
	getCall(id: string): SimulatedCall | undefined;
	/** Clears requests, invitations, faults and the invitees in rosters; keeps apps, calls and tokens. */
	reset(): void;
	/** Call notifications: knobs (answer delay, no answer, establish delay), deliveries, signing key and its OpenID configuration. */
	callbacks: CallbackCenter;
	/** Service-hosted media: knobs, scripted key presses, hosted prompt files, prompt fetches. */
	media: MediaCenter;
	/** The seeded choice among documented variants of a shape; `force` one for a test. */
	variants: DocumentedVariants;
	/** Azure AI Speech: knobs (faults, ms per character), keys, resource ID, syntheses (speech.ts). */
	speech: SpeechCenter;
	/**
	 * The people's phones (phones.ts): who rings, who is connected, what they heard and pressed;
	 * acts for them (answer, decline, keys, hang up). The softphone (softphone.ts) shows it.
	 */
	phones: PhoneCenter;
	/** Requests to the Azure AI Speech endpoints. */
	speechRequests(): RecordedRequest[];
	close(): Promise<void>;
}
