/**
 * Every metric authscale reports, defined once: its name, unit, how it is
 * read from a run, which direction is worse, and (for the metrics the CI gate
 * judges) the gate's size floor and spread limit with the reasons for them.
 * Summaries, the gate, the report and the CLI table all read this list, so a
 * new metric is one entry here (plus its field in the run schema).
 *
 * CPU is named by tier everywhere: "replica CPU per request" is the API
 * replicas alone (what a pull request changes); "CPU per request, all tiers"
 * adds nginx, Redis and the load generator (what the topology costs).
 */
import type { RunResult, SummaryMetricName } from './results.schema';

export interface GateDefaults {
  /** Smallest relative change worth failing a pull request for (0.05 = 5%). */
  floor: number;
  /** Robust run-to-run variation (1.4826 x MAD / median) above which a side is too noisy to judge. */
  maxVariation: number;
}

export interface MetricDefinition<K extends string = string> {
  key: K;
  label: string;
  unit: 'req/s' | 'us';
  /** Which direction is an improvement. */
  better: 'higher' | 'lower';
  /** One value per run; null when the run did not measure it. */
  read(run: RunResult): number | null;
  /** Where summaries keep its median and interval (results.json `summaries[].metrics`). */
  summaryName: SummaryMetricName | null;
  /** Present when the gate judges it by default. */
  gate: GateDefaults | null;
}

// Gate floors: 5% is about twice the run-to-run spread of CPU per request and
// throughput on a quiet machine, and the smallest change the gate must detect
// reliably is 10%. Latency is 10%: p99 moves with scheduler noise on a shared
// 2-core box, and under saturation p50 moves about twice as much as CPU (a
// +10% CPU change moved it +19..+44%), so at 5% it was the strictest row and
// both false alarms of the first proof came from it (docs/regression-gate.md).
// The size floor is what stops a significant but tiny change (plenty of pairs
// make 1% "significant") from failing a PR. Spread limits: a side whose runs
// spread more than 25% cannot resolve a 5-10% change in a few runs; p99 is
// allowed 50%.
export const METRICS = [
  {
    key: 'throughput',
    label: 'throughput',
    unit: 'req/s',
    better: 'higher',
    read: (r: RunResult) => r.throughputRps,
    summaryName: 'throughputRps',
    gate: { floor: 0.05, maxVariation: 0.25 },
  },
  {
    key: 'p50',
    label: 'p50 latency',
    unit: 'us',
    better: 'lower',
    read: (r: RunResult) => r.latencyUs.p50,
    summaryName: 'p50Us',
    gate: { floor: 0.1, maxVariation: 0.25 },
  },
  {
    key: 'p90',
    label: 'p90 latency',
    unit: 'us',
    better: 'lower',
    read: (r: RunResult) => r.latencyUs.p90,
    summaryName: 'p90Us',
    gate: null,
  },
  {
    key: 'p99',
    label: 'p99 latency',
    unit: 'us',
    better: 'lower',
    read: (r: RunResult) => r.latencyUs.p99,
    summaryName: 'p99Us',
    gate: { floor: 0.1, maxVariation: 0.5 },
  },
  {
    key: 'p999',
    label: 'p99.9 latency',
    unit: 'us',
    better: 'lower',
    read: (r: RunResult) => r.latencyUs.p999,
    summaryName: 'p999Us',
    gate: null,
  },
  {
    // The gate's "cpu": the replicas only, the code a pull request changes.
    // nginx and the load generator run the same code on both sides and would only add noise.
    key: 'cpu',
    label: 'replica CPU per request',
    unit: 'us',
    better: 'lower',
    read: (r: RunResult) => r.cpu?.usPerRequestByTier.replicas ?? null,
    summaryName: null,
    gate: { floor: 0.05, maxVariation: 0.25 },
  },
  {
    key: 'cpuAllTiers',
    label: 'CPU per request, all tiers',
    unit: 'us',
    better: 'lower',
    // A remote target's nginx and Redis CPU is not measured: its total would be a partial sum.
    read: (r: RunResult) => (r.runtime === 'target' ? null : (r.cpu?.usPerRequestTotal ?? null)),
    summaryName: 'cpuUsPerRequest',
    gate: null,
  },
] as const satisfies readonly MetricDefinition[];

export type MetricKey = (typeof METRICS)[number]['key'];

type Gated = Extract<(typeof METRICS)[number], { gate: GateDefaults }>;
/** The metrics the gate judges, in table order. */
export type GateMetricKey = Gated['key'];
export const GATE_METRICS = METRICS.filter((m): m is Gated => m.gate !== null);
export const gateMetricKeys = GATE_METRICS.map((m) => m.key);

export function metric(key: MetricKey): MetricDefinition<MetricKey> {
  return METRICS.find((m) => m.key === key)!;
}

/** The metrics summaries keep, by their stored name. */
export const SUMMARY_METRICS = METRICS.filter(
  (m): m is Extract<(typeof METRICS)[number], { summaryName: SummaryMetricName }> => m.summaryName !== null,
);
