/**
 * Well-known identifiers of the simulator's default world. They are fixed (not random) so
 * that tests, fixtures and the CLI banner can name them; none of them exists in real Entra ID.
 */

export const DEFAULT_TENANT_ID = '6babcaad-604b-40ac-a9d7-9fd97c0b779f';
export const DEFAULT_TENANT_DOMAIN = 'simulator.onmicrosoft.com';
export const DEFAULT_CLIENT_ID = '8f0c2d1e-5b7a-4c3e-9d21-0a6b4e2f7c11';
/** Recognisable on purpose: if it ever shows up in a log, everybody knows it is the simulator's. */
export const DEFAULT_CLIENT_SECRET = 'sim-secret-Q7vR2xL9pK4mZ8wN';
export const DEFAULT_CALL_ID = '2f1a0b00-8e3c-4d5f-9a6b-7c8d9e0f1a2b';
/** The simulated Azure AI Speech resource (speech.ts): its key and its Azure resource ID. */
export const DEFAULT_SPEECH_KEY = 'sim-speech-key-3f9a7c1e5b2d';
export const DEFAULT_SPEECH_RESOURCE_ID =
	'/subscriptions/5f1c0c3a-0000-4000-8000-00000000a11c/resourceGroups/sim/providers/Microsoft.CognitiveServices/accounts/sim-speech';
/** The audience of Entra tokens for Azure AI services (their scope without "/.default"). */
export const COGNITIVE_SERVICES_AUDIENCE = 'https://cognitiveservices.azure.com';

/** Application roles (app permissions) of the Microsoft Graph calls API. */
export const GRAPH_ROLES = {
	inviteRole: 'Calls.InitiateGroupCall.All',
	joinGroupCallRole: 'Calls.JoinGroupCall.All',
	joinGroupCallAsGuestRole: 'Calls.JoinGroupCallAsGuest.All',
	initiateRole: 'Calls.Initiate.All',
	accessMediaRole: 'Calls.AccessMedia.All',
} as const;

/** Roles an app gets when SimulatedApp.roles is not given. */
export const DEFAULT_APP_ROLES: readonly string[] = [
	GRAPH_ROLES.inviteRole,
	GRAPH_ROLES.joinGroupCallRole,
	GRAPH_ROLES.initiateRole,
	GRAPH_ROLES.accessMediaRole,
];

/** Any of these lets an app read calls and rosters it owns (Graph has no separate read role). */
export const CALL_READ_ROLES: readonly string[] = Object.values(GRAPH_ROLES);

/** The Microsoft account (consumers) pseudo-tenant, as named in real Entra error messages. */
export const CONSUMERS_TENANT_ID = '9188040d-6c67-4c5b-b112-36a304b66dad';

export const DEFAULT_TOKEN_LIFETIME_SECONDS = 3599;
export const DEFAULT_THROTTLE_RETRY_AFTER_SECONDS = 1;
/** Request bodies above this are refused with 413 before any processing. */
export const MAX_BODY_BYTES = 1024 * 1024;
/** JSON batching limit documented for Microsoft Graph. */
export const MAX_BATCH_STEPS = 20;
/** Invite limit from the participant-invite documentation. */
export const MAX_INVITE_PARTICIPANTS = 5;
export const MAX_CLIENT_CONTEXT_LENGTH = 256;
