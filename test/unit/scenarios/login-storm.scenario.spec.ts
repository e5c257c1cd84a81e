/**
 * Login storm, from recorded requests to measurements and checks. The
 * requests are written by hand here; a real storm against real password
 * hashing is test/integration/scenarios/login-storm.spec.ts.
 */
import { Recorder, type Sample } from '../../../bench/scenarios/driver/recorder';
import { summarizeStorm, type StormContext } from '../../../bench/scenarios/login-storm.scenario';
import type { LoginStormParams } from '../../../bench/scenarios/scenarios.data';

const params: LoginStormParams = {
  backgroundUsers: 2,
  thinkMs: 50,
  stormUsers: 4,
  baselineSeconds: 1,
  stormTimeoutSeconds: 30,
  afterSeconds: 1,
  requestTimeoutMs: 5000,
};

const enforced: StormContext = {
  appEnv: {},
  budgets: {
    enforced: true,
    reason: null,
    cgroupVersion: 'v2',
    cpuPerReplica: 0.25,
    cfsPeriodUs: 100_000,
    placement: null,
  },
};

function sample(s: Partial<Sample> & Pick<Sample, 'group' | 'atMs' | 'latencyUs'>): Sample {
  return {
    user: 0,
    endMs: s.atMs + s.latencyUs / 1000,
    status: 200,
    error: null,
    replica: 'r0',
    via: 'nginx',
    ...s,
  };
}

/** Background requests of 2 ms before 1 s, 8 ms during the storm (1 s to 3 s), 3 ms after. */
const background = [
  ...[100, 500, 900].map((atMs) => sample({ group: 'background', atMs, latencyUs: 2000 })),
  ...[1100, 1800, 2500].map((atMs) => sample({ group: 'background', atMs, latencyUs: 8000 })),
  ...[3100, 3500].map((atMs) => sample({ group: 'background', atMs, latencyUs: 3000 })),
];

/** Four logins sent at 1 s: three answered 200 after 400, 800 and 2000 ms, one 429. */
const logins = [
  sample({ group: 'login', atMs: 1000, latencyUs: 400_000, user: 5000 }),
  sample({ group: 'login', atMs: 1000, latencyUs: 800_000, user: 5001 }),
  sample({ group: 'login', atMs: 1000, latencyUs: 2_000_000, user: 5002 }),
  sample({ group: 'login', atMs: 1000, latencyUs: 50_000, user: 5003, status: 429 }),
];

function summarize(samples: Sample[], context = enforced) {
  const rec = new Recorder();
  rec.samples.push(...samples);
  return summarizeStorm(context, params, rec, { startMs: 1000, endMs: 3000 });
}

const checksOf = (o: ReturnType<typeof summarize>) =>
  o.checks.map((c) => `${c.passed ? 'pass' : 'FAIL'}: ${c.name}`);

describe('summarizing a login storm', () => {
  it('measures the logins and the background latency before, during and after', () => {
    const out = summarize([...background, ...logins]);
    expect(out.measurements).toEqual({
      stormUsersCount: 4,
      loginsOkCount: 3,
      login429Count: 1,
      loginUnansweredCount: 0,
      loginOtherFailuresCount: 0,
      stormDurationMs: 2000,
      loginThroughputPerSecond: 1.5,
      loginLatencyP50Ms: 800,
      loginLatencyP99Ms: 2000,
      loginLatencyMaxMs: 2000,
      backgroundP99BeforeMs: 2,
      backgroundP99DuringMs: 8,
      backgroundP99AfterMs: 3,
      backgroundP99DuringOverBeforeRatio: 4,
      backgroundRequestsDuringCount: 3,
      backgroundFailedDuringCount: 0,
    });
    expect(checksOf(out)).toEqual([
      'pass: every storm login was answered, with 200 or 429',
      'pass: logged-in users kept being served during the storm',
    ]);
    expect(out.injected).toEqual([
      { atSeconds: 1, what: '4 logins at once' },
      { atSeconds: 3, what: 'last storm login answered' },
    ]);
    // The timeline is the background traffic only, per second of request start (the logins are left out).
    expect(out.timeline.map((p) => p.ok)).toEqual([3, 2, 1, 2]);
  });

  it.each<[string, Sample[], string, string]>([
    [
      'an unanswered login',
      [sample({ group: 'login', atMs: 1000, latencyUs: 30_000_000, status: null, error: 'timeout' })],
      'FAIL: every storm login was answered, with 200 or 429',
      'login outcomes: {"200":3,"429":1,"timeout":1}',
    ],
    [
      'a login answered 500',
      [sample({ group: 'login', atMs: 1000, latencyUs: 10_000, status: 500 })],
      'FAIL: every storm login was answered, with 200 or 429',
      'login outcomes: {"200":3,"429":1,"500":1}',
    ],
    [
      'a background request failing during the storm',
      [sample({ group: 'background', atMs: 2000, latencyUs: 1000, status: 503 })],
      'FAIL: logged-in users kept being served during the storm',
      '1 of 4 background request(s) failed; p99 2.0 ms before, 8.0 ms during',
    ],
  ])('%s fails its check', (_name, extra, check, detail) => {
    const out = summarize([...background, ...logins, ...extra]);
    const failed = out.checks.filter((c) => !c.passed);
    expect(failed.map((c) => `FAIL: ${c.name}`)).toEqual([check]);
    expect(failed[0]!.detail).toBe(detail);
  });

  it('no login answered 200 fails even when none failed otherwise', () => {
    const only429 = logins.map((s) => ({ ...s, status: 429 }));
    expect(checksOf(summarize([...background, ...only429]))[0]).toBe(
      'FAIL: every storm login was answered, with 200 or 429',
    );
  });

  it('no background traffic during the storm fails the check and leaves the ratio out', () => {
    const out = summarize([...background.filter((s) => s.atMs < 1000 || s.atMs >= 3000), ...logins]);
    expect(checksOf(out)[1]).toBe('FAIL: logged-in users kept being served during the storm');
    expect(out.measurements).toMatchObject({
      backgroundP99DuringMs: null,
      backgroundP99DuringOverBeforeRatio: null,
    });
  });

  it.each<[string, StormContext, string]>([
    [
      'the CPU budget when enforced',
      enforced,
      "password hash: the API default (argon2id, docs/api-contract.md); replicas' CPU budget as in the plan (0.25 CPU each)",
    ],
    [
      'why the budget was not enforced, and a password hash set for the run',
      {
        appEnv: { PASSWORD_HASH: 'bcrypt' },
        budgets: { ...enforced.budgets, enforced: false, reason: 'not root' },
      },
      "password hash: bcrypt; replicas' CPU budget as in the plan (not enforced: not root)",
    ],
  ])('notes %s', (_name, context, note) => {
    expect(summarize([...background, ...logins], context).notes[0]).toBe(note);
  });
});
