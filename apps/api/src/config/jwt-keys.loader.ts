/**
 * Turns JWT_* variables into KeyObjects and checks that each key fits the
 * algorithm (an RSA key for RS256, a P-256 key for ES256, Ed25519 for EdDSA,
 * a 256-bit secret for HS256), so a wrong key is a start-up error, not a 401
 * storm later.
 */
import { createPrivateKey, createPublicKey, createSecretKey, type KeyObject } from 'node:crypto';
import type { JwtAlg, JwtKey } from './config.types';
import type { EnvReader } from './env.reader';

const HMAC_MIN_BYTES = 32;
const KID_RE = /^[A-Za-z0-9._-]{1,64}$/;

export function loadCurrentKey(r: EnvReader, alg: JwtAlg): JwtKey | null {
  const kid = r.pattern('JWT_KID', 'k1', KID_RE, 'letters, digits, ".", "_" or "-", 1-64 characters');
  if (alg === 'HS256') {
    const secret = r.secret('JWT_SECRET', HMAC_MIN_BYTES);
    if (!secret) return null;
    const key = createSecretKey(secret);
    return { kid, verifyKey: key, signKey: key };
  }
  const privatePem = requiredFile(r, 'JWT_PRIVATE_KEY_FILE', alg);
  const publicPem = requiredFile(r, 'JWT_PUBLIC_KEY_FILE', alg);
  if (!privatePem || !publicPem) return null;
  const signKey = parseKey(r, 'JWT_PRIVATE_KEY_FILE', () => createPrivateKey(privatePem), alg);
  const verifyKey = parseKey(r, 'JWT_PUBLIC_KEY_FILE', () => createPublicKey(publicPem), alg);
  if (!signKey || !verifyKey) return null;
  return { kid, verifyKey, signKey };
}

/** The key of the previous rotation step: verify only. */
export function loadPreviousKey(r: EnvReader, alg: JwtAlg, currentKid: string | undefined): JwtKey | null {
  const kid = r.raw('JWT_PREVIOUS_KID');
  const hasMaterial =
    alg === 'HS256'
      ? r.raw('JWT_PREVIOUS_SECRET') !== undefined || r.raw('JWT_PREVIOUS_SECRET_FILE') !== undefined
      : r.raw('JWT_PREVIOUS_PUBLIC_KEY_FILE') !== undefined;
  if (kid === undefined && !hasMaterial) return null;
  if (kid === undefined || !KID_RE.test(kid) || kid === currentKid) {
    r.problem('JWT_PREVIOUS_KID', kid, 'required with a previous key: a key id different from JWT_KID');
    return null;
  }
  if (alg === 'HS256') {
    const secret = r.secret('JWT_PREVIOUS_SECRET', HMAC_MIN_BYTES);
    return secret ? { kid, verifyKey: createSecretKey(secret), signKey: null } : null;
  }
  const pem = requiredFile(r, 'JWT_PREVIOUS_PUBLIC_KEY_FILE', alg);
  const verifyKey = pem ? parseKey(r, 'JWT_PREVIOUS_PUBLIC_KEY_FILE', () => createPublicKey(pem), alg) : null;
  return verifyKey ? { kid, verifyKey, signKey: null } : null;
}

function requiredFile(r: EnvReader, name: string, alg: JwtAlg): Buffer | null {
  const path = r.raw(name);
  if (path === undefined) {
    r.problem(
      name,
      undefined,
      `required with JWT_ALG=${alg}: a PEM file (for example made with openssl genpkey); share it across replicas`,
    );
    return null;
  }
  return r.file(name, path);
}

function parseKey(r: EnvReader, name: string, parse: () => KeyObject, alg: JwtAlg): KeyObject | null {
  let key: KeyObject;
  try {
    key = parse();
  } catch {
    r.problem(name, r.raw(name), 'must contain a PEM key');
    return null;
  }
  const wrong = keyMismatch(key, alg);
  if (wrong) {
    r.problem(name, r.raw(name), wrong);
    return null;
  }
  return key;
}

function keyMismatch(key: KeyObject, alg: JwtAlg): string | null {
  const type = key.asymmetricKeyType;
  if (alg === 'RS256') {
    if (type !== 'rsa') return `RS256 needs an RSA key, this is ${type}`;
    const bits = key.asymmetricKeyDetails?.modulusLength ?? 0;
    return bits >= 2048 ? null : `RS256 needs an RSA key of at least 2048 bits, this has ${bits}`;
  }
  if (alg === 'ES256') {
    if (type !== 'ec') return `ES256 needs an EC key, this is ${type}`;
    const curve = key.asymmetricKeyDetails?.namedCurve;
    return curve === 'prime256v1' ? null : `ES256 needs a P-256 (prime256v1) key, this is ${curve}`;
  }
  if (alg === 'EdDSA') return type === 'ed25519' ? null : `EdDSA needs an Ed25519 key, this is ${type}`;
  return null;
}
