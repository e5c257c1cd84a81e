import { failedChecks, measurement, runScenario, shortened, testContext } from './scenario.context';

const t = testContext();
afterAll(() => t.stopAll());

const short = {
  users: 8,
  thinkMs: 50,
  faultAtSeconds: 1.5,
  durationSeconds: 5,
  maxRelogins: 2,
  requestTimeoutMs: 2000,
};

describe('replica loss and restart scenarios (shortened)', () => {
  it('after SIGKILL of one of two sticky replicas, the users whose session lived there get 401 and log in again, and only they do', async () => {
    const result = await runScenario(t, shortened('replica-loss', short, 2), { setup: 'session-sticky' });
    expect(failedChecks(result)).toEqual([]);
    const onVictim = measurement(result, 'usersWithSessionOnVictimCount');
    expect(onVictim).toBeGreaterThan(0);
    expect(measurement(result, 'status401Count')).toBeGreaterThan(0);
    expect(measurement(result, 'usersForcedToReloginCount')).toBeGreaterThan(0);
    expect(measurement(result, 'usersForcedToReloginCount')).toBeLessThanOrEqual(onVictim);
    expect(result.injected[0]?.what).toMatch(/^SIGKILL r\d$/);
  }, 60_000);

  it('after SIGKILL of one of two session-redis replicas, no user gets 401', async () => {
    const result = await runScenario(t, shortened('replica-loss', short, 2), { setup: 'session-redis' });
    expect(failedChecks(result)).toEqual([]);
    expect(measurement(result, 'status401Count')).toBe(0);
    expect(measurement(result, 'forcedReloginsCount')).toBe(0);
    expect(measurement(result, 'requestsAfterFaultCount')).toBeGreaterThan(20);
  }, 60_000);

  it('with one client IP, ip_hash puts every user on one replica, so killing it logs every user out', async () => {
    const result = await runScenario(t, shortened('replica-loss', short, 2), { setup: 'session-iphash' });
    expect(failedChecks(result)).toEqual([]);
    expect(measurement(result, 'usersWithSessionOnVictimCount')).toBe(short.users);
    expect(measurement(result, 'sessionsLostPercent')).toBe(100);
  }, 60_000);

  it('restarting a sticky replica also loses the sessions it held, and it serves again afterwards', async () => {
    const result = await runScenario(t, shortened('replica-restart', { ...short, durationSeconds: 7 }, 2), {
      setup: 'session-sticky',
    });
    expect(failedChecks(result)).toEqual([]);
    expect(measurement(result, 'usersForcedToReloginCount')).toBeGreaterThan(0);
    expect(measurement(result, 'victimDownMs')).toBeGreaterThan(0);
    expect(result.injected.map((i) => i.what)).toEqual([
      expect.stringMatching(/^restart r\d$/),
      expect.stringMatching(/ready again$/),
    ]);
  }, 60_000);
});
