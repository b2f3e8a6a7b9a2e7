/**
 * What the waiting webhook does for one step of one call of a page (keypressSteps.ts decides the
 * step): ask whether a person is there, play the alert and menu, answer a wrong key, act on a
 * choice, and when a call's attempt is over go on with the next person or end the page. Returns
 * the item to resume the execution with, when the page is decided or over.
 */
import type { IDataObject, IWebhookFunctions } from 'n8n-workflow';
import { sleep } from 'n8n-workflow';

import type { CallEndReason } from '../../../../lib/notifications/callEndReasons';
import { callPath } from '../../helpers/graphPaths';
import { ACTIONS } from '../../engine/actionProfiles';
import { watchDownloads } from './promptDownloads';
import {
	callState,
	callsPlacedAtOnce,
	learnCallPlacedAtOnce,
	attemptCallbackUrl,
	hangUp,
	moveIntoCall,
	placeCall,
	type GraphAccess,
} from './pageCalls';
import {
	attemptOf,
	nextAttempt,
	type AttemptRecord,
	type PageState,
	type Person,
} from './pagePlan';
import type { KeypressOptions } from './keypressOptions';
import {
	overFields,
	presenceContext,
	promptContext,
	reportsEndOfCall,
	type ActingStep,
	type KeypressStep,
} from './keypressSteps';
import { menuPrompts, messagePrompt, messageSpec, saysMenu } from './promptSource';

/** The call's attempt as the webhook knows it. */
export interface AttemptContext {
	state: PageState;
	callId: string;
	/** When this call was placed (ms). */
	startedAt: number;
	/** What a decision or the page's end is remembered by (execution and node). */
	pageKey: string;
	/** True the first time `key` is offered in this process. */
	firstTime(key: string): boolean;
}

async function play(
	graph: GraphAccess,
	callId: string,
	prompts: Array<Record<string, unknown>>,
	clientContext: string,
): Promise<void> {
	await graph.transport.request(
		{ method: 'POST', path: callPath(callId, 'playPrompt'), body: { prompts, clientContext } },
		graph.request,
		ACTIONS.playPrompt,
		0,
	);
}

async function listenAndPlayMenu(
	context: IWebhookFunctions,
	graph: GraphAccess,
	callId: string,
): Promise<void> {
	await graph.transport.request(
		{
			method: 'POST',
			path: callPath(callId, 'subscribeToTone'),
			body: { clientContext: 'keypress' },
		},
		graph.request,
		ACTIONS.subscribeToTone,
		0,
	);
	await play(graph, callId, menuPrompts(context, graph.settings), promptContext(1));
}

/**
 * "Press any key to hear the alert": a recording that any key stops (Graph reports
 * stopToneDetected), so a key shows a person is there without keeping anything between
 * notifications. Nothing of it is downloaded or kept.
 */
async function askPresence(
	context: IWebhookFunctions,
	graph: GraphAccess,
	callId: string,
	repetition: number,
): Promise<void> {
	await graph.transport.request(
		{
			method: 'POST',
			path: callPath(callId, 'recordResponse'),
			body: {
				prompts: [messagePrompt(context, graph.settings, 'presence')],
				bargeInAllowed: true,
				playBeep: false,
				initialSilenceTimeoutInSeconds: 8,
				maxSilenceTimeoutInSeconds: 2,
				maxRecordDurationInSeconds: 10,
				stopTones: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9', '*', '#'],
				clientContext: presenceContext(repetition),
			},
		},
		graph.request,
		ACTIONS.recordResponse,
		0,
	);
}

const personOf = (state: PageState): { person: Person; index: number; round: number } => {
	const { person, round } = attemptOf(state.plan, state.attempt);
	return { person: state.plan.people[person] as Person, index: person, round };
};

const publicPerson = (person: Person): IDataObject => ({
	type: person.kind === 'phone' ? 'phoneNumber' : 'teamsUser',
	id: person.id,
	...(person.name ? { displayName: person.name } : {}),
});

function record(
	attempt: AttemptContext,
	outcome: string,
	endReason?: CallEndReason,
): AttemptRecord {
	const { index, round } = personOf(attempt.state);
	return {
		attempt: attempt.state.attempt,
		person: index,
		round,
		callId: attempt.callId,
		outcome,
		...(typeof endReason?.code === 'number' ? { code: endReason.code } : {}),
		...(typeof endReason?.subcode === 'number' ? { subcode: endReason.subcode } : {}),
		startedAt: attempt.startedAt,
		endedAt: Date.now(),
	};
}

/** The attempts as the output lists them. */
function attemptsOut(state: PageState, records: AttemptRecord[]): IDataObject[] {
	return records.map((entry) => ({
		round: entry.round + 1,
		person: publicPerson(state.plan.people[entry.person] as Person),
		callId: entry.callId,
		outcome: entry.outcome,
		...(entry.code !== undefined ? { code: entry.code } : {}),
		...(entry.subcode !== undefined ? { subcode: entry.subcode } : {}),
		startedAt: new Date(entry.startedAt).toISOString(),
		endedAt: new Date(entry.endedAt).toISOString(),
	}));
}

/** What the page said, as the output shows it. */
function played(context: IWebhookFunctions): IDataObject {
	const alert = messageSpec(context, 'alert', 0);
	if (alert) return { alert: alert.text ?? alert.ssml ?? '' };
	const url = context.getNodeParameter('promptSource', 'url') === 'binary' ? 'binary field' : 'url';
	return {
		alert:
			url === 'url' ? String(context.getNodeParameter('promptUrl', '')) : 'the input binary field',
		...(saysMenu(context, 0) ? { menu: messageSpec(context, 'menu', 0)?.text ?? '' } : {}),
	};
}

/** How long the decision waits for Graph to fetch "someone else has taken this" (see promptDownloads). */
const TAKEN_DOWNLOAD_LIMIT_MS = 4_000;

/**
 * The calls placed at once that did not decide the page: a call still ringing is ended; a person
 * who answered hears "someone else has this" first. The message is served by the waiting URL,
 * which is gone once the execution resumes: the decision waits (bounded) for Graph's download.
 * The hang-up after the message is this process's.
 */
async function endTheOthers(
	context: IWebhookFunctions,
	graph: GraphAccess,
	attempt: AttemptContext,
): Promise<AttemptRecord[]> {
	if (attempt.state.plan.order !== 'allAtOnce') return [];
	const records: AttemptRecord[] = [];
	const calls = callsPlacedAtOnce(context);
	const downloads = watchDownloads(context.getExecutionId(), context.getNode().id, 'taken');
	let told = 0;
	for (const [index, callId] of calls.entries()) {
		if (callId === '' || callId === attempt.callId) continue;
		const entry: AttemptRecord = {
			attempt: index,
			person: index,
			round: 0,
			callId,
			outcome: 'ended',
			startedAt: attempt.startedAt,
			endedAt: Date.now(),
		};
		try {
			const state = await callState(graph, callId);
			if (state === 'established') {
				const taken = messageSpec(context, 'taken', 0);
				await play(
					graph,
					callId,
					[messagePrompt(context, graph.settings, 'taken')],
					'keypress-taken',
				);
				told += 1;
				// Long enough for the words (about 12 characters a second), then hang up.
				const ms = 1500 + ((taken?.text ?? '').length / 12) * 1000;
				void sleep(ms).then(async () => await hangUp(graph, callId).catch(() => undefined));
				entry.outcome = 'someoneElseChose';
			} else if (state !== 'gone' && state !== 'terminated' && state !== 'terminating') {
				await hangUp(graph, callId);
				entry.outcome = 'someoneElseChose';
			}
		} catch (error) {
			context.logger.warn(
				`Call and Wait for Keypress: could not end call ${callId} of the page: ${(error as Error).message}`,
			);
		}
		records.push(entry);
	}
	await downloads.until(told, TAKEN_DOWNLOAD_LIMIT_MS);
	return records;
}

/** The item a page resumes with: version 1 and 2 fields, and version 3's rota, choice and data. */
function pageItem(
	context: IWebhookFunctions,
	attempt: AttemptContext,
	fields: IDataObject,
	records: AttemptRecord[],
): IDataObject {
	const item: IDataObject = {
		...fields,
		callId: attempt.callId,
		durationSeconds: Math.max(0, Math.round((Date.now() - attempt.startedAt) / 1000)),
	};
	if (attempt.state.plan.version < 3) return item;
	return {
		...item,
		attempts: attemptsOut(attempt.state, records),
		played: played(context),
	};
}

/** The person chose: act on the choice, end the others, and give the item to resume with. */
async function decide(
	context: IWebhookFunctions,
	graph: GraphAccess,
	attempt: AttemptContext,
	step: Extract<ActingStep, { kind: 'choose' }>,
	options: KeypressOptions,
): Promise<IDataObject> {
	const { person } = personOf(attempt.state);
	const respondedAt = new Date().toISOString();
	const fields: IDataObject = { outcome: 'pressed', tone: step.tone, key: step.choice.key };
	if (attempt.state.plan.version >= 3) {
		fields.label = step.choice.label;
		fields.action = step.choice.action;
		fields.respondedBy = publicPerson(person);
		fields.respondedAt = respondedAt;
		if (step.choice.approved !== undefined)
			fields.data = { approved: step.choice.approved, respondedAt };
	}
	if (step.choice.action === 'moveIntoCall' && step.choice.callId) {
		try {
			fields.invitation = await moveIntoCall(graph, person, step.choice.callId, attempt.callId);
			fields.movedIntoCallId = step.choice.callId;
		} catch (error) {
			// The choice is known; a failed invite must not lose it. The page call stays up.
			fields.invitationError = (error as Error).message;
		}
	} else if (options.hangUpWhenDone) {
		try {
			await hangUp(graph, attempt.callId);
			fields.hungUpByNode = true;
		} catch (error) {
			// The answer is known; a failed hang-up must not lose it.
			fields.hungUpByNode = false;
			fields.hangUpError = (error as Error).message;
		}
	}
	const others = await endTheOthers(context, graph, attempt);
	const records = [...attempt.state.history, record(attempt, 'pressed'), ...others];
	return pageItem(context, attempt, fields, records);
}

/**
 * This call's attempt is over without a choice: hang up what is still up, then the next person in
 * turn (after the round's delay), or wait for the others called at once, or end the page.
 */
async function attemptOver(
	context: IWebhookFunctions,
	graph: GraphAccess,
	attempt: AttemptContext,
	step: Extract<ActingStep, { kind: 'over' }>,
	options: KeypressOptions,
): Promise<IDataObject | undefined> {
	const fields: IDataObject = { ...overFields(step), tone: null, key: null };
	if (!reportsEndOfCall(step) && options.hangUpWhenDone) {
		try {
			await hangUp(graph, attempt.callId);
			fields.hungUpByNode = true;
		} catch (error) {
			fields.hungUpByNode = false;
			fields.hangUpError = (error as Error).message;
		}
	}
	const done = record(attempt, step.outcome, step.endReason);
	const history = [...attempt.state.history, done];
	const { plan } = attempt.state;
	if (step.outcome !== 'failed' && plan.order === 'allAtOnce') {
		// Everyone else's call must be over too before the page is.
		const others = callsPlacedAtOnce(context).filter((id) => id !== '' && id !== attempt.callId);
		for (const callId of others) {
			const state = await callState(graph, callId);
			if (state !== 'gone' && state !== 'terminated') return undefined;
		}
		if (!attempt.firstTime(`${attempt.pageKey}\u0000all over`)) return undefined;
		const records = [
			...history,
			...others.map((callId) => ({
				...done,
				attempt: callsPlacedAtOnce(context).indexOf(callId),
				person: callsPlacedAtOnce(context).indexOf(callId),
				callId,
				outcome: 'ended',
			})),
		];
		return pageItem(context, attempt, fields, records);
	}
	if (step.outcome === 'failed') {
		// A prompt Graph cannot play fails for everyone: end the page, and the calls placed at once.
		const others = await endTheOthers(context, graph, attempt);
		return pageItem(context, attempt, fields, [...history, ...others]);
	}
	const next = nextAttempt(plan, attempt.state.attempt);
	if (!next) return pageItem(context, attempt, fields, history);
	const state: PageState = { plan, attempt: attempt.state.attempt + 1, history };
	const person = plan.people[next.person] as Person;
	const resourceAccount = context.getNodeParameter('applicationInstanceId', '');
	const place = async (): Promise<void> => {
		const startedAt = Date.now();
		const callbackUri = attemptCallbackUrl(context, graph.settings, startedAt, state);
		await placeCall(graph, person, callbackUri, resourceAccount);
	};
	const newRound = next.person === 0 && plan.delaySeconds > 0;
	if (!newRound) {
		try {
			await place();
		} catch (error) {
			return pageItem(
				context,
				attempt,
				{
					...fields,
					outcome: 'failed',
					error: `Could not call ${person.id}: ${(error as Error).message}`,
				},
				history,
			);
		}
		return undefined;
	}
	// The round's pause: this process calls the first person again when it is over. (Should the
	// process stop meanwhile, Limit Wait Time ends the page.)
	void sleep(plan.delaySeconds * 1000)
		.then(place)
		.catch((error: Error) =>
			context.logger.error(
				`Call and Wait for Keypress: could not start round ${next.round + 1}: ${error.message}`,
			),
		);
	return undefined;
}

/** Does what one step says; returns the item to resume with, if the page is decided or over. */
export async function act(
	context: IWebhookFunctions,
	graph: GraphAccess,
	attempt: AttemptContext,
	step: ActingStep,
	options: KeypressOptions,
): Promise<IDataObject | undefined> {
	const { callId } = attempt;
	if (attempt.state.plan.order === 'allAtOnce')
		learnCallPlacedAtOnce(context, attempt.state.attempt, callId);
	switch (step.kind) {
		case 'start': {
			const { person } = personOf(attempt.state);
			if (person.kind === 'phone' && attempt.state.plan.confirmPresence && options.answersKeys)
				await askPresence(context, graph, callId, 1);
			else await listenAndPlayMenu(context, graph, callId);
			return undefined;
		}
		case 'askPresence':
			await askPresence(context, graph, callId, step.repetition);
			return undefined;
		case 'present':
			await listenAndPlayMenu(context, graph, callId);
			return undefined;
		case 'replay':
			await play(
				graph,
				callId,
				menuPrompts(context, graph.settings),
				promptContext(step.repetition, step.after),
			);
			return undefined;
		case 'again': {
			// Stop what plays, then "that is not an option" and the menu, or (the repeat key) the
			// alert again, counted again from this key.
			await graph.transport.request(
				{
					method: 'POST',
					path: callPath(callId, 'cancelMediaProcessing'),
					body: { clientContext: 'keypress-again' },
				},
				graph.request,
				ACTIONS.cancelMediaProcessing,
				0,
			);
			const prompts = [
				// A wrong key hears the menu alone; the repeat key the whole alert again.
				...(step.wrong
					? [
							messagePrompt(context, graph.settings, 'wrong'),
							...(saysMenu(context, 0)
								? [messagePrompt(context, graph.settings, 'menu')]
								: menuPrompts(context, graph.settings)),
						]
					: menuPrompts(context, graph.settings)),
			];
			await play(graph, callId, prompts, promptContext(1, Math.max(1, step.sequence)));
			return undefined;
		}
		case 'choose':
			return await decide(context, graph, attempt, step, options);
		case 'over':
			return await attemptOver(context, graph, attempt, step, options);
	}
}

export type { KeypressStep };
