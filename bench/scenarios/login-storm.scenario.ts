/**
 * Login storm: after a baseline of logged-in traffic, every storm user sends
 * its login at the same moment (as after a deploy that dropped all sessions).
 * Measures login throughput and latency with the API's default password hash,
 * and the latency of the already-logged-in users before, during and after.
 */
import type { Agent } from 'node:http';
import { credentialsOf } from '../client/virtual-user';
import { keepAliveAgent, send } from './driver/http.client';
import {
  buildTimeline,
  countByOutcome,
  isOk,
  percentileOrNull,
  Recorder,
  type Sample,
} from './driver/recorder';
import { boundedLoop, sleepUntil, type LoopBounds } from './driver/user-loop';
import { check, type Outcome, type ScenarioImplementation, type TargetRun } from './scenario.runner';
import { loginUsers, protectedGet } from './scenario.users';
import type { LoginStormParams } from './scenarios.data';

const BACKGROUND_FIRST_INDEX = 4000;
const STORM_FIRST_INDEX = 5000;

export const loginStorm: ScenarioImplementation<'login-storm'> = {
  async run(run, params: LoginStormParams): Promise<Outcome> {
    const background = await loginUsers(run, params.backgroundUsers, BACKGROUND_FIRST_INDEX);
    const agent = keepAliveAgent();
    const stormAgent = keepAliveAgent();
    const rec = new Recorder();
    const stormAtMs = params.baselineSeconds * 1000;
    // Shared and moved forward when the storm ends: background loops read it on every iteration.
    const bounds: LoopBounds = {
      untilMs: stormAtMs + (params.stormTimeoutSeconds + params.afterSeconds) * 1000,
      thinkMs: params.thinkMs,
      maxRequests:
        Math.ceil(
          ((params.baselineSeconds + params.stormTimeoutSeconds + params.afterSeconds) * 1000) /
            params.thinkMs,
        ) + 10,
      signal: run.signal,
    };
    const storm = { startMs: stormAtMs, endMs: stormAtMs };
    try {
      const loads = background.map((u) =>
        boundedLoop(
          bounds,
          () => rec.now(),
          async () => {
            await protectedGet(
              rec,
              agent,
              run.topology.url,
              'nginx',
              u.index,
              'background',
              u.headers(),
              params.requestTimeoutMs,
            );
          },
        ),
      );
      const stormer = (async () => {
        await sleepUntil(stormAtMs, () => rec.now(), run.signal);
        if (run.signal.aborted) return;
        run.progress(`${params.stormUsers} logins at once`);
        storm.startMs = rec.now();
        await Promise.all(
          Array.from({ length: params.stormUsers }, (_, i) =>
            stormLogin(rec, run, stormAgent, STORM_FIRST_INDEX + i, params.stormTimeoutSeconds * 1000),
          ),
        );
        storm.endMs = rec.now();
        bounds.untilMs = storm.endMs + params.afterSeconds * 1000;
      })();
      await Promise.all([...loads, stormer]);
    } finally {
      agent.destroy();
      stormAgent.destroy();
    }
    return summarize(run, params, rec, storm);
  },
};

async function stormLogin(
  rec: Recorder,
  run: TargetRun,
  agent: Agent,
  index: number,
  timeoutMs: number,
): Promise<void> {
  const at = rec.now();
  const result = await send(new URL('/auth/login', run.topology.url).toString(), {
    method: 'POST',
    body: JSON.stringify(credentialsOf(index)),
    timeoutMs,
    agent,
  });
  rec.record(index, 'login', 'nginx', at, result);
}

function summarize(
  run: TargetRun,
  params: LoginStormParams,
  rec: Recorder,
  storm: { startMs: number; endMs: number },
): Outcome {
  const logins = rec.select((s) => s.group === 'login');
  const outcomes = countByOutcome(logins);
  const ok = logins.filter(isOk);
  const loginMs = ok.map((s) => s.latencyUs / 1000);
  const bg = rec.select((s) => s.group === 'background');
  const phase = (from: number, to: number) => bg.filter((s) => s.atMs >= from && s.atMs < to);
  const before = phase(0, storm.startMs);
  const during = phase(storm.startMs, storm.endMs);
  const after = phase(storm.endMs, Number.POSITIVE_INFINITY);
  const p99Ms = (samples: Sample[]) => {
    const v = percentileOrNull(
      samples.filter((s) => s.status !== null).map((s) => s.latencyUs),
      99,
    );
    return v === null ? null : v / 1000;
  };
  const stormSeconds = (storm.endMs - storm.startMs) / 1000;
  const p99Before = p99Ms(before);
  const p99During = p99Ms(during);
  const failedDuring = during.filter((s) => !isOk(s)).length;
  const unanswered = logins.filter((s) => s.status === null).length;
  const unexpected = logins.filter((s) => s.status !== null && !isOk(s) && s.status !== 429).length;
  const measurements: Record<string, number | null> = {
    stormUsersCount: params.stormUsers,
    loginsOkCount: ok.length,
    login429Count: outcomes['429'] ?? 0,
    loginUnansweredCount: unanswered,
    loginOtherFailuresCount: unexpected,
    stormDurationMs: storm.endMs - storm.startMs,
    loginThroughputPerSecond: stormSeconds > 0 ? ok.length / stormSeconds : null,
    loginLatencyP50Ms: percentileOrNull(loginMs, 50),
    loginLatencyP99Ms: percentileOrNull(loginMs, 99),
    loginLatencyMaxMs: loginMs.length ? Math.max(...loginMs) : null,
    backgroundP99BeforeMs: p99Before,
    backgroundP99DuringMs: p99During,
    backgroundP99AfterMs: p99Ms(after),
    backgroundP99DuringOverBeforeRatio: p99Before && p99During !== null ? p99During / p99Before : null,
    backgroundRequestsDuringCount: during.length,
    backgroundFailedDuringCount: failedDuring,
  };
  const checks = [
    check(
      'every storm login was answered, with 200 or 429',
      unanswered === 0 && unexpected === 0 && ok.length > 0,
      `login outcomes: ${JSON.stringify(outcomes)}`,
    ),
    check(
      'logged-in users kept being served during the storm',
      failedDuring === 0 && during.length > 0,
      `${failedDuring} of ${during.length} background request(s) failed; p99 ${p99Before?.toFixed(1)} ms before, ${p99During?.toFixed(1)} ms during`,
    ),
  ];
  const hash = run.appEnv.PASSWORD_HASH ?? 'the API default (argon2id, docs/api-contract.md)';
  const notes = [
    `password hash: ${hash}; replicas' CPU budget as in the plan (${run.topology.description.budgets.enforced ? `${run.topology.description.budgets.cpuPerReplica} CPU each` : `not enforced: ${run.topology.description.budgets.reason ?? 'none requested'}`})`,
    "the timeline holds the logged-in users' requests only (the storm is the fault); login latency is measured from the moment all logins were sent together",
    `background outcomes during the storm: ${JSON.stringify(countByOutcome(during))}`,
  ];
  return {
    injected: [
      { atSeconds: storm.startMs / 1000, what: `${params.stormUsers} logins at once` },
      { atSeconds: storm.endMs / 1000, what: 'last storm login answered' },
    ],
    measurements,
    timeline: buildTimeline(bg),
    checks,
    notes,
  };
}
