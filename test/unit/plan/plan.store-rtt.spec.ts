import { UsageError } from '../../../infra/errors';
import { buildPlan } from '../../../bench/plan/plan.build';
import { profilePlan } from '../../../bench/plan/plan.profiles';
import { scheduleRuns } from '../../../bench/plan/plan.schedule';
import { DEFAULT_VARIANT } from '../../../bench/plan/variant';

const problemsOf = (flags: Parameters<typeof buildPlan>[0]): string[] => {
  try {
    buildPlan(flags);
    return [];
  } catch (err) {
    return (err as UsageError).problems;
  }
};

describe('--store-rtt in the plan', () => {
  it('sets the round trips the store setups run at', () => {
    expect(buildPlan({ setups: 'session-redis', storeRtt: '2ms' }).storeRttsMs).toEqual([2]);
    expect(buildPlan({ setups: 'session-redis,hybrid', storeRtt: '0,500us' }).storeRttsMs).toEqual([0, 0.5]);
    expect(buildPlan({}).storeRttsMs).toEqual([0]);
  });

  it('refuses a setup without a store, naming the ones with one', () => {
    expect(problemsOf({ setups: 'jwt,session-redis', storeRtt: '1ms' })).toEqual([
      expect.stringMatching(/jwt has no store: pick setups from jwt-denylist, session-redis, hybrid/),
    ]);
  });

  it('refuses negative, absurd and unreadable round trips', () => {
    for (const raw of ['-1ms', '2s', '5000ms', 'soon'])
      expect(problemsOf({ setups: 'session-redis', storeRtt: raw })).toEqual([
        expect.stringContaining(`--store-rtt "${raw}"`),
      ]);
  });

  it('runs the store setups of the full profile at 0 and 1 ms, under a variant name that says so', () => {
    const plan = { ...profilePlan('full'), repetitions: 1, replicas: [1, 2] };
    const names = scheduleRuns(plan, [DEFAULT_VARIANT]).map(
      (r) => `${r.setup}x${r.replicas}@${r.variant.name}`,
    );
    for (const setup of ['session-redis', 'jwt-denylist', 'hybrid'])
      expect(names).toEqual(expect.arrayContaining([`${setup}x1@candidate`, `${setup}x2@candidate+rtt1ms`]));
    // The full profile delays the hop at 2 replicas only.
    expect(names.filter((n) => n.endsWith('+rtt1ms'))).toEqual([
      'jwt-denylistx2@candidate+rtt1ms',
      'session-redisx2@candidate+rtt1ms',
      'hybridx2@candidate+rtt1ms',
    ]);
    expect(names).not.toContain('jwtx2@candidate+rtt1ms');
  });

  it.each([
    ['the full profile as shipped', { profile: 'full' }, [2]],
    ['--replicas that keep 2', { profile: 'full', replicas: '2,4' }, [2]],
    ['--replicas without 2: every replica count', { profile: 'full', replicas: '1,4' }, null],
    [
      '--store-rtt asked for by flag: every replica count',
      { profile: 'full', storeRtt: '0,1ms', setups: 'hybrid' },
      null,
    ],
  ])('delays the hop at the replica counts of %s', (_name, flags, expected) => {
    expect(buildPlan(flags).storeRttReplicas).toEqual(expected);
  });
});
