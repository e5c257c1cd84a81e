import { failedChecks, measurement, runScenario, shortened, testContext } from './scenario.context';

const t = testContext();
afterAll(() => t.stopAll());

const short = {
  users: 4,
  thinkMs: 50,
  outageAtSeconds: 1,
  outageSeconds: 2,
  recoverySeconds: 3,
  maxRelogins: 2,
  requestTimeoutMs: 1500,
};

describe('store outage scenario (shortened)', () => {
  it('with Redis down, session-redis protected routes answer 503 and never 200, and users log in again once it is back', async () => {
    const result = await runScenario(t, shortened('store-outage', short), { setup: 'session-redis' });
    expect(failedChecks(result)).toEqual([]);
    expect(measurement(result, 'status503DuringOutageCount')).toBeGreaterThan(0);
    expect(measurement(result, 'okDuringOutageCount')).toBe(0);
    expect(measurement(result, 'unknownCallerAcceptedCount')).toBe(0);
    expect(result.injected.map((i) => i.what)).toEqual([
      'stop Redis',
      'start Redis (empty)',
      'Redis answers again',
    ]);
  }, 60_000);

  it('a fail-closed denylist answers 503 during the outage and lets no revoked token through', async () => {
    const result = await runScenario(t, shortened('store-outage', short), {
      setup: 'jwt-denylist',
      variant: 'fail-closed',
      appEnv: { REVOCATION_FAIL_MODE: 'closed' },
    });
    expect(failedChecks(result)).toEqual([]);
    expect(measurement(result, 'okDuringOutageCount')).toBe(0);
    expect(measurement(result, 'revokedAcceptedDuringOutageCount')).toBe(0);
  }, 60_000);

  it('a fail-open denylist keeps serving during the outage and accepts a revoked token meanwhile', async () => {
    const result = await runScenario(t, shortened('store-outage', short), {
      setup: 'jwt-denylist',
      variant: 'fail-open',
      appEnv: { REVOCATION_FAIL_MODE: 'open' },
    });
    expect(failedChecks(result)).toEqual([]);
    expect(measurement(result, 'okDuringOutageCount')).toBeGreaterThan(0);
    expect(measurement(result, 'revokedAcceptedDuringOutageCount')).toBeGreaterThan(0);
    expect(measurement(result, 'unknownCallerAcceptedCount')).toBe(0);
    expect(result.params.variant).toBe('fail-open');
  }, 60_000);

  it('with Redis hung (SIGSTOP), session-redis answers 503 within the store timeout, never 200 and never hangs, and recovers on SIGCONT', async () => {
    const result = await runScenario(t, shortened('store-outage', short), {
      setup: 'session-redis',
      variant: 'hung',
    });
    expect(failedChecks(result)).toEqual([]);
    expect(measurement(result, 'status503DuringOutageCount')).toBeGreaterThan(0);
    expect(measurement(result, 'okDuringOutageCount')).toBe(0);
    expect(measurement(result, 'otherFailuresDuringOutageCount')).toBe(0);
    expect(result.injected.map((i) => i.what)).toEqual([
      'hang Redis (SIGSTOP)',
      'resume Redis (SIGCONT)',
      'Redis answers again',
    ]);
  }, 60_000);
});
