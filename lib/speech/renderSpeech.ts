/**
 * The speech layer's one entry point: typed text or SSML to a WAV Graph can play, with Azure
 * AI Speech or the offline voice. Everything the caller typed is checked first (each error
 * names its field); then the in-process cache is asked; only then does an engine run.
 */
import { checkPromptWav, encodePromptWav } from '../audio/graphPrompt';
import { SpeechError } from './errors';
import { formatCount, LIMIT_SOURCES, MAX_PROMPT_CHARS } from './limits';
import { DEFAULT_AZURE_OUTPUT_FORMAT } from './azure/outputFormat';
import { synthesizeWithAzure, type AzureSpeechOptions } from './azure/speechClient';
import { readAzureSpeechSettings, type SpeechCredentialFields } from './azure/speechSettings';
import { FLITE_PACKAGE, FLITE_VERSION } from './offline/fliteModule';
import { OfflineEngine } from './offline/offlineEngine';
import {
	checkOfflineLanguage,
	checkOfflineVoice,
	DEFAULT_OFFLINE_VOICE,
	isOfflineVoiceId,
} from './offline/voices';
import { speechResourceId } from './resourceId';
import { SpeechCache } from './speechCache';
import { buildSsml, checkAzureVoice, checkLanguage } from './ssml/buildSsml';
import { offlineScript, type SpeechSegment } from './ssml/offlineSegments';
import { checkSsmlForAzure, readSsml, type SsmlDocument } from './ssml/readSsml';

export type SpeechEngineName = 'azure' | 'offline';

/** The form's labels for the fields a render reads, so errors name them as the user sees them. */
export interface SpeechFieldLabels {
	engine: string;
	text: string;
	ssml: string;
	voice: string;
	language: string;
}

const DEFAULT_LABELS: SpeechFieldLabels = {
	engine: 'Engine',
	text: 'Text',
	ssml: 'SSML',
	voice: 'Voice',
	language: 'Language',
};

export interface AzureSpeechTarget extends Omit<AzureSpeechOptions, 'settings' | 'signal'> {
	/** The Azure AI Speech credential's data, as n8n hands it over. */
	credentials: SpeechCredentialFields;
}

export interface RenderSpeechRequest {
	engine: SpeechEngineName;
	/** Plain text; or `ssml`, exactly one of the two. */
	text?: string;
	/** An SSML document with a <speak> root. */
	ssml?: string;
	/** Default: the SSML's xml:lang, else en-US. The offline voices speak English only. */
	language?: string;
	/** Offline: slt (default), rms, awb, kal16, kal. Azure: a voice name, needed for text (SSML names its own). */
	voice?: string;
	/** Needed for engine 'azure'. */
	azure?: AzureSpeechTarget;
	/** Default: one shared engine per process (one worker thread). */
	offlineEngine?: OfflineEngine;
	/** Default: one shared 64 MB cache per process; false: no cache. */
	cache?: SpeechCache<RenderedSpeech> | false;
	labels?: Partial<SpeechFieldLabels>;
	signal?: AbortSignal;
}

export interface RenderedSpeech {
	/** RIFF WAVE, PCM, mono, 16-bit, 16 kHz, checked by the shared reader. Shared with the cache: read only. */
	wav: Buffer;
	durationMs: number;
	engine: SpeechEngineName;
	/** The voice that spoke (for SSML sent to Azure: its first <voice>). */
	voice: string;
	language: string;
	/** For Graph's mediaInfo.resourceId: the same for the same engine, voice and words. */
	resourceId: string;
	/** Served from the cache, or shared with a render of the same prompt already under way. */
	cached: boolean;
	/** What the offline voice had to leave out or could not honour. */
	warnings: string[];
}

let sharedEngine: OfflineEngine | undefined;
const sharedCache = new SpeechCache<RenderedSpeech>();

/** The cache renders use unless told otherwise (for diagnostics and tests). */
export function sharedSpeechCache(): SpeechCache<RenderedSpeech> {
	return sharedCache;
}

/** Stops the shared offline engine's worker threads (they also stop after a minute idle). */
export async function closeSharedSpeechEngine(): Promise<void> {
	const engine = sharedEngine;
	sharedEngine = undefined;
	await engine?.close();
}

/** A render that is checked and ready to run: its identity, and how to make the audio. */
interface PlannedRender {
	voice: string;
	language: string;
	resourceId: string;
	warnings: string[];
	run(): Promise<Int16Array>;
}

function readInput(
	request: RenderSpeechRequest,
	labels: SpeechFieldLabels,
): { text: string } | { ssml: SsmlDocument; source: string } {
	const hasText = typeof request.text === 'string';
	const hasSsml = typeof request.ssml === 'string';
	if (hasText === hasSsml) {
		throw new SpeechError(
			'badInput',
			`Give either "${labels.text}" or "${labels.ssml}" (exactly one of them).`,
			{
				field: labels.text,
			},
		);
	}
	if (hasSsml)
		return { ssml: readSsml(request.ssml as string, labels.ssml), source: request.ssml as string };
	const text = request.text as string;
	if (text.trim() === '')
		throw new SpeechError('badInput', `"${labels.text}" is empty: type what the call should say.`, {
			field: labels.text,
		});
	if (text.length > MAX_PROMPT_CHARS) {
		throw new SpeechError(
			'tooLong',
			`"${labels.text}" is ${formatCount(text.length)} characters long; a prompt may have at most ${formatCount(MAX_PROMPT_CHARS)} (${LIMIT_SOURCES.promptChars}).`,
			{ field: labels.text },
		);
	}
	return { text };
}

function planOffline(
	request: RenderSpeechRequest,
	input: ReturnType<typeof readInput>,
	language: string,
	labels: SpeechFieldLabels,
): PlannedRender {
	checkOfflineLanguage(language, labels.language);
	const voice = checkOfflineVoice(request.voice ?? DEFAULT_OFFLINE_VOICE, labels.voice);
	const warnings: string[] = [];
	let segments: SpeechSegment[];
	if ('text' in input) segments = [{ kind: 'text', text: input.text, rate: 1 }];
	else {
		const script = offlineScript(input.ssml.events, isOfflineVoiceId);
		segments = script.segments;
		warnings.push(...script.warnings);
	}
	const engine = request.offlineEngine ?? (sharedEngine ??= new OfflineEngine());
	return {
		voice,
		language,
		warnings,
		resourceId: speechResourceId({
			engine: 'offline',
			variant: `${FLITE_PACKAGE}@${FLITE_VERSION}`,
			voice,
			language,
			kind: 'text' in input ? 'text' : 'ssml',
			content: 'text' in input ? input.text : input.source,
		}),
		run: async () => {
			const render = await engine.render({
				segments,
				voice,
				field: 'text' in input ? labels.text : labels.ssml,
				...(request.signal ? { signal: request.signal } : {}),
			});
			warnings.push(...render.warnings);
			return render.samples;
		},
	};
}

function planAzure(
	request: RenderSpeechRequest,
	input: ReturnType<typeof readInput>,
	language: string,
	labels: SpeechFieldLabels,
): PlannedRender {
	if (!request.azure)
		throw new Error('renderSpeech: engine "azure" needs `azure` (credentials and http).');
	const { credentials, ...options } = request.azure;
	const settings = readAzureSpeechSettings(credentials);
	let ssml: string;
	let voice: string;
	let field: string;
	if ('text' in input) {
		voice = checkAzureVoice(request.voice ?? '', labels.voice);
		ssml = buildSsml(input.text, language, voice);
		field = labels.voice;
	} else {
		checkSsmlForAzure(input.ssml, labels.ssml);
		voice = input.ssml.voiceNames[0] ?? '';
		ssml = input.source;
		field = labels.ssml;
	}
	const outputFormat = options.outputFormat ?? DEFAULT_AZURE_OUTPUT_FORMAT;
	return {
		voice,
		language,
		warnings: [],
		resourceId: speechResourceId({
			engine: 'azure',
			variant: outputFormat,
			voice,
			language,
			kind: 'text' in input ? 'text' : 'ssml',
			content: 'text' in input ? input.text : input.source,
		}),
		run: async () =>
			await synthesizeWithAzure(
				{ ...options, settings, ...(request.signal ? { signal: request.signal } : {}) },
				ssml,
				{ voice, field },
			),
	};
}

/** Renders one prompt. Throws SpeechError; its `field` names what to fix. */
export async function renderSpeech(request: RenderSpeechRequest): Promise<RenderedSpeech> {
	const labels = { ...DEFAULT_LABELS, ...request.labels };
	if (request.engine !== 'azure' && request.engine !== 'offline') {
		throw new SpeechError(
			'badInput',
			`"${labels.engine}" must be Azure AI Speech or Offline (got "${String(request.engine)}").`,
			{
				field: labels.engine,
			},
		);
	}
	const input = readInput(request, labels);
	const language = checkLanguage(
		request.language ?? ('ssml' in input ? input.ssml.speak.get('xml:lang') : undefined) ?? 'en-US',
		labels.language,
	);
	const plan =
		request.engine === 'offline'
			? planOffline(request, input, language, labels)
			: planAzure(request, input, language, labels);
	const make = async (): Promise<RenderedSpeech> => {
		const wav = encodePromptWav(await plan.run());
		return {
			wav,
			durationMs: checkPromptWav(wav).durationMs,
			engine: request.engine,
			voice: plan.voice,
			language: plan.language,
			resourceId: plan.resourceId,
			cached: false,
			warnings: plan.warnings,
		};
	};
	const cache = request.cache === undefined ? sharedCache : request.cache;
	if (cache === false) return await make();
	const { entry, hit } = await cache.getOrMake(plan.resourceId, make);
	return { ...entry, cached: hit };
}
