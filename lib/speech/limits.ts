/**
 * The bounds of one prompt, and where each comes from, so every "too long" error can say both.
 *
 * Azure AI Speech documents for real-time text to speech (speech-services-quotas-and-limits,
 * learn.microsoft.com, ms.date 9/24/2024): "Max audio length produced per request: 10 min" and
 * "Max total number of distinct <voice> and <audio> tags in SSML: 50"; the only size limit it
 * documents (64 KB per SSML message) is for the websocket/SDK, none for REST. Graph documents no
 * maximum prompt duration or file size (mediaInfo, playPrompt pages). Speech runs at 6.3-7.5 s
 * of audio per 100 characters of alert-style English (measured with Flite, see docs/speech.md).
 */

/** Spoken characters per prompt (plain text, or the text inside SSML). */
export const MAX_PROMPT_CHARS = 5_000;
/** A whole SSML document, markup included: bounds the request body. */
export const MAX_SSML_CHARS = 20_000;
/** Audio per prompt: Azure's per-request cap, applied to the offline engine too. */
export const MAX_PROMPT_SECONDS = 600;
/** Azure's documented cap on `<voice>` and `<audio>` elements per SSML document. */
export const MAX_VOICE_AND_AUDIO_TAGS = 50;
/** Azure's clamp on `<break time>`: "the maximum value is 20000 ms". */
export const MAX_BREAK_MS = 20_000;

export const LIMIT_SOURCES = {
	promptChars: `this package's limit per prompt, about 5 to 6 minutes of speech and below Azure AI Speech's 10 minutes per request; split a longer message over several prompts (Play Prompt takes up to 20)`,
	ssmlChars: `this package's limit on an SSML document, markup included (${MAX_PROMPT_CHARS.toLocaleString('en-US')} spoken characters plus markup)`,
	promptSeconds: `Azure AI Speech's documented maximum of 10 minutes of audio per request, which this package applies to the offline voice too`,
	voiceAndAudioTags: `Azure AI Speech's documented maximum of ${MAX_VOICE_AND_AUDIO_TAGS} <voice> and <audio> elements per request`,
} as const;

/** 5000 → "5,000": limits and lengths are read by people. */
export const formatCount = (value: number): string => value.toLocaleString('en-US');
