/**
 * The calibration knob wired into the app: CALIBRATION_CPU_US adds that much
 * CPU to each authenticated request and nothing to unauthenticated ones;
 * CALIBRATION_DELAY_MS adds waiting. Server and client share this process, so
 * the test compares CPU per request with the knob on and off.
 */
import request from 'supertest';
import { credentials, JWT_SECRET, startApi, type RunningApi } from './api.harness';

const BURN_US = 3000;
const ROUNDS = 60;

const cpuNow = () => {
  const u = process.cpuUsage();
  return u.user + u.system;
};

/**
 * CPU per request, as the least of several measurements: this process's CPU
 * also pays for GC, the client side and the apps' start-up hashing on the
 * thread pool, all of which only ever add. The minimum of repeated windows
 * removes that additive noise (a clean CI run once read 3889 us for 3000).
 */
async function cpuPerRequest(
  api: RunningApi,
  path: string,
  headers: Record<string, string>,
  windows = 3,
): Promise<number> {
  for (let i = 0; i < 10; i++) await request(api.url).get(path).set(headers); // warm-up
  let least = Number.POSITIVE_INFINITY;
  for (let w = 0; w < windows; w++) {
    const start = cpuNow();
    for (let i = 0; i < ROUNDS; i++) await request(api.url).get(path).set(headers);
    least = Math.min(least, (cpuNow() - start) / ROUNDS);
  }
  return least;
}

describe('calibration knob', () => {
  let plain: RunningApi;
  let burning: RunningApi;

  beforeAll(async () => {
    plain = await startApi({ AUTH_MODE: 'jwt', JWT_SECRET });
    burning = await startApi({ AUTH_MODE: 'jwt', JWT_SECRET, CALIBRATION_CPU_US: String(BURN_US) });
  });

  afterAll(async () => {
    await plain?.close();
    await burning?.close();
  });

  test(`CALIBRATION_CPU_US=${BURN_US} adds about that much CPU per authenticated request, and none to health checks`, async () => {
    const bearer = async (api: RunningApi) => ({
      authorization: `Bearer ${(await request(api.url).post('/auth/login').send(credentials(1))).body.accessToken as string}`,
    });
    const added =
      (await cpuPerRequest(burning, '/api/me', await bearer(burning))) -
      (await cpuPerRequest(plain, '/api/me', await bearer(plain)));
    expect(added).toBeGreaterThan(BURN_US * 0.9);
    expect(added).toBeLessThan(BURN_US * 1.25);
    const healthAdded =
      (await cpuPerRequest(burning, '/healthz', {})) - (await cpuPerRequest(plain, '/healthz', {}));
    expect(healthAdded).toBeLessThan(BURN_US * 0.25);
  });

  test('CALIBRATION_DELAY_MS delays authenticated responses by at least that long', async () => {
    const delayed = await startApi({ AUTH_MODE: 'jwt', JWT_SECRET, CALIBRATION_DELAY_MS: '120' });
    try {
      const token = (await request(delayed.url).post('/auth/login').send(credentials(2))).body
        .accessToken as string;
      const start = Date.now();
      await request(delayed.url).get('/api/me').set('authorization', `Bearer ${token}`).expect(200);
      expect(Date.now() - start).toBeGreaterThanOrEqual(119);
      const healthStart = Date.now();
      await request(delayed.url).get('/healthz').expect(200);
      expect(Date.now() - healthStart).toBeLessThan(119);
    } finally {
      await delayed.close();
    }
  });
});
