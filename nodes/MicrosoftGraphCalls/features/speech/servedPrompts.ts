/**
 * Typed prompts of operations no execution waits on (Play Prompt, Record Response, hold music,
 * Answer's pre-fetched media): rendered now (so a bad text, voice or key is refused before Graph
 * is asked), and given to Graph as a signed link on the Microsoft Graph Calls Trigger that
 * receives the call's notifications (lib/speech/promptLinks.ts). That trigger serves the audio
 * when Graph downloads it (nodes/MicrosoftGraphCallsTrigger/servePrompt.ts).
 *
 * Where the trigger is: Additional Fields › Prompt Server URL, else the call's own callbackUri
 * (what the README has users set: the trigger's Production URL), read once per call and execution.
 */
import type { IDataObject, INodeProperties } from 'n8n-workflow';

import { linkToken } from '../../../../lib/entra/linkTokens';
import { isJsonObject } from '../../../../lib/jsonObject';
import { speechLink, type SpokenPromptSpec } from '../../../../lib/speech/promptLinks';
import { tryParseUrl } from '../../../../lib/safeParse';
import { ACTIONS } from '../../engine/actionProfiles';
import type { OperationContext } from '../../engine/operation';
import { callPath } from '../../helpers/graphPaths';
import { InputProblem } from '../../helpers/inputProblem';
import { mediaPrompt } from '../../helpers/mediaBodies';
import type { RequestSettings } from '../../transport/types';
import {
	asInputProblem,
	readSpokenPrompt,
	renderSpokenPrompt,
	SPEECH_LABELS,
} from './spokenPrompt';

export const PROMPT_SERVER_FIELD = 'Additional Fields › Prompt Server URL';
/** Shown in a dry run's links when the server would have been read from the call. */
const DRY_RUN_SERVER = 'https://the-calls-callback-url.invalid/';

export const promptServerUrlField: INodeProperties = {
	displayName: 'Prompt Server URL',
	name: 'promptServerUrl',
	type: 'string',
	default: '',
	placeholder: 'e.g. https://n8n.contoso.com/webhook/3f2a…/notifications',
	description:
		"Where Graph downloads typed prompts: the Production URL of the Microsoft Graph Calls Trigger (same credential) that receives this call's notifications. Empty: the call's callback URL, read from Graph.",
};

function httpsUrl(raw: string, field: string): string {
	const url = tryParseUrl(raw);
	if (!url || url.protocol !== 'https:')
		throw new InputProblem(
			field,
			`"${raw.slice(0, 80)}" is not an https URL. Give the Production URL of the Microsoft Graph Calls Trigger that receives the call's notifications (Graph downloads prompts only over https).`,
		);
	return url.toString();
}

/** The trigger URL typed prompts are served from (see the top of this file). */
async function promptServer(
	context: OperationContext,
	callId: string,
	explicit: unknown,
	request: RequestSettings,
	itemIndex: number,
): Promise<string> {
	if (typeof explicit === 'string' && explicit.trim() !== '')
		return httpsUrl(explicit.trim(), PROMPT_SERVER_FIELD);
	if (request.dryRun) return DRY_RUN_SERVER;
	const call = await context.once(`callbackUri:${callId}`, async () => {
		const result = await context.transport.request(
			{ method: 'GET', path: callPath(callId) },
			request,
			ACTIONS.getCall,
			itemIndex,
		);
		return result.json;
	});
	const callbackUri = isJsonObject(call) ? call.callbackUri : undefined;
	if (typeof callbackUri !== 'string' || callbackUri === '')
		throw new InputProblem(
			PROMPT_SERVER_FIELD,
			"is empty and Graph shows no callback URL for the call, so there is nowhere to serve the typed prompt from. Give the Production URL of the Microsoft Graph Calls Trigger that receives the call's notifications.",
		);
	return httpsUrl(callbackUri, `${PROMPT_SERVER_FIELD} (empty: the call's callback URL)`);
}

/** What the item reports about a typed prompt. */
export interface SpokenPromptReport extends IDataObject {
	engine: string;
	voice: string;
	language: string;
	durationSeconds: number;
	resourceId: string;
	servedBy: string;
}

/**
 * The mediaPrompt Graph gets for a typed prompt of `callId`, and what the item reports of it.
 * `label`: the form's name of the field holding the words.
 */
export async function servedSpokenPrompt(
	context: OperationContext,
	input: {
		callId: string;
		spec: SpokenPromptSpec;
		promptServerUrl: unknown;
		request: RequestSettings;
		itemIndex: number;
		label?: string;
	},
): Promise<{ prompt: Record<string, unknown>; report: SpokenPromptReport }> {
	const label = input.label ?? SPEECH_LABELS.text;
	const rendered = await renderSpokenPrompt(context.functions, input.spec, label);
	const server = await promptServer(
		context,
		input.callId,
		input.promptServerUrl,
		input.request,
		input.itemIndex,
	);
	let link: string;
	try {
		link = speechLink(
			server,
			input.spec,
			(payload) => linkToken(context.settings, 'speech', [payload]),
			label,
		);
	} catch (error) {
		throw asInputProblem(error, label);
	}
	return {
		prompt: mediaPrompt(link, rendered.resourceId),
		report: {
			engine: rendered.engine,
			voice: rendered.voice,
			language: rendered.language,
			durationSeconds: Math.round(rendered.durationMs / 100) / 10,
			resourceId: rendered.resourceId,
			servedBy: new URL(server).origin,
		},
	};
}

/**
 * The prefetch entries of typed prompts: each rendered now (refused with the entry's name when
 * bad) and given as mediaInfo at a signed link on the trigger. Their resourceId is the one a typed
 * Play Prompt of the same words, voice and engine gives, so Graph plays that from its cache.
 */
export async function servedPrefetchPrompts(
	context: OperationContext,
	input: {
		callId: string;
		entries: unknown;
		promptServerUrl: unknown;
		request: RequestSettings;
		itemIndex: number;
		field: string;
	},
): Promise<Array<Record<string, unknown>>> {
	const list = Array.isArray(input.entries)
		? input.entries
		: input.entries === undefined || input.entries === null || input.entries === ''
			? []
			: [input.entries];
	const served: Array<Record<string, unknown>> = [];
	for (const [index, entry] of list.entries()) {
		const label = `${input.field} › Typed Prompt ${index + 1}`;
		const values = isJsonObject(entry) ? entry : {};
		const read = (name: string, fallback?: unknown): unknown =>
			name === 'promptText' ? values.text : (values[name] ?? fallback);
		const spec = readSpokenPrompt(read, 'promptText', `${label} › Text`);
		const { prompt } = await servedSpokenPrompt(context, {
			callId: input.callId,
			spec,
			promptServerUrl: input.promptServerUrl,
			request: input.request,
			itemIndex: input.itemIndex,
			label: `${label} › Text`,
		});
		// As Graph's answer example lists prefetched media: uri and resourceId, no type.
		const { uri, resourceId } = (prompt as { mediaInfo: Record<string, unknown> }).mediaInfo;
		served.push({ uri, resourceId });
	}
	return served;
}
