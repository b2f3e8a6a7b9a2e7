/**
 * The prompt's resourceId: Graph's mediaInfo takes "resourceId" so that it can cache the media,
 * so the same words in the same voice must always get the same ID, and anything that changes
 * the audio must change it: a stale ID would make Graph play old audio for new words.
 */
import { createHash } from 'node:crypto';

/** Bump when the audio for the same input changes (engine upgrade, conversion change). */
export const SPEECH_RENDER_VERSION = 1;

export interface SpeechIdentity {
	engine: string;
	/** What else decides the audio: the engine build or Azure's output format. */
	variant: string;
	voice: string;
	language: string;
	kind: 'text' | 'ssml';
	content: string;
}

/** A GUID-shaped ID (RFC 9562 version 8, built from SHA-256) of everything that decides the audio. */
export function speechResourceId(identity: SpeechIdentity): string {
	const digest = createHash('sha256')
		.update(
			JSON.stringify([
				SPEECH_RENDER_VERSION,
				identity.engine,
				identity.variant,
				identity.voice,
				identity.language,
				identity.kind,
				identity.content,
			]),
		)
		.digest();
	const bytes = digest.subarray(0, 16);
	bytes[6] = ((bytes[6] as number) & 0x0f) | 0x80;
	bytes[8] = ((bytes[8] as number) & 0x3f) | 0x80;
	const hex = bytes.toString('hex');
	return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
