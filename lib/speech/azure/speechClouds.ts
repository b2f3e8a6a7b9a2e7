/**
 * Where Azure AI Speech lives in each cloud. Host names from the Speech docs
 * (learn.microsoft.com/azure/ai-services/speech-service/…, read 2026-12-07):
 * - rest-text-to-speech: `https://{region}.tts.speech.microsoft.com/cognitiveservices/v1`,
 *   voices at `…/cognitiveservices/voices/list`; tokens from
 *   `https://{region}.api.cognitive.microsoft.com/sts/v1.0/issueToken` (rest auth include);
 * - sovereign-clouds (ms.date 08/07/2025): Azure Government (regions usgovarizona,
 *   usgovvirginia) `{region}.tts.speech.azure.us` and `{region}.api.cognitive.microsoft.us`;
 *   Azure operated by 21Vianet (chinaeast2, chinanorth2, chinanorth3) `{region}.tts.speech.azure.cn`
 *   and `{region}.api.cognitive.azure.cn`;
 * - speech-services-private-link: a custom-domain resource answers at
 *   `https://{name}.cognitiveservices.azure.com/tts/cognitiveservices/…` and
 *   `…/sts/v1.0/issueToken`.
 * Entra ID: tokens for `https://cognitiveservices.azure.com/.default` (how-to-configure-azure-ad-auth);
 * the Government and China audiences (`.azure.us`, `.azure.cn`) are those the Azure SDK for
 * JavaScript ships for Azure AI services (e.g. KnownFormRecognizerAudience); not checked against
 * a live sovereign resource.
 */
import { MICROSOFT_CLOUDS } from '../../entra/clouds';

export type SpeechCloudName = 'global' | 'usGov' | 'china' | 'custom';

export interface SpeechCloud {
	name: SpeechCloudName;
	label: string;
	/** `{region}.` + this is the text-to-speech host. */
	ttsHostSuffix: string;
	/** `{region}.` + this is the host of issueToken. */
	stsHostSuffix: string;
	/** A custom-domain resource's host ends with this. */
	customDomainSuffix: string;
	/** Regions that offer Speech, when the docs list them (sovereign clouds); else any. */
	regions?: readonly string[];
	/** Origin of the Entra authority. */
	authorityHost: string;
	/** The `.default` scope of Azure AI services in this cloud. */
	entraScope: string;
}

export const SPEECH_CLOUDS: Readonly<Record<Exclude<SpeechCloudName, 'custom'>, SpeechCloud>> = {
	global: {
		name: 'global',
		label: 'Azure (global)',
		ttsHostSuffix: 'tts.speech.microsoft.com',
		stsHostSuffix: 'api.cognitive.microsoft.com',
		customDomainSuffix: 'cognitiveservices.azure.com',
		authorityHost: MICROSOFT_CLOUDS.global.authorityHost,
		entraScope: 'https://cognitiveservices.azure.com/.default',
	},
	usGov: {
		name: 'usGov',
		label: 'Azure Government',
		ttsHostSuffix: 'tts.speech.azure.us',
		stsHostSuffix: 'api.cognitive.microsoft.us',
		customDomainSuffix: 'cognitiveservices.azure.us',
		regions: ['usgovarizona', 'usgovvirginia'],
		authorityHost: MICROSOFT_CLOUDS.usGovL4.authorityHost,
		entraScope: 'https://cognitiveservices.azure.us/.default',
	},
	china: {
		name: 'china',
		label: 'Azure China (21Vianet)',
		ttsHostSuffix: 'tts.speech.azure.cn',
		stsHostSuffix: 'api.cognitive.azure.cn',
		customDomainSuffix: 'cognitiveservices.azure.cn',
		regions: ['chinaeast2', 'chinanorth2', 'chinanorth3'],
		authorityHost: MICROSOFT_CLOUDS.china.authorityHost,
		entraScope: 'https://cognitiveservices.azure.cn/.default',
	},
};

/** The request paths, relative to a regional TTS host or to a custom-domain endpoint. */
export const SPEECH_PATHS = {
	regional: { synthesis: '/cognitiveservices/v1', voices: '/cognitiveservices/voices/list' },
	customDomain: {
		synthesis: '/tts/cognitiveservices/v1',
		voices: '/tts/cognitiveservices/voices/list',
	},
	sts: '/sts/v1.0/issueToken',
} as const;
