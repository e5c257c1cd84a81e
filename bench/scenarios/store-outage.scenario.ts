/**
 * Store outage: Redis is stopped mid-run and started again (empty: the
 * harness's Redis keeps nothing on disk), or, for the "hung" variants, frozen
 * with SIGSTOP (sockets open, no answers) and resumed with SIGCONT (data kept):
 * a hung store must give the same 503s as a stopped one, not hung requests. Three kinds of caller run through
 * it: logged-in users (re-login on 401), users who logged out before the
 * window and replay their old credential, and callers with a tampered or no
 * credential. The last two must never get 200 from a fail-closed setup; a
 * fail-open denylist shows what it lets through.
 */
import type { SetupDefinition } from '../../infra/setups.data';
import { keepAliveAgent, send } from './driver/http.client';
import { buildTimeline, countByOutcome, isOk, Recorder, type Sample } from './driver/recorder';
import { boundedLoop, sleepUntil } from './driver/user-loop';
import { check, type Check, type Outcome, type ScenarioImplementation } from './scenario.runner';
import { loginUsers, protectedGet, userLoad } from './scenario.users';
import type { StoreOutageParams } from './scenarios.data';

/** Changes one character in the middle of a credential so its signature no longer matches. */
export function tamper(value: string): string {
  const at = Math.floor(value.length * 0.6);
  const replacement = value[at] === 'A' ? 'B' : 'A';
  return value.slice(0, at) + replacement + value.slice(at + 1);
}

function tamperedHeaders(headers: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  if (headers.authorization)
    out.authorization = `Bearer ${tamper(headers.authorization.slice('Bearer '.length))}`;
  if (headers.cookie)
    out.cookie = headers.cookie
      .split('; ')
      .map((pair) => {
        const eq = pair.indexOf('=');
        return `${pair.slice(0, eq)}=${tamper(pair.slice(eq + 1))}`;
      })
      .join('; ');
  return out;
}

/** Fail-open only for the denylist with REVOCATION_FAIL_MODE=open. */
function failsOpen(setup: SetupDefinition, appEnv: Readonly<Record<string, string>>): boolean {
  return setup.appEnv.REVOCATION === 'denylist' && appEnv.REVOCATION_FAIL_MODE === 'open';
}

export const storeOutage: ScenarioImplementation<'store-outage'> = {
  async run(run, params: StoreOutageParams): Promise<Outcome> {
    const users = await loginUsers(run, params.users, 3000);
    const leavers = await loginUsers(run, 2, 3500);
    const agent = keepAliveAgent();
    const logoutUrl = new URL('/auth/logout', run.topology.url).toString();
    const stolen = leavers.map((u) => ({ index: u.index, headers: u.headers() }));
    for (const s of stolen) {
      const res = await send(logoutUrl, {
        method: 'POST',
        headers: s.headers,
        timeoutMs: params.requestTimeoutMs,
        agent,
      });
      if (res.status !== 204 && res.status !== 200)
        throw new Error(`logout before the outage failed with ${res.status ?? res.error}`);
    }
    const forged = tamperedHeaders(users[0]!.headers());
    const rec = new Recorder();
    const outageAtMs = params.outageAtSeconds * 1000;
    const restartAtMs = outageAtMs + params.outageSeconds * 1000;
    const endMs = restartAtMs + params.recoverySeconds * 1000;
    const injected: Outcome['injected'] = [];
    const marks = { stopped: outageAtMs, restartBegan: restartAtMs, back: restartAtMs };
    const bounds = {
      untilMs: endMs,
      thinkMs: params.thinkMs,
      maxRequests: Math.ceil(endMs / params.thinkMs) + 10,
      signal: run.signal,
    };
    const probe = (group: string, user: number, headers: Record<string, string>) =>
      boundedLoop(
        bounds,
        () => rec.now(),
        async () => {
          await protectedGet(
            rec,
            agent,
            run.topology.url,
            'nginx',
            user,
            group,
            headers,
            params.requestTimeoutMs,
          );
        },
      );
    try {
      run.progress(
        `Redis ${isHung(run.target.variant) ? 'hangs' : 'stops'} at ${params.outageAtSeconds}s for ${params.outageSeconds}s`,
      );
      const injector = injectFault(
        run,
        isHung(run.target.variant),
        outageAtMs,
        restartAtMs,
        rec,
        marks,
        injected,
      );
      await Promise.all([
        injector,
        ...users.map((u) =>
          userLoad(rec, run, agent, u, {
            untilMs: endMs,
            thinkMs: params.thinkMs,
            timeoutMs: params.requestTimeoutMs,
            maxRelogins: params.maxRelogins,
            group: 'load',
          }),
        ),
        ...stolen.map((s) => probe('revoked', s.index, s.headers)),
        probe('tampered', -1, forged),
        probe('anonymous', -1, {}),
      ]);
    } finally {
      agent.destroy();
    }
    const outcome = summarize(run.setup, failsOpen(run.setup, run.appEnv), params, rec, marks, injected);
    return isHung(run.target.variant) ? withHungChecks(outcome) : outcome;
  },
};

/** Variants named "hung..." freeze Redis instead of stopping it. */
const isHung = (variant: string | undefined) => variant?.startsWith('hung') ?? false;

type Marks = { stopped: number; restartBegan: number; back: number };

async function injectFault(
  run: Parameters<ScenarioImplementation<'store-outage'>['run']>[0],
  hung: boolean,
  outageAtMs: number,
  restartAtMs: number,
  rec: Recorder,
  marks: Marks,
  injected: Outcome['injected'],
): Promise<void> {
  const pid = run.topology.redis?.pid;
  if (hung && !pid) throw new Error('the hung-store variant needs a local redis-server (process runtime)');
  await sleepUntil(outageAtMs, () => rec.now(), run.signal);
  if (run.signal.aborted) return;
  injected.push({ atSeconds: rec.now() / 1000, what: hung ? 'hang Redis (SIGSTOP)' : 'stop Redis' });
  if (hung) process.kill(pid as number, 'SIGSTOP');
  else await run.topology.stopRedis();
  marks.stopped = rec.now();
  try {
    // Brought back even when the run is aborted: the topology must end whole.
    await sleepUntil(restartAtMs, () => rec.now(), run.signal);
  } finally {
    marks.restartBegan = rec.now();
    injected.push({
      atSeconds: marks.restartBegan / 1000,
      what: hung ? 'resume Redis (SIGCONT)' : 'start Redis (empty)',
    });
    if (hung) process.kill(pid as number, 'SIGCONT');
    else await run.topology.startRedis();
    marks.back = rec.now();
    injected.push({ atSeconds: marks.back / 1000, what: 'Redis answers again' });
  }
}

/** A hung store must not hang requests: every answer during it came before the client gave up. */
function withHungChecks(outcome: Outcome): Outcome {
  const hungRequests = outcome.measurements.otherFailuresDuringOutageCount ?? 0;
  return {
    ...outcome,
    checks: [
      ...outcome.checks,
      check(
        'no request hung during the hang: each got 503 (or 401) before the client timeout',
        hungRequests === 0,
        `${hungRequests} timed out or failed otherwise`,
      ),
    ],
    notes: [
      ...outcome.notes,
      'hung variant: Redis was frozen with SIGSTOP and resumed with SIGCONT, keeping its data',
    ],
  };
}

type Measurements = Record<string, number | null>;

function outageMeasurements(rec: Recorder, marks: Marks, params: StoreOutageParams) {
  const during = (s: Sample) => s.atMs >= marks.stopped && s.endMs <= marks.restartBegan;
  const after = (s: Sample) => s.atMs >= marks.back;
  const load = rec.select((s) => s.group === 'load');
  const loadDuring = load.filter(during);
  const failedAfter = load.filter(after).filter((s) => !isOk(s));
  const lastFailure = failedAfter.reduce((m, s) => Math.max(m, s.endMs), marks.back);
  const endMs = (params.outageAtSeconds + params.outageSeconds + params.recoverySeconds) * 1000;
  const quietAtEnd = !load.some((s) => !isOk(s) && s.atMs >= endMs - 1000);
  const unknownOk = rec.select((s) => (s.group === 'tampered' || s.group === 'anonymous') && isOk(s)).length;
  const revoked = rec.select((s) => s.group === 'revoked');
  const duringCounts = countByOutcome(loadDuring);
  const reloggedUsers = new Set(
    rec.select((s) => s.group === 'relogin' && s.atMs >= marks.restartBegan).map((s) => s.user),
  );
  const measurements: Measurements = {
    outageMs: marks.restartBegan - marks.stopped,
    redisRestartMs: marks.back - marks.restartBegan,
    loadRequestsDuringOutageCount: loadDuring.length,
    okDuringOutageCount: loadDuring.filter(isOk).length,
    status503DuringOutageCount: duringCounts['503'] ?? 0,
    status401DuringOutageCount: duringCounts['401'] ?? 0,
    otherFailuresDuringOutageCount: loadDuring.filter((s) => !isOk(s) && s.status !== 503 && s.status !== 401)
      .length,
    failedAfterRedisBackCount: failedAfter.length,
    recoveryMs: quietAtEnd ? lastFailure - marks.back : null,
    usersLoggedOutByOutageCount: reloggedUsers.size,
    unknownCallerAcceptedCount: unknownOk,
    revokedAcceptedDuringOutageCount: revoked.filter((s) => during(s) && isOk(s)).length,
    revokedAcceptedAfterRedisBackCount: revoked.filter((s) => after(s) && isOk(s)).length,
  };
  return { measurements, duringCounts, failedAfter, quietAtEnd, unknownOk };
}

/** What each kind of setup must show during the outage: fail closed, fail open, or not need the store. */
function modeChecks(setup: SetupDefinition, open: boolean, m: Measurements, duringCounts: object): Check[] {
  const during = `during the outage: ${JSON.stringify(duringCounts)}`;
  const perRequestStore = setup.credential === 'cookie' || setup.appEnv.REVOCATION === 'denylist';
  if (perRequestStore && !open)
    return [
      check(
        'protected routes answer 503 during the outage, never 200',
        m.okDuringOutageCount === 0 && m.status503DuringOutageCount! > 0,
        during,
      ),
      check(
        'a revoked credential is not accepted during the outage',
        m.revokedAcceptedDuringOutageCount === 0,
        `${m.revokedAcceptedDuringOutageCount} accepted`,
      ),
    ];
  if (open)
    return [
      check(
        'fail-open keeps logged-in users served during the outage',
        m.okDuringOutageCount! > 0 && m.status503DuringOutageCount === 0,
        during,
      ),
      check(
        'fail-open accepts a revoked token during the outage (its price)',
        m.revokedAcceptedDuringOutageCount! > 0,
        `${m.revokedAcceptedDuringOutageCount} accepted`,
      ),
    ];
  return [
    check(
      'API calls with access tokens do not need the store',
      m.status503DuringOutageCount === 0 && m.okDuringOutageCount! > 0,
      during,
    ),
  ];
}

function summarize(
  setup: SetupDefinition,
  open: boolean,
  params: StoreOutageParams,
  rec: Recorder,
  marks: Marks,
  injected: Outcome['injected'],
): Outcome {
  const { measurements, duringCounts, failedAfter, quietAtEnd, unknownOk } = outageMeasurements(
    rec,
    marks,
    params,
  );
  const checks: Check[] = [
    check('no tampered or missing credential got 200', unknownOk === 0, `${unknownOk} accepted`),
    check(
      'requests succeed again before the end',
      quietAtEnd,
      quietAtEnd
        ? `last failure ${measurements.recoveryMs?.toFixed(0)} ms after Redis was back`
        : 'still failing in the last second',
    ),
    ...modeChecks(setup, open, measurements, duringCounts),
  ];
  const notes = [
    `"during" = requests started after Redis was gone and answered before it was restarted; the restarted Redis is empty (no persistence), so Redis-held sessions, refresh sessions and denylist entries are gone after it`,
    `revoked callers logged out before the window and replayed their old credential throughout`,
    `failed requests after Redis was back, by outcome: ${JSON.stringify(countByOutcome(failedAfter))}`,
  ];
  if (open) notes.push('REVOCATION_FAIL_MODE=open: the denylist is skipped while Redis is unreachable');
  return { injected, measurements, timeline: buildTimeline(rec.samples), checks, notes };
}
