/**
 * The one way a Graph callback enters a workflow. The trigger's webhook and the waiting webhook
 * of Call and Wait for Keypress both hand every POST to `receiveCallback`, which checks, in this
 * order, and answers every failure itself (the same failure gets the same answer on both):
 *
 * 1. the credential can be read (else 503: nothing could be checked) and set up for receiving
 *    (else 401);
 * 2. the `Authorization: Bearer` token is Microsoft's, for this app and an accepted tenant
 *    (tokenVerifier.ts; 401), or, when no signing key can be had, 503 with Retry-After: a
 *    genuine notification is then retried by its sender instead of being lost;
 * 3. Microsoft's older notification format gets 204 (its Graph-format copy follows);
 * 4. the body is a commsNotifications envelope of a sensible size (400);
 * 5. an exact copy of an accepted notification (same token and bytes) gets 202 (replayGuard.ts).
 *
 * Only then is the POST "accepted" and handed back. Nothing here throws, and `guardedWebhook`
 * turns whatever a webhook itself throws into an answer: a throw would make n8n answer 500 with
 * its stack trace and record a failed execution (a waiting one would end).
 */
import type { IDataObject, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';

import { CREDENTIAL_TYPE } from '../entra/credentialType';
import { boundedJsonFetcher } from './boundedFetch';
import { isLegacyCallNotification, readLegacyCall } from './legacyNotification';
import { printable } from './logText';
import { readEnvelope } from './notificationItems';
import { readReceiverSettings, type ReceiverSettings } from './receiverSettings';
import { notificationReplays, ReplayGuard } from './replayGuard';
import { verifyNotificationToken, type NotificationClaims } from './tokenVerifier';

/** Graph posts a few notifications at a time; an envelope with more is not Graph's. */
export const MAX_NOTIFICATIONS_PER_POST = 100;
/** When nothing says when to try again (the credential could not be read, a webhook failed). */
const DEFAULT_RETRY_AFTER_SECONDS = 60;

export interface ReceiverOptions {
	/** Who receives, at the start of every log line: "Microsoft Graph Calls Trigger". */
	receiver: string;
	/** The trigger's Options › Accepted Tenant IDs; empty for the credential's own tenant. */
	acceptedTenantIds?: unknown;
}

export type Reception =
	/** Answered already (a refusal, a copy, the legacy format): the webhook returns `response`. */
	| { accepted: false; response: IWebhookResponseData }
	| {
			accepted: true;
			notifications: unknown[];
			claims: NotificationClaims;
			settings: ReceiverSettings;
			/**
			 * For a webhook that answers 503 after all: forgets this POST as seen, so that its
			 * sender's retry (the same token and bytes) is not taken for a copy.
			 */
			release(): void;
	  };

const ANSWERED: IWebhookResponseData = { noWebhookResponse: true };

const ERROR_CODES: Record<number, string> = {
	400: 'BadRequest',
	401: 'Unauthorized',
	404: 'NotFound',
	503: 'Unavailable',
};

/** Writes `{"error":{code,message}}` with the status (and Retry-After, in seconds, if given). */
export function answerError(
	context: IWebhookFunctions,
	status: number,
	message: string,
	retryAfterSeconds?: number,
): IWebhookResponseData {
	const res = context.getResponseObject();
	if (res.headersSent) return ANSWERED;
	if (retryAfterSeconds !== undefined) res.setHeader('retry-after', String(retryAfterSeconds));
	res.status(status).json({ error: { code: ERROR_CODES[status] ?? 'Error', message } });
	return ANSWERED;
}

/** 202 Accepted, no body: what Graph expects for a notification it need not send again. */
export function answerAccepted(context: IWebhookFunctions): IWebhookResponseData {
	const res = context.getResponseObject();
	if (!res.headersSent) res.status(202).end();
	return ANSWERED;
}

/** The request's bytes as received (n8n keeps them as rawBody), else the parsed body re-serialised. */
function rawBodyOf(context: IWebhookFunctions): Buffer | string {
	const raw = (context.getRequestObject() as { rawBody?: unknown }).rawBody;
	if (Buffer.isBuffer(raw)) return raw;
	try {
		return JSON.stringify(context.getBodyData() ?? null);
	} catch {
		return '';
	}
}

async function settingsFor(
	context: IWebhookFunctions,
	options: ReceiverOptions,
): Promise<{ settings: ReceiverSettings } | { response: IWebhookResponseData }> {
	let fields: IDataObject;
	try {
		fields = (await context.getCredentials(CREDENTIAL_TYPE)) as IDataObject;
	} catch (error) {
		context.logger.warn(
			`${options.receiver}: could not read its credential to check a notification (${printable((error as Error).message, 300)}).`,
		);
		return {
			response: answerError(
				context,
				503,
				'The notification could not be checked now; try again later.',
				DEFAULT_RETRY_AFTER_SECONDS,
			),
		};
	}
	const read = readReceiverSettings(fields, options.acceptedTenantIds);
	if (!read.ok) {
		context.logger.warn(
			`${options.receiver}: refused a notification, it is not set up: ${printable(read.message, 400)}`,
		);
		return { response: answerError(context, 401, 'Unauthorized.') };
	}
	return { settings: read.settings };
}

async function receive(context: IWebhookFunctions, options: ReceiverOptions): Promise<Reception> {
	const refused = (response: IWebhookResponseData): Reception => ({ accepted: false, response });
	const set = await settingsFor(context, options);
	if ('response' in set) return refused(set.response);
	const { settings } = set;

	const verification = await verifyNotificationToken(context.getHeaderData().authorization, {
		openIdConfigurationUrl: settings.openIdConfigurationUrl,
		audience: settings.clientId,
		tenantIds: settings.tenantIds,
		fetchJson: boundedJsonFetcher(async (request) => await context.helpers.httpRequest(request)),
	});
	if (!verification.ok) {
		if (verification.keysUnavailable) {
			const seconds = Math.max(1, Math.ceil(verification.keysUnavailable.retryAfterMs / 1000));
			context.logger.warn(
				`${options.receiver}: could not check a notification, answered 503 with Retry-After ${seconds} s (${printable(verification.reason, 400)}).`,
			);
			return refused(
				answerError(context, 503, 'The signing keys are unavailable; try again later.', seconds),
			);
		}
		context.logger.info(
			`${options.receiver}: refused a notification (${printable(verification.reason, 400)}).`,
		);
		return refused(answerError(context, 401, 'Unauthorized.'));
	}

	// Teams' "Incoming call notifications" page: answer the older format 204 No Content; the
	// platform then sends the call again in Graph's format, which is acted on (this one is not).
	const body: unknown = context.getBodyData();
	if (isLegacyCallNotification(body)) {
		const legacy = readLegacyCall(body);
		context.logger.info(
			`${options.receiver}: answered 204 to a legacy-format notification (call ${printable(legacy.callId ?? '?', 80)}, ${printable(legacy.callState ?? '?', 40)}, from ${printable(legacy.caller ?? '?', 120)}); Graph's format follows.`,
		);
		context.getResponseObject().status(204).end();
		return refused(ANSWERED);
	}

	const envelope = readEnvelope(body);
	if (!envelope.ok)
		return refused(answerError(context, 400, `Not a Graph call notification: ${envelope.reason}.`));
	if (envelope.notifications.length > MAX_NOTIFICATIONS_PER_POST)
		return refused(
			answerError(
				context,
				400,
				`Not a Graph call notification: ${envelope.notifications.length} notifications in one envelope (at most ${MAX_NOTIFICATIONS_PER_POST}).`,
			),
		);

	const fingerprint = ReplayGuard.fingerprint(verification.token, rawBodyOf(context));
	if (!notificationReplays.firstSighting(fingerprint, verification.expiresAtMs)) {
		context.logger.info(
			`${options.receiver}: ignored a copy of a notification already received (same token and body).`,
		);
		return refused(answerAccepted(context));
	}
	return {
		accepted: true,
		notifications: envelope.notifications,
		claims: verification.claims,
		settings,
		release: () => notificationReplays.forget(fingerprint),
	};
}

/** Checks one POST (see the top of this file). Never throws. */
export async function receiveCallback(
	context: IWebhookFunctions,
	options: ReceiverOptions,
): Promise<Reception> {
	try {
		return await receive(context, options);
	} catch (error) {
		return {
			accepted: false,
			response: failedWebhook(context, options.receiver, error),
		};
	}
}

/** Logs what went wrong and answers 503 with Retry-After (if nothing was answered yet). */
function failedWebhook(
	context: IWebhookFunctions,
	receiver: string,
	error: unknown,
): IWebhookResponseData {
	try {
		context.logger.error(
			`${receiver}: could not handle a request (${printable(error instanceof Error ? error.message : error, 400)}); answered 503.`,
		);
	} catch {
		// Logging must not turn an answer into a throw.
	}
	return answerError(
		context,
		503,
		'The notification could not be handled now; try again later.',
		DEFAULT_RETRY_AFTER_SECONDS,
	);
}

/**
 * Runs a webhook so that it never throws: whatever escapes it is logged and answered 503 with
 * Retry-After, and nothing starts or resumes.
 */
export async function guardedWebhook(
	context: IWebhookFunctions,
	receiver: string,
	run: () => Promise<IWebhookResponseData>,
): Promise<IWebhookResponseData> {
	try {
		return await run();
	} catch (error) {
		return failedWebhook(context, receiver, error);
	}
}
