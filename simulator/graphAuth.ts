/**
 * Bearer-token check in front of every Graph request: Graph answers 401
 * InvalidAuthenticationToken with a WWW-Authenticate challenge when the token is missing,
 * malformed, signed by someone else, meant for another audience, or expired.
 */
import type { AccessTokenClaims } from './accessTokens';
import type { SimulatorContext } from './context';
import { graphError, type GraphResult } from './graphErrors';

export type GraphAuthOutcome =
	{ ok: true; claims: AccessTokenClaims } | { ok: false; result: GraphResult };

function challenge(ctx: SimulatorContext, message: string): GraphResult {
	// Same challenge Graph sends; the authorization_uri points at the simulator's own authority.
	const wwwAuthenticate =
		`Bearer realm="", authorization_uri="${ctx.origin}/common/oauth2/authorize", ` +
		'client_id="00000003-0000-0000-c000-000000000000"';
	return graphError(401, 'InvalidAuthenticationToken', message, {
		'www-authenticate': wwwAuthenticate,
	});
}

export function authenticateGraphRequest(
	ctx: SimulatorContext,
	authorization: string | undefined,
): GraphAuthOutcome {
	const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
	if (!match) return { ok: false, result: challenge(ctx, 'Access token is empty.') };
	const check = ctx.tokens.check(match[1] ?? '');
	if (!check.ok) return { ok: false, result: challenge(ctx, check.message) };
	return { ok: true, claims: check.claims };
}
