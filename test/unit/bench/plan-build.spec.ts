import { UsageError } from '../../../infra/errors';
import { buildPlan } from '../../../bench/plan/plan.build';
import { PROFILES } from '../../../bench/plan/plan.profiles';
import { scheduleRuns } from '../../../bench/plan/plan.schedule';
import { SETUP_NAMES } from '../../../infra/setups.data';

function problemsOf(flags: Parameters<typeof buildPlan>[0]): string[] {
  try {
    buildPlan(flags);
  } catch (err) {
    if (err instanceof UsageError) return err.problems;
    throw err;
  }
  return [];
}

describe('building a plan from a profile and flags', () => {
  test('the quick profile covers every setup at 1 and 2 replicas with one repetition', () => {
    const plan = buildPlan({});
    expect(plan.setups).toEqual([...SETUP_NAMES]);
    expect(plan.replicas).toEqual([1, 2]);
    expect(plan.repetitions).toBe(1);
  });

  test('the full profile adds 4 replicas and repetitions', () => {
    const plan = buildPlan({ profile: 'full' });
    expect(plan.replicas).toEqual([1, 2, 4]);
    expect(plan.repetitions).toBeGreaterThan(1);
  });

  test('flags override any field and leave the profile data untouched', () => {
    const plan = buildPlan({
      setups: 'jwt,hybrid',
      replicas: '1,4',
      model: 'open',
      rate: '250',
      connections: '8',
      warmup: '0',
      duration: '2.5',
      repetitions: '2',
      mix: '/api/me=3,/api/items',
      cpuPerReplica: 'none',
      scenarios: 'none',
    });
    expect(plan).toMatchObject({
      setups: ['jwt', 'hybrid'],
      replicas: [1, 4],
      model: 'open',
      ratePerSecond: 250,
      connections: 8,
      warmupSeconds: 0,
      durationSeconds: 2.5,
      repetitions: 2,
      cpuPerReplica: null,
      scenarios: [],
      mix: [
        { path: '/api/me', weight: 3 },
        { path: '/api/items', weight: 1 },
      ],
    });
    expect(PROFILES.quick.setups).toEqual([...SETUP_NAMES]);
  });

  test('every bad flag is reported at once, each naming the flag, the value and what is allowed', () => {
    const problems = problemsOf({
      profile: 'huge',
      setups: 'jwt,nope',
      replicas: '0,x',
      model: 'fast',
      connections: '-1',
      duration: '0',
      repetitions: '1.5',
      mix: 'api=2',
      cpuPerReplica: 'lots',
    });
    const expected = [
      '--profile "huge"',
      '--setups "nope"',
      '--replicas "0"',
      '--replicas "x"',
      '--model "fast"',
      '--connections "-1"',
      '--duration "0"',
      '--repetitions "1.5"',
      '--mix "api=2"',
      '--cpu-per-replica "lots"',
    ];
    for (const fragment of expected) expect(problems.some((p) => p.includes(fragment))).toBe(true);
    expect(problems.length).toBe(expected.length);
    expect(problems.find((p) => p.includes('--setups'))).toContain('jwt, jwt-denylist');
  });

  test('the open model without a rate, and a rate with the closed model, are refused with the fix', () => {
    expect(problemsOf({ model: 'open' })).toEqual([expect.stringContaining('needs --rate')]);
    expect(problemsOf({ rate: '100' })).toEqual([expect.stringContaining('add --model open')]);
  });
});

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
