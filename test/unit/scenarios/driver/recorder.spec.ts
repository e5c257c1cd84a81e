import {
  buildTimeline,
  countByOutcome,
  isOk,
  percentile,
  percentileOrNull,
  Recorder,
  type Sample,
} from '../../../../bench/scenarios/driver/recorder';

function sample(atMs: number, status: number | null, latencyUs = 1000, error: string | null = null): Sample {
  return {
    user: 0,
    group: 'load',
    atMs,
    endMs: atMs + latencyUs / 1000,
    latencyUs,
    status,
    error,
    replica: null,
    via: 'nginx',
  };
}

describe('scenario timeline', () => {
  it('buckets requests by the second they started, with every status and the failures', () => {
    const timeline = buildTimeline([
      sample(10, 200, 500),
      sample(900, 401),
      sample(1500, 503),
      sample(1600, null, 2000, 'timeout'),
      sample(3100, 200, 800),
    ]);
    expect(timeline).toEqual([
      { t: 0, ok: 1, byStatus: { 200: 1, 401: 1 }, errors: 0, p99Us: 1000 },
      { t: 1, ok: 0, byStatus: { 503: 1 }, errors: 1, p99Us: 1000 },
      { t: 2, ok: 0, byStatus: {}, errors: 0, p99Us: null },
      { t: 3, ok: 1, byStatus: { 200: 1 }, errors: 0, p99Us: 800 },
    ]);
  });

  it('an empty run has an empty timeline', () => {
    expect(buildTimeline([])).toEqual([]);
  });

  it.each([
    [[5, 1, 3, 2, 4], 50, 3],
    [[5, 1, 3, 2, 4], 99, 5],
    [[5, 1, 3, 2, 4], 1, 1],
    [[7], 99, 7],
  ])('nearest-rank percentile of %j at p%d is %d', (values, p, expected) => {
    expect(percentile(values, p)).toBe(expected);
  });

  it('outcomes are counted by status, failures by their error', () => {
    expect(countByOutcome([sample(0, 200), sample(0, 200), sample(0, null, 1, 'ECONNREFUSED')])).toEqual({
      200: 2,
      ECONNREFUSED: 1,
    });
  });
});

describe('the recorder', () => {
  it('records who sent what, when, and what came back, on one clock', () => {
    const rec = new Recorder();
    const at = rec.now();
    const s = rec.record(7, 'revoked', 'r1', at, {
      status: 401,
      error: null,
      latencyUs: 1234,
      headers: {},
      body: '',
      replica: 'r1',
    });
    expect(s).toMatchObject({ user: 7, group: 'revoked', via: 'r1', atMs: at, latencyUs: 1234, status: 401 });
    expect(s.endMs).toBeGreaterThanOrEqual(at);
    expect(s.endMs).toBeLessThanOrEqual(rec.now());
    expect(rec.select((x) => x.group === 'revoked')).toEqual([s]);
    expect(rec.select((x) => x.group === 'load')).toEqual([]);
  });

  it('maps its clock to wall-clock time, to compare with token exp claims', () => {
    const before = Date.now();
    const rec = new Recorder();
    const after = Date.now();
    expect(rec.wallClock(1000) - 1000).toBeGreaterThanOrEqual(before);
    expect(rec.wallClock(1000) - 1000).toBeLessThanOrEqual(after);
  });

  it.each([
    [200, true],
    [204, true],
    [299, true],
    [301, false],
    [401, false],
    [null, false],
  ])('status %s is ok: %s', (status, ok) => {
    expect(isOk({ status })).toBe(ok);
  });

  it('percentiles of nothing: NaN for the raw helper, null for measurements', () => {
    expect(percentile([], 50)).toBeNaN();
    expect(percentileOrNull([], 50)).toBeNull();
    expect(percentileOrNull([4, 2], 50)).toBe(2);
  });
});
