/**
 * n8n's internal REST API (/rest/...), as the editor UI calls it, with the `n8n-auth` cookie.
 * Every request sends the same `browser-id` header: n8n binds the auth cookie to the
 * browser id it was issued with (when one was sent) and rejects a mismatch.
 */

const BROWSER_ID = 'e2e-harness-browser';

export const E2E_OWNER = {
	email: 'owner@e2e.test',
	firstName: 'E2E',
	lastName: 'Owner',
	password: 'E2e-harness-Passw0rd',
} as const;

/** Any owner account (E2E_OWNER is the harness default; dev mode uses its own). */
export interface OwnerAccount {
	readonly email: string;
	readonly firstName: string;
	readonly lastName: string;
	readonly password: string;
}

export interface RestResponse<T = unknown> {
	status: number;
	/** Parsed JSON body (n8n wraps most results as {data: ...}), or the raw text. */
	body: T;
}

function headers(cookie?: string): Record<string, string> {
	const h: Record<string, string> = {
		'content-type': 'application/json',
		'browser-id': BROWSER_ID,
	};
	if (cookie !== undefined) h.cookie = cookie;
	return h;
}

async function parse<T>(r: Response): Promise<RestResponse<T>> {
	const text = await r.text();
	let body: unknown = text;
	try {
		body = JSON.parse(text) as unknown;
	} catch {
		// not JSON (an HTML error page): keep the text
	}
	return { status: r.status, body: body as T };
}

export async function restGet<T = unknown>(
	url: string,
	cookie: string | undefined,
	pathname: string,
): Promise<RestResponse<T>> {
	const r = await fetch(`${url}${pathname}`, {
		headers: headers(cookie),
		signal: AbortSignal.timeout(30_000),
	});
	return await parse<T>(r);
}

export async function restPost<T = unknown>(
	url: string,
	cookie: string | undefined,
	pathname: string,
	body: unknown,
): Promise<RestResponse<T>> {
	const r = await fetch(`${url}${pathname}`, {
		method: 'POST',
		headers: headers(cookie),
		body: JSON.stringify(body),
		signal: AbortSignal.timeout(60_000),
	});
	return await parse<T>(r);
}

/** POST, expect 200 and an `n8n-auth` cookie; return it as a Cookie header value. */
async function postForCookie(url: string, pathname: string, body: unknown): Promise<string> {
	const r = await fetch(`${url}${pathname}`, {
		method: 'POST',
		headers: headers(),
		body: JSON.stringify(body),
		signal: AbortSignal.timeout(30_000),
	});
	if (r.status !== 200) throw new Error(`POST ${pathname} -> ${r.status}: ${await r.text()}`);
	const auth = r.headers.getSetCookie().find((c) => c.startsWith('n8n-auth='));
	if (auth === undefined) throw new Error(`POST ${pathname} set no n8n-auth cookie`);
	return auth.split(';')[0] ?? auth;
}

/** Create the instance owner (once per user folder) and return the auth cookie. */
export async function setupOwner(url: string, owner: OwnerAccount = E2E_OWNER): Promise<string> {
	return await postForCookie(url, '/rest/owner/setup', owner);
}

export async function login(url: string, owner: OwnerAccount = E2E_OWNER): Promise<string> {
	return await postForCookie(url, '/rest/login', {
		emailOrLdapLoginId: owner.email,
		password: owner.password,
	});
}

/** A data value equal to this is replaced by the stored value before testing (both lines). */
export const REDACTED_PLACEHOLDER = '__n8n_BLANK_VALUE_e5362baf-c777-4d57-a609-6eaf1f9e87f6';

export interface CredentialToTest {
	/** Id of a credential already stored in n8n (e.g. via importCredentials). */
	id: string;
	name: string;
	type: string;
	/** The values to test: they are used instead of the stored ones (same on 1.123 and 2.41). */
	data: Record<string, unknown>;
}

export interface CredentialTestResult {
	status: 'OK' | 'Error';
	message: string;
}

/**
 * POST /rest/credentials/test. Body `{credentials: {id, name, type, data}}` on both lines (read
 * from n8n's CredentialsController): the id must name a stored credential the user may read
 * (else 403); `data` is what is tested, REDACTED_PLACEHOLDER values restored from the stored
 * copy. 2.41 validates with zod (400 on a missing id or a flat body); 1.123 does not (a flat
 * body is a 500, a missing id matches any stored credential).
 */
export async function testCredential(
	url: string,
	cookie: string,
	credentials: CredentialToTest,
): Promise<CredentialTestResult> {
	const r = await restPost<{ data?: CredentialTestResult }>(url, cookie, '/rest/credentials/test', {
		credentials,
	});
	if (r.status !== 200 || r.body.data === undefined) {
		throw new Error(`POST /rest/credentials/test -> ${r.status}: ${JSON.stringify(r.body)}`);
	}
	return r.body.data;
}
