import type { Sample } from '../../../bench/scenarios/driver/recorder';
import {
  firstEvenRun,
  isEven,
  okRate,
  replicaSeconds,
  sharePercent,
} from '../../../bench/scenarios/scaling.timeline';

function sample(atMs: number, replica: string | null, status: number | null = 200, group = 'load'): Sample {
  return {
    user: 0,
    group,
    atMs,
    endMs: atMs + 1,
    latencyUs: 1000,
    status,
    error: null,
    replica,
    via: 'nginx',
  };
}

/** `perSecond[t]` = served per replica in second t. */
function traffic(perSecond: Record<string, number>[]): Sample[] {
  return perSecond.flatMap((row, t) =>
    Object.entries(row).flatMap(([replica, n]) =>
      Array.from({ length: n }, (_, i) => sample(t * 1000 + i, replica)),
    ),
  );
}

describe('scaling timeline', () => {
  it('counts served responses, 401s and re-logins per second and replica', () => {
    const seconds = replicaSeconds([
      sample(10, 'r0'),
      sample(20, 'r0', 401),
      sample(30, 'r1', 200, 'relogin'),
      sample(1500, 'r1', 200, 'new'),
      sample(40, null, null),
    ]);
    expect(seconds.get(0)).toEqual({
      r0: { served: 2, status401: 1, relogins: 0, p99Us: 1000 },
      r1: { served: 0, status401: 0, relogins: 1, p99Us: null },
    });
    expect(seconds.get(1)?.r1?.served).toBe(1);
  });

  it.each([
    [{ r0: 10, r1: 10 }, true],
    [{ r0: 12, r1: 8 }, true],
    [{ r0: 13, r1: 7 }, false],
    [{ r0: 20 }, false],
    [{}, false],
  ])('calls %j even within ±20%%: %s', (row, expected) => {
    const seconds = replicaSeconds(traffic([row]));
    expect(isEven(seconds.get(0), ['r0', 'r1'], 0.2)).toBe(expected);
  });

  it('finds the first run of even seconds, or null when the load never evens out', () => {
    const uneven = { r0: 10, r1: 10, r2: 0 };
    const even = { r0: 10, r1: 10, r2: 10 };
    const seconds = replicaSeconds(traffic([uneven, uneven, even, uneven, even, even, even]));
    const ids = ['r0', 'r1', 'r2'];
    expect(
      firstEvenRun(seconds, ids, { fromSecond: 0, lastSecond: 6 }, { tolerance: 0.2, runLength: 3 }),
    ).toBe(4);
    expect(
      firstEvenRun(seconds, ids, { fromSecond: 0, lastSecond: 5 }, { tolerance: 0.2, runLength: 3 }),
    ).toBeNull();
  });

  it('rates successes per second over a window and shares of chosen replicas', () => {
    const samples = [sample(100, 'r0'), sample(600, 'r2'), sample(900, 'r2', 401), sample(1200, 'r0')];
    expect(okRate(samples, ['load'], 0, 1000)).toBe(2);
    expect(okRate(samples, ['load'], 1000, 1000)).toBeNull();
    expect(sharePercent(samples, ['r2'])).toBe(50);
    expect(sharePercent([], ['r2'])).toBeNull();
  });
});
