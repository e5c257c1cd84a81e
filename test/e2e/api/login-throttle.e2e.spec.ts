/**
 * The per-account throttle under concurrency (docs/security.md, "Login
 * throttle"): attempts in flight count against the limit, so a burst sent at
 * once gets no more password verifications than LOGIN_MAX_FAILURES allows.
 * Real argon2id cost, so that verifications overlap as they would in an attack.
 */
import request from 'supertest';
import { credentials, JWT_SECRET, startApi, type RunningApi } from './api.harness';

const MAX_FAILURES = 5;
let api: RunningApi;

beforeAll(async () => {
  api = await startApi({
    AUTH_MODE: 'jwt',
    JWT_SECRET,
    ARGON2_MEMORY_KIB: '19456',
    ARGON2_TIME_COST: '2',
    LOGIN_MAX_PENDING: '64',
    LOGIN_MAX_FAILURES: String(MAX_FAILURES),
  });
  // The 16 real hashes are computed in the background at start-up: wait for them.
  await request(api.url).post('/auth/login').send(credentials(0)).expect(200);
});

afterAll(async () => {
  await api?.close();
});

const attempt = (body: object) =>
  request(api.url)
    .post('/auth/login')
    .send(body)
    .then((r) => r.status);

/** Every 200 or 401 is one password verification; a 429 is none. */
const verified = (statuses: number[]) => statuses.filter((s) => s === 200 || s === 401).length;

describe('per-account login throttle under concurrency', () => {
  test('20 wrong passwords sent at once on a fresh account get at most LOGIN_MAX_FAILURES verifications, the rest 429', async () => {
    const statuses = await Promise.all(
      Array.from({ length: 20 }, () => attempt({ username: 'user140', password: 'wrong' })),
    );
    expect(verified(statuses)).toBeLessThanOrEqual(MAX_FAILURES);
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(20 - MAX_FAILURES);
    expect(statuses.every((s) => s === 401 || s === 429)).toBe(true);
  });

  test('15 wrong guesses and the right password at once: at most LOGIN_MAX_FAILURES verifications in all', async () => {
    const wrong = Array.from({ length: 15 }, () => attempt({ username: 'user141', password: 'wrong' }));
    const right = attempt(credentials(141));
    const statuses = await Promise.all([...wrong, right]);
    expect(verified(statuses)).toBeLessThanOrEqual(MAX_FAILURES);
    // The account is now blocked: even the right password is refused without a verification.
    expect(await attempt(credentials(141))).toBe(429);
  });

  test('other accounts are not affected, and sequential logins of a good user are never throttled', async () => {
    for (let i = 0; i < MAX_FAILURES + 2; i++) expect(await attempt(credentials(142))).toBe(200);
  });
});
