/**
 * results.json: the one source every view (table, HTML, markdown, compare) is
 * rendered from. Versioned; validated with zod on write and on read.
 * Bump RESULTS_SCHEMA_VERSION on any incompatible change and teach
 * results.io.ts to explain the difference.
 */
import { z } from 'zod';

/** 2: every run carries a timeline and a steady-state verdict; plans say how warm-up and connections scale. */
export const RESULTS_SCHEMA_VERSION = 2;
/** Versions results.io still reads (older ones are upgraded on read: see results.io.ts). */
export const READABLE_SCHEMA_VERSIONS = [1, 2] as const;

const nonNegative = z.number().finite().nonnegative();

export const budgetsSchema = z.object({
  enforced: z.boolean(),
  reason: z.string().nullable(),
  cgroupVersion: z.enum(['v1', 'v2']).nullable(),
  cpuPerReplica: z.number().positive().nullable(),
  cfsPeriodUs: z.number().int().positive().nullable(),
  placement: z.record(z.string(), z.string()).nullable(),
});

export const environmentSchema = z.object({
  hostname: z.string(),
  os: z.string(),
  kernel: z.string(),
  cpuModel: z.string(),
  cores: z.number().int().positive(),
  memoryBytes: nonNegative,
  versions: z.object({
    node: z.string(),
    nginx: z.string().nullable(),
    redis: z.string().nullable(),
    authscale: z.string(),
  }),
  git: z.object({ revision: z.string().nullable(), dirty: z.boolean().nullable() }),
  budgets: budgetsSchema,
  /** Calibration knob values when on (CALIBRATION_CPU_US, ...); null when off. */
  calibration: z.record(z.string(), z.string()).nullable(),
  storeRttMs: z.number().nonnegative().nullable(),
});

export const requestMixSchema = z
  .array(z.object({ path: z.string().startsWith('/'), weight: z.number().positive() }))
  .min(1);

export const planSchema = z.object({
  profile: z.string(),
  setups: z.array(z.string()).min(1),
  replicas: z.array(z.number().int().positive()).min(1),
  model: z.enum(['closed', 'open']),
  /** Closed model: concurrent connections (one virtual user each). */
  connections: z.number().int().positive(),
  /** Open model: arrivals per second across all connections. */
  ratePerSecond: z.number().positive().nullable(),
  warmupSeconds: nonNegative,
  durationSeconds: z.number().positive(),
  repetitions: z.number().int().positive(),
  mix: requestMixSchema,
  cpuPerReplica: z.number().positive().nullable(),
  /** Trade-off scenarios to run after the throughput runs (bench/scenarios/README.md), by name. */
  scenarios: z.array(z.string()),
  /** Latency objective for the throughput-at-SLO search, if requested. */
  sloP99Ms: z.number().positive().nullable(),
  /**
   * "replica": `connections` per replica, so each replica gets the same offered
   * load at every replica count (the scaling experiment); "total": across all.
   * Files before schema 2 meant "total".
   */
  connectionsPer: z.enum(['replica', 'total']).default('total'),
  /** Warm-up ends at the first steady state after warmupSeconds, or at this limit (flagged). */
  maxWarmupSeconds: nonNegative.nullable().default(null),
  /** The first seconds of warm-up with the replicas' CPU quota lifted (0: under the budget throughout). */
  relaxedWarmupSeconds: nonNegative.default(0),
  /** Requests each replica must have served before the warm-up may end, so N replicas are each as warm as one. */
  warmupRequestsPerReplica: z.number().int().nonnegative().default(0),
});

export const latencySummarySchema = z.object({
  min: nonNegative,
  mean: nonNegative,
  p50: nonNegative,
  p90: nonNegative,
  p99: nonNegative,
  p999: nonNegative,
  max: nonNegative,
});

/** An HDR histogram, hdr-histogram-js encodeIntoCompressedBase64, values in microseconds. */
export const encodedHistogramSchema = z.object({
  encoding: z.literal('hdr-compressed-base64'),
  unit: z.literal('us'),
  data: z.string().min(1),
});

export const tierNames = ['replicas', 'nginx', 'redis', 'generator'] as const;
export const tierSchema = z.enum(tierNames);

export const cpuSchema = z.object({
  windowSeconds: z.number().positive(),
  /** CPU seconds (user + system) consumed in the measured window per tier. */
  secondsByTier: z.record(tierSchema, nonNegative),
  /** CPU microseconds per completed request per tier. */
  usPerRequestByTier: z.record(tierSchema, nonNegative),
  usPerRequestTotal: nonNegative,
  perProcess: z.array(
    z.object({
      role: z.enum(['replica', 'nginx', 'redis', 'generator']),
      label: z.string(),
      pid: z.number().int().positive(),
      cpuSeconds: nonNegative,
    }),
  ),
  /** Load generator CPU / (window x CPUs it may use), 0..1. */
  generatorUtilisation: nonNegative,
  /**
   * Added in schema 1 (optional): whole-machine CPU busy time over the window
   * (/proc/stat) and the part none of the run's processes account for: other
   * tenants and the OS. A noisy-neighbour gauge for shared machines.
   */
  machine: z
    .object({
      cpus: z.number().int().positive(),
      busySeconds: nonNegative,
      otherSeconds: nonNegative,
    })
    .optional(),
});

const tierSecondsSchema = z.record(tierSchema, nonNegative);

/** One bucket of a run's timeline; `t` is the bucket's end in seconds from the first warm-up request. */
export const timelineBucketSchema = z.object({
  t: nonNegative,
  /** relaxed: warm-up, quota lifted; warmup: under the budget; measured: the window; drain: its backlog. */
  phase: z.enum(['relaxed', 'warmup', 'measured', 'drain']),
  requests: z.number().int().nonnegative(),
  ok: z.number().int().nonnegative(),
  non2xx: z.number().int().nonnegative(),
  errors: z.number().int().nonnegative(),
  timeouts: z.number().int().nonnegative(),
  p50Us: nonNegative.nullable(),
  p99Us: nonNegative.nullable(),
  /** CPU seconds per tier in the bucket, sampled from /proc at its edges; null when not measured. */
  cpuSeconds: tierSecondsSchema.nullable(),
  /** CPU seconds of each replica (by id) in the bucket. */
  replicaCpuSeconds: z.record(z.string(), nonNegative),
  /** Responses per replica (x-replica) in the bucket. */
  replicaRequests: z.record(z.string(), z.number().int().nonnegative()),
  /** The load generator's worst event-loop delay in the bucket: how late it was to send and read. */
  lagMs: nonNegative,
});

export const timelineSchema = z.object({
  bucketSeconds: z.number().positive(),
  buckets: z.array(timelineBucketSchema),
});

export const steadyStateSchema = z.object({
  /**
   * flat | warmup: steady, measured. slowdown | no-steady-state: flagged, left
   * out of summaries. unchecked: the rule was off (--max-warmup 0), flagged.
   */
  verdict: z.enum(['flat', 'warmup', 'slowdown', 'no-steady-state', 'unchecked']),
  warmupSeconds: nonNegative,
  /** Requests each replica served while warming. */
  warmupRequestsByReplica: z.record(z.string(), z.number().int().nonnegative()),
  rule: z.object({
    windowBuckets: z.number().int().positive(),
    maxTrend: nonNegative,
    maxSpread: nonNegative,
    maxWindowDrift: nonNegative,
  }),
  /** The steadiness test over the last warm-up buckets when the window opened (null cpu: not measured). */
  atOpen: z.object({
    throughput: z.object({ trend: z.number(), spread: z.number() }),
    cpu: z.object({ trend: z.number(), spread: z.number() }).nullable(),
  }),
  /** Second half of the measured window against its first, relative. */
  windowDrift: z.object({ throughput: z.number(), cpuPerRequest: z.number().nullable() }),
});

export const runSchema = z.object({
  id: z.string(),
  /** Variant label: "candidate" normally; "base" / "candidate" in an A/B job. */
  variant: z.string(),
  /** What ran the topology (infra/runtime); absent in results written before there was a choice: processes. */
  runtime: z.enum(['process', 'docker']).optional(),
  setup: z.string(),
  replicas: z.number().int().positive(),
  repetition: z.number().int().nonnegative(),
  /** Global position in the interleaved schedule (0-based). */
  order: z.number().int().nonnegative(),
  model: z.enum(['closed', 'open']),
  startedAt: z.string(),
  durationSeconds: z.number().positive(),
  requests: z.object({
    total: z.number().int().nonnegative(),
    ok: z.number().int().nonnegative(),
    /** status code -> count, for every non-2xx status seen. */
    non2xx: z.record(z.string(), z.number().int().nonnegative()),
    errors: z.number().int().nonnegative(),
    timeouts: z.number().int().nonnegative(),
  }),
  throughputRps: nonNegative,
  latencyUs: latencySummarySchema,
  histogram: encodedHistogramSchema,
  /** x-replica value -> responses. */
  replicaShare: z.record(z.string(), z.number().int().nonnegative()),
  cpu: cpuSchema.nullable(),
  generatorBound: z.boolean(),
  redis: z
    .object({
      /** command name (lower case) -> calls per request in the window. */
      commandsPerRequest: z.record(z.string(), nonNegative),
      usedMemoryBytes: nonNegative,
      keys: z.number().int().nonnegative(),
      bytesPerKey: nonNegative.nullable(),
    })
    .nullable(),
  replicaRssBytes: z.record(z.string(), nonNegative),
  /** From the first warm-up request to the end; null in files before schema 2. */
  timeline: timelineSchema.nullable().default(null),
  /** null in files before schema 2 (not checked). */
  steadyState: steadyStateSchema.nullable().default(null),
  valid: z.boolean(),
  /** Why the run is invalid: "non-2xx: 401 x 12", "errors: 3", "no steady state: ...". */
  invalidReasons: z.array(z.string()),
});

export const metricCiSchema = z.object({
  median: z.number(),
  ciLow: z.number(),
  ciHigh: z.number(),
  n: z.number().int().nonnegative(),
  /** Coefficient of variation across repetitions (stddev / mean). */
  cv: z.number().nonnegative().nullable(),
});

export const summaryMetricNames = [
  'throughputRps',
  'p50Us',
  'p90Us',
  'p99Us',
  'p999Us',
  'cpuUsPerRequest',
] as const;

/**
 * Throughput at a latency objective (plan.sloP99Ms): the highest open-model
 * arrival rate, among those probed, whose p99 met the objective with only 2xx.
 */
export const sloSearchSchema = z.object({
  sloP99Ms: z.number().positive(),
  /** Highest probed rate that met the objective; 0 when none did. */
  ratePerSecond: nonNegative,
  probes: z.array(
    z.object({
      ratePerSecond: z.number().positive(),
      achievedRps: nonNegative,
      p99Us: nonNegative,
      met: z.boolean(),
      /** Why not met: "p99 73.2 ms > 50 ms", "non-2xx: 502 x 3", "achieved 80% of the rate". */
      reason: z.string().nullable(),
    }),
  ),
});

/** Per (variant, setup, replicas): medians with 95% CIs over valid repetitions, plus the merged histogram. */
export const summarySchema = z.object({
  variant: z.string(),
  setup: z.string(),
  replicas: z.number().int().positive(),
  runIds: z.array(z.string()),
  validRuns: z.number().int().nonnegative(),
  metrics: z.record(z.enum(summaryMetricNames), metricCiSchema),
  cpuUsPerRequestByTier: z.record(tierSchema, nonNegative).nullable(),
  replicaShare: z.record(z.string(), z.number().int().nonnegative()),
  /** All valid repetitions' histograms added together (never averaged percentiles). */
  mergedHistogram: encodedHistogramSchema.nullable(),
  /** throughput at N / (N x throughput at 1), when the 1-replica summary exists. */
  scalingEfficiency: z.number().nonnegative().nullable(),
  /** Added in schema 1 (optional, absent in older files): the throughput-at-SLO search, when the plan asked for one. */
  throughputAtSlo: sloSearchSchema.nullable().optional(),
});

/** What one replica did in one second of a scenario (the scaling scenarios record it). */
export const replicaSecondSchema = z.object({
  /** Responses carrying this replica's x-replica, any status. */
  served: z.number().int().nonnegative(),
  status401: z.number().int().nonnegative(),
  /** Re-logins whose new session this replica created. */
  relogins: z.number().int().nonnegative(),
  p99Us: nonNegative.nullable(),
});

export const timelinePointSchema = z.object({
  /** seconds since the scenario's measured window began */
  t: z.number(),
  ok: z.number().int().nonnegative(),
  byStatus: z.record(z.string(), z.number().int().nonnegative()),
  errors: z.number().int().nonnegative(),
  p99Us: nonNegative.nullable(),
  /** Optional (absent in older files and in scenarios that do not record it): per replica id. */
  byReplica: z.record(z.string(), replicaSecondSchema).optional(),
});

/** A trade-off scenario's measurements (bench/scenarios/README.md). Measurement names carry their unit. */
export const scenarioResultSchema = z.object({
  scenario: z.string(),
  setup: z.string(),
  replicas: z.number().int().positive(),
  startedAt: z.string(),
  params: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])),
  injected: z.array(z.object({ atSeconds: z.number(), what: z.string() })),
  /**
   * e.g. { revocationTimeMaxMs: 0, requestsAcceptedAfterRevokeCount: 0, bytesPerSession: 212 };
   * null = not measurable here.
   */
  measurements: z.record(z.string(), z.number().nullable()),
  timeline: z.array(timelinePointSchema),
  /** Expected-shape checks and their outcome, for the report. */
  checks: z.array(z.object({ name: z.string(), passed: z.boolean(), detail: z.string() })),
  notes: z.array(z.string()),
});

export const warningSchema = z.object({
  code: z.enum([
    'generator-bound',
    'budgets-not-enforced',
    'invalid-run',
    'high-variation',
    'interrupted',
    'noisy-neighbours',
    'scenario-check-failed',
    'super-linear',
    'replica-cpu-spread',
    'steady-state-unchecked',
    'few-repetitions',
    'other',
  ]),
  message: z.string(),
  runIds: z.array(z.string()),
});

export const resultsSchema = z.object({
  schemaVersion: z.literal(RESULTS_SCHEMA_VERSION),
  tool: z.literal('authscale'),
  createdAt: z.string(),
  /** Same value in both files of one A/B job: runs with equal (setup, replicas, repetition) are pairs. */
  abGroup: z.string().nullable(),
  environment: environmentSchema,
  plan: planSchema,
  runs: z.array(runSchema),
  summaries: z.array(summarySchema),
  scenarios: z.array(scenarioResultSchema),
  warnings: z.array(warningSchema),
  /** How to read the figures (A/B provenance, interval kind): shown, never counted as warnings. */
  notes: z.array(z.string()).default([]),
  interrupted: z.boolean(),
});

export type Environment = z.infer<typeof environmentSchema>;
export type Plan = z.infer<typeof planSchema>;
export type RunResult = z.infer<typeof runSchema>;
export type Summary = z.infer<typeof summarySchema>;
export type SloSearch = z.infer<typeof sloSearchSchema>;
export type MetricCi = z.infer<typeof metricCiSchema>;
export type SummaryMetricName = (typeof summaryMetricNames)[number];
export type Tier = (typeof tierNames)[number];
export type TimelineBucket = z.infer<typeof timelineBucketSchema>;
export type Timeline = z.infer<typeof timelineSchema>;
export type SteadyState = z.infer<typeof steadyStateSchema>;
export type ScenarioResult = z.infer<typeof scenarioResultSchema>;
export type ReplicaSecond = z.infer<typeof replicaSecondSchema>;
export type ResultsWarning = z.infer<typeof warningSchema>;
export type Results = z.infer<typeof resultsSchema>;
