import {
  buildTimeline,
  countByOutcome,
  percentile,
  type Sample,
} from '../../../bench/scenarios/driver/recorder';
import { boundedLoop } from '../../../bench/scenarios/driver/user-loop';

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

describe('bounded loop', () => {
  it('stops at the request bound even when time is left', async () => {
    const n = await boundedLoop(
      { untilMs: 60_000, maxRequests: 5, thinkMs: 0 },
      () => 0,
      async () => undefined,
    );
    expect(n).toBe(5);
  });

  it('stops at the deadline even when requests are left', async () => {
    let clock = 0;
    const n = await boundedLoop(
      { untilMs: 30, maxRequests: 1000, thinkMs: 0 },
      () => clock,
      async () => {
        clock += 10;
      },
    );
    expect(n).toBe(3);
  });

  it('stops when the run is aborted', async () => {
    const controller = new AbortController();
    const n = await boundedLoop(
      { untilMs: 60_000, maxRequests: 1000, thinkMs: 1, signal: controller.signal },
      () => 0,
      async (i) => {
        if (i === 1) controller.abort();
      },
    );
    expect(n).toBe(2);
  });
});
