import { failedChecks, measurement, runScenario, shortened, testContext } from './scenario.context';

const t = testContext();
afterAll(() => t.stopAll());

describe('login storm scenario (shortened)', () => {
  it('everyone logging in at once is answered, and already logged-in users keep being served', async () => {
    const result = await runScenario(
      t,
      shortened('login-storm', {
        backgroundUsers: 3,
        thinkMs: 50,
        stormUsers: 24,
        baselineSeconds: 1,
        stormTimeoutSeconds: 30,
        afterSeconds: 1,
        requestTimeoutMs: 5000,
      }),
      { setup: 'session-redis' },
    );
    expect(failedChecks(result)).toEqual([]);
    expect(measurement(result, 'loginsOkCount') + measurement(result, 'login429Count')).toBe(24);
    expect(measurement(result, 'loginThroughputPerSecond')).toBeGreaterThan(0);
    // Latency counts from the moment all logins were sent, so no login can outlast the storm itself.
    expect(measurement(result, 'loginLatencyP50Ms')).toBeGreaterThan(0);
    expect(measurement(result, 'loginLatencyMaxMs')).toBeLessThanOrEqual(
      measurement(result, 'stormDurationMs'),
    );
    expect(measurement(result, 'backgroundRequestsDuringCount')).toBeGreaterThan(0);
    expect(measurement(result, 'backgroundP99DuringMs')).toBeGreaterThan(0);
  }, 60_000);
});
