/**
 * Where Call and Wait for Keypress gets its prompt (Prompt From): typed text spoken by a voice
 * engine, a URL Graph downloads, or a binary field of the input item. Text and binary prompts are
 * served to Graph by this node's waiting webhook at a link only the credential can make
 * (lib/entra/linkTokens.ts). Read in execute (checked, and text rendered, before anyone is
 * called) and again in the webhook (to play it, and to serve it: a text prompt is rendered again
 * there, from the process's cache when the same process rendered it in execute).
 */
import type {
	IBinaryData,
	IDataObject,
	IExecuteFunctions,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';

import { sendWav } from '../../../../lib/audio/sendWav';
import { CREDENTIAL_TYPE } from '../../../../lib/entra/credentialType';
import { readEntraAppSettings, type EntraAppSettings } from '../../../../lib/entra/settings';
import { InputProblem, requireText } from '../../helpers/inputProblem';
import { readPromptUrl } from '../../helpers/mediaBodies';
import { PROMPT_LIMITS } from '../../limits';
import { describePromptBytes, type PromptCheck } from '../media/promptCheck';
import { isLinkToken, linkToken } from '../../../../lib/entra/linkTokens';
import { readSpokenPrompt, renderSpokenPrompt } from '../speech/spokenPrompt';
import { PROMPT_PARAMETER, promptLinkUrl } from './waitingUrls';

const BINARY_FIELD = 'Input Binary Field';

/** What the item reports of a typed prompt, as Play Prompt does. */
export interface SpokenPromptSummary extends IDataObject {
	engine: string;
	voice: string;
	language: string;
	durationSeconds: number;
}

export type PromptSource =
	| { kind: 'url'; url: string }
	| { kind: 'binary'; field: string; check: PromptCheck }
	| { kind: 'text'; spoken: SpokenPromptSummary };

type PromptKind = PromptSource['kind'];

/** Prompt From; nodes saved before it had Text keep URL (the default they were saved with). */
function promptKind(context: IExecuteFunctions | IWebhookFunctions, itemIndex: number): PromptKind {
	const kind = context.getNodeParameter('promptSource', itemIndex, 'url') as string;
	return kind === 'binary' || kind === 'text' ? kind : 'url';
}

/** The typed prompt of the form, rendered (to check it, and to know its length). */
async function renderedText(context: IExecuteFunctions | IWebhookFunctions, itemIndex: number) {
	const spec = readSpokenPrompt((name, fallback) =>
		context.getNodeParameter(name, itemIndex, fallback),
	);
	return await renderSpokenPrompt(context, spec);
}

/**
 * Execute side: typed text rendered (a bad text, voice or key is refused here, before anyone is
 * called), the URL checked as a URL, or the binary field's bytes checked as a prompt.
 */
export async function readPromptSource(
	functions: IExecuteFunctions,
	itemIndex: number,
): Promise<PromptSource> {
	const kind = promptKind(functions, itemIndex);
	if (kind === 'text') {
		const rendered = await renderedText(functions, itemIndex);
		return {
			kind,
			spoken: {
				engine: rendered.engine,
				voice: rendered.voice,
				language: rendered.language,
				durationSeconds: Math.round(rendered.durationMs / 100) / 10,
			},
		};
	}
	if (kind === 'url')
		return {
			kind,
			url: readPromptUrl(functions.getNodeParameter('promptUrl', itemIndex), 'Prompt URL'),
		};
	const field = requireText(
		functions.getNodeParameter('promptBinaryField', itemIndex, 'data'),
		BINARY_FIELD,
	).trim();
	const binary = functions.getInputData()[itemIndex]?.binary?.[field];
	if (binary === undefined) {
		const names = Object.keys(functions.getInputData()[itemIndex]?.binary ?? {});
		throw new InputProblem(
			BINARY_FIELD,
			`"${field}": the input item has no binary field of that name (${names.length > 0 ? `it has ${names.map((n) => `"${n}"`).join(', ')}` : 'it has no binary data at all'}).`,
			'Name the binary field that holds the WAV prompt, as the Binary tab of the previous node shows it, e.g. data.',
		);
	}
	const bytes = await functions.helpers.getBinaryDataBuffer(itemIndex, field);
	if (bytes.length > PROMPT_LIMITS.maxBytes)
		throw new InputProblem(
			BINARY_FIELD,
			`"${field}" holds ${bytes.length} bytes; a prompt may have at most ${PROMPT_LIMITS.maxBytes} (about ${PROMPT_LIMITS.maxMinutesAtGraphFormat} minutes of Graph's 16 kHz, 16-bit mono WAV). Graph documents no limit of its own; this one keeps a page's audio in bounds.`,
			'Shorten the prompt: a page says what happened and which key to press in a few seconds.',
		);
	const format = describePromptBytes(bytes, BINARY_FIELD, '');
	return {
		kind: 'binary',
		field,
		check: { url: `binary field "${field}"`, checked: true, format, bytes: bytes.length },
	};
}

/** The prompt link of this execution and node (the webhook's context knows both IDs). */
function promptLink(context: IWebhookFunctions, settings: EntraAppSettings): string {
	const resumeUrl = context.evaluateExpression('{{ $execution.resumeUrl }}', 0);
	const nodeId = context.getNode().id;
	const token = linkToken(settings, 'prompt', [context.getExecutionId(), nodeId]);
	return promptLinkUrl(String(resumeUrl), nodeId, token);
}

/** Webhook side: the URL playPrompt gives Graph. */
export function webhookPromptUrl(context: IWebhookFunctions, settings: EntraAppSettings): string {
	return promptKind(context, 0) === 'url'
		? readPromptUrl(context.getNodeParameter('promptUrl'), 'Prompt URL')
		: promptLink(context, settings);
}

/**
 * GET on the waiting URL: the prompt, to whoever holds the link (Graph). Anything else gets 404
 * like an unknown path, and never resumes the execution.
 */
export async function servePrompt(context: IWebhookFunctions): Promise<IWebhookResponseData> {
	const res = context.getResponseObject();
	const notFound = (): IWebhookResponseData => {
		res.status(404).json({ message: 'Not found' });
		return { noWebhookResponse: true };
	};
	const kind = promptKind(context, 0);
	if (kind === 'url') return notFound();
	const settings = readEntraAppSettings(await context.getCredentials(CREDENTIAL_TYPE));
	const expected = linkToken(settings, 'prompt', [context.getExecutionId(), context.getNode().id]);
	const query = context.getQueryData() as IDataObject;
	if (!isLinkToken(query[PROMPT_PARAMETER], expected)) return notFound();
	if (kind === 'text') {
		let wav: Buffer;
		try {
			wav = (await renderedText(context, 0)).wav;
		} catch {
			// Rendered in execute before anyone was called: failing now is the engine's side
			// (Azure down or throttled); Graph may try again.
			res.setHeader('retry-after', '10');
			res.status(503).json({ message: 'The prompt could not be rendered now.' });
			return { noWebhookResponse: true };
		}
		sendWav(res, wav);
		return { noWebhookResponse: true };
	}
	const field = String(context.getNodeParameter('promptBinaryField', 'data')).trim();
	// The waiting node's input item, as n8n hands it to the webhook's expressions. `$input.item`,
	// not `$binary`: n8n's `$binary` leaves out `data`, where the bytes are when n8n keeps binary
	// data in memory (its default mode); other modes give an `id` to read them by.
	const binary = context.evaluateExpression(
		`{{ $input.item.binary?.[${JSON.stringify(field)}] }}`,
		0,
	) as IBinaryData | undefined;
	if (typeof binary !== 'object' || binary === null) return notFound();
	const bytes =
		typeof binary.id === 'string'
			? await context.helpers.binaryToBuffer(await context.helpers.getBinaryStream(binary.id))
			: Buffer.from(binary.data, 'base64');
	sendWav(res, bytes);
	return { noWebhookResponse: true };
}
