import { failedChecks, measurement, runScenario, shortened, testContext } from './scenario.context';

const t = testContext();
afterAll(() => t.stopAll());

const short = { sessionCounts: [1000, 3000], sampleLogins: 2, projectUsers: 1_000_000 };

describe('server-side state scenario (shortened)', () => {
  it('measures Redis bytes per session from copies of a real session record, and projects a million users', async () => {
    const result = await runScenario(t, shortened('server-state', short), { setup: 'session-redis' });
    expect(failedChecks(result)).toEqual([]);
    const perSession = measurement(result, 'redisBytesPerEntryAt3000');
    expect(perSession).toBeGreaterThan(measurement(result, 'realEntryPayloadBytes'));
    expect(perSession).toBeLessThan(10_000);
    expect(measurement(result, 'bytesPerSession')).toBe(perSession);
    expect(measurement(result, 'projectedBytesFor1000000Users') / 1_000_000).toBeCloseTo(perSession, 0);
    expect(measurement(result, 'credentialHeaderBytesPerRequest')).toBeGreaterThan(0);
  }, 60_000);

  it('measures heap per session of the memory store used by sticky replicas', async () => {
    const result = await runScenario(t, shortened('server-state', short), { setup: 'session-sticky' });
    expect(failedChecks(result)).toEqual([]);
    const perSession = measurement(result, 'heapBytesPerSessionAt3000');
    expect(perSession).toBeGreaterThan(measurement(result, 'sessionRecordBytes'));
    expect(perSession).toBeLessThan(20_000);
  }, 60_000);

  it('a plain JWT stores nothing on the server but carries its token in every request', async () => {
    const result = await runScenario(t, shortened('server-state', short), { setup: 'jwt' });
    expect(failedChecks(result)).toEqual([]);
    expect(result.measurements.bytesPerSession).toBeNull();
    const token = measurement(result, 'accessTokenBytes');
    expect(measurement(result, 'credentialHeaderBytesPerRequest')).toBe(
      'authorization: Bearer '.length + token + 2,
    );
    expect(measurement(result, 'credentialBytesPerMillionRequests')).toBe(
      measurement(result, 'credentialHeaderBytesPerRequest') * 1_000_000,
    );
  }, 60_000);
});
