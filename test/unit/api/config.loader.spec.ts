/**
 * Configuration validation: every problem listed at once with name, value and
 * what is allowed; secrets required and long enough (docs/security.md, 24); access
 * token lifetime capped at 15 minutes (26).
 */
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../../apps/api/src/config/config.loader';

const SECRET = 'a'.repeat(32);

function problemsOf(env: Record<string, string>): string[] {
  const result = loadConfig(env);
  return result.ok ? [] : result.problems;
}

describe('loadConfig', () => {
  test('session mode with a secret and nothing else starts with the documented defaults', () => {
    const result = loadConfig({ SESSION_SECRET: SECRET });
    if (!result.ok) throw new Error(result.problems.join('\n'));
    expect(result.config).toMatchObject({
      port: 3000,
      host: '127.0.0.1',
      replicaId: 'r0',
      authMode: 'session',
      sessionStore: 'memory',
      redisUrl: null,
      users: 10_000,
      sessionIdleSeconds: 1800,
      sessionAbsoluteSeconds: 28800,
      keepAliveTimeoutMs: 65_000,
      storeTimeoutMs: 1000,
      headersTimeoutMs: 10_000,
      requestTimeoutMs: 15_000,
      passwordHash: { kind: 'argon2id', memoryKib: 19456, timeCost: 2, parallelism: 1 },
      calibrationCpuUs: 0,
      calibrationDelayMs: 0,
    });
    expect(result.warnings).toEqual([]);
  });

  test('STORE_TIMEOUT_MS is a whole number of milliseconds from 50 to 30000', () => {
    const ok = loadConfig({ SESSION_SECRET: SECRET, STORE_TIMEOUT_MS: '250' });
    expect(ok.ok && ok.config.storeTimeoutMs).toBe(250);
    for (const bad of ['0', '10', '30001', '1s', '-5']) {
      const result = loadConfig({ SESSION_SECRET: SECRET, STORE_TIMEOUT_MS: bad });
      expect(result.ok ? [] : result.problems).toEqual([expect.stringMatching(/^STORE_TIMEOUT_MS: got/)]);
    }
  });

  test('CPU profiling is off unless CPU_PROFILE_DIR names an absolute directory', () => {
    const off = loadConfig({ SESSION_SECRET: SECRET });
    expect(off.ok && off.config.cpuProfileDir).toBeNull();
    const on = loadConfig({ SESSION_SECRET: SECRET, CPU_PROFILE_DIR: '/tmp/profiles' });
    expect(on.ok && on.config.cpuProfileDir).toBe('/tmp/profiles');
    expect(problemsOf({ SESSION_SECRET: SECRET, CPU_PROFILE_DIR: 'profiles' })).toEqual([
      expect.stringMatching(/^CPU_PROFILE_DIR: got "profiles"; must be an absolute directory path/),
    ]);
  });

  test('HEADERS_TIMEOUT_MS may not exceed REQUEST_TIMEOUT_MS (Node refuses that server)', () => {
    const result = loadConfig({
      SESSION_SECRET: SECRET,
      HEADERS_TIMEOUT_MS: '20000',
      REQUEST_TIMEOUT_MS: '15000',
    });
    expect(result.ok ? [] : result.problems).toEqual([
      'HEADERS_TIMEOUT_MS: got "20000"; must be at most REQUEST_TIMEOUT_MS (15000)',
    ]);
  });

  test('every problem is reported at once, each naming the variable, the value received and what is allowed', () => {
    const problems = problemsOf({
      AUTH_MODE: 'jwt',
      JWT_SECRET: 'short',
      REVOCATION: 'denylist',
      USERS: '0',
      PORT: 'http',
      JWT_TTL_SECONDS: '3600',
      COOKIE_SECURE: 'maybe',
    });
    expect(problems).toHaveLength(6);
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^REDIS_URL: got not set; required with AUTH_MODE=jwt and REVOCATION=denylist/),
        expect.stringMatching(/^JWT_SECRET: got "5 bytes"; at least 32 bytes \(256 bits\)/),
        expect.stringMatching(/^USERS: got "0"; allowed: a whole number from 1 to 1000000/),
        expect.stringMatching(/^PORT: got "http"/),
        expect.stringMatching(/^JWT_TTL_SECONDS: got "3600"; allowed: a whole number from 1 to 900/),
        expect.stringMatching(/^COOKIE_SECURE: got "maybe"; allowed: auto, true, false/),
      ]),
    );
  });

  test.each([
    ['session without SESSION_SECRET', { AUTH_MODE: 'session' }, /^SESSION_SECRET: got not set; required/],
    ['jwt without JWT_SECRET', { AUTH_MODE: 'jwt' }, /^JWT_SECRET: got not set; required/],
    [
      'hybrid with a 31-byte JWT_SECRET',
      { AUTH_MODE: 'hybrid', REDIS_URL: 'redis://127.0.0.1:6379', JWT_SECRET: 'x'.repeat(31) },
      /^JWT_SECRET: got "31 bytes"/,
    ],
  ])('refuses to start: %s (24)', (_name, env, expected) => {
    expect(problemsOf(env)).toEqual([expect.stringMatching(expected)]);
  });

  test('a secret can come from a file (trailing newline ignored), but not from both a file and the variable', () => {
    const dir = mkdtempSync(join(tmpdir(), 'authscale-config-'));
    try {
      const file = join(dir, 'secret');
      writeFileSync(file, `${SECRET}\n`);
      const result = loadConfig({ SESSION_SECRET_FILE: file });
      expect(result.ok && result.config.sessionSecret).toBe(SECRET);
      expect(problemsOf({ SESSION_SECRET_FILE: file, SESSION_SECRET: SECRET })).toEqual([
        expect.stringMatching(/set one of them, not both/),
      ]);
      expect(problemsOf({ SESSION_SECRET_FILE: join(dir, 'missing') })).toEqual([
        expect.stringMatching(/must name a readable file \(ENOENT\)/),
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('an asymmetric key that does not fit JWT_ALG is a start-up error, not a 401 storm', () => {
    const dir = mkdtempSync(join(tmpdir(), 'authscale-config-'));
    try {
      const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'secp384r1' });
      writeFileSync(join(dir, 'k'), privateKey.export({ type: 'pkcs8', format: 'pem' }));
      writeFileSync(join(dir, 'p'), publicKey.export({ type: 'spki', format: 'pem' }));
      const env = {
        AUTH_MODE: 'jwt',
        JWT_PRIVATE_KEY_FILE: join(dir, 'k'),
        JWT_PUBLIC_KEY_FILE: join(dir, 'p'),
      };
      expect(problemsOf({ ...env, JWT_ALG: 'ES256' })).toEqual([
        expect.stringMatching(/JWT_PRIVATE_KEY_FILE.*P-256 \(prime256v1\) key, this is secp384r1/),
        expect.stringMatching(/JWT_PUBLIC_KEY_FILE.*P-256/),
      ]);
      expect(problemsOf({ ...env, JWT_ALG: 'RS256' })).toHaveLength(2);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('hash costs below the OWASP minimum are allowed for experiments but warned about', () => {
    const result = loadConfig({ SESSION_SECRET: SECRET, ARGON2_MEMORY_KIB: '1024', ARGON2_TIME_COST: '1' });
    expect(result.ok && result.warnings).toEqual([expect.stringMatching(/below the OWASP minimum/)]);
  });

  test('an absolute timeout shorter than the idle timeout is refused', () => {
    expect(
      problemsOf({ SESSION_SECRET: SECRET, SESSION_IDLE_SECONDS: '600', SESSION_ABSOLUTE_SECONDS: '60' }),
    ).toEqual([
      expect.stringMatching(
        /^SESSION_ABSOLUTE_SECONDS: got "60"; must be at least SESSION_IDLE_SECONDS \(600\)/,
      ),
    ]);
  });

  test('hybrid defaults to a 60 s access token and always needs Redis', () => {
    expect(problemsOf({ AUTH_MODE: 'hybrid', JWT_SECRET: SECRET })).toEqual([
      expect.stringMatching(/^REDIS_URL: got not set; required with AUTH_MODE=hybrid/),
    ]);
    const result = loadConfig({
      AUTH_MODE: 'hybrid',
      JWT_SECRET: SECRET,
      REDIS_URL: 'redis://127.0.0.1:6380',
    });
    expect(result.ok && result.config.jwt?.ttlSeconds).toBe(60);
  });
});

describe('loadConfig with AUTH_MODE=none (the baseline setup)', () => {
  test('needs no secret and no Redis, and keeps nothing of a credential check', () => {
    const result = loadConfig({ AUTH_MODE: 'none' });
    if (!result.ok) throw new Error(result.problems.join('\n'));
    expect(result.config).toMatchObject({
      authMode: 'none',
      redisUrl: null,
      sessionSecret: null,
      jwt: null,
    });
    expect(result.warnings).toEqual([]);
  });

  test('the secrets and USERS that deployments hand every setup are accepted and never read', () => {
    const result = loadConfig({
      AUTH_MODE: 'none',
      SESSION_SECRET_FILE: '/nonexistent/session-secret',
      JWT_SECRET: 'short',
      USERS: '200',
    });
    expect(result.ok && result.config.sessionSecret).toBeNull();
    expect(result.ok && result.config.jwt).toBeNull();
  });

  test.each([
    ['SESSION_STORE', 'redis'],
    ['REDIS_URL', 'redis://127.0.0.1:6379'],
    ['REVOCATION', 'denylist'],
    ['REVOCATION_FAIL_MODE', 'open'],
    ['JWT_ALG', 'EdDSA'],
    ['JWT_TTL_SECONDS', '60'],
    ['COOKIE_SECURE', 'true'],
    ['PASSWORD_HASH', 'bcrypt'],
    ['LOGIN_MAX_FAILURES', '3'],
    ['SESSION_IDLE_SECONDS', '600'],
  ])('refuses %s=%s, which only makes sense with auth, saying what to do', (name, value) => {
    expect(problemsOf({ AUTH_MODE: 'none', [name]: value })).toEqual([
      `${name}: got ${JSON.stringify(value)}; not allowed with AUTH_MODE=none (no credential is checked, so it would do nothing): remove it, or choose AUTH_MODE=session, jwt or hybrid`,
    ]);
  });

  test('every refused setting is listed at once, each once, even when its value is also invalid', () => {
    const problems = problemsOf({
      AUTH_MODE: 'none',
      SESSION_STORE: 'bogus',
      ARGON2_TIME_COST: 'x',
      PORT: '99999',
    });
    expect(problems).toEqual([
      expect.stringMatching(/^SESSION_STORE: got "bogus"; not allowed with AUTH_MODE=none/),
      expect.stringMatching(/^ARGON2_TIME_COST: got "x"; not allowed with AUTH_MODE=none/),
      expect.stringMatching(/^PORT: got "99999"; allowed: a whole number/),
    ]);
  });

  test('an unknown AUTH_MODE lists none among the allowed values and is checked as session, never as none', () => {
    expect(problemsOf({ AUTH_MODE: 'off' })).toEqual([
      expect.stringMatching(/^AUTH_MODE: got "off"; allowed: session, jwt, hybrid, none/),
      expect.stringMatching(/^SESSION_SECRET: got not set; required/),
    ]);
  });
});
