import { DEFAULT_VARIANT } from '../../../bench/plan/variant';
import { estimateRunSeconds, scheduleRuns } from '../../../bench/plan/plan.schedule';

describe('the interleaved schedule', () => {
  const a = { name: 'base', appEnv: {} };
  const b = { name: 'candidate', appEnv: {} };

  test('repetitions interleave the cells (A B C A B C), never one cell repeated back to back', () => {
    const runs = scheduleRuns({ setups: ['jwt', 'hybrid'], replicas: [1, 2], repetitions: 2 }, [b]);
    expect(runs.map((r) => `${r.setup}x${r.replicas}#${r.repetition}`)).toEqual([
      'jwtx1#0',
      'jwtx2#0',
      'hybridx1#0',
      'hybridx2#0',
      'jwtx1#1',
      'jwtx2#1',
      'hybridx1#1',
      'hybridx2#1',
    ]);
    expect(runs.map((r) => r.order)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
  });

  test('two variants run back to back per cell, alternating which goes first (ABBA)', () => {
    const runs = scheduleRuns({ setups: ['jwt'], replicas: [1], repetitions: 4 }, [a, b]);
    expect(runs.map((r) => r.variant.name)).toEqual([
      'base',
      'candidate',
      'candidate',
      'base',
      'base',
      'candidate',
      'candidate',
      'base',
    ]);
  });
});

describe('scheduling a normal run', () => {
  it('runs the default variant, the candidate with no extra environment, once per cell', () => {
    const runs = scheduleRuns({ setups: ['jwt'], replicas: [1, 2], repetitions: 1 }, [DEFAULT_VARIANT]);
    expect(runs.map((r) => [r.variant.name, r.variant.appEnv, r.replicas])).toEqual([
      ['candidate', {}, 1],
      ['candidate', {}, 2],
    ]);
  });

  it("with --cpu-profile each cell's first repetition is followed by its profiled twin, later ones are not", () => {
    const runs = scheduleRuns({ setups: ['jwt'], replicas: [1, 2], repetitions: 2, cpuProfile: true }, [
      DEFAULT_VARIANT,
    ]);
    expect(runs.map((r) => `x${r.replicas}#${r.repetition}${r.profiled ? 'p' : ''}`)).toEqual([
      'x1#0',
      'x1#0p',
      'x2#0',
      'x2#0p',
      'x1#1',
      'x2#1',
    ]);
    expect(runs.map((r) => r.order)).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it('an empty plan schedules nothing', () => {
    expect(scheduleRuns({ setups: [], replicas: [1], repetitions: 3 }, [DEFAULT_VARIANT])).toEqual([]);
  });
});

describe('the ETA of one run before any has finished', () => {
  it.each([
    ['start and stop, logins of 10% of the connections, warm-up and window', 2, 5, 16, 3 + 1.6 + 2 + 5],
    ['logins count at most 10 s', 0, 10, 500, 3 + 10 + 0 + 10],
  ])('%s', (_name, warmupSeconds, durationSeconds, connections, expected) => {
    expect(estimateRunSeconds({ warmupSeconds, durationSeconds, connections })).toBeCloseTo(expected, 10);
  });
});
