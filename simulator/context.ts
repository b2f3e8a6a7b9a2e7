/** The state every handler needs, passed explicitly instead of living in module globals. */
import type { AccessTokenIssuer } from './accessTokens';
import type { CallbackCenter } from './callNotifications';
import type { DocumentedVariants } from './documentedVariants';
import type { MediaCenter } from './media';
import type { PhoneCenter } from './phones';
import type { RequestRecorder } from './recorder';
import type { SpeechCenter } from './speech';
import type { Registry } from './registry';
import type { FaultKnobs } from './types';

export interface SimulatorContext {
	/** 'https://127.0.0.1:<port>': authority host, Graph host, and the token audience. */
	origin: string;
	registry: Registry;
	tokens: AccessTokenIssuer;
	faults: FaultKnobs;
	recorder: RequestRecorder;
	/** Call notifications to callback URLs and their signing key. */
	callbacks?: CallbackCenter;
	/** Service-hosted media: prompts, recordings, tones, hold music. */
	media?: MediaCenter;
	/** The seeded choice among Microsoft's documented variants of a shape. */
	variants: DocumentedVariants;
	/** Azure AI Speech text to speech on the same origin. */
	speech?: SpeechCenter;
	/** The people's phones: what the softphone shows and acts on (ours, not Graph's). */
	phones?: PhoneCenter;
}
