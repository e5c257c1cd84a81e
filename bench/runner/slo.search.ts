/**
 * Throughput at SLO: the highest arrival rate (open model) at which p99 stays
 * under the objective with only 2xx answers. One topology per cell, users
 * logged in once, then a few short probes: the first just above the closed
 * model's throughput (or the plan's rate), doubling while it passes, then
 * bisecting between the best pass and the lowest fail. The answer is a lower
 * bound at the resolution the probes reached; every probe is recorded.
 */
import { connectionsFor } from '../plan/plan.connections';
import { runLoad } from '../load/load.driver';
import { summarizeHistogram } from '../measure/histogram.util';
import type { Plan, SloSearch } from '../results/results.schema';
import type { Variant } from '../plan/variant';
import { prepareTopology } from './topology.prepare';
import { warmupControl } from './run.steady';

export const SLO_PROBES = 6;
const PROBE_WARMUP_SECONDS = 1;
const PROBE_MAX_SECONDS = 4;
/** A rate the sender could not keep (the system refused it) does not count as met. */
const MIN_ACHIEVED_SHARE = 0.95;

export interface SloCell {
  setup: string;
  replicas: number;
  variant: Variant;
  /** Where to start probing, requests per second (e.g. the closed-model throughput). */
  startRps: number;
}

export async function searchThroughputAtSlo(
  plan: Plan,
  sloP99Ms: number,
  cell: SloCell,
  signal: AbortSignal,
  progress: (m: string) => void,
): Promise<SloSearch> {
  const connections = connectionsFor(plan, cell.replicas);
  const prepared = await prepareTopology(plan, cell.setup, cell.replicas, cell.variant, progress, {
    connections,
    firstUser: 0,
  });
  const probes: SloSearch['probes'] = [];
  try {
    let best = 0;
    let lowestFail = Number.POSITIVE_INFINITY;
    let rate = Math.max(1, Math.round(cell.startRps * 1.2));
    for (let i = 0; i < SLO_PROBES && !signal.aborted; i++) {
      progress(`SLO probe ${i + 1}/${SLO_PROBES}: ${rate} req/s against p99 <= ${sloP99Ms} ms`);
      const load = await runLoad({
        url: prepared.topology.url,
        model: 'open',
        connections,
        ratePerSecond: rate,
        // The topology is new: the first probe warms until steady like a run; later
        // probes find the replicas warm from the probes before and warm briefly.
        warmup:
          i === 0
            ? warmupControl(plan, prepared.topology.enforceCpuBudget)
            : { minSeconds: PROBE_WARMUP_SECONDS, maxSeconds: PROBE_WARMUP_SECONDS, ready: () => true },
        durationSeconds: Math.min(plan.durationSeconds, PROBE_MAX_SECONDS),
        mix: plan.mix,
        headersFor: (c) => prepared.users[c % prepared.users.length]!.headers(),
        signal,
      });
      const p99Us = summarizeHistogram(load.histogram).p99;
      load.histogram.destroy();
      if (load.interrupted) break;
      const achievedRps = load.responses / Math.max(load.windowSeconds, 1e-3);
      const reason = probeFailure(load, p99Us, sloP99Ms, achievedRps, rate);
      probes.push({ ratePerSecond: rate, achievedRps, p99Us, met: reason === null, reason });
      if (reason === null) best = Math.max(best, rate);
      else lowestFail = Math.min(lowestFail, rate);
      const next = nextProbeRate(best, lowestFail);
      if (next === null) break;
      rate = next;
    }
    return { sloP99Ms, ratePerSecond: best, probes };
  } finally {
    await prepared.close();
  }
}

/**
 * Doubles the best passing rate until a probe fails, then bisects between the
 * best pass and the lowest fail; null when the two are adjacent (nothing left
 * to learn at whole requests per second).
 */
export function nextProbeRate(best: number, lowestFail: number): number | null {
  const next = Number.isFinite(lowestFail) ? Math.round((best + lowestFail) / 2) : best * 2;
  return next <= best || next >= lowestFail || next < 1 ? null : next;
}

function probeFailure(
  load: { non2xx: Record<string, number>; errors: number; timeouts: number },
  p99Us: number,
  sloP99Ms: number,
  achievedRps: number,
  rate: number,
): string | null {
  const non2xx = Object.entries(load.non2xx);
  if (non2xx.length > 0) return `non-2xx: ${non2xx.map(([s, n]) => `${s} x ${n}`).join(', ')}`;
  if (load.errors > 0 || load.timeouts > 0) return `errors: ${load.errors}, timeouts: ${load.timeouts}`;
  if (p99Us > sloP99Ms * 1000) return `p99 ${(p99Us / 1000).toFixed(1)} ms > ${sloP99Ms} ms`;
  if (achievedRps < rate * MIN_ACHIEVED_SHARE)
    return `achieved ${((achievedRps / rate) * 100).toFixed(0)}% of the rate`;
  return null;
}
