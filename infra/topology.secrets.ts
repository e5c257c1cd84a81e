/**
 * Secrets shared by the replicas of one topology, generated once per
 * topology (never reused across runs, never taken from the caller's shell)
 * and handed over as files readable only by the owner: environment variables
 * show up in /proc/<pid>/environ and in crash dumps, files do not.
 */
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** 256-bit secrets: the API refuses anything under 32 bytes (docs/security.md, requirement 24). */
const SECRET_BYTES = 32;

const ASYMMETRIC: Record<string, () => { privateKey: string; publicKey: string }> = {
  RS256: () => pem(['rsa', { modulusLength: 2048 }]),
  ES256: () => pem(['ec', { namedCurve: 'P-256' }]),
  EdDSA: () => pem(['ed25519', {}]),
};

/** generateKeyPairSync's overloads want a literal key type; one loose signature keeps the table small. */
type LooseGenerate = (
  type: string,
  options: object,
) => {
  privateKey: { export(options: object): string | Buffer };
  publicKey: { export(options: object): string | Buffer };
};

function pem([type, options]: [string, object]): { privateKey: string; publicKey: string } {
  const pair = (generateKeyPairSync as unknown as LooseGenerate)(type, options);
  return {
    privateKey: String(pair.privateKey.export({ type: 'pkcs8', format: 'pem' })),
    publicKey: String(pair.publicKey.export({ type: 'spki', format: 'pem' })),
  };
}

function writeSecret(dir: string, name: string, content: string): string {
  const path = join(dir, name);
  writeFileSync(path, content, { mode: 0o600 });
  return path;
}

/** Environment entries (`*_FILE`) pointing at freshly written secrets in `dir`. */
export function writeTopologySecrets(dir: string, jwtAlg: string | undefined): Record<string, string> {
  const env: Record<string, string> = {
    SESSION_SECRET_FILE: writeSecret(dir, 'session-secret', randomBytes(SECRET_BYTES).toString('hex')),
    JWT_SECRET_FILE: writeSecret(dir, 'jwt-secret', randomBytes(SECRET_BYTES).toString('hex')),
  };
  const makePair = jwtAlg ? ASYMMETRIC[jwtAlg] : undefined;
  if (makePair) {
    const pair = makePair();
    env.JWT_PRIVATE_KEY_FILE = writeSecret(dir, 'jwt-private.pem', pair.privateKey);
    env.JWT_PUBLIC_KEY_FILE = writeSecret(dir, 'jwt-public.pem', pair.publicKey);
  }
  return env;
}
