/**
 * What a page says, and where Graph gets it. The alert comes from Prompt From: typed text spoken
 * by a voice engine, a URL Graph downloads, or a binary field of the input item. Version 3 nodes
 * also say the menu ("Press 1 to acknowledge…", from the keys' labels), "press any key" before
 * the alert on phones, "that is not an option" after a wrong key, and "someone else has this" to
 * the people a page called at once who did not decide it; those are spoken with the alert's voice
 * (the offline voice when the alert is not text).
 *
 * Everything except a URL alert is served to Graph by this node's waiting webhook, at a link only
 * the credential can make for this execution, node and message (lib/entra/linkTokens.ts). Read in
 * execute (checked, and text rendered, before anyone is called) and again in the webhook (to play
 * it, and to serve it: text is rendered again there, from the process's cache when the same
 * process rendered it in execute; the offline voice gives the same audio in any process).
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
import { isLinkToken, linkToken } from '../../../../lib/entra/linkTokens';
import { readEntraAppSettings, type EntraAppSettings } from '../../../../lib/entra/settings';
import type { SpokenPromptSpec } from '../../../../lib/speech/promptLinks';
import { InputProblem, requireText } from '../../helpers/inputProblem';
import { mediaPrompt, readPromptUrl } from '../../helpers/mediaBodies';
import { isUnset } from '../../helpers/optionValues';
import { PROMPT_LIMITS } from '../../limits';
import { describePromptBytes, type PromptCheck } from '../media/promptCheck';
import { readSpokenPrompt, renderSpokenPrompt } from '../speech/spokenPrompt';
import { promptDownloaded } from './promptDownloads';
import { menuSpeech, readPageMenu } from './pageMenu';
import { PROMPT_PARAMETER, promptLinkUrl, SAY_PARAMETER } from './waitingUrls';

const BINARY_FIELD = 'Input Binary Field';

/** The messages of a page beside the alert, as Additional Fields name them, with their defaults. */
export const PAGE_MESSAGES = {
	presence: {
		field: 'presenceText',
		label: 'Additional Fields › Presence Check Text',
		text: 'This is an alert from n8n. Press any key to hear it.',
	},
	wrong: {
		field: 'wrongKeyText',
		label: 'Additional Fields › Wrong Key Text',
		text: 'That is not an option.',
	},
	taken: {
		field: 'takenText',
		label: 'Additional Fields › Someone Else Has It Text',
		text: 'Someone else has taken this alert. Thank you, goodbye.',
	},
} as const;

export type PageMessage = 'alert' | 'menu' | keyof typeof PAGE_MESSAGES;
const MESSAGES: readonly PageMessage[] = ['alert', 'menu', 'presence', 'wrong', 'taken'];

/** What the item reports of a typed prompt, as Play Prompt does. */
export interface SpokenPromptSummary extends IDataObject {
	engine: string;
	voice: string;
	language: string;
	durationSeconds: number;
	text: string;
}

export type PromptSource =
	| { kind: 'url'; url: string }
	| { kind: 'binary'; field: string; check: PromptCheck }
	| { kind: 'text' };

type PromptKind = PromptSource['kind'];
type AnyContext = IExecuteFunctions | IWebhookFunctions;

/** A parameter of the node for the item (the webhook works on item 0). */
const paramOf =
	(context: AnyContext, itemIndex: number) =>
	(name: string, fallback?: unknown): unknown =>
		context.getNodeParameter(name, itemIndex, fallback);

/** Prompt From; nodes saved before it had Text keep URL (the default they were saved with). */
function promptKind(context: AnyContext, itemIndex: number): PromptKind {
	const kind = context.getNodeParameter('promptSource', itemIndex, 'url') as string;
	return kind === 'binary' || kind === 'text' ? kind : 'url';
}

const nodeVersion = (context: AnyContext): number => context.getNode().typeVersion;

/** Version 3: whether the menu is said after the alert (Additional Fields › Say the Menu). */
function saysMenu(context: AnyContext, itemIndex: number): boolean {
	if (nodeVersion(context) < 3) return false;
	const extra = context.getNodeParameter('additionalFields', itemIndex, {}) as IDataObject;
	return extra.sayMenu !== false;
}

/**
 * The words and voice of a message; undefined for an alert that is not text. The alert's text
 * carries the menu when it is said; the other messages take the alert's voice.
 */
export function messageSpec(
	context: AnyContext,
	which: PageMessage,
	itemIndex: number,
): SpokenPromptSpec | undefined {
	const param = paramOf(context, itemIndex);
	const textAlert = promptKind(context, itemIndex) === 'text';
	const voice: SpokenPromptSpec = textAlert
		? readSpokenPrompt(param)
		: { engine: 'offline', text: '' };
	const menu = (): string => menuSpeech(readPageMenu(nodeVersion(context), param));
	if (which === 'alert') {
		if (!textAlert) return undefined;
		if (!saysMenu(context, itemIndex) || voice.ssml !== undefined) return voice;
		return { ...voice, text: `${voice.text ?? ''} ${menu()}` };
	}
	const { ssml: _ssml, text: _text, ...speaker } = voice;
	if (which === 'menu') return { ...speaker, text: menu() };
	const message = PAGE_MESSAGES[which];
	const extra = context.getNodeParameter('additionalFields', itemIndex, {}) as IDataObject;
	const raw = extra[message.field];
	const text = isUnset(raw) ? message.text : requireText(raw, message.label).trim();
	if (text === '')
		throw new InputProblem(message.label, `is empty. Leave it out for "${message.text}".`);
	return { ...speaker, text };
}

/** The binary field's bytes, checked as a prompt (execute). */
async function readBinaryPrompt(functions: IExecuteFunctions, itemIndex: number) {
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
		kind: 'binary' as const,
		field,
		check: { url: `binary field "${field}"`, checked: true, format, bytes: bytes.length },
	};
}

/**
 * Execute side: every message the page may say rendered (a bad text, voice or key is refused
 * here, before anyone is called), the URL checked as a URL, or the binary field's bytes checked
 * as a prompt. Returns the source and what each spoken message is.
 */
export async function readPromptSource(
	functions: IExecuteFunctions,
	itemIndex: number,
	messages: readonly PageMessage[],
): Promise<{ source: PromptSource; spoken: SpokenPromptSummary[] }> {
	const kind = promptKind(functions, itemIndex);
	const source: PromptSource =
		kind === 'text'
			? { kind }
			: kind === 'url'
				? {
						kind,
						url: readPromptUrl(functions.getNodeParameter('promptUrl', itemIndex), 'Prompt URL'),
					}
				: await readBinaryPrompt(functions, itemIndex);
	const spoken: SpokenPromptSummary[] = [];
	for (const which of messages) {
		const spec = messageSpec(functions, which, itemIndex);
		if (!spec) continue;
		const label = which === 'alert' ? undefined : PAGE_MESSAGES[which as 'wrong']?.label;
		const rendered = await renderSpokenPrompt(functions, spec, label);
		spoken.push({
			engine: rendered.engine,
			voice: rendered.voice,
			language: rendered.language,
			durationSeconds: Math.round(rendered.durationMs / 100) / 10,
			text: spec.text ?? spec.ssml ?? '',
		});
	}
	return { source, spoken };
}

/** The messages version 3 pages say beside the alert, given who is called and how. */
export function pageMessages(options: {
	version: number;
	phones: boolean;
	confirmPresence: boolean;
	atOnce: boolean;
	alertIsText: boolean;
	saysMenu: boolean;
}): PageMessage[] {
	if (options.version < 3) return options.alertIsText ? ['alert'] : [];
	return [
		...(options.alertIsText ? (['alert'] as const) : []),
		...(!options.alertIsText && options.saysMenu ? (['menu'] as const) : []),
		...(options.phones && options.confirmPresence ? (['presence'] as const) : []),
		'wrong' as const,
		...(options.atOnce ? (['taken'] as const) : []),
	];
}

export { saysMenu };

/** The link to one of this execution's messages (the webhook's context knows both IDs). */
function messageLink(
	context: IWebhookFunctions,
	settings: EntraAppSettings,
	which: PageMessage,
): string {
	const resumeUrl = context.evaluateExpression('{{ $execution.resumeUrl }}', 0);
	const nodeId = context.getNode().id;
	const token = linkToken(settings, 'prompt', [context.getExecutionId(), nodeId, which]);
	return promptLinkUrl(String(resumeUrl), nodeId, token, which);
}

/** Webhook side: the prompts one playing of the alert and menu gives Graph. */
export function menuPrompts(
	context: IWebhookFunctions,
	settings: EntraAppSettings,
): Array<Record<string, unknown>> {
	const kind = promptKind(context, 0);
	const alert =
		kind === 'url'
			? readPromptUrl(context.getNodeParameter('promptUrl'), 'Prompt URL')
			: messageLink(context, settings, 'alert');
	const prompts = [mediaPrompt(alert)];
	if (kind !== 'text' && saysMenu(context, 0))
		prompts.push(mediaPrompt(messageLink(context, settings, 'menu')));
	return prompts;
}

/** Webhook side: one of the other messages (or the menu alone), as a prompt. */
export function messagePrompt(
	context: IWebhookFunctions,
	settings: EntraAppSettings,
	which: Exclude<PageMessage, 'alert'>,
): Record<string, unknown> {
	return mediaPrompt(messageLink(context, settings, which));
}

/** The waiting node's binary prompt, as n8n hands the input item to the webhook's expressions. */
async function binaryPromptBytes(context: IWebhookFunctions): Promise<Buffer | undefined> {
	const field = String(context.getNodeParameter('promptBinaryField', 'data')).trim();
	// `$input.item`, not `$binary`: n8n's `$binary` leaves out `data`, where the bytes are when n8n
	// keeps binary data in memory (its default mode); other modes give an `id` to read them by.
	const binary = context.evaluateExpression(
		`{{ $input.item.binary?.[${JSON.stringify(field)}] }}`,
		0,
	) as IBinaryData | undefined;
	if (typeof binary !== 'object' || binary === null) return undefined;
	return typeof binary.id === 'string'
		? await context.helpers.binaryToBuffer(await context.helpers.getBinaryStream(binary.id))
		: Buffer.from(binary.data, 'base64');
}

/**
 * GET on the waiting URL: a message, to whoever holds its link (Graph). Anything else gets 404
 * like an unknown path, and never resumes the execution.
 */
export async function servePrompt(context: IWebhookFunctions): Promise<IWebhookResponseData> {
	const res = context.getResponseObject();
	const notFound = (): IWebhookResponseData => {
		res.status(404).json({ message: 'Not found' });
		return { noWebhookResponse: true };
	};
	const query = context.getQueryData() as IDataObject;
	const which = (query[SAY_PARAMETER] ?? 'alert') as PageMessage;
	if (!MESSAGES.includes(which)) return notFound();
	const settings = readEntraAppSettings(await context.getCredentials(CREDENTIAL_TYPE));
	const expected = linkToken(settings, 'prompt', [
		context.getExecutionId(),
		context.getNode().id,
		which,
	]);
	if (!isLinkToken(query[PROMPT_PARAMETER], expected)) return notFound();
	if (which === 'alert' && promptKind(context, 0) === 'binary') {
		const bytes = await binaryPromptBytes(context);
		if (!bytes) return notFound();
		sendWav(res, bytes);
		return { noWebhookResponse: true };
	}
	let spec: SpokenPromptSpec | undefined;
	try {
		spec = messageSpec(context, which, 0);
	} catch {
		return notFound();
	}
	if (!spec) return notFound();
	let wav: Buffer;
	try {
		wav = (await renderSpokenPrompt(context, spec)).wav;
	} catch {
		// Rendered in execute before anyone was called: failing now is the engine's side
		// (Azure down or throttled); Graph may try again.
		res.setHeader('retry-after', '10');
		res.status(503).json({ message: 'The prompt could not be rendered now.' });
		return { noWebhookResponse: true };
	}
	sendWav(res, wav);
	promptDownloaded(context.getExecutionId(), context.getNode().id, which);
	return { noWebhookResponse: true };
}
