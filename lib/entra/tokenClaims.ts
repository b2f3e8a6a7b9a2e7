/** The claims of an Entra access token that this package reads (it never verifies: Graph does). */
export interface AccessTokenClaims {
	aud?: string;
	tid?: string;
	appid?: string;
	roles: string[];
	exp?: number;
}

/** Reads a JWT's payload without checking its signature; undefined if it is not a JWT. */
export function readAccessTokenClaims(token: string): AccessTokenClaims | undefined {
	const parts = token.split('.');
	if (parts.length !== 3) return undefined;
	try {
		const payload = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8')) as Record<
			string,
			unknown
		>;
		const roles = Array.isArray(payload.roles)
			? payload.roles.filter((r): r is string => typeof r === 'string')
			: [];
		return {
			aud: typeof payload.aud === 'string' ? payload.aud : undefined,
			tid: typeof payload.tid === 'string' ? payload.tid : undefined,
			appid:
				typeof payload.appid === 'string'
					? payload.appid
					: typeof payload.azp === 'string'
						? payload.azp
						: undefined,
			exp: typeof payload.exp === 'number' ? payload.exp : undefined,
			roles,
		};
	} catch {
		return undefined;
	}
}
