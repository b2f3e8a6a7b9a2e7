/**
 * The speech layer's public face: what nodes and the credential use. Everything else
 * under lib/speech is its inside.
 */
export {
	closeSharedSpeechEngine,
	renderSpeech,
	sharedSpeechCache,
	type AzureSpeechTarget,
	type RenderedSpeech,
	type RenderSpeechRequest,
	type SpeechEngineName,
	type SpeechFieldLabels,
} from './renderSpeech';
export { SpeechError, type SpeechErrorKind } from './errors';
export { DEFAULT_SPEECH_CACHE_BYTES, SpeechCache } from './speechCache';
export {
	LIMIT_SOURCES,
	MAX_PROMPT_CHARS,
	MAX_PROMPT_SECONDS,
	MAX_SSML_CHARS,
	MAX_VOICE_AND_AUDIO_TAGS,
} from './limits';
export { DEFAULT_OFFLINE_WORKERS, OfflineEngine } from './offline/offlineEngine';
export { DEFAULT_OFFLINE_VOICE, OFFLINE_VOICES, type OfflineVoice } from './offline/voices';
export { listAzureVoices, type AzureVoice } from './azure/speechClient';
export {
	AZURE_OUTPUT_FORMATS,
	DEFAULT_AZURE_OUTPUT_FORMAT,
	type AzureOutputFormat,
} from './azure/outputFormat';
export { readAzureSpeechSettings, SPEECH_FIELDS } from './azure/speechSettings';
export { speechHttpFromFetch, speechHttpFromN8n, type SpeechHttp } from './azure/speechHttp';
