/**
 * Mints and checks the simulator's access tokens: RS256 JWTs shaped like Entra ID v1 app-only
 * tokens for Microsoft Graph, signed by a key generated at start (published at the JWKS URI).
 */
import { createHash, generateKeyPairSync, type KeyObject } from 'node:crypto';

import { stableId, newId } from './ids';
import type { JsonObject } from './json';
import { decodeJwt, nowSeconds, numericClaim, signJwt, verifyJwtSignature } from './jwt';

/** How the client proved its identity; becomes the appidacr claim ('1' secret, '2' certificate). */
export type ClientAuthMethod = 'secret' | 'certificate';

export interface TokenSubject {
	tenantId: string;
	clientId: string;
	displayName: string;
	roles: string[];
}

export interface AccessTokenClaims {
	appid: string;
	tid: string;
	roles: string[];
	uti: string;
}

export type TokenCheck = { ok: true; claims: AccessTokenClaims } | { ok: false; message: string };

export const EXPIRED_TOKEN_MESSAGE = 'Lifetime validation failed, the token is expired.';

export class AccessTokenIssuer {
	/** Every token minted, in order (exposed as GraphSimulator.issuedTokens). */
	readonly issued: string[] = [];
	private readonly privateKey: KeyObject;
	private readonly publicKey: KeyObject;
	private readonly kid: string;
	private readonly mintedUtis: string[] = [];
	private readonly revokedUtis = new Set<string>();

	constructor(
		private readonly audience: string,
		private readonly lifetimeSeconds: number,
	) {
		const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
		this.privateKey = privateKey;
		this.publicKey = publicKey;
		const spki = publicKey.export({ type: 'spki', format: 'der' });
		this.kid = createHash('sha1').update(spki).digest('base64url');
	}

	get expiresInSeconds(): number {
		return this.lifetimeSeconds;
	}

	/** `audience` defaults to the simulator's Graph origin; Azure AI Speech tokens name their own. */
	mint(subject: TokenSubject, method: ClientAuthMethod, audience = this.audience): string {
		const now = nowSeconds();
		const uti = newId().replace(/-/g, '').slice(0, 22);
		const issuer = `https://sts.windows.net/${subject.tenantId}/`;
		const oid = stableId(`${subject.tenantId}/${subject.clientId}`);
		const payload: JsonObject = {
			aud: audience,
			iss: issuer,
			iat: now,
			nbf: now,
			exp: now + this.lifetimeSeconds,
			app_displayname: subject.displayName,
			appid: subject.clientId,
			appidacr: method === 'certificate' ? '2' : '1',
			idp: issuer,
			idtyp: 'app',
			oid,
			roles: [...subject.roles],
			sub: oid,
			tid: subject.tenantId,
			uti,
			ver: '1.0',
		};
		const token = signJwt(
			{ typ: 'JWT', kid: this.kid, x5t: this.kid },
			payload,
			this.privateKey,
			'RS256',
		);
		this.issued.push(token);
		this.mintedUtis.push(uti);
		return token;
	}

	/** Makes every token minted so far fail at Graph as expired; later tokens are unaffected. */
	expireAll(): void {
		for (const uti of this.mintedUtis) this.revokedUtis.add(uti);
	}

	/** The checks Graph applies to a bearer token, with Graph's messages. */
	check(token: string, audience = this.audience): TokenCheck {
		const jwt = decodeJwt(token);
		if (!jwt)
			return { ok: false, message: 'CompactToken parsing failed with error code: 80049217' };
		if (
			jwt.header.alg !== 'RS256' ||
			jwt.header.kid !== this.kid ||
			!verifyJwtSignature(jwt, this.publicKey, 'RS256')
		) {
			return { ok: false, message: 'Access token validation failure. Invalid signature.' };
		}
		const { payload } = jwt;
		if (payload.aud !== audience) {
			return { ok: false, message: 'Access token validation failure. Invalid audience.' };
		}
		const exp = numericClaim(payload, 'exp');
		const nbf = numericClaim(payload, 'nbf');
		const uti = typeof payload.uti === 'string' ? payload.uti : '';
		const now = nowSeconds();
		// No clock-skew allowance: tests that shorten tokenLifetimeSeconds want expiry to be exact.
		if (exp === undefined || exp <= now || this.revokedUtis.has(uti))
			return { ok: false, message: EXPIRED_TOKEN_MESSAGE };
		if (nbf !== undefined && nbf > now)
			return { ok: false, message: 'Lifetime validation failed, the token is not yet valid.' };
		const roles = Array.isArray(payload.roles)
			? payload.roles.filter((r): r is string => typeof r === 'string')
			: [];
		if (typeof payload.appid !== 'string' || typeof payload.tid !== 'string') {
			return { ok: false, message: 'Access token validation failure.' };
		}
		return { ok: true, claims: { appid: payload.appid, tid: payload.tid, roles, uti } };
	}

	/** The signing key as a JSON Web Key Set, for the discovery keys endpoint. */
	jwks(): JsonObject {
		const jwk = this.publicKey.export({ format: 'jwk' });
		return {
			keys: [
				{ kty: 'RSA', use: 'sig', kid: this.kid, x5t: this.kid, n: jwk.n ?? '', e: jwk.e ?? '' },
			],
		};
	}
}
