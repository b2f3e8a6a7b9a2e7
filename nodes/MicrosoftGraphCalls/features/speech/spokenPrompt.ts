/**
 * A typed prompt as an operation (or its waiting webhook) reads it from the form, and its
 * rendering to Graph's WAV with the engine the form chose: the offline voice, or Azure AI Speech
 * with the node's "Azure AI Speech API" credential. Every problem becomes an InputProblem naming
 * the field as the form shows it, before anyone is called.
 */
import type {
	ICredentialDataDecryptedObject,
	IExecuteFunctions,
	ILoadOptionsFunctions,
	IWebhookFunctions,
} from 'n8n-workflow';

import {
	renderSpeech,
	SpeechError,
	speechHttpFromN8n,
	type RenderedSpeech,
	type SpeechEngineName,
} from '../../../../lib/speech';
import type { SpokenPromptSpec } from '../../../../lib/speech/promptLinks';
import { InputProblem, requireText } from '../../helpers/inputProblem';

export const SPEECH_CREDENTIAL_TYPE = 'azureAiSpeechApi';

/** The form's labels of the speech fields, as errors name them. */
export const SPEECH_LABELS = {
	engine: 'Voice Engine',
	text: 'Text',
	ssml: 'Text (SSML)',
	voice: 'Voice Name or ID',
	language: 'Language',
} as const;

/** Reads one parameter of the operation (expressions resolved for the item). */
export type ParamReader = (name: string, fallback?: unknown) => unknown;

function engineOf(raw: unknown): SpeechEngineName {
	if (raw === undefined || raw === null || raw === '') return 'offline';
	if (raw === 'offline' || raw === 'azure') return raw;
	throw new InputProblem(
		SPEECH_LABELS.engine,
		`"${String(raw).slice(0, 40)}" is not an engine: choose Offline Voice or Azure AI Speech.`,
	);
}

const optionalText = (raw: unknown, field: string): string | undefined => {
	if (raw === undefined || raw === null) return undefined;
	const value = requireText(raw, field).trim();
	return value === '' ? undefined : value;
};

/**
 * The spoken prompt the form describes. `textField` is the parameter holding the words (several
 * prompts of one operation share the voice settings); `label` how the form shows that field.
 * Text starting with `<speak` is SSML.
 */
export function readSpokenPrompt(
	param: ParamReader,
	textField = 'promptText',
	label: string = SPEECH_LABELS.text,
): SpokenPromptSpec {
	const words = requireText(param(textField, ''), label).trim();
	if (words === '')
		throw new InputProblem(
			label,
			'is empty. Type what the call should say, e.g. "Production is down. Press 1 to acknowledge."',
		);
	const engine = engineOf(param('speechEngine', 'offline'));
	const voice = optionalText(param('speechVoice', ''), SPEECH_LABELS.voice);
	const language = optionalText(param('speechLanguage', 'en-US'), SPEECH_LABELS.language);
	if (engine === 'azure' && voice === undefined && !/^<speak[\s>]/i.test(words))
		throw new InputProblem(
			SPEECH_LABELS.voice,
			'is empty. Azure AI Speech needs a voice: choose one from the list (it shows the voices of the credential’s region for the Language), e.g. en-US-JennyNeural.',
		);
	return {
		engine,
		...(voice !== undefined ? { voice } : {}),
		...(language !== undefined ? { language } : {}),
		...(/^<speak[\s>]/i.test(words) ? { ssml: words } : { text: words }),
	};
}

type SpeechContext = IExecuteFunctions | IWebhookFunctions | ILoadOptionsFunctions;

/** The node's Azure AI Speech credential, with a clear error when it is missing. */
export async function azureSpeechCredentials(
	context: SpeechContext,
): Promise<ICredentialDataDecryptedObject> {
	const credentials = await context.getCredentials(SPEECH_CREDENTIAL_TYPE).catch(() => undefined);
	if (credentials) return credentials;
	throw new InputProblem(
		SPEECH_LABELS.engine,
		'is Azure AI Speech, but this node has no "Azure AI Speech API" credential.',
		'Choose or create the Azure AI Speech API credential in the node (it appears once Voice Engine is Azure AI Speech), or use the Offline Voice.',
	);
}

/** A speech error as the form's problem: the field it names (quoted at the start) is the field. */
export function asInputProblem(error: unknown, label: string = SPEECH_LABELS.text): unknown {
	if (!(error instanceof SpeechError)) return error;
	const field = error.field ?? label;
	const quoted = `"${field}" `;
	const problem = error.message.startsWith(quoted)
		? error.message.slice(quoted.length)
		: error.message;
	return new InputProblem(field, problem);
}

/**
 * Renders the prompt to Graph's WAV (from the process's cache when it was rendered before),
 * mapping every failure to the form's field. Azure requests go through n8n's own HTTP helper
 * (its proxy and CA settings).
 */
export async function renderSpokenPrompt(
	context: SpeechContext,
	spec: SpokenPromptSpec,
	label: string = SPEECH_LABELS.text,
): Promise<RenderedSpeech> {
	const azure =
		spec.engine === 'azure'
			? {
					credentials: await azureSpeechCredentials(context),
					http: speechHttpFromN8n(async (request) => await context.helpers.httpRequest(request)),
				}
			: undefined;
	try {
		return await renderSpeech({
			...spec,
			...(azure ? { azure } : {}),
			labels: { ...SPEECH_LABELS, text: label },
		});
	} catch (error) {
		throw asInputProblem(error, label);
	}
}
