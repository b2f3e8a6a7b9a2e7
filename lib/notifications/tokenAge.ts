/**
 * A bound on how long one notification token can be used. The signature and `exp` alone would
 * accept a token dated a year ahead and expiring in ten: with a maximum age, a leaked token
 * (or a replay of one) is useless after a short while whatever its own claims say.
 */
import type { JWTPayload } from 'jose';

/** Tokens older than this (from `iat`), or expiring further ahead than this, are refused. */
const MAX_TOKEN_AGE_SECONDS = 2 * 60 * 60;

/** A reason to refuse, or undefined. `now` and the tolerance in seconds. */
export function tokenAgeProblem(
	payload: JWTPayload,
	now: number,
	toleranceSeconds: number,
	maxAgeSeconds = MAX_TOKEN_AGE_SECONDS,
): string | undefined {
	const { iat, exp } = payload;
	if (iat !== undefined) {
		if (typeof iat !== 'number' || !Number.isFinite(iat))
			return "the token's issued-at time (iat) is not a number";
		if (iat > now + toleranceSeconds) return 'the token is issued in the future (iat)';
		if (now - iat > maxAgeSeconds + toleranceSeconds)
			return `the token is older than ${maxAgeSeconds / 3600} h (iat)`;
	}
	if (typeof exp === 'number' && exp - now > maxAgeSeconds + toleranceSeconds)
		return `the token expires more than ${maxAgeSeconds / 3600} h ahead (exp)`;
	return undefined;
}
