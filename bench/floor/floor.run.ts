/**
 * `authscale app-floor`'s measurement: for each mode, the API and the two
 * floor fixtures (floor.modes.ts) are started once, pinned to CPU 0, with
 * logged-in users; then rounds interleave them (API, Nest, bare; the next
 * round starts one further along), so drift of a shared machine falls on
 * all three. Each run warms up until the timeline is steady (the bench's own
 * rule, bench/measure/steady-state.ts) and measures a window: server CPU
 * from /proc over the window divided by the responses the generator counted.
 */
import { EnvironmentError } from '../../infra/errors';
import type { ProcessRef } from '../../infra/topology.types';
import { loginVirtualUsers, type VirtualUser } from '../client/virtual-user';
import { runLoad, type LoadOutcome } from '../load/load.driver';
import { takeCpuSnapshot } from '../measure/cpu.sampler';
import { steadiness } from '../measure/steady-state';
import { figuresOf } from '../runner/run.steady';
import type { FloorMode, ServerKind } from './floor.modes';
import {
  affinityOf,
  checkPlacement,
  GENERATOR_CPU,
  pinToCpu,
  restoreAffinity,
  startModeServers,
  type RunningServer,
} from './floor.servers';

export interface FloorSettings {
  modes: readonly FloorMode[];
  rounds: number;
  connections: number;
  windowSeconds: number;
  minWarmupSeconds: number;
  maxWarmupSeconds: number;
  bucketSeconds: number;
}

export interface FloorSample {
  round: number;
  cpuMicrosPerRequest: number;
  requestsPerSecond: number;
  /** Server CPU seconds per second of window: near 1, the server was the bottleneck. */
  serverCpuShare: number;
  /** The steadiness test, not the warm-up limit, opened the window. */
  steady: boolean;
}

export interface FloorRow {
  mode: string;
  samples: Record<ServerKind, FloorSample[]>;
}

const ROUTE = '/api/me';

function credentialOf(mode: FloorMode, running: RunningServer) {
  if (running.server.kind === 'api') return mode.credential;
  return mode.fixture === 'jwt' ? 'bearer' : 'cookie';
}

function cpuSecondsIn(outcome: LoadOutcome, pid: number): number | null {
  const open = outcome.cpuAtOpen?.byPid.get(pid)?.seconds;
  const close = outcome.cpuAtClose?.byPid.get(pid)?.seconds;
  return open === undefined || close === undefined ? null : close - open;
}

/** Refuses a run with failures: a floor measured on errors is no floor. */
function checkOutcome(what: string, outcome: LoadOutcome): void {
  const failed = outcome.responses - outcome.ok + outcome.errors + outcome.timeouts;
  if (outcome.responses > 0 && failed === 0) return;
  throw new EnvironmentError(
    `${what}: ${outcome.responses} responses, non-2xx ${JSON.stringify(outcome.non2xx)}, ${outcome.errors} errors, ${outcome.timeouts} timeouts. Check that the server starts and logs users in (run it alone to see its output).`,
  );
}

async function measureOnce(
  what: string,
  running: RunningServer,
  users: readonly VirtualUser[],
  settings: FloorSettings,
  round: number,
): Promise<FloorSample> {
  const ref: ProcessRef = { role: 'replica', label: running.server.kind, pid: running.process.pid };
  const outcome = await runLoad({
    url: running.process.url,
    model: 'closed',
    connections: settings.connections,
    ratePerSecond: null,
    warmup: {
      minSeconds: settings.minWarmupSeconds,
      maxSeconds: settings.maxWarmupSeconds,
      ready: (buckets) => steadiness(buckets.map(figuresOf)).steady,
    },
    durationSeconds: settings.windowSeconds,
    bucketSeconds: settings.bucketSeconds,
    mix: [{ path: ROUTE, weight: 1 }],
    headersFor: (i) => users[i % users.length]!.headers(),
    sampleCpu: () => takeCpuSnapshot([ref]),
  });
  outcome.histogram.destroy();
  checkOutcome(what, outcome);
  const cpu = cpuSecondsIn(outcome, ref.pid);
  if (cpu === null)
    throw new EnvironmentError(`${what}: could not read the server's CPU from /proc/${ref.pid}.`);
  return {
    round,
    cpuMicrosPerRequest: (cpu * 1e6) / outcome.responses,
    requestsPerSecond: outcome.responses / outcome.windowSeconds,
    serverCpuShare: cpu / outcome.windowSeconds,
    steady: outcome.accepted,
  };
}

async function measureMode(
  mode: FloorMode,
  settings: FloorSettings,
  log: (line: string) => void,
): Promise<FloorRow> {
  const row: FloorRow = { mode: mode.name, samples: { api: [], nest: [], bare: [] } };
  const group = await startModeServers(mode);
  try {
    const users = new Map<ServerKind, VirtualUser[]>();
    for (const running of group.servers) {
      const credential = credentialOf(mode, running);
      users.set(
        running.server.kind,
        await loginVirtualUsers(running.process.url, credential, settings.connections),
      );
    }
    for (let round = 0; round < settings.rounds; round++) {
      const n = group.servers.length;
      for (let i = 0; i < n; i++) {
        const running = group.servers[(i + round) % n]!;
        const what = `${mode.name}, ${running.server.label}, round ${round + 1}/${settings.rounds}`;
        const sample = await measureOnce(what, running, users.get(running.server.kind)!, settings, round);
        log(
          `${what}: ${sample.cpuMicrosPerRequest.toFixed(1)} us/req, ${sample.requestsPerSecond.toFixed(0)} req/s${sample.steady ? '' : ' (not steady)'}`,
        );
        row.samples[running.server.kind].push(sample);
      }
    }
  } finally {
    await group.stop();
  }
  return row;
}

/** Every mode in turn; this process (the generator) runs on CPU 1 meanwhile and gets its affinity back after. */
export async function measureFloor(
  settings: FloorSettings,
  log: (line: string) => void,
): Promise<FloorRow[]> {
  checkPlacement();
  const mask = affinityOf(process.pid);
  pinToCpu(process.pid, GENERATOR_CPU);
  try {
    const rows: FloorRow[] = [];
    for (const mode of settings.modes) rows.push(await measureMode(mode, settings, log));
    return rows;
  } finally {
    restoreAffinity(process.pid, mask);
  }
}

/** `npm run bench:app` without flags: about 6 minutes on a 2-core machine. */
export const FLOOR_DEFAULTS: Omit<FloorSettings, 'modes'> = {
  rounds: 3,
  connections: 32,
  windowSeconds: 5,
  minWarmupSeconds: 2,
  maxWarmupSeconds: 20,
  bucketSeconds: 0.5,
};
