/**
 * Replica loss and restart, from recorded requests to measurements and
 * checks. The requests are written by hand here; the real fault against a
 * real topology is test/integration/scenarios/replica-fault.spec.ts.
 */
import type { VirtualUser } from '../../../bench/client/virtual-user';
import type { Sample } from '../../../bench/scenarios/driver/recorder';
import { recorded, sampleMaker } from './recorded.fixture';
import {
  busiestReplica,
  sessionsLiveInReplicas,
  summarizeFault,
  type Fault,
  type FaultObservation,
} from '../../../bench/scenarios/replica-fault.scenario';
import type { ReplicaFaultParams } from '../../../bench/scenarios/scenarios.data';
import { findSetup } from '../../../infra/setups.data';

const params: ReplicaFaultParams = {
  users: 4,
  thinkMs: 50,
  faultAtSeconds: 2,
  durationSeconds: 6,
  maxRelogins: 2,
  requestTimeoutMs: 1000,
};

const sample = sampleMaker({ group: 'load', status: 200 });

/** Users 0 and 1 logged in on the victim r0, users 2 and 3 on r1; the fault at 2 s was over at 2.5 s. */
function observation(fault: Fault): FaultObservation {
  return {
    fault,
    userCount: 4,
    victim: 'r0',
    onVictim: new Set([0, 1]),
    faultAtMs: 2000,
    faultDoneMs: 2500,
    injected: [{ atSeconds: 2, what: fault === 'kill' ? 'SIGKILL r0' : 'restart r0' }],
  };
}

/** Before the fault every user is served; after it, the requests given. */
function run(after: Sample[]): Sample[] {
  return [0, 1, 2, 3]
    .map((user) => sample({ user, atMs: 1000, replica: user < 2 ? 'r0' : 'r1' }))
    .concat(after);
}

/** The victim's users get a 401 and log in again on r1; the others go on. */
const victimUsersLoggedOut = run([
  sample({ user: 0, atMs: 2100, status: 401, endMs: 2200 }),
  sample({ user: 0, atMs: 2200, group: 'relogin', replica: 'r1' }),
  sample({ user: 1, atMs: 2150, status: 401, endMs: 2300 }),
  sample({ user: 1, atMs: 2300, group: 'relogin', replica: 'r1' }),
  sample({ user: 2, atMs: 2100, replica: 'r1' }),
  sample({ user: 0, atMs: 5500, replica: 'r1' }),
]);

const checksOf = (o: ReturnType<typeof summarizeFault>) =>
  o.checks.map((c) => `${c.passed ? 'pass' : 'FAIL'}: ${c.name}`);

describe('summarizing a replica fault', () => {
  it('sticky sessions: the victim’s users log in again, and only they', () => {
    const out = summarizeFault(
      findSetup('session-sticky')!,
      params,
      recorded(victimUsersLoggedOut),
      observation('kill'),
    );
    expect(out.measurements).toMatchObject({
      usersCount: 4,
      usersWithSessionOnVictimCount: 2,
      requestsAfterFaultCount: 4,
      failedRequestsCount: 2,
      status401Count: 2,
      forcedReloginsCount: 2,
      usersForcedToReloginCount: 2,
      usersReloggedMoreThanOnceCount: 0,
      sessionsLostPercent: 50,
      timeToZeroErrorsMs: 300,
      responsesFromVictimAfterFaultCount: 0,
      victimDownMs: null,
    });
    expect(checksOf(out)).toEqual([
      'pass: users whose session lived on r0 had to log in again',
      'pass: users whose session lived elsewhere kept it',
      'pass: errors stopped before the end of the run',
      'pass: nginx sent nothing to the killed r0 that it answered',
    ]);
    expect(out.injected).toEqual([{ atSeconds: 2, what: 'SIGKILL r0' }]);
    expect(out.timeline.map((p) => p.t)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(out.notes[1]).toBe(
      'failed requests by outcome after the fault: {"401":2}; 502/504 mean nginx did not (or could not) retry another upstream',
    );
  });

  it('a shared store: the same 401s are a failed check, nobody should have been logged out', () => {
    const out = summarizeFault(
      findSetup('session-redis')!,
      params,
      recorded(victimUsersLoggedOut),
      observation('kill'),
    );
    expect(checksOf(out)[0]).toBe('FAIL: no user was logged out');
    expect(out.checks[0]!.detail).toBe('2 response(s) 401, 2 forced re-login(s)');
  });

  it.each<[string, Sample[], string, Record<string, number | null>]>([
    [
      'a user of another replica logged out',
      run([sample({ user: 3, atMs: 2100, status: 401 }), sample({ user: 3, atMs: 2200, group: 'relogin' })]),
      'FAIL: users whose session lived elsewhere kept it',
      { usersForcedToReloginCount: 1 },
    ],
    [
      'requests still failing in the last second',
      run([sample({ user: 2, atMs: 5200, status: 502, endMs: 5300 })]),
      'FAIL: errors stopped before the end of the run',
      { status502Count: 1, timeToZeroErrorsMs: null },
    ],
    [
      'the killed replica still answering after the kill',
      run([sample({ user: 2, atMs: 2600, replica: 'r0' })]),
      'FAIL: nginx sent nothing to the killed r0 that it answered',
      { responsesFromVictimAfterFaultCount: 1 },
    ],
    [
      'a user moved twice',
      run([
        sample({ user: 0, atMs: 2100, status: 401 }),
        sample({ user: 0, atMs: 2200, group: 'relogin' }),
        sample({ user: 0, atMs: 3100, status: 401 }),
        sample({ user: 0, atMs: 3200, group: 'relogin' }),
      ]),
      'pass: users whose session lived on r0 had to log in again',
      { usersReloggedMoreThanOnceCount: 1, forcedReloginsCount: 2, usersForcedToReloginCount: 1 },
    ],
  ])('sticky sessions with %s', (_name, samples, check, measurements) => {
    const out = summarizeFault(findSetup('session-sticky')!, params, recorded(samples), observation('kill'));
    expect(checksOf(out)).toContain(check);
    expect(out.measurements).toMatchObject(measurements);
  });

  it('network errors are counted apart from statuses', () => {
    const samples = run([sample({ user: 2, atMs: 2100, status: null, error: 'ECONNRESET' })]);
    const out = summarizeFault(findSetup('jwt')!, params, recorded(samples), observation('kill'));
    expect(out.measurements).toMatchObject({
      networkErrorsCount: 1,
      failedRequestsCount: 1,
      status502Count: 0,
    });
  });

  it('a restart measures how long the victim was down and has no kill check', () => {
    const out = summarizeFault(
      findSetup('session-sticky')!,
      params,
      recorded(victimUsersLoggedOut),
      observation('restart'),
    );
    expect(out.measurements).toMatchObject({ victimDownMs: 500, responsesFromVictimAfterFaultCount: null });
    expect(checksOf(out)).toHaveLength(3);
    expect(checksOf(out).join('\n')).not.toMatch(/killed/);
  });
});

describe('the victim and the setups that lose sessions with it', () => {
  it.each([
    ['session-sticky', true],
    ['session-iphash', true],
    ['session-redis', false],
    ['jwt', false],
    ['hybrid', false],
  ])('sessions of %s live in replica memory: %s', (setup, expected) => {
    expect(sessionsLiveInReplicas(findSetup(setup)!)).toBe(expected);
  });

  it.each<[string, (string | null)[], string]>([
    ['the replica most users logged in on', ['r1', 'r0', 'r1', null], 'r1'],
    ['the first replica on a tie', ['r1', 'r0'], 'r0'],
    ['the first replica when nobody logged in', [], 'r0'],
    ['the first replica when logins name replicas not in the topology', ['r9', 'r9'], 'r0'],
  ])('the victim is %s', (_name, logins, expected) => {
    const users = logins.map((loginReplica) => ({ loginReplica }) as VirtualUser);
    expect(busiestReplica(users, ['r0', 'r1'])).toBe(expected);
  });
});
