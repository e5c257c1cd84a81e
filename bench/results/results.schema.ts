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
  /** bench --target: a deployment the bench did not start; absent or null: the bench started every topology. */
  target: z
    .object({
      url: z.string(),
      /** As declared by the user (--setup), and verified before measuring. */
      setup: z.string(),
      replicas: z.number().int().positive(),
      replicasFrom: z.enum(['replica-metrics', 'declared']),
      replicaMetrics: z.array(z.string()).nullable(),
      /** Scrape interval of the replicas' /metrics: how far a CPU window edge may be off. */
      metricsIntervalMs: z.number().positive().nullable(),
      /** tier -> why it was not measured ("not measured" in the report, never a zero). */
      notMeasured: z.record(z.string(), z.string()),
    })
    .nullable()
    .optional(),
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
  /** One extra, profiled run per cell (repetition 0): CPU by library (bench/measure/cpu-profile.*); absent: off. */
  cpuProfile: z.boolean().optional(),
  /**
   * Round trips added to the Redis hop (--store-rtt), ms; each store setup runs at
   * every one, setups without a store at 0 only. Files without it: [0].
   */
  storeRttsMs: z.array(nonNegative).min(1).default([0]),
  /** The replica counts at which the delayed-hop runs happen (null: at every one; files without it: null). */
  storeRttReplicas: z.array(z.number().int().positive()).min(1).nullable().default(null),
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

/** store-delay: the user-space proxy that delays the Redis hop (--store-rtt), never charged to Redis or replicas. */
export const tierNames = ['replicas', 'nginx', 'redis', 'store-delay', 'generator'] as const;
export const tierSchema = z.enum(tierNames);

/** Per-tier numbers; files written before the store-delay tier existed had no proxy: 0 there. */
const byTier = () =>
  z.preprocess(
    (value) => (value && typeof value === 'object' ? { 'store-delay': 0, ...value } : value),
    z.record(tierSchema, nonNegative),
  );

/** How --store-rtt delayed the Redis hop, and the round trip measured on it after start-up. */
export const storeHopSchema = z.object({
  askedMs: nonNegative,
  mechanism: z.enum(['netem', 'proxy']),
  /** Why this mechanism (e.g. why not netem). */
  reason: z.string(),
  measured: z
    .object({ hopMs: nonNegative, directMs: nonNegative, addedMs: nonNegative, samples: z.number().int() })
    .nullable(),
});

export const cpuSchema = z.object({
  windowSeconds: z.number().positive(),
  /** CPU seconds (user + system) consumed in the measured window per tier. */
  secondsByTier: byTier(),
  /** CPU microseconds per completed request per tier. */
  usPerRequestByTier: byTier(),
  usPerRequestTotal: nonNegative,
  perProcess: z.array(
    z.object({
      role: z.enum(['replica', 'nginx', 'redis', 'store-delay', 'generator']),
      label: z.string(),
      /** null: a replica of a remote target (its CPU read from its /metrics, its pid unknown). */
      pid: z.number().int().positive().nullable(),
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

const tierSecondsSchema = byTier();

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

/** The trend limit the buckets were held to (null: written before the limit followed their noise). */
const trendFiguresSchema = z.object({
  trend: z.number(),
  spread: z.number(),
  limit: z.number().nullable().default(null),
});

const steadinessSchema = z.object({
  throughput: trendFiguresSchema,
  cpu: trendFiguresSchema.nullable(),
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
    /** Null: written before the trend limit followed the buckets' noise. */
    trendSigmas: nonNegative.nullable().default(null),
    maxTrendCeiling: nonNegative.nullable().default(null),
    maxSpread: nonNegative,
    maxWindowDrift: nonNegative,
  }),
  /** Windows opened; each refused one became warm-up (null: written before windows could be retried). */
  windowsTried: z.number().int().nonnegative().nullable().default(null),
  /** The steadiness test over the last warm-up buckets when the window opened (null cpu: not measured). */
  atOpen: steadinessSchema,
  /** The same test over the last buckets up to the window's end, the window's among them (the one it must pass). */
  atClose: steadinessSchema.nullable().default(null),
  /** Second half of the measured window against its first, relative. */
  windowDrift: z.object({ throughput: z.number(), cpuPerRequest: z.number().nullable() }),
});

/** A profiled run's V8 CPU profiles over the measured window, added over its replicas. */
export const runCpuProfileSchema = z.object({
  /** Relative to results.json, e.g. cpuprofiles/jwt-r1-replica0.cpuprofile (DevTools, speedscope). */
  files: z.array(z.string()),
  busyMs: nonNegative,
  /** "(idle)" samples: waiting for events, not CPU. */
  idleMs: nonNegative,
  samples: z.number().int().nonnegative(),
  /** Self time per group of bench/measure/cpu-profile.groups.ts, milliseconds; they add up to busyMs. */
  groupsMs: z.record(z.string(), nonNegative),
  /** Replicas whose profile did not arrive, and why. */
  missing: z.array(z.string()),
  /** The profiler's cost: replica CPU per request here and in the same cell's unprofiled run of this job. */
  overhead: z
    .object({
      unprofiledRunId: z.string(),
      replicaUsPerRequest: nonNegative,
      unprofiledReplicaUsPerRequest: nonNegative,
    })
    .nullable(),
});

export const runSchema = z.object({
  id: z.string(),
  /** Variant label: "candidate" normally; "base" / "candidate" in an A/B job. */
  variant: z.string(),
  /** How the Redis hop was delayed (--store-rtt); absent or null: not delayed. */
  storeHop: storeHopSchema.nullable().optional(),
  /**
   * What ran the topology (infra/runtime); 'target': a deployment the bench did not start (environment.target).
   * Absent in results written before there was a choice: processes.
   */
  runtime: z.enum(['process', 'docker', 'target']).optional(),
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
  /**
   * Optional (absent in older files): the window's edges and the timeline's
   * start by the generator's wall clock, epoch ms, so merge can align shards.
   */
  clock: z
    .object({
      timelineStartEpochMs: nonNegative,
      windowStartEpochMs: nonNegative,
      windowEndEpochMs: nonNegative,
    })
    .optional(),
  valid: z.boolean(),
  /** Why the run is invalid: "non-2xx: 401 x 12", "errors: 3", "no steady state: ...". */
  invalidReasons: z.array(z.string()),
  /** Profiled runs measure the profiler too: kept out of summaries, scaling and the gate. Absent: not profiled. */
  profiled: z.boolean().optional(),
  /** Present on profiled runs; null when no replica's profile arrived. */
  cpuProfile: runCpuProfileSchema.nullable().optional(),
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
  cpuUsPerRequestByTier: byTier().nullable(),
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
    'shard-window-overlap',
    'other',
  ]),
  message: z.string(),
  runIds: z.array(z.string()),
});

/** One shard of a sharded run (bench --shard i/N): what merge checks before adding files together. */
export const shardInfoSchema = z.object({
  /** 0-based; the CLI shows it 1-based (--shard 2/3 is index 1). */
  index: z.number().int().nonnegative(),
  count: z.number().int().positive(),
  runId: z.string().min(1),
  /** bench/plan/shard.plan.ts planHash of `plan` (the whole run's plan, not the shard's part). */
  planHash: z.string().min(1),
  startAt: z.string(),
});

/** What a merged file was merged from (authscale merge). */
export const mergedFromSchema = z.object({
  runId: z.string(),
  planHash: z.string(),
  shards: z.array(
    z.object({
      index: z.number().int().nonnegative(),
      hostname: z.string(),
      requests: z.number().int().nonnegative(),
      windowStartEpochMs: nonNegative.nullable(),
      windowEndEpochMs: nonNegative.nullable(),
    }),
  ),
  /** Time all windows share / time any window covers, 0..1. */
  windowOverlap: nonNegative.nullable(),
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
  /** Optional: set in each shard's file of a sharded run. */
  shard: shardInfoSchema.optional(),
  /** Optional: set in the file authscale merge writes. */
  mergedFrom: mergedFromSchema.optional(),
});

export type Environment = z.infer<typeof environmentSchema>;
export type Plan = z.infer<typeof planSchema>;
export type RunResult = z.infer<typeof runSchema>;
export type RunCpuProfile = z.infer<typeof runCpuProfileSchema>;
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
export type ShardInfo = z.infer<typeof shardInfoSchema>;
export type MergedFrom = z.infer<typeof mergedFromSchema>;
