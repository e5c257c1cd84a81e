/**
 * SYNTHETIC results files for the gate's tests: per-run metric values are
 * given exactly (or drawn from a seeded generator), so each test controls the
 * effect and the noise. Nothing here was measured.
 */
import * as hdr from 'hdr-histogram-js';
import {
  RESULTS_SCHEMA_VERSION,
  resultsSchema,
  type Results,
  type RunResult,
} from '../../../bench/results/results.schema';

export interface RunValues {
  throughput: number;
  p50: number;
  p99: number;
  cpu: number;
}

export interface SeriesSpec {
  variant: string;
  setup?: string;
  replicas?: number;
  runs: RunValues[];
  /** Mark these repetitions invalid (errors) or generator-bound. */
  invalid?: number[];
  generatorBound?: number[];
}

let encodedHistogram: string | null = null;
function histogramData(): string {
  if (encodedHistogram === null) {
    const h = hdr.build({
      lowestDiscernibleValue: 1,
      highestTrackableValue: 60_000_000,
      numberOfSignificantValueDigits: 3,
    });
    for (let i = 1; i <= 100; i += 1) h.recordValue(500 + i);
    encodedHistogram = hdr.encodeIntoCompressedBase64(h);
  }
  return encodedHistogram;
}

/** mulberry32, seeded. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * n runs around a typical jwt x2 run, each metric scaled by its factor
 * (cpu 1.1 = +10% CPU per request) with multiplicative noise of +-`noise`.
 */
export function series(n: number, factors: Partial<RunValues>, noise: number, seed: number): RunValues[] {
  const rand = prng(seed);
  const jitter = () => 1 + (rand() * 2 - 1) * noise;
  return Array.from({ length: n }, () => ({
    throughput: 1800 * (factors.throughput ?? 1) * jitter(),
    p50: 8000 * (factors.p50 ?? 1) * jitter(),
    p99: 25000 * (factors.p99 ?? 1) * jitter(),
    cpu: 400 * (factors.cpu ?? 1) * jitter(),
  }));
}

function run(spec: SeriesSpec, values: RunValues, repetition: number, order: number): RunResult {
  const setup = spec.setup ?? 'jwt';
  const replicas = spec.replicas ?? 2;
  const invalid = spec.invalid?.includes(repetition) ?? false;
  const total = Math.round(values.throughput * 10);
  return {
    id: `${spec.variant}-${setup}-${replicas}-${repetition}`,
    variant: spec.variant,
    setup,
    replicas,
    repetition,
    order,
    model: 'closed',
    startedAt: '2026-11-28T04:00:00.000Z',
    durationSeconds: 10,
    requests: {
      total,
      ok: invalid ? total - 12 : total,
      non2xx: invalid ? { '401': 12 } : {},
      errors: 0,
      timeouts: 0,
    },
    throughputRps: values.throughput,
    latencyUs: {
      min: values.p50 / 4,
      mean: values.p50 * 1.1,
      p50: values.p50,
      p90: values.p99 * 0.6,
      p99: values.p99,
      p999: values.p99 * 1.5,
      max: values.p99 * 2,
    },
    histogram: { encoding: 'hdr-compressed-base64', unit: 'us', data: histogramData() },
    replicaShare: { r0: Math.floor(total / 2), r1: Math.ceil(total / 2) },
    cpu: {
      windowSeconds: 10,
      secondsByTier: {
        replicas: (values.cpu * total) / 1e6,
        nginx: 0.4,
        redis: 0,
        'store-delay': 0,
        generator: 1,
      },
      usPerRequestByTier: { replicas: values.cpu, nginx: 40, redis: 0, 'store-delay': 0, generator: 95 },
      usPerRequestTotal: values.cpu + 135,
      perProcess: [],
      generatorUtilisation: 0.5,
    },
    generatorBound: spec.generatorBound?.includes(repetition) ?? false,
    redis: null,
    replicaRssBytes: { r0: 80e6, r1: 80e6 },
    valid: !invalid,
    timeline: null,
    steadyState: null,
    invalidReasons: invalid ? ['non-2xx: 401 x 12'] : [],
  };
}

export interface ResultsOverrides {
  abGroup?: string | null;
  cpuModel?: string;
  cores?: number;
  node?: string;
  budgetsEnforced?: boolean;
  cpuPerReplica?: number | null;
  connections?: number;
  profile?: string;
  revision?: string;
  interrupted?: boolean;
}

export function makeResults(seriesSpecs: SeriesSpec[], o: ResultsOverrides = {}): Results {
  let order = 0;
  // Interleave like the runner: repetition by repetition, variant by variant.
  const longest = Math.max(...seriesSpecs.map((s) => s.runs.length));
  const runs: RunResult[] = [];
  for (let rep = 0; rep < longest; rep += 1) {
    for (const spec of seriesSpecs) {
      const v = spec.runs[rep];
      if (v) runs.push(run(spec, v, rep, order++));
    }
  }
  const enforced = o.budgetsEnforced ?? true;
  const results: Results = {
    schemaVersion: RESULTS_SCHEMA_VERSION,
    tool: 'authscale',
    notes: [],
    createdAt: '2026-11-28T04:00:00.000Z',
    abGroup: o.abGroup === undefined ? 'ab-test' : o.abGroup,
    environment: {
      hostname: 'bench-host',
      os: 'linux',
      kernel: '6.1',
      cpuModel: o.cpuModel ?? 'Test CPU @ 2.0GHz',
      cores: o.cores ?? 2,
      memoryBytes: 24e9,
      versions: { node: o.node ?? 'v20.20.0', nginx: '1.22.1', redis: '7.0.15', authscale: '0.1.0' },
      git: { revision: o.revision ?? '0123456789abcdef', dirty: false },
      budgets: {
        enforced,
        reason: enforced ? null : 'not root',
        cgroupVersion: enforced ? 'v1' : null,
        cpuPerReplica: o.cpuPerReplica === undefined ? (enforced ? 0.25 : null) : o.cpuPerReplica,
        cfsPeriodUs: enforced ? 10000 : null,
        placement: null,
      },
      calibration: null,
      storeRttMs: null,
    },
    plan: {
      profile: o.profile ?? 'quick',
      setups: ['jwt'],
      replicas: [2],
      model: 'closed',
      connections: o.connections ?? 16,
      ratePerSecond: null,
      warmupSeconds: 2,
      durationSeconds: 10,
      repetitions: longest,
      mix: [{ path: '/api/me', weight: 1 }],
      cpuPerReplica: 0.25,
      scenarios: [],
      sloP99Ms: null,
      connectionsPer: 'total',
      maxWarmupSeconds: null,
      warmupRequestsPerReplica: 0,
      relaxedWarmupSeconds: 0,
      storeRttsMs: [0],
      storeRttReplicas: null,
    },
    runs,
    summaries: [],
    scenarios: [],
    warnings: [],
    interrupted: o.interrupted ?? false,
  };
  return resultsSchema.parse(results);
}
