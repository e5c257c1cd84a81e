/**
 * The steady-state rule applied to a run (bench/runner/run.steady.ts): when
 * the warm-up may end, and the verdict and reason recorded for the run.
 */
import { buildPlan } from '../../../bench/plan/plan.build';
import type { TimelineBucket } from '../../../bench/results/results.schema';
import { steadyStateOf, unsteadyReason, warmupControl } from '../../../bench/runner/run.steady';

const bucket = (
  t: number,
  phase: TimelineBucket['phase'],
  byReplica: Record<string, number>,
  usPerRequest = 400,
) => {
  const requests = Object.values(byReplica).reduce((a, b) => a + b, 0);
  return {
    t,
    phase,
    requests,
    ok: requests,
    non2xx: 0,
    errors: 0,
    timeouts: 0,
    p50Us: 5000,
    p99Us: 9000,
    cpuSeconds: {
      replicas: (requests * usPerRequest) / 1e6,
      nginx: 0,
      redis: 0,
      'store-delay': 0,
      generator: 0,
    },
    replicaCpuSeconds: {},
    replicaRequests: byReplica,
    lagMs: 1,
  } satisfies TimelineBucket;
};

const plan = buildPlan({ warmup: '5', maxWarmup: '30', warmupRequests: '1000' });
const flat = (n: number, byReplica: Record<string, number>, phase: TimelineBucket['phase'] = 'warmup') =>
  Array.from({ length: n }, (_, i) => bucket(i + 1, phase, byReplica));

describe('when the warm-up may end', () => {
  const { ready, minSeconds, maxSeconds } = warmupControl(plan);

  it('takes its bounds from the plan', () => {
    expect([minSeconds, maxSeconds]).toEqual([5, 30]);
  });

  it.each([
    ['steady, and each replica served its share', flat(10, { r0: 300, r1: 300 }), true],
    ['steady, but a replica served less than its share', flat(10, { r0: 300, r1: 50 }), false],
    ['one replica idle by design (ip_hash), the other warm', flat(10, { r0: 600 }), true],
    ['warm enough but not steady', [...flat(5, { r0: 600 }), ...flat(5, { r0: 300 })], false],
  ])('%s: %s', (_name, buckets, expected) => {
    expect(ready(buckets)).toBe(expected);
  });
});

describe('when a window may open and whether it stands, for runs that can retry a window', () => {
  // The quick profile's 5 s window: the 10-bucket test takes 5 buckets before it.
  const { ready, accept } = warmupControl(plan, undefined, { retryWindows: true });

  it.each([
    ['5 warm buckets, each replica served its share', flat(5, { r0: 300, r1: 300 }), true],
    ['4 buckets: too few for the test to come', flat(4, { r0: 300, r1: 300 }), false],
    ['a replica served less than its share', flat(5, { r0: 300, r1: 50 }), false],
    [
      'its share served in part during the relaxed start',
      [...flat(2, { r0: 400 }, 'relaxed'), ...flat(5, { r0: 100 })],
      true,
    ],
    [
      'relaxed buckets, which the test does not read, making up the count',
      [...flat(3, { r0: 600 }, 'relaxed'), ...flat(4, { r0: 600 })],
      false,
    ],
  ])('opens on %s: %s', (_name, buckets, expected) => {
    expect(ready(buckets)).toBe(expected);
  });

  it.each([
    ['flat before and in the window', [...flat(5, { r0: 600 }), ...flat(5, { r0: 600 }, 'measured')], true],
    [
      'the window 50% faster than before it (still warming)',
      [...flat(5, { r0: 400 }), ...flat(5, { r0: 600 }, 'measured')],
      false,
    ],
    ['too few buckets for the test', [...flat(2, { r0: 600 }), ...flat(5, { r0: 600 }, 'measured')], false],
  ])('a window stands when %s: %s', (_name, buckets, expected) => {
    expect(accept!(buckets)).toBe(expected);
  });
});

describe("a run's steady-state record", () => {
  it('is flat when steady at the first check, with each replica’s warm-up requests', () => {
    const timeline = [...flat(5, { r0: 400 }), ...flat(4, { r0: 400 }, 'measured')];
    const s = steadyStateOf(
      timeline,
      { seconds: 5.01, accepted: true, readyChecks: 1, windowsTried: 1 },
      plan,
    );
    expect(s.verdict).toBe('flat');
    expect(s.warmupRequestsByReplica).toEqual({ r0: 2000 });
    expect(s.rule.windowBuckets).toBe(10);
    expect([s.windowsTried, s.atClose?.throughput.trend]).toEqual([1, 0]);
    expect(unsteadyReason(s)).toBeNull();
  });

  it('is flat when steady at the first check after a relaxed warm-up, however long that took', () => {
    const timeline = [
      ...flat(3, { r0: 900 }, 'relaxed'),
      ...flat(5, { r0: 400 }),
      ...flat(4, { r0: 400 }, 'measured'),
    ];
    expect(
      steadyStateOf(timeline, { seconds: 8, accepted: true, readyChecks: 1, windowsTried: 1 }, plan).verdict,
    ).toBe('flat');
  });

  it('is warmup when it settled later, and counts relaxed buckets as warm-up requests', () => {
    const timeline = [
      ...flat(3, { r0: 900 }, 'relaxed'),
      ...flat(9, { r0: 400 }),
      ...flat(4, { r0: 400 }, 'measured'),
    ];
    const s = steadyStateOf(timeline, { seconds: 12, accepted: true, readyChecks: 7, windowsTried: 1 }, plan);
    expect(s.verdict).toBe('warmup');
    expect(s.warmupRequestsByReplica).toEqual({ r0: 2700 + 3600 });
  });

  it('names the figures when it never settled, and the drift when the window slowed', () => {
    const timeline = [...flat(30, { r0: 400 }), ...flat(4, { r0: 400 }, 'measured')];
    expect(
      unsteadyReason(
        steadyStateOf(timeline, { seconds: 30, accepted: false, readyChecks: 25, windowsTried: 1 }, plan),
      ),
    ).toMatch(/^no steady state: not settled after 30 s/);
    const slowing = [
      ...flat(5, { r0: 400 }),
      bucket(6, 'measured', { r0: 400 }),
      bucket(7, 'measured', { r0: 400 }),
      bucket(8, 'measured', { r0: 300 }),
      bucket(9, 'measured', { r0: 300 }),
    ];
    expect(
      unsteadyReason(
        steadyStateOf(slowing, { seconds: 5, accepted: true, readyChecks: 1, windowsTried: 1 }, plan),
      ),
    ).toMatch(/^slowdown inside the window: throughput -25%/);
  });

  it('is unchecked when the rule is off (--max-warmup 0)', () => {
    const off = buildPlan({ warmup: '1', maxWarmup: '0' });
    expect(
      steadyStateOf(
        flat(4, { r0: 1 }, 'measured'),
        { seconds: 1, accepted: false, readyChecks: 1, windowsTried: 1 },
        off,
      ).verdict,
    ).toBe('unchecked');
  });
});
