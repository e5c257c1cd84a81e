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
    const plan = { ...profilePlan('full'), repetitions: 1, replicas: [1] };
    const names = scheduleRuns(plan, [DEFAULT_VARIANT]).map((r) => `${r.setup}@${r.variant.name}`);
    for (const setup of ['session-redis', 'jwt-denylist', 'hybrid'])
      expect(names).toEqual(expect.arrayContaining([`${setup}@candidate`, `${setup}@candidate+rtt1ms`]));
    expect(names.filter((n) => n.endsWith('+rtt1ms'))).toHaveLength(3);
    expect(names).not.toContain('jwt@candidate+rtt1ms');
  });
});
