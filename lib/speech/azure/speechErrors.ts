/**
 * Azure AI Speech's answers and failures in words. The REST reference documents the statuses
 * (400, 401, 415, 429, 502, 503) but no error bodies, and Azure often sends none (a 400 for an
 * unknown voice comes back empty): so the message says what the status usually means here,
 * and quotes Azure's own text only when there is some.
 */
import { classifyNetworkFailure, n8nWouldRewrite } from '../../network/networkFailure';
import { SpeechError } from '../errors';
import { SPEECH_FIELDS, type AzureSpeechSettings } from './speechSettings';
import type { SpeechHttpResponse } from './speechHttp';

export interface RequestContext {
	settings: AzureSpeechSettings;
	/** "synthesis", "voices list" or "token request". */
	what: string;
	url: string;
	/** The form field the request's content came from ("Voice" for text, "SSML"). */
	field?: string;
	voice?: string;
}

/** Azure's own words, when the body is short text: control characters out, the key never in. */
function azureSaid(response: SpeechHttpResponse, settings: AzureSpeechSettings): string {
	const type = response.headers['content-type'] ?? '';
	if (response.body.length === 0 || response.body.length > 2000 || !/json|text|xml/i.test(type))
		return '';
	let said = response.body.toString('utf8');
	try {
		const parsed = JSON.parse(said) as { error?: { message?: unknown }; message?: unknown };
		const message = parsed.error?.message ?? parsed.message;
		if (typeof message === 'string') said = message;
	} catch {
		// Not JSON: the text is quoted as it is.
	}
	if (settings.auth.kind === 'key') said = said.split(settings.auth.key).join('***');
	said = said
		.replace(/[\u0000-\u001f\u007f]+/g, ' ')
		.trim()
		.slice(0, 300);
	return said ? ` Azure said: "${said}".` : '';
}

function whereLabel(settings: AzureSpeechSettings): string {
	return new URL(settings.urls.synthesis).pathname.startsWith('/tts/')
		? SPEECH_FIELDS.endpoint
		: SPEECH_FIELDS.region;
}

/** A final non-success answer as a SpeechError. */
export function statusError(response: SpeechHttpResponse, context: RequestContext): SpeechError {
	const { settings, what } = context;
	const status = response.status;
	const said = azureSaid(response, settings);
	const entra = settings.auth.kind === 'entra';
	const where = whereLabel(settings);
	const details = (field: string | undefined) => ({ status, ...(field ? { field } : {}) });
	switch (status) {
		case 400:
			return new SpeechError(
				'refused',
				`Azure AI Speech refused the ${what} (HTTP 400 Bad Request): ${context.voice ? `the voice "${context.voice}" is not one this resource has, or the SSML is not what Azure accepts` : 'a value in the request is missing or invalid'}. Azure does not say which; the credential test lists the voices.${said}`,
				details(context.field),
			);
		case 401:
			return new SpeechError(
				'notAuthorized',
				entra
					? `Azure AI Speech refused the Microsoft Entra ID token (HTTP 401 Unauthorized): check the credential's "Resource ID" (it must be this Speech resource's) and "${where}".${said}`
					: `Azure AI Speech refused the key (HTTP 401 Unauthorized): check the credential's "Key" and "${where}"; a key works only with its own resource's region or endpoint.${said}`,
				details(entra ? SPEECH_FIELDS.resourceId : SPEECH_FIELDS.apiKey),
			);
		case 403:
			return new SpeechError(
				'notAuthorized',
				`Azure AI Speech answered 403 Forbidden: ${entra ? 'the app needs the role "Cognitive Services Speech User" (or "Cognitive Services Speech Contributor") on the Speech resource, and' : 'key authentication may be disabled on the resource, or'} the resource's network rules (firewall, private endpoint) may not admit n8n's address.${said}`,
				details(entra ? SPEECH_FIELDS.clientId : SPEECH_FIELDS.apiKey),
			);
		case 404:
			return new SpeechError(
				'refused',
				`Nothing answers the ${what} at ${context.url} (HTTP 404 Not Found): check the credential's "${where}".${said}`,
				details(where),
			);
		case 415:
			return new SpeechError(
				'refused',
				`Azure AI Speech refused the request's Content-Type (HTTP 415); it must be application/ssml+xml. A proxy between n8n and Azure may have changed it.${said}`,
				details(undefined),
			);
		default:
			return new SpeechError(
				status >= 500 ? 'serviceError' : 'refused',
				status >= 500
					? `Azure AI Speech had a problem on its side with the ${what} (HTTP ${status}). Try again later.${said}`
					: `Azure AI Speech answered the ${what} with HTTP ${status}.${said}`,
				details(undefined),
			);
	}
}

/** Throttling that outlasts the retry budget. */
export function throttledError(
	status: number,
	waitMs: number | undefined,
	budgetMs: number,
	attempts: number,
): SpeechError {
	const asked =
		waitMs === undefined ? '' : ` and asked to wait ${Math.ceil(waitMs / 1000)} s (Retry-After)`;
	const reason =
		status === 429
			? 'is throttling this resource (HTTP 429: over its quota or rate; the free tier takes 20 requests a minute)'
			: `is unavailable (HTTP ${status})`;
	return new SpeechError(
		status === 429 ? 'throttled' : 'serviceError',
		`Azure AI Speech ${reason}${asked}; after ${attempts} attempt(s) that is beyond this render's retry budget of ${Math.round(budgetMs / 1000)} s. Try again later${status === 429 ? ', or move the resource to a higher pricing tier' : ''}.`,
		{ status },
	);
}

/** No answer at all. The words avoid error codes that n8n would replace with its own sentence. */
export function networkError(
	error: unknown,
	context: RequestContext,
	timeoutMs: number,
): SpeechError {
	const failure = classifyNetworkFailure(error);
	const host = new URL(context.url).host;
	const where = whereLabel(context.settings);
	const code = failure.code && !n8nWouldRewrite(failure.code) ? ` (${failure.code})` : '';
	const reasons: Record<typeof failure.kind, string> = {
		dns: `the host name ${new URL(context.url).hostname} could not be resolved${code}: check the credential's "${where}" and this machine's DNS`,
		refused: `the connection to ${failure.peer ?? host} was refused${code}`,
		tls: `the TLS certificate of ${host} was not accepted${code}; if a TLS-inspecting proxy sits in between, give n8n its authority with NODE_EXTRA_CA_CERTS`,
		timeout: `no answer within ${Math.round(timeoutMs / 1000)} s${code}`,
		reset: `the connection was closed before an answer came${code}`,
		unreachable: `this machine has no network route to ${host}${code}`,
		proxyAuth: 'the proxy asked for credentials (HTTP 407)',
		other: `the request failed${code}`,
	};
	return new SpeechError(
		'network',
		`Could not reach Azure AI Speech for the ${context.what}: ${reasons[failure.kind]}. If n8n reaches the internet through a proxy, check its HTTP_PROXY / HTTPS_PROXY settings.`,
		{ cause: error },
	);
}
