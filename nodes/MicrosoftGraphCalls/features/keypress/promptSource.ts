/**
 * Where Call and Wait for Keypress gets its prompt (Prompt From): a URL Graph downloads, or a
 * binary field of the input item that this node's waiting webhook serves to Graph at a link only
 * the credential can make (linkTokens.ts). Read in execute (checked before anyone is called) and
 * again in the webhook (to play it, and to serve it).
 */
import type {
	IBinaryData,
	IDataObject,
	IExecuteFunctions,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';

import { CREDENTIAL_TYPE } from '../../../../lib/entra/credentialType';
import { readEntraAppSettings, type EntraAppSettings } from '../../../../lib/entra/settings';
import { InputProblem, requireText } from '../../helpers/inputProblem';
import { readPromptUrl } from '../../helpers/mediaBodies';
import { PROMPT_LIMITS } from '../../limits';
import { describePromptBytes, type PromptCheck } from '../media/promptCheck';
import { isLinkToken, linkToken } from './linkTokens';
import { PROMPT_PARAMETER, promptLinkUrl } from './waitingUrls';

const BINARY_FIELD = 'Input Binary Field';

export type PromptSource =
	{ kind: 'url'; url: string } | { kind: 'binary'; field: string; check: PromptCheck };

const wantsBinary = (context: IExecuteFunctions | IWebhookFunctions, itemIndex: number): boolean =>
	(context.getNodeParameter('promptSource', itemIndex, 'url') as string) === 'binary';

/** Execute side: the URL checked as a URL, or the binary field's bytes checked as a prompt. */
export async function readPromptSource(
	functions: IExecuteFunctions,
	itemIndex: number,
): Promise<PromptSource> {
	if (!wantsBinary(functions, itemIndex))
		return {
			kind: 'url',
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
	return wantsBinary(context, 0)
		? promptLink(context, settings)
		: readPromptUrl(context.getNodeParameter('promptUrl'), 'Prompt URL');
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
	if (!wantsBinary(context, 0)) return notFound();
	const settings = readEntraAppSettings(await context.getCredentials(CREDENTIAL_TYPE));
	const expected = linkToken(settings, 'prompt', [context.getExecutionId(), context.getNode().id]);
	const query = context.getQueryData() as IDataObject;
	if (!isLinkToken(query[PROMPT_PARAMETER], expected)) return notFound();
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
	res.status(200);
	res.setHeader('content-type', 'audio/wav');
	res.setHeader('content-length', String(bytes.length));
	res.setHeader('cache-control', 'no-store');
	res.end(bytes);
	return { noWebhookResponse: true };
}
