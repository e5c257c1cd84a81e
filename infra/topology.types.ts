/**
 * The contract between the topology launcher (infra) and its users (bench,
 * scenarios, tests). The launcher implementation lives in infra/topology.ts.
 */
import type { RuntimeName } from './runtime/runtime.names';
import type { SetupDefinition } from './setups.data';
import type { HopRtt } from './store-delay/hop-rtt.measure';

export type ProcessRole = 'replica' | 'nginx' | 'redis' | 'store-delay';

export interface ProcessRef {
  role: ProcessRole;
  /** e.g. "r0", "nginx-master", "nginx-worker-1", "redis" */
  label: string;
  pid: number;
  /**
   * CPU seconds from the part's own accounting (a container's cgroup:
   * every process in it); absent: the bench reads /proc/<pid>/stat.
   */
  cpuSeconds?: () => number | null;
}

export interface TopologyOptions {
  setup: SetupDefinition;
  replicas: number;
  /** CPU limit per replica in CPUs (0.25 = a quarter of one core); null = unlimited. */
  cpuPerReplica?: number | null;
  /** CFS period for the quota, microseconds. */
  cfsPeriodUs?: number;
  /** Extra round trip added to the Redis hop only (netem, or the store-delay proxy), milliseconds. */
  storeRttMs?: number;
  /** Extra environment for every replica (calibration knob, token lifetime...). */
  appEnv?: Readonly<Record<string, string>>;
  /** Path of the built API entry; defaults to dist/apps/api/main.js of this checkout. */
  apiEntry?: string;
  /** Entry port of nginx; default: a free port. A busy port is an error, not a silent change. */
  port?: number;
  /**
   * Start the replicas with their CPU quota lifted (placement kept), for a
   * warm-up at full speed; RunningTopology.enforceCpuBudget applies it.
   */
  startRelaxed?: boolean;
  /** Give the load generator its own CPU (cpuset); default: on when cpuPerReplica is set. */
  placement?: boolean;
  /**
   * Called once if a process of the topology exits without being asked to
   * (a crashed replica, nginx or Redis). The topology has then stopped itself.
   */
  onFailure?: (error: Error) => void;
  /** How long each process may take to become ready; default 20 s. */
  readyTimeoutMs?: number;
  /** What runs the parts: local processes (default) or Docker containers (infra/docker). */
  runtime?: RuntimeName;
  /** docker runtime: the API image (default: the tag in infra/docker/images.data.ts). */
  apiImage?: string;
}

export interface BudgetDescription {
  enforced: boolean;
  /** Why not, when not enforced ("not root", "no cgroup cpu controller", ...). */
  reason: string | null;
  cgroupVersion: 'v1' | 'v2' | null;
  cpuPerReplica: number | null;
  cfsPeriodUs: number | null;
  /** CPU ids per tier when placement (cpusets) is applied, e.g. { replicas: "0", generator: "1" }. */
  placement: Record<string, string> | null;
}

export interface TopologyDescription {
  setup: string;
  replicas: number;
  routing: string;
  /** Which runtime ran the parts; 'target': a deployment the bench did not start (bench --target). */
  runtime: RuntimeName | 'target';
  versions: { node: string; nginx: string; redis: string | null };
  budgets: BudgetDescription;
  storeRttMs: number | null;
  /** How the Redis hop was delayed (null: it was not; see infra/store-delay). */
  storeHop: StoreHopDescription | null;
}

/** The delayed Redis hop: which mechanism, why, and the round trip measured on it after start-up. */
export interface StoreHopDescription {
  askedMs: number;
  mechanism: 'netem' | 'proxy';
  reason: string;
  measured: HopRtt | null;
}

export interface ReplicaHandle {
  id: string;
  pid: number;
  port: number;
  /** Direct URL of the replica, bypassing nginx. */
  url: string;
}

export interface RunningTopology {
  /** Entry URL through nginx, e.g. http://127.0.0.1:41234 */
  url: string;
  replicas: ReplicaHandle[];
  nginx: { pid: number; port: number };
  redis: { pid: number; port: number; url: string } | null;
  description: TopologyDescription;
  /** Every process of the topology, for CPU accounting (refreshed: includes restarted ones). */
  processes(): ProcessRef[];
  /** Where the load generator should place itself (cpuset path or null); see infra/cpu-budget. */
  generatorPlacement(): { cpus: string | null; cgroupProcsFiles: string[] };
  /**
   * Present when the topology started relaxed (TopologyOptions.startRelaxed)
   * and its runtime can apply the quota later: applies it. Idempotent.
   */
  enforceCpuBudget?: () => void;
  /** Fault injection for scenarios: only on processes this topology started. */
  killReplica(id: string, signal?: NodeJS.Signals): Promise<void>;
  restartReplica(id: string): Promise<void>;
  stopRedis(): Promise<void>;
  startRedis(): Promise<void>;
  /**
   * Scale-out under load: starts `count` new replicas, waits until each is
   * ready, then reloads nginx with them (infra/topology.resize.ts). `replicas`
   * lists them afterwards. Process runtime only; elsewhere a usage error.
   */
  addReplicas(count: number): Promise<ReplicaHandle[]>;
  /** Scale-in: takes the replica out of nginx (reload, in-flight requests drain), then stops it. */
  removeReplica(id: string): Promise<void>;
  /** The unexpected exit that stopped the topology, if any (see TopologyOptions.onFailure). */
  failure(): Error | null;
  /** Private directory of this topology (nginx config, secrets); removed by stop(). */
  runDir: string;
  /** Ends exactly what was started, by pid; removes temp dirs, cgroups, namespaces. Idempotent. */
  stop(): Promise<void>;
}
