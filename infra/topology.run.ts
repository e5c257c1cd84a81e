/**
 * One running topology, whatever runs it: the order of start and stop, the
 * replicas' environment, crash detection and the last-chance teardown. The
 * runtime (infra/runtime) starts and ends the parts; this class decides
 * when. Everything is recorded in the run's state file (infra/runs) from the
 * moment it exists.
 */
import { rmSync } from 'node:fs';
import { freePort } from './process/free-port';
import { InfraError } from './process/infra-error';
import { registerTeardown } from './process/teardown.registry';
import type { RunRecord } from './runs/run.record';
import type { Watchdog } from './runs/run.watchdog';
import { startStoreHop, type StoreHop } from './store-delay/store-hop';
import type {
  RuntimeChild,
  RuntimeNginx,
  RuntimeRedis,
  RuntimeReplica,
  TopologyRuntime,
} from './runtime/runtime.types';
import type { TopologyOptions } from './topology.types';
import type { NginxReplicaTarget } from './nginx/nginx-config.template';

const NGINX_PORT_ATTEMPTS = 3;

export class TopologyRun {
  redis: RuntimeRedis | null = null;
  nginx: RuntimeNginx | null = null;
  storeHop: StoreHop | null = null;
  readonly replicas = new Map<string, RuntimeReplica>();
  /** Parts stopped on purpose: their exit is not a crash. */
  readonly expectedExits = new Set<RuntimeChild>();
  failure: Error | null = null;
  private stopping: Promise<void> | null = null;
  private readonly unregister: () => void;

  constructor(
    readonly options: TopologyOptions,
    readonly runtime: TopologyRuntime,
    readonly runDir: string,
    readonly replicaEnv: Record<string, string>,
    private readonly record: RunRecord,
    private readonly watchdog: Watchdog | null,
  ) {
    this.unregister = registerTeardown(
      () => this.stop(),
      () => this.stopSync(),
    );
  }

  get stopped(): boolean {
    return this.stopping !== null;
  }

  /** Ordered: nginx first so that no new request reaches a replica that is going away. Idempotent. */
  stop(): Promise<void> {
    return (this.stopping ??= (async () => {
      try {
        await this.nginx?.stop();
        await Promise.all([...this.replicas.values()].map((r) => r.terminate('SIGTERM', 3000)));
        await this.storeHop?.stop();
        await this.redis?.stop();
      } finally {
        // Whatever was still starting when stop() began, or did not stop in order.
        await this.runtime.endAll();
        this.runtime.release();
        rmSync(this.runDir, { recursive: true, force: true });
        this.record.remove();
        await this.watchdog?.release();
        this.unregister();
      }
    })());
  }

  /** For the process 'exit' handler: no async work is possible there. */
  private stopSync(): void {
    // Leave the cgroups first: the processes about to be killed stay zombies
    // (nobody reaps them while this process exits), and a zombie keeps a v1
    // cgroup busy. Moved out, the groups can be removed right away.
    this.runtime.release();
    this.storeHop?.stopSync();
    this.runtime.endAllSync();
    rmSync(this.runDir, { recursive: true, force: true });
    this.record.remove();
  }

  private watch(role: string, label: string, child: RuntimeChild): void {
    void child.exited.then(() => {
      if (this.stopping || this.expectedExits.has(child)) return;
      this.failure = new Error(
        `${role} ${label} (pid ${child.pid}) exited unexpectedly with ${child.describeExit()}; the topology stopped itself.\nIts last output:\n${child.output().trim() || '(none)'}`,
      );
      const failure = this.failure;
      void this.stop().then(() => this.options.onFailure?.(failure));
    });
  }

  /**
   * A part that became ready after stop() began (a Ctrl-C during start) was
   * not seen by stop(): end it here, or it would outlive the topology.
   */
  private async adopt(stopPart: () => Promise<void>): Promise<void> {
    if (!this.stopping) return;
    await stopPart();
    throw new InfraError('the topology was stopped while it was starting (interrupted).', 'environment');
  }

  async launchReplica(id: string, port?: number): Promise<RuntimeReplica> {
    const replica = await this.runtime.startReplica(id, this.replicaEnv, port);
    await this.adopt(() => replica.terminate('SIGKILL', 0));
    this.replicas.set(id, replica);
    this.watch('replica', id, replica.child);
    return replica;
  }

  async launchRedis(port?: number): Promise<RuntimeRedis> {
    const redis = await this.runtime.startRedis(port);
    await this.adopt(() => redis.stop());
    this.redis = redis;
    this.watch('redis', 'redis', redis.child);
    return redis;
  }

  /** The replicas nginx should route to, in id order (r0, r1, ..., r10). */
  nginxTargets(): NginxReplicaTarget[] {
    return [...this.replicas.values()]
      .map(({ id, port }) => ({ id, port }))
      .sort((a, b) => a.id.localeCompare(b.id, 'en', { numeric: true }));
  }

  async launchNginx(): Promise<RuntimeNginx> {
    const targets = this.nginxTargets();
    for (let attempt = 1; ; attempt++) {
      const listenPort = this.options.port ?? (await freePort());
      try {
        const nginx = await this.runtime.startNginx(targets, listenPort);
        await this.adopt(() => nginx.stop());
        this.nginx = nginx;
        this.watch('nginx', 'nginx', nginx.child);
        return nginx;
      } catch (err) {
        // A free port can be taken between the probe and nginx's bind: try another, unless the user chose it.
        const busy = err instanceof InfraError && /port is busy/.test(err.message);
        if (!busy || this.options.port !== undefined || attempt >= NGINX_PORT_ATTEMPTS) throw err;
      }
    }
  }

  /** The delayed hop in front of Redis; the replicas get its address instead of Redis's. */
  async launchStoreHop(redis: RuntimeRedis, rttMs: number): Promise<string> {
    const hop = await startStoreHop(redis, rttMs, this.runtime);
    this.storeHop = hop;
    await this.adopt(() => hop.stop());
    if (hop.child) this.watch('store-delay', 'proxy', hop.child);
    return hop.url;
  }

  /** Redis (if needed) and its delayed hop, the replicas in parallel, then nginx; any failure stops all. */
  async startAll(): Promise<void> {
    try {
      const rttMs = this.options.storeRttMs ?? 0;
      if (this.options.setup.needsRedis) {
        const redis = await this.launchRedis();
        this.replicaEnv.REDIS_URL = rttMs > 0 ? await this.launchStoreHop(redis, rttMs) : redis.url;
      }
      const ids = Array.from({ length: this.options.replicas }, (_, i) => `r${i}`);
      const started = await Promise.allSettled(ids.map((id) => this.launchReplica(id)));
      const rejected = started.find((s): s is PromiseRejectedResult => s.status === 'rejected');
      if (rejected) throw rejected.reason;
      await this.launchNginx();
      await this.storeHop?.measure();
    } catch (err) {
      await this.stop();
      throw err;
    }
  }
}
