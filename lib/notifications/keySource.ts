/**
 * The calling platform's signing keys: fetched from its OpenID configuration's `jwks_uri`,
 * cached per configuration URL for the whole process, refreshed off the request path.
 *
 * Limits, all independent of what tokens say (an unauthenticated caller chooses the token):
 * - No two fetches of one configuration start less than `minFetchIntervalMs` apart, whether the
 *   last one succeeded or failed; concurrent requests share the fetch in flight.
 * - Known keys are served straight from the cache. Keys older than `refreshAfterMs` are
 *   refreshed in the background while the cached ones keep serving, for up to `hardLimitMs`.
 * - A token naming an unknown kid may start a fetch (if the interval allows), and waits for it
 *   at most `requestWaitMs`: a hanging key endpoint costs a request that long, not its timeout.
 *   When the kid could not be looked up in freshly fetched keys (the interval, a failed or slow
 *   fetch), the token is neither accepted nor refused: KeysUnavailable says when to try again.
 * - `jwks_uri` must be https on the configuration's own host or a host allowed for it.
 */
import type { JWK } from 'jose';
import { sleep } from 'n8n-workflow';

import { isJsonObject } from '../jsonObject';
import { tryParseUrl } from '../safeParse';
import { printable } from './logText';

/** GET a URL and return its JSON body; the node passes n8n's helper (boundedFetch.ts). */
export type FetchJson = (url: string) => Promise<unknown>;

export class KeyFetchProblem {
	constructor(readonly message: string) {}
}

/** No key is available to check any token (never fetched, or every fetch failed). */
export class KeysUnavailable {
	constructor(
		readonly message: string,
		/** When the next fetch may start: a sender that retries then can be checked. */
		readonly retryAfterMs: number,
	) {}
}

export interface KeyTimings {
	/**
	 * Minimum time between two fetch attempts of one configuration. A token whose key cannot be
	 * looked up because of it is answered 503 with Retry-After (its sender tries again once a fetch
	 * is allowed), so this is also how long a genuine notification signed with a new key may wait.
	 */
	minFetchIntervalMs: number;
	/** Cached keys older than this are refreshed in the background. */
	refreshAfterMs: number;
	/** Cached keys older than this are no longer used (a refresh has failed for that long). */
	hardLimitMs: number;
	/** How long a request waits for a fetch in flight before it is answered. */
	requestWaitMs: number;
}

export const DEFAULT_KEY_TIMINGS: KeyTimings = {
	minFetchIntervalMs: 10 * 1000,
	refreshAfterMs: 60 * 60 * 1000,
	hardLimitMs: 7 * 24 * 60 * 60 * 1000,
	requestWaitMs: 2_000,
};

/**
 * Hosts a configuration may point its `jwks_uri` to besides its own host, per configuration
 * host. Microsoft's calling platform and Bot Framework share their signing keys.
 */
const JWKS_HOSTS_BY_CONFIGURATION_HOST: Readonly<Record<string, readonly string[]>> = {
	'api.aps.skype.com': ['login.botframework.com'],
};

/** Upper bound on keys kept from one JWKS (Microsoft publishes a handful). */
const MAX_KEYS = 32;
/** How many configurations are cached at once (one per cloud in practice). */
const MAX_CONFIGURATIONS = 16;

export interface KeySourceSettings {
	openIdConfigurationUrl: string;
	fetchJson: FetchJson;
	timings?: Partial<KeyTimings>;
	/** Tests only: the clock (default Date.now). */
	clock?: () => number;
}

interface CacheEntry {
	keys?: Map<string, JWK>;
	fetchedAt: number;
	lastAttemptAt: number;
	lastError?: string;
	inFlight?: Promise<void>;
	/** Every fetch attempt started (read by tests through keyFetchCount). */
	attempts: number;
}

const cache = new Map<string, CacheEntry>();

/** Forget every cached key (tests). */
export function clearKeyCache(): void {
	cache.clear();
}

/** How many fetches of this configuration were started in this process (tests, diagnostics). */
export function keyFetchCount(openIdConfigurationUrl: string): number {
	return cache.get(openIdConfigurationUrl)?.attempts ?? 0;
}

function entryFor(url: string): CacheEntry {
	let entry = cache.get(url);
	if (!entry) {
		if (cache.size >= MAX_CONFIGURATIONS) cache.delete(cache.keys().next().value as string);
		entry = { fetchedAt: 0, lastAttemptAt: 0, attempts: 0 };
		cache.set(url, entry);
	}
	return entry;
}

function httpsUrl(value: unknown, what: string): URL {
	const url = typeof value === 'string' ? tryParseUrl(value) : undefined;
	if (!url || url.protocol !== 'https:') throw new KeyFetchProblem(`${what} is not an https URL.`);
	return url;
}

/** The jwks_uri, if it is on the configuration's host (same host and port) or allowed for it. */
function checkedJwksUrl(configurationUrl: URL, jwksUri: unknown): string {
	const jwks = httpsUrl(jwksUri, "The OpenID configuration's jwks_uri");
	const allowed = JWKS_HOSTS_BY_CONFIGURATION_HOST[configurationUrl.hostname] ?? [];
	if (jwks.host !== configurationUrl.host && !(jwks.port === '' && allowed.includes(jwks.hostname)))
		throw new KeyFetchProblem(
			`The OpenID configuration's jwks_uri host "${printable(jwks.host, 80)}" is neither the configuration's host nor allowed for it.`,
		);
	return jwks.href;
}

async function fetchKeys(settings: KeySourceSettings): Promise<Map<string, JWK>> {
	const configurationUrl = httpsUrl(
		settings.openIdConfigurationUrl,
		'The OpenID configuration URL',
	);
	const configuration = await settings.fetchJson(configurationUrl.href);
	if (!isJsonObject(configuration))
		throw new KeyFetchProblem('The OpenID configuration is not a JSON object.');
	const jwks = await settings.fetchJson(checkedJwksUrl(configurationUrl, configuration.jwks_uri));
	if (!isJsonObject(jwks) || !Array.isArray(jwks.keys))
		throw new KeyFetchProblem('The JWKS has no "keys" list.');
	const keys = new Map<string, JWK>();
	for (const key of jwks.keys) {
		if (keys.size >= MAX_KEYS) break;
		if (
			isJsonObject(key) &&
			key.kty === 'RSA' &&
			typeof key.kid === 'string' &&
			(key.use === undefined || key.use === 'sig')
		)
			keys.set(key.kid, key as unknown as JWK);
	}
	if (keys.size === 0) throw new KeyFetchProblem('The JWKS holds no RSA signing key.');
	return keys;
}

function timingsOf(settings: KeySourceSettings): KeyTimings {
	return { ...DEFAULT_KEY_TIMINGS, ...settings.timings };
}

/** Starts a fetch unless one is in flight or the interval forbids it; never throws. */
function startFetch(entry: CacheEntry, settings: KeySourceSettings, now: number): void {
	const clock = settings.clock ?? Date.now;
	if (entry.inFlight) return;
	if (entry.attempts > 0 && now - entry.lastAttemptAt < timingsOf(settings).minFetchIntervalMs)
		return;
	entry.lastAttemptAt = now;
	entry.attempts++;
	entry.inFlight = fetchKeys(settings)
		.then((keys) => {
			entry.keys = keys;
			entry.fetchedAt = clock();
			entry.lastError = undefined;
		})
		.catch((error: unknown) => {
			// Cached keys stay in use; the next attempt waits for the interval.
			entry.lastError =
				error instanceof KeyFetchProblem ? error.message : 'the keys could not be fetched';
		})
		.finally(() => {
			entry.inFlight = undefined;
		});
}

/** The timer of `sleep` runs out on its own after `ms`; it holds nothing but itself. */
async function waitAtMost(promise: Promise<void>, ms: number): Promise<void> {
	await Promise.race([promise, sleep(ms)]);
}

function usable(entry: CacheEntry, timings: KeyTimings, now: number): Map<string, JWK> | undefined {
	return entry.keys && now - entry.fetchedAt <= timings.hardLimitMs ? entry.keys : undefined;
}

/** When the next fetch may start, from now (the sender of a refused token may retry then). */
function retryAfter(entry: CacheEntry, timings: KeyTimings, now: number): number {
	if (entry.inFlight) return timings.requestWaitMs;
	return Math.max(0, entry.lastAttemptAt + timings.minFetchIntervalMs - now);
}

/**
 * The published JWK for `kid`. Throws KeyFetchProblem when keys fetched during this call do not
 * publish it (the token is refused), KeysUnavailable when that could not be found out: no keys
 * can be had at all (the platform's side is down), or the kid is unknown and the keys could not
 * be fetched again now (the interval, a failed or slow fetch): a key rotation looks like that.
 */
export async function jwkFor(kid: string, settings: KeySourceSettings): Promise<JWK> {
	const timings = timingsOf(settings);
	const entry = entryFor(settings.openIdConfigurationUrl);
	const clock = settings.clock ?? Date.now;
	const now = clock();
	const keys = usable(entry, timings, now);
	const known = keys?.get(kid);
	if (known) {
		if (now - entry.fetchedAt > timings.refreshAfterMs) startFetch(entry, settings, now);
		return known;
	}
	const fetchedBefore = entry.fetchedAt;
	startFetch(entry, settings, now);
	if (entry.inFlight) await waitAtMost(entry.inFlight, timings.requestWaitMs);
	const later = clock();
	const after = usable(entry, timings, later);
	if (!after)
		throw new KeysUnavailable(
			`no signing keys are available from ${printable(settings.openIdConfigurationUrl, 200)}${entry.lastError ? ` (${printable(entry.lastError, 200)})` : entry.inFlight ? ' (the fetch is still running)' : ''}`,
			retryAfter(entry, timings, later),
		);
	const jwk = after.get(kid);
	if (jwk) return jwk;
	if (entry.fetchedAt > fetchedBefore)
		throw new KeyFetchProblem(
			`the signing key "${printable(kid, 64)}" is not published in the platform's JWKS`,
		);
	throw new KeysUnavailable(
		`the signing key "${printable(kid, 64)}" is not among the keys fetched before, and the keys could not be fetched again now${entry.lastError ? ` (${printable(entry.lastError, 200)})` : ''}`,
		retryAfter(entry, timings, later),
	);
}
