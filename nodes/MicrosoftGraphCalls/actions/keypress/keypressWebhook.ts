/**
 * The waiting webhook of Call and Wait for Keypress: Graph posts the call's notifications here
 * (the call's callbackUri is this execution's waiting URL). Every request is checked like the
 * trigger checks its own (signed JWT for this app and tenant, copies refused); a request that
 * fails the check, or that decides nothing, answers without workflowData, so the execution
 * keeps waiting. A notification is acted on only if it is about the call this execution placed
 * (callBinding.ts asks Graph), and a call is decided once. On the call being up it plays the
 * prompt and subscribes to tones; it resumes the execution on an accepted key or the end of the
 * call.
 */
import type { IDataObject, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';

import { CREDENTIAL_TYPE } from '../../../../lib/entra/credentialType';
import { boundedJsonFetcher } from '../../../../lib/notifications/boundedFetch';
import { printable } from '../../../../lib/notifications/logText';
import {
	describeNotification,
	readEnvelope,
} from '../../../../lib/notifications/notificationItems';
import { notificationReplays, ReplayGuard } from '../../../../lib/notifications/replayGuard';
import { verifyNotificationToken } from '../../../../lib/notifications/tokenVerifier';
import { readTriggerSettings } from '../../../MicrosoftGraphCallsTrigger/triggerSettings';
import { callPath } from '../../helpers/graphPaths';
import { mediaPrompt } from '../../helpers/mediaBodies';
import { GraphApiError } from '../../transport/graphErrors';
import { ACTIONS } from '../actionProfiles';
import { callBinding, firstDecision, statedCallbackUri } from './callBinding';
import { readKeypressOptions } from './keypressOptions';
import { servePrompt, webhookPromptUrl } from './promptSource';
import {
	keypressStep,
	normalizeCallId,
	promptContext,
	reportsEndOfCall,
	type KeypressStep,
} from './keypressSteps';
import { namesThisWaitingUrl, STARTED_AT_PARAMETER } from './waitingUrls';
import { senderFor, type Sender } from './webhookSender';

/** Plays the prompt (its URL, or the link to the binary field's copy) for the n-th time. */
async function playPrompt(context: IWebhookFunctions, sender: Sender, callId: string, n: number) {
	const promptUrl = webhookPromptUrl(context, sender.settings);
	await sender.transport.request(
		{
			method: 'POST',
			path: callPath(callId, 'playPrompt'),
			body: { prompts: [mediaPrompt(promptUrl)], clientContext: promptContext(n) },
		},
		sender.request,
		ACTIONS.playPrompt,
		0,
	);
}

/** Does what one step says; returns the item to resume with, if any. */
async function perform(
	context: IWebhookFunctions,
	sender: Sender,
	step: Exclude<KeypressStep, { kind: 'wait' }>,
	callId: string,
	hangUpWhenDone: boolean,
): Promise<IDataObject | undefined> {
	if (step.kind === 'start') {
		await sender.transport.request(
			{
				method: 'POST',
				path: callPath(callId, 'subscribeToTone'),
				body: { clientContext: 'keypress' },
			},
			sender.request,
			ACTIONS.subscribeToTone,
			0,
		);
		await playPrompt(context, sender, callId, 1);
		return undefined;
	}
	if (step.kind === 'replay') {
		await playPrompt(context, sender, callId, step.repetition);
		return undefined;
	}
	const startedAt = Number((context.getQueryData() as IDataObject)[STARTED_AT_PARAMETER]);
	const item: IDataObject = {
		outcome: step.outcome,
		tone: step.tone,
		key: step.key,
		callId,
		durationSeconds: Number.isFinite(startedAt)
			? Math.max(0, Math.round((Date.now() - startedAt) / 1000))
			: null,
		...(step.error === undefined ? {} : { error: step.error }),
	};
	// Declined, unanswered and hung-up calls are over already; the other outcomes leave it up.
	if (!reportsEndOfCall(step) && hangUpWhenDone) {
		try {
			await sender.transport.request(
				{ method: 'DELETE', path: callPath(callId) },
				sender.request,
				ACTIONS.hangUp,
				0,
			);
			item.hungUpByNode = true;
		} catch (error) {
			// The answer is known; a failed hang-up must not lose it.
			item.hungUpByNode = false;
			item.hangUpError = (error as Error).message;
		}
	}
	return item;
}

export async function keypressWebhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
	// Graph downloading a prompt from a binary field (Prompt From › Binary Field).
	if (this.getRequestObject().method === 'GET') return await servePrompt(this);
	const res = this.getResponseObject();
	const refuse = (status: number, message: string): IWebhookResponseData => {
		res
			.status(status)
			.json({ error: { code: status === 401 ? 'Unauthorized' : 'BadRequest', message } });
		return { noWebhookResponse: true };
	};
	const fields = (await this.getCredentials(CREDENTIAL_TYPE)) as IDataObject;
	const read = readTriggerSettings(fields, '');
	if (!read.ok) return refuse(401, 'Unauthorized.');
	const verification = await verifyNotificationToken(this.getHeaderData().authorization, {
		openIdConfigurationUrl: read.settings.openIdConfigurationUrl,
		audience: read.settings.clientId,
		tenantIds: read.settings.tenantIds,
		fetchJson: boundedJsonFetcher(async (request) => await this.helpers.httpRequest(request)),
	});
	if (!verification.ok) {
		this.logger.info(
			`Microsoft Graph Calls › Call and Wait for Keypress: refused a callback (${printable(verification.reason, 400)}).`,
		);
		return refuse(401, 'Unauthorized.');
	}
	const raw = (this.getRequestObject() as { rawBody?: unknown }).rawBody;
	const bytes = Buffer.isBuffer(raw) ? raw : JSON.stringify(this.getBodyData() ?? null);
	if (
		!notificationReplays.firstSighting(
			ReplayGuard.fingerprint(verification.token, bytes),
			verification.expiresAtMs,
		)
	) {
		res.status(202).end();
		return { noWebhookResponse: true };
	}
	const envelope = readEnvelope(this.getBodyData());
	if (!envelope.ok) return refuse(400, `Not a Graph call notification: ${envelope.reason}.`);
	const options = readKeypressOptions(
		(this.getNodeParameter('additionalFields', {}) ?? {}) as Record<string, unknown>,
	);
	const request = this.getRequestObject() as { originalUrl?: string; url?: string };
	const requestUrl = request.originalUrl ?? request.url ?? '';
	let sender: Sender | undefined;
	let resumeWith: IDataObject | undefined;
	for (const notification of envelope.notifications) {
		const item = describeNotification(notification);
		const callId = typeof item.callId === 'string' ? normalizeCallId(item.callId) : undefined;
		if (callId === undefined) continue;
		const step = keypressStep(item, options);
		if (step.kind === 'wait') continue;
		// Graph's call notifications state the call's callbackUri: another one is another call's.
		const stated = statedCallbackUri(notification);
		if (stated !== undefined && !namesThisWaitingUrl(stated, requestUrl)) {
			this.logger.warn(
				`Microsoft Graph Calls › Call and Wait for Keypress: ignored a signed notification about call ${printable(callId, 80)}, which names the callback URL ${printable(stated, 300)}, not this execution's.`,
			);
			continue;
		}
		sender ??= await senderFor(this);
		const binding = await callBinding(sender, callId, requestUrl);
		if (binding.kind === 'another call') {
			this.logger.warn(
				`Microsoft Graph Calls › Call and Wait for Keypress: ignored a signed notification about call ${printable(callId, 80)}, which posts to ${printable(binding.callbackUri, 300)}, not to this execution.`,
			);
			continue;
		}
		// A call Graph does not know cannot have a key pressed or a prompt end now; its own
		// "terminated" notification (the one kind acted on for a gone call) ends the wait.
		if (binding.kind === 'gone' && !reportsEndOfCall(step)) continue;
		if (binding.kind === 'unchecked')
			this.logger.info(
				`Microsoft Graph Calls › Call and Wait for Keypress: acting on a notification about call ${printable(callId, 80)} without checking it (${binding.reason}).`,
			);
		// The first decision about a call resumes; a later one (the "terminated" of the node's own
		// hang-up, a second key) would resume the same execution again.
		if (step.kind === 'resume' && !firstDecision(callId)) continue;
		try {
			resumeWith = await perform(this, sender, step, callId, options.hangUpWhenDone);
		} catch (error) {
			// The call ended meanwhile (404): its own "deleted" notification resumes the execution.
			if (error instanceof GraphApiError && error.facts.status === 404) continue;
			// Any other failure (e.g. 403 without Calls.AccessMedia.All) would leave the execution
			// waiting for keys that can never be reported: resume and say why.
			if (!firstDecision(callId)) continue;
			const failure = error as Error & { description?: string | null };
			resumeWith = {
				outcome: 'failed',
				tone: null,
				key: null,
				callId,
				error: failure.message,
				...(failure.description ? { errorDescription: failure.description } : {}),
			};
		}
		if (resumeWith) break;
	}
	res.status(202).end();
	if (!resumeWith) return { noWebhookResponse: true };
	return { noWebhookResponse: true, workflowData: [[{ json: resumeWith }]] };
}
