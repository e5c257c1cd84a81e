/**
 * Login storm: after a baseline of logged-in traffic, every storm user sends
 * its login at the same moment (as after a deploy that dropped all sessions).
 * Measures login throughput and latency with the API's default password hash,
 * and the latency of the already-logged-in users before, during and after.
 */
import type { Agent } from 'node:http';
import { credentialsOf, type VirtualUser } from '../client/virtual-user';
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

/** The storm's window in recorder ms: when the logins were sent, and when the last was answered. */
export interface StormWindow {
  startMs: number;
  endMs: number;
}

/** What the notes say about the run besides its requests. */
export interface StormContext {
  appEnv: TargetRun['appEnv'];
  budgets: TargetRun['topology']['description']['budgets'];
}

/** The loop bounds the background users share; moved forward when the storm ends (loops read it every iteration). */
function backgroundBounds(run: TargetRun, params: LoginStormParams): LoopBounds {
  const stormAtMs = params.baselineSeconds * 1000;
  return {
    untilMs: stormAtMs + (params.stormTimeoutSeconds + params.afterSeconds) * 1000,
    thinkMs: params.thinkMs,
    maxRequests:
      Math.ceil(
        ((params.baselineSeconds + params.stormTimeoutSeconds + params.afterSeconds) * 1000) / params.thinkMs,
      ) + 10,
    signal: run.signal,
  };
}

/** What the storm shares while it runs. */
interface StormRun {
  run: TargetRun;
  params: LoginStormParams;
  rec: Recorder;
  bounds: LoopBounds;
  window: StormWindow;
}

/** One logged-in user's requests through nginx until the shared bounds end. */
function backgroundUser(s: StormRun, agent: Agent, user: VirtualUser): Promise<number> {
  const { run, params, rec } = s;
  return boundedLoop(
    s.bounds,
    () => rec.now(),
    async () => {
      await protectedGet(
        rec,
        agent,
        run.topology.url,
        'nginx',
        user.index,
        'background',
        user.headers(),
        params.requestTimeoutMs,
      );
    },
  );
}

/** At the end of the baseline every storm user logs in at once; the background runs on for afterSeconds. */
async function storm(s: StormRun, agent: Agent): Promise<void> {
  const { run, params, rec } = s;
  await sleepUntil(s.window.startMs, () => rec.now(), run.signal);
  if (run.signal.aborted) return;
  run.progress(`${params.stormUsers} logins at once`);
  s.window.startMs = rec.now();
  await Promise.all(
    Array.from({ length: params.stormUsers }, (_, i) =>
      stormLogin(rec, run, agent, STORM_FIRST_INDEX + i, params.stormTimeoutSeconds * 1000),
    ),
  );
  s.window.endMs = rec.now();
  s.bounds.untilMs = s.window.endMs + params.afterSeconds * 1000;
}

export const loginStorm: ScenarioImplementation<'login-storm'> = {
  async run(run, params: LoginStormParams): Promise<Outcome> {
    const background = await loginUsers(run, params.backgroundUsers, BACKGROUND_FIRST_INDEX);
    const agent = keepAliveAgent();
    const stormAgent = keepAliveAgent();
    const stormAtMs = params.baselineSeconds * 1000;
    const s: StormRun = {
      run,
      params,
      rec: new Recorder(),
      bounds: backgroundBounds(run, params),
      window: { startMs: stormAtMs, endMs: stormAtMs },
    };
    try {
      await Promise.all([...background.map((u) => backgroundUser(s, agent, u)), storm(s, stormAgent)]);
    } finally {
      agent.destroy();
      stormAgent.destroy();
    }
    const context = { appEnv: run.appEnv, budgets: run.topology.description.budgets };
    return summarizeStorm(context, params, s.rec, s.window);
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

/** p99 latency in ms of the answered requests, or null when none was answered. */
function p99Ms(samples: readonly Sample[]): number | null {
  const v = percentileOrNull(
    samples.filter((s) => s.status !== null).map((s) => s.latencyUs),
    99,
  );
  return v === null ? null : v / 1000;
}

function loginMeasurements(params: LoginStormParams, logins: Sample[], storm: StormWindow) {
  const outcomes = countByOutcome(logins);
  const ok = logins.filter(isOk);
  const loginMs = ok.map((s) => s.latencyUs / 1000);
  const stormSeconds = (storm.endMs - storm.startMs) / 1000;
  return {
    stormUsersCount: params.stormUsers,
    loginsOkCount: ok.length,
    login429Count: outcomes['429'] ?? 0,
    loginUnansweredCount: logins.filter((s) => s.status === null).length,
    loginOtherFailuresCount: logins.filter((s) => s.status !== null && !isOk(s) && s.status !== 429).length,
    stormDurationMs: storm.endMs - storm.startMs,
    loginThroughputPerSecond: stormSeconds > 0 ? ok.length / stormSeconds : null,
    loginLatencyP50Ms: percentileOrNull(loginMs, 50),
    loginLatencyP99Ms: percentileOrNull(loginMs, 99),
    loginLatencyMaxMs: loginMs.length ? Math.max(...loginMs) : null,
  };
}

function backgroundMeasurements(during: Sample[], before: Sample[], after: Sample[]) {
  const p99Before = p99Ms(before);
  const p99During = p99Ms(during);
  return {
    backgroundP99BeforeMs: p99Before,
    backgroundP99DuringMs: p99During,
    backgroundP99AfterMs: p99Ms(after),
    backgroundP99DuringOverBeforeRatio: p99Before && p99During !== null ? p99During / p99Before : null,
    backgroundRequestsDuringCount: during.length,
    backgroundFailedDuringCount: during.filter((s) => !isOk(s)).length,
  };
}

function stormNotes(context: StormContext, during: Sample[]): string[] {
  const { budgets } = context;
  const hash = context.appEnv.PASSWORD_HASH ?? 'the API default (argon2id, docs/api-contract.md)';
  return [
    `password hash: ${hash}; replicas' CPU budget as in the plan (${budgets.enforced ? `${budgets.cpuPerReplica} CPU each` : `not enforced: ${budgets.reason ?? 'none requested'}`})`,
    "the timeline holds the logged-in users' requests only (the storm is the fault); login latency is measured from the moment all logins were sent together",
    `background outcomes during the storm: ${JSON.stringify(countByOutcome(during))}`,
  ];
}

/** Measurements, expected-shape checks and notes of one login storm. */
export function summarizeStorm(
  context: StormContext,
  params: LoginStormParams,
  rec: Recorder,
  storm: StormWindow,
): Outcome {
  const logins = rec.select((s) => s.group === 'login');
  const bg = rec.select((s) => s.group === 'background');
  const phase = (from: number, to: number) => bg.filter((s) => s.atMs >= from && s.atMs < to);
  const during = phase(storm.startMs, storm.endMs);
  const login = loginMeasurements(params, logins, storm);
  const background = backgroundMeasurements(
    during,
    phase(0, storm.startMs),
    phase(storm.endMs, Number.POSITIVE_INFINITY),
  );
  const checks = [
    check(
      'every storm login was answered, with 200 or 429',
      login.loginUnansweredCount === 0 && login.loginOtherFailuresCount === 0 && login.loginsOkCount > 0,
      `login outcomes: ${JSON.stringify(countByOutcome(logins))}`,
    ),
    check(
      'logged-in users kept being served during the storm',
      background.backgroundFailedDuringCount === 0 && during.length > 0,
      `${background.backgroundFailedDuringCount} of ${during.length} background request(s) failed; p99 ${background.backgroundP99BeforeMs?.toFixed(1)} ms before, ${background.backgroundP99DuringMs?.toFixed(1)} ms during`,
    ),
  ];
  return {
    injected: [
      { atSeconds: storm.startMs / 1000, what: `${params.stormUsers} logins at once` },
      { atSeconds: storm.endMs / 1000, what: 'last storm login answered' },
    ],
    measurements: { ...login, ...background },
    timeline: buildTimeline(bg),
    checks,
    notes: stormNotes(context, during),
  };
}
