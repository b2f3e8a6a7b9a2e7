/**
 * Service-hosted media: playPrompt, recordResponse, subscribeToTone, sendDtmfTones,
 * cancelMediaProcessing, participants/{id}/startHoldMusic and stopHoldMusic, with the rules of
 * Graph's reference pages (facts and sources: ../shared/reference/graph-calling-next.md):
 *
 * - The answer is the operation. `completed` (subscribeToTone, cancelMediaProcessing) gets no
 *   completion notification; `running` ones end with a `deleted` notification on the callback
 *   URL whose resourceUrl names call and operation in upper case without dashes, as Graph's
 *   examples do (hold music: without the leading slash, as its examples do).
 * - playPrompt and recordResponse are queued per call and run in order; cancelMediaProcessing
 *   fails the running and the queued ones (400/8508; a recording with completionReason
 *   operationCanceled, as call-cancelmediaprocessing.md shows). Tone subscriptions stay.
 * - completionReason only where the type's examples write one (OPERATION_STYLES): v1.0's
 *   playPromptOperation has none, and a recording that reached its maximum duration is shown
 *   without one (call-record.md).
 * - Prompts are fetched from their URL when their turn comes (127.0.0.1 only: no other host is
 *   ever contacted, so any other URL fails as an unreachable file would) and their RIFF/WAVE
 *   header is checked: PCM, mono, 16-bit, 16 kHz. A failure ends the operation `failed`.
 *   Subcodes for these two failures are not in Graph's docs; 8536 ("file could not be
 *   downloaded") is what the same media platform reports in Azure Communication Services
 *   (Azure-Samples/communication-services-dotnet-quickstarts issue #171); 8535 is assumed.
 * - Tones: after subscribeToTone, each key pressed (scripted with `pressKeys`, or
 *   `knobs.tonesAfterSubscribe`) arrives as a call `updated` notification with toneInfo
 *   {sequenceId, tone}. A key in a running recording's stopTones ends it (stopToneDetected).
 * - Recordings are served at `recordingLocation` to `Authorization: Bearer
 *   <recordingAccessToken>` only, and are gone once the call has ended ("discarded shortly after
 *   the call ends").
 * - recordResponse and subscribeToTone need Calls.AccessMedia.All; the others are permitted by
 *   the roles checked when the call was created or joined (no check here); hold music: only one
 *   participant on hold at a time (the error code for a second one is not documented: 400 here).
 */
import { randomBytes } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';

import type { CallbackCenter } from './callNotifications';
import { forbidden, isGraphResult, ownedCall, type GraphCallScope } from './callsApi';
import { GRAPH_ROLES, MAX_CLIENT_CONTEXT_LENGTH } from './constants';
import type { SimulatorContext } from './context';
import { graphError, methodNotAllowedError, type GraphResult } from './graphErrors';
import { newId } from './ids';
import { isJsonObject, parseJson, type JsonObject, type JsonValue } from './json';
import type { PhoneCenter } from './phones';
import type { Registry } from './registry';
import { fileResponse, type SimResponse } from './responses';
import type { SimulatedCall } from './types';
import { upperCaseId } from './notificationStyles';
import { makeWav, promptFileProblem, wavDurationMs } from './wav';

export const MEDIA_PREFIX = '/_media/';
export const RECORDINGS_PREFIX = '/_recordings/';
const MAX_PROMPT_BYTES = 5 * 1024 * 1024;

/** Graph's toneInfo names (the newer enum, with a-d and flash). */
export const TONE_NAMES = [
	...Array.from({ length: 10 }, (_, i) => `tone${i}`),
	'star',
	'pound',
	'a',
	'b',
	'c',
	'd',
	'flash',
];
const TONE_KEY: Record<string, string> = { star: '*', pound: '#' };
const keyOf = (tone: string): string => TONE_KEY[tone] ?? tone.replace(/^tone/, '');

export interface KeyPress {
	/** Graph's name: tone0-tone9, star, pound, a-d, flash. */
	tone: string;
	/** After the previous key (or the start of the script). */
	afterMs: number;
}

/** One prompt Graph (the simulator) downloaded. */
export interface PromptDownload {
	uri: string;
	/** host:port it came from (n8n's, for prompts n8n serves). */
	host: string;
	at: number;
	/** Size of the file, when one came. */
	bytes?: number;
	/** How long it plays, when it is a WAV Graph can play. */
	durationMs?: number;
	/** Why Graph could not play it (HTTP status, not a WAV, wrong format). */
	problem?: string;
}

export interface MediaKnobs {
	/** How long a fetched prompt "plays". */
	promptPlayMs: number;
	/** How long a recording runs when nothing ends it earlier (stands for maxRecordDuration). */
	recordMs: number;
	/** Per tone sent by sendDtmfTones (plus delayBetweenTonesMs). */
	dtmfToneMs: number;
	/** Keys the far side presses after every subscribeToTone, timed from the subscription. */
	tonesAfterSubscribe: KeyPress[];
	/**
	 * A prompt plays as long as its WAV lasts (the softphone's mode: what the person hears takes
	 * its real time), instead of promptPlayMs; a recording then lasts its prompt and its initial
	 * silence, instead of recordMs. Default false.
	 */
	promptsPlayTheirLength: boolean;
}

/** call-record.md: initialSilenceTimeoutInSeconds defaults to 5. */
const DEFAULT_INITIAL_SILENCE_SECONDS = 5;

function defaultKnobs(): MediaKnobs {
	return {
		promptPlayMs: 20,
		recordMs: 60,
		dtmfToneMs: 5,
		tonesAfterSubscribe: [],
		promptsPlayTheirLength: false,
	};
}

interface QueuedMedia {
	id: string;
	kind: 'play' | 'record';
	odataType: string;
	call: SimulatedCall;
	clientContext: string | null;
	prompts: string[];
	stopTones: string[];
	/** A recording's initialSilenceTimeoutInSeconds (Graph's default: 5). */
	initialSilenceSeconds?: number;
	/** Set while it runs: ends it early (stop tone, cancel). */
	finish?: (outcome: MediaOutcome) => void;
	/** Cancelled: its result was already notified and the queue cleared. */
	canceled?: boolean;
}

interface MediaOutcome {
	status: 'completed' | 'failed';
	/** Absent where Graph's example of the completion shows none (sendDtmfTones, hold music). */
	resultInfo?: JsonObject;
	completionReason?: string;
}

const result = (code: number, subcode: number, message: string): JsonObject => ({
	'@odata.type': '#microsoft.graph.resultInfo',
	code,
	subcode,
	message,
});
const CANCELED: MediaOutcome = {
	status: 'failed',
	resultInfo: result(400, 8508, 'Action failed, the operation was cancelled.'),
	completionReason: 'operationCanceled',
};
const DOWNLOAD_FAILED = (why: string): MediaOutcome => ({
	status: 'failed',
	resultInfo: result(400, 8536, `Action failed, file could not be downloaded (${why}).`),
	completionReason: 'playPromptFailed',
});
const FORMAT_INVALID = (why: string): MediaOutcome => ({
	status: 'failed',
	resultInfo: result(400, 8535, `Action failed, file format is invalid (${why}).`),
	completionReason: 'playPromptFailed',
});

/** A key pressed in a call, as Graph notifies it: a call update carrying toneInfo. */
export function toneNotification(callId: string, tone: string, sequenceId: number): JsonObject {
	return {
		'@odata.type': '#microsoft.graph.commsNotification',
		changeType: 'updated',
		resourceUrl: `/communications/calls/${callId}`,
		resourceData: {
			'@odata.type': '#microsoft.graph.call',
			state: 'established',
			toneInfo: { '@odata.type': '#microsoft.graph.toneInfo', sequenceId, tone },
		},
	};
}

/** Graph's notification style for IDs: "57DAB8B1894C409AB240BD8BEAE78896". */
export const notificationId = upperCaseId;

/** How Graph's example of each operation's completion writes it. */
interface OperationStyle {
	upperCaseIds: boolean;
	leadingSlash: boolean;
	odataIdAndEtag: boolean;
	idInData: boolean;
	/**
	 * The completionReason values sent for this type: those its examples show (v1.0's
	 * playPromptOperation has no completionReason at all), and for recordings the two the node
	 * reads although no example shows them (beta's recordCompletionReason lists them).
	 */
	completionReasons: readonly string[];
}

const OPERATION_STYLES: Record<string, OperationStyle> = {
	// call-playprompt.md: upper-case IDs, @odata.id and @odata.etag, no id.
	'#microsoft.graph.playPromptOperation': {
		upperCaseIds: true,
		leadingSlash: true,
		odataIdAndEtag: true,
		idInData: false,
		completionReasons: [],
	},
	// call-record.md, call-cancelmediaprocessing.md: the same, with the operation's GUID as id.
	'#microsoft.graph.recordOperation': {
		upperCaseIds: true,
		leadingSlash: true,
		odataIdAndEtag: true,
		idInData: true,
		completionReasons: ['operationCanceled', 'stopToneDetected', 'playPromptFailed'],
	},
	// call-senddtmftones.md: GUIDs as sent, id, no @odata.id.
	'#microsoft.graph.sendDtmfTonesOperation': {
		upperCaseIds: false,
		leadingSlash: true,
		odataIdAndEtag: false,
		idInData: true,
		completionReasons: ['completedSuccessfully', 'mediaOperationCanceled', 'unknown'],
	},
	// participant-startholdmusic.md, participant-stopholdmusic.md: no leading slash, GUIDs as sent.
	'#microsoft.graph.startHoldMusicOperation': {
		upperCaseIds: false,
		leadingSlash: false,
		odataIdAndEtag: true,
		idInData: false,
		completionReasons: [],
	},
	'#microsoft.graph.stopHoldMusicOperation': {
		upperCaseIds: false,
		leadingSlash: false,
		odataIdAndEtag: true,
		idInData: false,
		completionReasons: [],
	},
	default: {
		upperCaseIds: true,
		leadingSlash: true,
		odataIdAndEtag: true,
		idInData: true,
		completionReasons: [],
	},
};
const sameId = (a: string, b: string): boolean => a.toLowerCase() === b.toLowerCase();
const is = (segment: string | undefined, ...names: string[]): boolean =>
	segment !== undefined &&
	names.some((name) => [name, `microsoft.graph.${name}`].includes(segment.toLowerCase()));

export class MediaCenter {
	readonly knobs: MediaKnobs = defaultKnobs();
	/** Files served at `${origin}/_media/<name>` for tests (prompts). */
	readonly hosted = new Map<string, { body: Buffer; contentType: string }>();
	/** Every prompt URL the simulator tried to fetch, in order (live array). */
	readonly fetched: string[] = [];
	/**
	 * Every prompt download as Graph would make it (live array): where from, what came back, and
	 * how long the audio plays: what a test checks of a prompt n8n served.
	 */
	readonly downloads: PromptDownload[] = [];
	/** The people's phones (phones.ts): told what each call plays; set by the simulator. */
	phones?: PhoneCenter;
	private readonly recordings = new Map<string, { token: string; body: Buffer; callId: string }>();
	private readonly subscribed = new Set<string>();
	private readonly sequences = new Map<string, number>();
	private readonly queues = new Map<string, QueuedMedia[]>();
	private readonly held = new Map<string, string>();
	private readonly timers = new Set<ReturnType<typeof setTimeout>>();
	private closed = false;
	/** The `@odata.etag` counter of operation notifications (W/"54451" in Graph's examples). */
	private etag = 54450;

	constructor(
		private readonly origin: string,
		private readonly caCertPem: string,
		private readonly callbacks: CallbackCenter | undefined,
		private readonly registry: Registry,
	) {}

	/** Serves `body` at a URL of the simulator (trusted like it); returns the URL. */
	host(name: string, body: Buffer, contentType = 'audio/wav'): string {
		this.hosted.set(name, { body, contentType });
		return `${this.origin}${MEDIA_PREFIX}${encodeURIComponent(name)}`;
	}

	/** The far side presses these keys, each `afterMs` after the previous one. */
	pressKeys(callId: string, keys: KeyPress[]): void {
		let at = 0;
		for (const key of keys) {
			at += key.afterMs;
			this.later(at, () => this.keyPressed(callId, key.tone));
		}
	}

	/** Whether subscribeToTone was called for the call. */
	isSubscribed(callId: string): boolean {
		return this.subscribed.has(callId.toLowerCase());
	}

	/** The participant on hold in the call, if any. */
	heldParticipant(callId: string): string | undefined {
		return this.held.get(callId.toLowerCase());
	}

	reset(): void {
		Object.assign(this.knobs, defaultKnobs());
		for (const timer of this.timers) clearTimeout(timer);
		this.timers.clear();
		this.fetched.length = 0;
		this.downloads.length = 0;
		this.subscribed.clear();
		this.sequences.clear();
		this.queues.clear();
		this.held.clear();
		this.recordings.clear();
	}

	close(): void {
		this.closed = true;
		for (const timer of this.timers) clearTimeout(timer);
		this.timers.clear();
	}

	private later(ms: number, action: () => void): void {
		if (this.closed) return;
		const timer = setTimeout(() => {
			this.timers.delete(timer);
			if (!this.closed) action();
		}, ms);
		this.timers.add(timer);
	}

	// ---- files: prompts for tests, recordings for clients ---------------------------------

	/** GET/HEAD of a hosted file or a recording; undefined for any other path. */
	serve(
		method: string,
		pathname: string,
		headers: Record<string, string>,
	): SimResponse | undefined {
		if (pathname.startsWith(MEDIA_PREFIX)) {
			const file = this.hosted.get(decodeURIComponent(pathname.slice(MEDIA_PREFIX.length)));
			if (!file)
				return { status: 404, headers: { 'content-type': 'text/plain' }, body: 'no such file' };
			return fileResponse(method, file.body, file.contentType, headers.range);
		}
		if (pathname.startsWith(RECORDINGS_PREFIX)) {
			const recording = this.recordings.get(pathname.slice(RECORDINGS_PREFIX.length));
			// "The recording is discarded shortly after the call ends": here, as soon as it ends.
			if (!recording || this.callOf(recording.callId)?.state !== 'established')
				return { status: 404, headers: {} };
			if (headers.authorization !== `Bearer ${recording.token}`)
				return { status: 401, headers: { 'www-authenticate': 'Bearer' } };
			return {
				status: 200,
				headers: { 'content-type': 'application/octet-stream' },
				body: recording.body,
			};
		}
		return undefined;
	}

	/**
	 * Answer's preFetchMedia: Graph loads the listed media when the call is answered (so a later
	 * playPrompt starts at once). Downloaded in the background and recorded like every prompt;
	 * a failed download changes nothing for the answer (Graph documents no failure for it; ours).
	 */
	prefetch(media: unknown): void {
		if (!Array.isArray(media)) return;
		for (const entry of media) {
			const uri = isJsonObject(entry) ? entry.uri : undefined;
			if (typeof uri === 'string') void this.fetchPrompt(uri);
		}
	}

	/** Fetches a prompt as Graph would (from 127.0.0.1 only) and checks its header: the file, or the failure. */
	private async fetchPrompt(uri: string): Promise<MediaOutcome | Buffer> {
		this.fetched.push(uri);
		let url: URL;
		try {
			url = new URL(uri);
		} catch {
			return DOWNLOAD_FAILED('not a URL');
		}
		if (url.hostname !== '127.0.0.1' || (url.protocol !== 'https:' && url.protocol !== 'http:'))
			return DOWNLOAD_FAILED(`${url.hostname} is not reachable from the simulator`);
		const file = await new Promise<Buffer | string>((resolve) => {
			const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
			const req = send(
				url,
				{
					method: 'GET',
					timeout: 5000,
					...(url.protocol === 'https:' ? { ca: [this.caCertPem] } : {}),
				},
				(res) => {
					if (res.statusCode !== 200) {
						res.resume();
						resolve(`HTTP ${res.statusCode}`);
						return;
					}
					const chunks: Buffer[] = [];
					let size = 0;
					res.on('data', (chunk: Buffer) => {
						size += chunk.length;
						if (size > MAX_PROMPT_BYTES) req.destroy(new Error('file too large'));
						else chunks.push(chunk);
					});
					res.on('end', () => resolve(Buffer.concat(chunks)));
					res.on('error', (error) => resolve(error.message));
				},
			);
			req.on('timeout', () => req.destroy(new Error('timed out')));
			req.on('error', (error) => resolve(error.message));
			req.end();
		});
		const download: PromptDownload = { uri, host: url.host, at: Date.now() };
		this.downloads.push(download);
		if (typeof file === 'string') {
			download.problem = file;
			return DOWNLOAD_FAILED(file);
		}
		download.bytes = file.length;
		const problem = promptFileProblem(file);
		if (problem) {
			download.problem = problem;
			return FORMAT_INVALID(problem);
		}
		download.durationMs = wavDurationMs(file);
		return file;
	}

	// ---- Graph routes ---------------------------------------------------------------------

	/** The media actions; undefined hands the request on to the other routes. */
	route(
		ctx: SimulatorContext,
		scope: GraphCallScope,
		method: string,
		segments: string[],
		text: string,
	): GraphResult | undefined {
		const [root, collection, callId, sub, participantId, action, ...rest] = segments;
		if (!is(root, 'communications') || !is(collection, 'calls') || callId === undefined)
			return undefined;
		if (rest.length > 0) return undefined;
		const callAction = participantId === undefined ? sub : undefined;
		const holdAction = is(sub, 'participants') && participantId !== undefined ? action : undefined;
		const known =
			[
				'playPrompt',
				'recordResponse',
				'subscribeToTone',
				'sendDtmfTones',
				'cancelMediaProcessing',
			].find((name) => is(callAction, name.toLowerCase())) ??
			['startHoldMusic', 'stopHoldMusic'].find((name) => is(holdAction, name.toLowerCase()));
		if (!known) return undefined;
		if (method !== 'POST') return methodNotAllowedError({ allow: 'POST' });
		// recordResponse and subscribeToTone name Calls.AccessMedia.All; the others check nothing
		// of their own: "Permissions are checked when the call is created" (playPrompt,
		// sendDtmfTones, cancelMediaProcessing), "when the application joins or tries to start the
		// call" (hold music).
		const accessMediaOnly = known === 'recordResponse' || known === 'subscribeToTone';
		if (accessMediaOnly && !scope.claims.roles.includes(GRAPH_ROLES.accessMediaRole))
			return forbidden();
		const body = readBody(text);
		if (typeof body === 'string') return graphError(400, 'BadRequest', body);
		const clientContext = body.clientContext;
		if (clientContext !== undefined && clientContext !== null && typeof clientContext !== 'string')
			return graphError(400, 'BadRequest', 'clientContext must be a string.');
		if (typeof clientContext === 'string' && clientContext.length > MAX_CLIENT_CONTEXT_LENGTH)
			return graphError(
				400,
				'BadRequest',
				`clientContext cannot be longer than ${MAX_CLIENT_CONTEXT_LENGTH} characters.`,
			);
		const call = ownedCall(ctx, scope.claims, callId);
		if (isGraphResult(call)) return call;
		const context = typeof clientContext === 'string' ? clientContext : null;
		const needsServiceHosted =
			known === 'playPrompt' || known === 'recordResponse' || known === 'subscribeToTone';
		if (needsServiceHosted && isAppHosted(call))
			return graphError(
				400,
				'BadRequest',
				`${known} is supported only for calls that are initiated with serviceHostedMediaConfig.`,
			);
		switch (known) {
			case 'playPrompt':
				return this.playPrompt(ctx, scope, call, body, context);
			case 'recordResponse':
				return this.recordResponse(ctx, scope, call, body, context);
			case 'subscribeToTone':
				return this.subscribeToTone(ctx, scope, call, context);
			case 'sendDtmfTones':
				return this.sendDtmfTones(ctx, scope, call, body, context);
			case 'cancelMediaProcessing':
				return this.cancel(ctx, scope, call, context);
			default:
				return this.holdMusic(
					ctx,
					scope,
					call,
					participantId ?? '',
					known === 'startHoldMusic',
					body,
					context,
				);
		}
	}

	/**
	 * An operation as Graph answers it: the operation alone (no `@odata.context` in these pages'
	 * examples), with the Location header of the operation.
	 */
	private operationAnswer(
		ctx: SimulatorContext,
		scope: GraphCallScope,
		call: SimulatedCall,
		id: string,
		type: string,
		fields: JsonObject,
		status = 200,
	): GraphResult {
		return {
			status,
			headers: {
				location: `${ctx.origin}/${scope.apiVersion}/communications/calls/${call.id}/operations/${id}`,
			},
			body: { '@odata.type': `#microsoft.graph.${type}`, id, ...fields },
		};
	}

	private playPrompt(
		ctx: SimulatorContext,
		scope: GraphCallScope,
		call: SimulatedCall,
		body: JsonObject,
		clientContext: string | null,
	): GraphResult {
		const prompts = readPrompts(body.prompts, 20);
		if (typeof prompts === 'string') return graphError(400, 'BadRequest', prompts);
		const id = newId();
		this.enqueue({
			id,
			kind: 'play',
			odataType: '#microsoft.graph.playPromptOperation',
			call,
			clientContext,
			prompts,
			stopTones: [],
		});
		// call-playprompt.md's answer: id, status, clientContext.
		return this.operationAnswer(ctx, scope, call, id, 'playPromptOperation', {
			status: 'running',
			clientContext,
		});
	}

	private recordResponse(
		ctx: SimulatorContext,
		scope: GraphCallScope,
		call: SimulatedCall,
		body: JsonObject,
		clientContext: string | null,
	): GraphResult {
		const prompts = body.prompts === undefined ? [] : readPrompts(body.prompts, 1);
		if (typeof prompts === 'string') return graphError(400, 'BadRequest', prompts);
		for (const name of [
			'initialSilenceTimeoutInSeconds',
			'maxSilenceTimeoutInSeconds',
			'maxRecordDurationInSeconds',
		]) {
			const value = body[name];
			if (value === undefined) continue;
			if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > 120)
				return graphError(400, 'BadRequest', `${name} must be an integer from 1 to 120.`);
		}
		for (const name of ['bargeInAllowed', 'playBeep']) {
			if (body[name] !== undefined && typeof body[name] !== 'boolean')
				return graphError(400, 'BadRequest', `${name} must be a boolean.`);
		}
		const stopTones = body.stopTones ?? [];
		if (
			!Array.isArray(stopTones) ||
			stopTones.some((tone) => typeof tone !== 'string' || !/^[0-9*#]$/.test(tone))
		)
			return graphError(
				400,
				'BadRequest',
				'stopTones must be a collection of DTMF characters such as "#", "1" or "*".',
			);
		const id = newId();
		this.enqueue({
			id,
			kind: 'record',
			odataType: '#microsoft.graph.recordOperation',
			call,
			clientContext,
			prompts,
			stopTones: stopTones as string[],
			initialSilenceSeconds:
				typeof body.initialSilenceTimeoutInSeconds === 'number'
					? body.initialSilenceTimeoutInSeconds
					: DEFAULT_INITIAL_SILENCE_SECONDS,
		});
		// call-record.md's answer.
		return this.operationAnswer(ctx, scope, call, id, 'recordOperation', {
			status: 'running',
			resultInfo: null,
			recordingLocation: null,
			clientContext,
		});
	}

	private subscribeToTone(
		ctx: SimulatorContext,
		scope: GraphCallScope,
		call: SimulatedCall,
		clientContext: string | null,
	): GraphResult {
		this.subscribed.add(call.id.toLowerCase());
		if (this.knobs.tonesAfterSubscribe.length > 0)
			this.pressKeys(call.id, this.knobs.tonesAfterSubscribe);
		// Already completed in Graph's example: no completion notification follows.
		return this.operationAnswer(ctx, scope, call, newId(), 'subscribeToToneOperation', {
			status: 'completed',
			clientContext,
		});
	}

	private sendDtmfTones(
		ctx: SimulatorContext,
		scope: GraphCallScope,
		call: SimulatedCall,
		body: JsonObject,
		clientContext: string | null,
	): GraphResult {
		const tones = body.tones;
		if (!Array.isArray(tones) || tones.length === 0)
			return graphError(400, 'BadRequest', 'tones must be a non-empty collection.');
		const bad = tones.find((tone) => typeof tone !== 'string' || !TONE_NAMES.includes(tone));
		if (bad !== undefined)
			return graphError(400, 'BadRequest', `'${String(bad)}' is not a valid tone.`);
		const delay = body.delayBetweenTonesMs;
		if (delay !== undefined && (typeof delay !== 'number' || !Number.isInteger(delay) || delay < 0))
			return graphError(400, 'BadRequest', 'delayBetweenTonesMs must be a non-negative integer.');
		const id = newId();
		const duration =
			tones.length * this.knobs.dtmfToneMs +
			(tones.length - 1) * (typeof delay === 'number' ? delay : 0);
		this.later(duration, () => {
			if (call.state === 'terminated') return;
			// Graph's example: status completed, success or not; completionReason tells.
			this.notifyOperation(call, id, '#microsoft.graph.sendDtmfTonesOperation', clientContext, {
				status: 'completed',
				completionReason: 'completedSuccessfully',
			});
		});
		return this.operationAnswer(ctx, scope, call, id, 'sendDtmfTonesOperation', {
			status: 'running',
			clientContext,
		});
	}

	private cancel(
		ctx: SimulatorContext,
		scope: GraphCallScope,
		call: SimulatedCall,
		clientContext: string | null,
	): GraphResult {
		const queue = this.queues.get(call.id.toLowerCase()) ?? [];
		this.queues.delete(call.id.toLowerCase());
		// In queue order: the running one first, then the queued ones.
		for (const entry of queue) {
			entry.canceled = true;
			this.notifyOperation(call, entry.id, entry.odataType, entry.clientContext, CANCELED);
			entry.finish?.(CANCELED);
		}
		return this.operationAnswer(ctx, scope, call, newId(), 'cancelMediaProcessingOperation', {
			status: 'completed',
			clientContext,
		});
	}

	private holdMusic(
		ctx: SimulatorContext,
		scope: GraphCallScope,
		call: SimulatedCall,
		participantId: string,
		start: boolean,
		body: JsonObject,
		clientContext: string | null,
	): GraphResult {
		let prompt: string | undefined;
		if (start && body.customPrompt !== undefined) {
			const prompts = readPrompts([body.customPrompt], 1, 'customPrompt');
			if (typeof prompts === 'string') return graphError(400, 'BadRequest', prompts);
			prompt = prompts[0];
		}
		const participant = call.participants.find((p) => sameId(p.id, participantId));
		if (!participant)
			return graphError(
				404,
				'NotFound',
				`Participant '${participantId}' was not found in call '${call.id}'.`,
			);
		const key = call.id.toLowerCase();
		const onHold = this.held.get(key);
		if (start && onHold !== undefined && !sameId(onHold, participant.id))
			return graphError(
				400,
				'BadRequest',
				'Only one participant can be placed on hold at any given time.',
			);
		if (start) this.held.set(key, participant.id);
		else if (onHold !== undefined && sameId(onHold, participant.id)) this.held.delete(key);
		const id = newId();
		const type = start ? 'startHoldMusicOperation' : 'stopHoldMusicOperation';
		void (async () => {
			const fetched = prompt !== undefined ? await this.fetchPrompt(prompt) : undefined;
			const failure = Buffer.isBuffer(fetched) ? undefined : fetched;
			if (call.state === 'terminated') return;
			if (failure && start) this.held.delete(key);
			this.notifyOperation(
				call,
				id,
				`#microsoft.graph.${type}`,
				clientContext,
				failure ?? { status: 'completed' },
			);
		})();
		return this.operationAnswer(
			ctx,
			scope,
			call,
			id,
			type,
			{ status: 'running', clientContext },
			202,
		);
	}

	// ---- the per-call queue of prompts and recordings --------------------------------------

	private enqueue(entry: QueuedMedia): void {
		const key = entry.call.id.toLowerCase();
		const queue = this.queues.get(key) ?? [];
		queue.push(entry);
		this.queues.set(key, queue);
		if (queue.length === 1) void this.run(entry);
	}

	private async run(entry: QueuedMedia): Promise<void> {
		const outcome = await new Promise<MediaOutcome>((resolve) => {
			let done = false;
			entry.finish = (value) => {
				if (done) return;
				done = true;
				resolve(value);
			};
			void this.perform(entry);
		});
		// Cancelled: already notified, and the queue it was in is gone.
		if (entry.canceled) return;
		const key = entry.call.id.toLowerCase();
		const queue = this.queues.get(key);
		if (queue && queue[0] === entry) queue.shift();
		if (entry.call.state !== 'terminated') {
			this.notifyOperation(
				entry.call,
				entry.id,
				entry.odataType,
				entry.clientContext,
				outcome,
				entry.kind === 'record' ? this.recordingFields(entry, outcome) : {},
			);
		}
		const next = queue?.[0];
		if (next) void this.run(next);
	}

	private async perform(entry: QueuedMedia): Promise<void> {
		// Who hears it: the people in the call when it starts (before the download, which a
		// transfer right after the request must not overtake).
		const listeners = this.phones?.listenersOf(entry.call) ?? [];
		const files: Array<{ uri: string; wav: Buffer }> = [];
		for (const uri of entry.prompts) {
			const fetched = await this.fetchPrompt(uri);
			if (!Buffer.isBuffer(fetched)) return entry.finish?.(fetched);
			files.push({ uri, wav: fetched });
		}
		if (listeners.length > 0) this.phones?.promptsPlaying(entry.call, files, listeners);
		if (entry.kind === 'play') {
			const playMs = this.knobs.promptsPlayTheirLength
				? files.reduce((sum, file) => sum + (wavDurationMs(file.wav) ?? 0), 0)
				: this.knobs.promptPlayMs * Math.max(1, entry.prompts.length);
			this.later(playMs, () =>
				entry.finish?.({
					status: 'completed',
					resultInfo: result(200, 0, 'Action completed successfully.'),
				}),
			);
			return;
		}
		// In real time (the softphone's people), a recording plays its prompt to the end, then waits
		// the initial silence it was given for a key or a voice: nobody speaks on these phones.
		const recordMs = this.knobs.promptsPlayTheirLength
			? files.reduce((sum, file) => sum + (wavDurationMs(file.wav) ?? 0), 0) +
				(entry.initialSilenceSeconds ?? DEFAULT_INITIAL_SILENCE_SECONDS) * 1000
			: this.knobs.recordMs;
		this.later(recordMs, () =>
			entry.finish?.({
				status: 'completed',
				resultInfo: result(200, 8515, 'Action completed, max record duration reached.'),
			}),
		);
	}

	private recordingFields(entry: QueuedMedia, outcome: MediaOutcome): JsonObject {
		if (outcome.status !== 'completed') return { recordingLocation: '', recordingAccessToken: '' };
		const token = randomBytes(24).toString('base64url');
		this.recordings.set(entry.id, {
			token,
			body: makeWav({ durationMs: 300, frequencyHz: 300 }),
			callId: entry.call.id,
		});
		return {
			recordingLocation: `${this.origin}${RECORDINGS_PREFIX}${entry.id}`,
			recordingAccessToken: token,
		};
	}

	private keyPressed(callId: string, tone: string): void {
		const key = callId.toLowerCase();
		const running = this.queues.get(key)?.[0];
		const target = this.callOf(callId);
		if (!target || target.state === 'terminated') return;
		if (this.subscribed.has(key)) {
			const sequenceId = (this.sequences.get(key) ?? 0) + 1;
			this.sequences.set(key, sequenceId);
			this.callbacks?.notify(target, [toneNotification(target.id, tone, sequenceId)]);
		}
		if (running?.kind === 'record' && running.stopTones.includes(keyOf(tone))) {
			running.finish?.({
				status: 'completed',
				resultInfo: result(200, 0, 'Action completed, stop tone detected.'),
				completionReason: 'stopToneDetected',
			});
		}
	}

	private callOf(callId: string): SimulatedCall | undefined {
		return this.registry.getCall(callId);
	}

	/** An operation's end, written as Graph's example for that operation writes it. */
	private notifyOperation(
		call: SimulatedCall,
		id: string,
		odataType: string,
		clientContext: string | null,
		outcome: MediaOutcome,
		extra: JsonObject = {},
	): void {
		const style = OPERATION_STYLES[odataType] ?? OPERATION_STYLES.default!;
		const ids = (value: string) => (style.upperCaseIds ? upperCaseId(value) : value);
		const resourceUrl = `${style.leadingSlash ? '/' : ''}communications/calls/${ids(call.id)}/operations/${ids(id)}`;
		const data: Record<string, JsonValue> = { '@odata.type': odataType };
		if (style.odataIdAndEtag) {
			data['@odata.id'] = resourceUrl;
			data['@odata.etag'] = `W/"${(this.etag += 1)}"`;
		}
		if (style.idInData) data.id = id;
		data.clientContext = clientContext;
		data.status = outcome.status;
		if (outcome.resultInfo !== undefined) data.resultInfo = outcome.resultInfo;
		Object.assign(data, extra);
		if (
			outcome.completionReason !== undefined &&
			style.completionReasons.includes(outcome.completionReason)
		)
			data.completionReason = outcome.completionReason;
		this.callbacks?.notify(call, [
			{
				'@odata.type': '#microsoft.graph.commsNotification',
				changeType: 'deleted',
				resourceUrl,
				resourceData: data,
			},
		]);
	}
}

function isAppHosted(call: SimulatedCall): boolean {
	const config = call.details?.mediaConfig;
	return (
		isJsonObject(config) &&
		String(config['@odata.type'] ?? '')
			.toLowerCase()
			.includes('apphostedmediaconfig')
	);
}

function readBody(text: string): JsonObject | string {
	if (text.trim() === '') return {};
	const parsed = parseJson(text);
	if (!parsed.ok) return 'Unable to read JSON request payload.';
	if (!isJsonObject(parsed.value)) return 'The request body must be a JSON object.';
	return parsed.value;
}

/** A mediaPrompt collection: its URIs, or what is wrong with it. */
function readPrompts(raw: JsonValue | undefined, max: number, name = 'prompts'): string[] | string {
	if (!Array.isArray(raw) || raw.length === 0)
		return `${name} must be a non-empty collection of mediaPrompt.`;
	if (raw.length > max) return `The maximum supported MediaPrompt collection size is ${max}.`;
	const uris: string[] = [];
	for (const prompt of raw) {
		const info = isJsonObject(prompt) ? prompt.mediaInfo : undefined;
		const uri = isJsonObject(info) ? info.uri : undefined;
		if (typeof uri !== 'string' || uri === '')
			return `Each mediaPrompt in ${name} needs mediaInfo.uri.`;
		uris.push(uri);
	}
	return uris;
}
