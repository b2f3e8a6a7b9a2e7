/**
 * Form values to the bodies of Graph's media actions (playPrompt, recordResponse,
 * subscribeToTone, sendDtmfTones, cancelMediaProcessing, start/stopHoldMusic), checked before
 * anything is sent. Limits are the ones Graph's reference pages state; each error names the
 * form field.
 */
import { tryParseUrl } from '../../../lib/safeParse';
import { InputProblem, requireText, wrongType } from './inputProblem';
import { MAX_CLIENT_CONTEXT_LENGTH } from './inviteBody';
import { isUnset, readFlag, readNumber } from './optionValues';
import { PROMPT_FORMAT_TEXT } from './wavHeader';

/** playPrompt: "The maximum supported MediaPrompt collection size is 20." */
export const MAX_PLAY_PROMPTS = 20;
/** recordResponse: initialSilenceTimeout, maxSilenceTimeout, maxRecordDuration: 1 to 120 s. */
export const RECORD_SECONDS = { min: 1, max: 120 } as const;
/** Not a Graph limit (none is documented): a bound so that a typo cannot stall a call for hours. */
export const MAX_DTMF_DELAY_MS = 10_000;
/** Keys the form accepts for Send DTMF Tones, and Graph's toneInfo names for them. */
const DTMF_NAMES: Record<string, string> = {
	'0': 'tone0',
	'1': 'tone1',
	'2': 'tone2',
	'3': 'tone3',
	'4': 'tone4',
	'5': 'tone5',
	'6': 'tone6',
	'7': 'tone7',
	'8': 'tone8',
	'9': 'tone9',
	'*': 'star',
	'#': 'pound',
	A: 'a',
	B: 'b',
	C: 'c',
	D: 'd',
};
/** recordResponse's stopTones are key characters (Graph's example: ["#","1","*"]). */
export const STOP_TONE_KEYS = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9', '*', '#'];

export type MediaPromptBody = Record<string, unknown>;

/** An optional prompt URL: undefined when left blank, else read as readPromptUrl reads it. */
export function readOptionalPromptUrl(
	raw: unknown,
	field: string,
	textChoice: string | null = 'Prompt From › Text',
): string | undefined {
	if (isUnset(raw) || (typeof raw === 'string' && raw.trim() === '')) return undefined;
	return readPromptUrl(raw, field, textChoice);
}

/**
 * One prompt URL: https (Graph fetches it itself), no user:password@, a path to the file.
 * `textChoice`: where the form takes typed words instead (e.g. "Prompt From › Text"), named when
 * the field holds words rather than a URL; null where the form has no such choice.
 */
export function readPromptUrl(
	raw: unknown,
	field: string,
	textChoice: string | null = 'Prompt From › Text',
): string {
	const value = requireText(raw, field).trim();
	if (value === '')
		throw new InputProblem(field, 'is empty. Give the https URL of a WAV file Graph can fetch.');
	const url = tryParseUrl(value);
	if (!url || url.protocol !== 'https:') {
		const words = !/^[a-z][a-z0-9+.-]*:\/\//i.test(value);
		const spoken =
			textChoice === null
				? ''
				: words
					? ` To have words spoken, choose ${textChoice} and type them there.`
					: ` Typed words work too: ${textChoice}.`;
		throw new InputProblem(
			field,
			words
				? `"${value.slice(0, 100)}" is not a URL: this field takes the https:// address of a WAV file (${PROMPT_FORMAT_TEXT}) that Graph downloads.${spoken}`
				: `"${value.slice(0, 100)}" is not an https URL. Graph downloads prompts itself and accepts https URLs of ${PROMPT_FORMAT_TEXT} files.${spoken}`,
		);
	}
	if (url.username || url.password) {
		throw new InputProblem(
			field,
			'contains a user name or password. Graph would not use them; give a URL that needs none (for example a pre-signed URL).',
		);
	}
	return url.toString();
}

/** Graph's mediaPrompt with its mediaInfo (resourceId optional: Graph caches the file under it). */
export function mediaPrompt(uri: string, resourceId?: string): MediaPromptBody {
	return {
		'@odata.type': '#microsoft.graph.mediaPrompt',
		mediaInfo: {
			'@odata.type': '#microsoft.graph.mediaInfo',
			uri,
			...(resourceId !== undefined ? { resourceId } : {}),
		},
	};
}

interface PromptEntry {
	url?: unknown;
	resourceId?: unknown;
}

/** The Prompts collection of Play Prompt: 1 to 20 entries, each an https URL. */
export function readPromptList(raw: unknown): Array<{ url: string; resourceId?: string }> {
	const entries = (raw as { prompt?: unknown } | undefined)?.prompt;
	const list: unknown[] = Array.isArray(entries) ? entries : [];
	if (list.length === 0) throw new InputProblem('Prompts', 'add at least one prompt (its URL).');
	if (list.length > MAX_PLAY_PROMPTS) {
		throw new InputProblem(
			'Prompts',
			`has ${list.length} prompts; Graph plays at most ${MAX_PLAY_PROMPTS} per request. Split them over several Play Prompt items.`,
		);
	}
	return list.map((entry, index) => {
		const prompt = (entry ?? {}) as PromptEntry;
		const label = `Prompts › Prompt ${index + 1}`;
		const url = readPromptUrl(prompt.url, `${label} › URL`);
		const resourceId = isUnset(prompt.resourceId)
			? undefined
			: requireText(prompt.resourceId, `${label} › Resource ID`).trim() || undefined;
		if (resourceId !== undefined && resourceId.length > 256)
			throw new InputProblem(`${label} › Resource ID`, 'is longer than 256 characters.');
		return { url, ...(resourceId !== undefined ? { resourceId } : {}) };
	});
}

/** `{ clientContext }` when the Additional Fields give one (Graph: at most 256 characters). */
export function clientContextBody(extra: Record<string, unknown>): Record<string, unknown> {
	const field = 'Additional Fields › Client Context';
	const raw = extra.clientContext;
	if (isUnset(raw)) return {};
	const clientContext = requireText(raw, field);
	if (clientContext.length > MAX_CLIENT_CONTEXT_LENGTH) {
		throw new InputProblem(
			field,
			`is ${clientContext.length} characters long; Graph accepts at most ${MAX_CLIENT_CONTEXT_LENGTH}.`,
		);
	}
	return { clientContext };
}

const RECORD_NUMBERS: Array<[name: string, label: string, graphName: string]> = [
	['maxRecordDurationInSeconds', 'Max Record Duration (Seconds)', 'maxRecordDurationInSeconds'],
	[
		'initialSilenceTimeoutInSeconds',
		'Initial Silence Timeout (Seconds)',
		'initialSilenceTimeoutInSeconds',
	],
	['maxSilenceTimeoutInSeconds', 'Max Silence Timeout (Seconds)', 'maxSilenceTimeoutInSeconds'],
];

/**
 * recordResponse's body: only what the user set (Graph's defaults apply to the rest: no barge-in,
 * beep on, 5 s each), the prompt (at most one) first.
 */
export function buildRecordBody(
	prompt: MediaPromptBody | undefined,
	extra: Record<string, unknown>,
): Record<string, unknown> {
	const body: Record<string, unknown> = {};
	if (prompt !== undefined) body.prompts = [prompt];
	if (!isUnset(extra.bargeInAllowed))
		body.bargeInAllowed = readFlag(extra.bargeInAllowed, 'Additional Fields › Barge In Allowed');
	if (!isUnset(extra.playBeep))
		body.playBeep = readFlag(extra.playBeep, 'Additional Fields › Play Beep');
	for (const [name, label, graphName] of RECORD_NUMBERS) {
		if (isUnset(extra[name])) continue;
		body[graphName] = readNumber(extra[name], {
			field: `Additional Fields › ${label}`,
			default: 5,
			...RECORD_SECONDS,
			whole: true,
		});
	}
	if (!isUnset(extra.stopTones)) body.stopTones = readStopTones(extra.stopTones);
	return { ...body, ...clientContextBody(extra) };
}

function readStopTones(raw: unknown): string[] {
	const field = 'Additional Fields › Stop Tones';
	const list = Array.isArray(raw) ? raw : typeof raw === 'string' ? raw.split('') : undefined;
	if (!list) throw wrongType(field, 'a list of keys (0-9, * or #)', raw);
	const tones = list
		.map((tone) => String(tone).trim())
		.filter((tone) => tone !== '' && tone !== ',');
	const bad = tones.find((tone) => !STOP_TONE_KEYS.includes(tone));
	if (bad !== undefined)
		throw new InputProblem(field, `"${bad}" is not a phone key; use 0-9, * or #.`);
	return [...new Set(tones)];
}

/** Send DTMF Tones: keys as typed ("1234#") to Graph's tone names, and the optional delay. */
export function buildDtmfBody(
	rawTones: unknown,
	extra: Record<string, unknown>,
): Record<string, unknown> {
	const text = requireText(rawTones, 'Tones').replace(/[\s,-]/g, '');
	if (text === '') throw new InputProblem('Tones', 'is empty. Give the keys to press, e.g. 1234#.');
	const tones = [...text].map((key) => {
		const name = DTMF_NAMES[key.toUpperCase()];
		if (!name)
			throw new InputProblem('Tones', `"${key}" is not a phone key; use 0-9, *, # or A-D.`);
		return name;
	});
	const body: Record<string, unknown> = { tones };
	if (!isUnset(extra.delayBetweenTonesMs)) {
		body.delayBetweenTonesMs = readNumber(extra.delayBetweenTonesMs, {
			field: 'Additional Fields › Delay Between Tones (Ms)',
			default: 0,
			min: 0,
			max: MAX_DTMF_DELAY_MS,
			whole: true,
		});
	}
	return { ...body, ...clientContextBody(extra) };
}
