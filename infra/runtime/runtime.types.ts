/**
 * What a runtime does for the topology orchestration (infra/topology.ts):
 * start Redis, one replica, nginx, each ready when returned, and end
 * whatever it started. The orchestration decides the order, the
 * environment, the ports nginx listens on, fault injection and teardown;
 * a runtime only knows how to run a part (a process, a container).
 */
import type { NginxReplicaTarget } from '../nginx/nginx-config.template';
import type { RunRecord } from '../runs/run.record';
import type { BudgetDescription, TopologyOptions } from '../topology.types';
import type { RuntimeName } from './runtime.names';

/** A part of the topology that can end on its own (a crash is reported by the orchestration). */
export interface RuntimeChild {
  /** Host pid of its main process (for a container: its init process as the host sees it). */
  pid: number;
  /** Resolves once it has exited (never rejects). */
  exited: Promise<void>;
  hasExited(): boolean;
  /** "code 1" / "signal SIGKILL" once exited. */
  describeExit(): string;
  /** The last few KB of its output, for error messages. */
  output(): string;
  /** CPU seconds of the whole part (a container's cgroup); absent for a process (read from /proc). */
  cpuSeconds?(): number | null;
}

export interface RuntimeRedis {
  child: RuntimeChild;
  port: number;
  url: string;
  /** Graceful stop, then a kill; idempotent. */
  stop(): Promise<void>;
}

export interface RuntimeDelayProxy {
  child: RuntimeChild;
  port: number;
  url: string;
  stop(): Promise<void>;
}

export interface RuntimeReplica {
  id: string;
  port: number;
  url: string;
  child: RuntimeChild;
  /** Sends `signal`, kills after `graceMs`; resolves once exited. */
  terminate(signal: NodeJS.Signals, graceMs: number): Promise<void>;
}

export interface RuntimeNginx {
  port: number;
  child: RuntimeChild;
  /** The master's workers (host pids), for CPU accounting. */
  workerPids(): number[];
  /**
   * Points nginx at a new set of replicas without a restart (reload, old
   * workers drain their in-flight requests); absent where the runtime cannot
   * do that yet (docker), and the topology then refuses to add or remove replicas.
   */
  reload?(replicas: readonly NginxReplicaTarget[]): Promise<void>;
  stop(): Promise<void>;
}

export interface RuntimeVersions {
  node: string;
  nginx: string;
  redis: string | null;
}

export interface RuntimeStartContext {
  options: TopologyOptions;
  /** Private directory of the topology (secrets, nginx config); the orchestration removes it. */
  runDir: string;
  readyTimeoutMs: number;
  /** Everything started goes in here the moment it exists (see infra/runs). */
  record: RunRecord;
}

export interface TopologyRuntime {
  readonly name: RuntimeName;
  readonly budgets: BudgetDescription;
  startRedis(port?: number): Promise<RuntimeRedis>;
  /** `env` is the replica's application environment; the runtime adds PORT and REPLICA_ID. */
  startReplica(id: string, env: Readonly<Record<string, string>>, port?: number): Promise<RuntimeReplica>;
  /** Rejects with an InfraError whose message says "the port is busy" when listenPort is taken. */
  startNginx(replicas: readonly NginxReplicaTarget[], listenPort: number): Promise<RuntimeNginx>;
  /** The store-delay proxy (infra/store-delay) in front of Redis's port; absent: this runtime has none. */
  startStoreDelay?(redisPort: number, rttMs: number): Promise<RuntimeDelayProxy>;
  versions(): RuntimeVersions;
  generatorPlacement(): { cpus: string | null; cgroupProcsFiles: string[] };
  /** Applies a quota the runtime started lifted (TopologyOptions.startRelaxed); absent: it cannot. */
  enforceCpuBudget?: () => void;
  /** Ends, by id, everything it started that is still starting or running. */
  endAll(): Promise<void>;
  /** The same, synchronously, for the process 'exit' handler. */
  endAllSync(): void;
  /** Releases budgets (cgroups). Synchronous and idempotent. */
  release(): void;
}
