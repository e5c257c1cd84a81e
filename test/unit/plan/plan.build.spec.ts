import { UsageError } from '../../../infra/errors';
import { buildPlan } from '../../../bench/plan/plan.build';
import { PROFILES } from '../../../bench/plan/plan.profiles';
import { SCENARIO_NAMES } from '../../../bench/scenarios/scenarios.data';
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

describe('each flag, its value and what is allowed', () => {
  it.each([
    ['connections', '0', '--connections "0" is invalid: use a whole number from 1 to 1000.'],
    ['connections', '1001', '--connections "1001" is invalid: use a whole number from 1 to 1000.'],
    ['rate', '-5', '--rate "-5" is invalid: use a positive number of requests per second (open model).'],
    ['warmup', '-1', '--warmup "-1" is invalid: use seconds from 0 to 3600.'],
    ['duration', '3601', '--duration "3601" is invalid: use seconds above 0, at most 3600.'],
    ['repetitions', '101', '--repetitions "101" is invalid: use a whole number from 1 to 100.'],
    [
      'cpuPerReplica',
      '65',
      '--cpu-per-replica "65" is invalid: use a positive number of CPUs (e.g. 0.25), or "none" for no budget.',
    ],
    [
      'sloP99Ms',
      '0',
      '--slo-p99-ms "0" is invalid: use a latency objective in milliseconds above 0 (e.g. 50), or "none".',
    ],
    ['replicas', '', '--replicas is empty: give replica counts such as 1,2,4.'],
    ['setups', ' , ', '--setups is empty: name at least one of ' + SETUP_NAMES.join(', ') + ' (or "all").'],
    ['mix', '', '--mix is empty: give path=weight pairs such as /api/me=3,/api/items=1.'],
    [
      'mix',
      '/api/me=0',
      '--mix "/api/me=0" is invalid: use path=weight with a path starting with / and a positive weight (e.g. /api/me=3).',
    ],
  ] as const)('--%s "%s" is refused with its fix', (flag, value, problem) => {
    const flags = flag === 'rate' ? { model: 'open', rate: value } : { [flag]: value };
    expect(problemsOf(flags)).toEqual([problem]);
  });

  it.each([
    ['cpuPerReplica', 'cpuPerReplica'],
    ['sloP99Ms', 'sloP99Ms'],
  ] as const)('--%s none removes the value', (flag, key) => {
    expect(buildPlan({ [flag]: 'none', sloP99Ms: flag === 'sloP99Ms' ? 'none' : '50' })[key]).toBeNull();
  });

  it('a valid latency objective and CPU budget are kept as numbers', () => {
    expect(buildPlan({ sloP99Ms: '50', cpuPerReplica: '0.5' })).toMatchObject({
      sloP99Ms: 50,
      cpuPerReplica: 0.5,
    });
  });

  it('"all" names every setup and every scenario; repeated names count once', () => {
    expect(buildPlan({ setups: 'all', scenarios: 'all' })).toMatchObject({
      setups: [...SETUP_NAMES],
      scenarios: [...SCENARIO_NAMES],
    });
    expect(buildPlan({ setups: 'jwt,jwt', replicas: '2,1,2' })).toMatchObject({
      setups: ['jwt'],
      replicas: [2, 1],
    });
  });

  it('unknown scenario names are reported under --scenarios', () => {
    expect(problemsOf({ scenarios: 'nope' })).toEqual([expect.stringMatching(/^--scenarios: .*"nope".*\.$/)]);
  });

  it('the closed model keeps no rate even when the profile had one', () => {
    expect(buildPlan({ model: 'closed' }).ratePerSecond).toBeNull();
    expect(buildPlan({ model: 'open', rate: '50' }).ratePerSecond).toBe(50);
  });

  it.each([
    [
      { maxWarmup: '-1' },
      '--max-warmup "-1" is invalid: use seconds from 0 to 3600 (0: a fixed --warmup, no steady-state rule).',
    ],
    [
      { warmupRequests: '1.5' },
      '--warmup-requests "1.5" is invalid: use a whole number of requests from 0 to 1000000.',
    ],
    [
      { connectionsPer: 'node' },
      '--connections-per "node" is invalid: use replica (the same load on every replica at every count) or total.',
    ],
    [
      { warmup: '20', maxWarmup: '10' },
      '--max-warmup 10 is below --warmup 20: the limit must be at least the minimum (or 0 to turn the rule off).',
    ],
  ])('the warm-up rule: %j is refused with its fix', (flags, problem) => {
    expect(problemsOf(flags)).toEqual([problem]);
  });

  it('the warm-up rule can be turned off, and its flags are kept', () => {
    expect(
      buildPlan({ warmup: '20', maxWarmup: '0', warmupRequests: '500', connectionsPer: 'total' }),
    ).toMatchObject({
      warmupSeconds: 20,
      maxWarmupSeconds: 0,
      warmupRequestsPerReplica: 500,
      connectionsPer: 'total',
    });
  });

  it('warm-up problems are listed after the load flags and before the window flags', () => {
    expect(
      problemsOf({ connections: '0', maxWarmup: 'x', duration: '0' }).map((p) => p.split(' ')[0]),
    ).toEqual(['--connections', '--max-warmup', '--duration']);
  });
});
