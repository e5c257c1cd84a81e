/**
 * The one policy for access tokens, applied by every algorithm's path: the
 * header check runs before the signature check (it picks the key), the claim
 * check after it, whether jsonwebtoken (HS256, RS256, ES256) or
 * eddsa.verifier.ts (EdDSA) checked the signature. The verifiers check
 * signatures only, so two verifiers cannot drift into two policies
 * (docs/security.md, "Access token claims").
 *
 * A leaf module: jwt.strategy.ts, denylist.store.ts and the config loader all
 * read its constants, and it imports nothing of theirs.
 */

/** Clock skew accepted between replicas and the issuer (RFC 8725 asks for a small leeway). */
export const CLOCK_TOLERANCE_SECONDS = 30;
/** Access tokens live at most 15 minutes. */
export const MAX_ACCESS_TTL_SECONDS = 900;
export const ACCESS_TOKEN_TYP = 'at+jwt';

export interface AccessClaims {
  sub: string;
  jti: string;
  exp: number;
}

export interface ClaimRules {
  issuer: string;
  audience: string;
  /** The configured lifetime (JWT_TTL_SECONDS): no token may outlive it, counted from now. */
  lifetimeSeconds: number;
}

export type Verdict<T> = { ok: true; value: T } | { ok: false; reason: string };

const refuse = (reason: string): { ok: false; reason: string } => ({ ok: false, reason });

/** Header rules; returns the kid to look up. */
export function checkHeader(header: Record<string, unknown>, alg: string): Verdict<string> {
  if (header.alg !== alg) return refuse('algorithm not allowed');
  if (header.typ !== ACCESS_TOKEN_TYP) return refuse('not an access token');
  // RFC 7515 4.1.11: a recipient must reject a token whose crit lists an
  // extension it does not understand. This API understands none, and an
  // empty or malformed crit is invalid in itself.
  if (header.crit !== undefined) return refuse('critical header extension not understood');
  if (typeof header.kid !== 'string') return refuse('no key id');
  return { ok: true, value: header.kid };
}

const isTime = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/** Claim rules, after a good signature. Times are NumericDate seconds; nowMs is the verifier's clock. */
export function checkClaims(
  payload: Record<string, unknown>,
  rules: ClaimRules,
  nowMs: number,
): Verdict<AccessClaims> {
  const { exp, iat, nbf, sub, jti, iss, aud } = payload;
  if (!isTime(exp) || !isTime(iat)) return refuse('exp and iat must be numbers');
  if (nbf !== undefined && !isTime(nbf)) return refuse('nbf must be a number');
  if (typeof sub !== 'string' || !/^\d{1,7}$/.test(sub)) return refuse('bad sub');
  if (typeof jti !== 'string' || jti.length === 0 || jti.length > 128) return refuse('bad jti');
  if (iss !== rules.issuer) return refuse('issuer invalid');
  if (!(Array.isArray(aud) ? aud.includes(rules.audience) : aud === rules.audience))
    return refuse('audience invalid');

  const now = Math.floor(nowMs / 1000);
  const tolerance = CLOCK_TOLERANCE_SECONDS;
  if (now >= exp + tolerance) return refuse('expired');
  if (nbf !== undefined && nbf > now + tolerance) return refuse('not active yet');
  // A future iat would otherwise stretch the life of a token: lifetime is
  // bounded both as issued (exp - iat) and as seen from now (exp - now).
  if (iat > now + tolerance) return refuse('issued in the future');
  const lifetime = Math.min(rules.lifetimeSeconds, MAX_ACCESS_TTL_SECONDS);
  if (exp - iat > lifetime || exp <= iat) return refuse('lifetime too long');
  if (exp - now > lifetime + tolerance) return refuse('expires too far ahead');
  return { ok: true, value: { sub, jti, exp } };
}
