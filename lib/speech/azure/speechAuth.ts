/**
 * The authentication headers of a Speech request, for the three ways the rest auth include of
 * the Speech docs describes (ms.date 05/21/2026):
 * - the key itself, `Ocp-Apim-Subscription-Key` (the default: one request instead of two, and
 *   the only way the docs give for custom domains behind network rules);
 * - a token issued for the key (`POST …/sts/v1.0/issueToken`): "valid for 10 minutes … we
 *   recommend using the same token for nine minutes", so it is reused for 9 minutes;
 * - Microsoft Entra ID: an app token for Azure AI services, sent as
 *   `Authorization: Bearer aad#<resourceId>#<token>`; minted and cached by msal-node through
 *   lib/entra (the same code as the Graph credential, another scope).
 */
import { createHash } from 'node:crypto';

import { tokenTransportError } from '../../entra/tokenTransportError';
import type { TokenHttpSender } from '../../entra/tokenHttp';
import { mintAccessToken, TokenRequestError } from '../../entra/tokenMinter';
import { SpeechError } from '../errors';
import type { SpeechHttp } from './speechHttp';
import type { AzureSpeechSettings } from './speechSettings';

export type KeyTransport = 'header' | 'issuedToken';

/** The docs: tokens live 10 minutes; reuse them for 9. */
export const ISSUED_TOKEN_REUSE_MS = 9 * 60_000;

/** Issues a token for the key (the client's own request function, with its checks and retries). */
export type TokenIssuer = () => Promise<string>;

interface IssuedToken {
	token: string;
	until: number;
}

/** By a digest of issueToken URL and key: never the key itself as a map key. */
const issuedTokens = new Map<string, IssuedToken>();
const pendingTokens = new Map<string, Promise<string>>();
const MAX_ISSUED_TOKENS = 50;

function issuedTokenKey(settings: AzureSpeechSettings, key: string): string {
	return createHash('sha256').update(`${settings.urls.issueToken}\n${key}`).digest('hex');
}

async function issuedToken(
	settings: AzureSpeechSettings,
	key: string,
	issue: TokenIssuer,
	fresh: boolean,
): Promise<string> {
	const cacheKey = issuedTokenKey(settings, key);
	const cached = issuedTokens.get(cacheKey);
	if (!fresh && cached && cached.until > Date.now()) return cached.token;
	// Renders that start together share one token request.
	let pending = pendingTokens.get(cacheKey);
	if (!pending) {
		pending = issue()
			.then((token) => {
				if (issuedTokens.size >= MAX_ISSUED_TOKENS) issuedTokens.clear();
				issuedTokens.set(cacheKey, { token, until: Date.now() + ISSUED_TOKEN_REUSE_MS });
				return token;
			})
			.finally(() => pendingTokens.delete(cacheKey));
		pendingTokens.set(cacheKey, pending);
	}
	return await pending;
}

/** For tests: forget issued tokens. */
export function clearIssuedTokens(): void {
	issuedTokens.clear();
}

/** msal's token requests through the same injected HTTP function as the Speech requests. */
function tokenSender(http: SpeechHttp, timeoutMs: number): TokenHttpSender {
	return async (request) => {
		let response: Awaited<ReturnType<SpeechHttp>>;
		try {
			response = await http({ ...request, timeoutMs });
		} catch (error) {
			throw tokenTransportError(error, request.url, timeoutMs);
		}
		return {
			status: response.status,
			headers: response.headers,
			body: response.body.toString('utf8'),
		};
	};
}

async function entraToken(
	settings: AzureSpeechSettings,
	http: SpeechHttp,
	timeoutMs: number,
	fresh: boolean,
): Promise<string> {
	if (settings.auth.kind !== 'entra') throw new Error('Not an Entra ID credential.');
	try {
		return await mintAccessToken(settings.auth.app, tokenSender(http, timeoutMs), {
			forceRefresh: fresh,
			scope: settings.auth.scope,
		});
	} catch (error) {
		throw entraTokenFailure(error);
	}
}

/** A failed Entra ID token request in words (msal's own failures explained by lib/entra). */
export function entraTokenFailure(error: unknown): Error {
	if (!(error instanceof TokenRequestError)) return error as Error;
	return new SpeechError(
		'notAuthorized',
		`Could not get a Microsoft Entra ID token for Azure AI Speech: ${error.message}`,
		{ cause: error },
	);
}

export interface AuthOptions {
	settings: AzureSpeechSettings;
	http: SpeechHttp;
	keyTransport: KeyTransport;
	timeoutMs: number;
	issue: TokenIssuer;
}

/** Whether the headers come from a token that a 401 may call stale (then one fresh try). */
export function usesToken(options: Pick<AuthOptions, 'settings' | 'keyTransport'>): boolean {
	return options.settings.auth.kind === 'entra' || options.keyTransport === 'issuedToken';
}

/** The headers that authenticate one Speech request; `fresh` skips cached tokens. */
export async function authHeaders(
	options: AuthOptions,
	fresh: boolean,
): Promise<Record<string, string>> {
	const { settings } = options;
	if (settings.auth.kind === 'entra') {
		const token = await entraToken(settings, options.http, options.timeoutMs, fresh);
		return { Authorization: `Bearer aad#${settings.auth.resourceId}#${token}` };
	}
	if (options.keyTransport === 'issuedToken') {
		const token = await issuedToken(settings, settings.auth.key, options.issue, fresh);
		return { Authorization: `Bearer ${token}` };
	}
	return { 'Ocp-Apim-Subscription-Key': settings.auth.key };
}
