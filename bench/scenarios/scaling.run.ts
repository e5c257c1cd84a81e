/**
 * The load both scaling scenarios run: every user's bounded loop through
 * nginx (re-login on 401), one recorder and keep-alive agent, and an abort
 * that ends the loops when the topology change itself fails (e.g. a runtime
 * that cannot reload nginx), so no loop outlives a failed scenario.
 */
import type { VirtualUser } from '../client/virtual-user';
import { keepAliveAgent } from './driver/http.client';
import { Recorder } from './driver/recorder';
import type { TargetRun } from './scenario.runner';
import { userLoad } from './scenario.users';
import type { ScaleInParams } from './scenarios.data';

export interface ScalingLoad {
  rec: Recorder;
  /** The run with a signal that also fires when the change failed. */
  run: TargetRun;
  load(user: VirtualUser, group: string): Promise<number>;
  /** Runs the loops and the change together; a failed change aborts the loops, then rethrows. */
  together(loops: Promise<unknown>[], change: Promise<void>): Promise<void>;
  /** Percent of one core this process used since the load was created (the generator is one thread). */
  generatorCpuPercent(): number;
}

export function scalingLoad(target: TargetRun, p: ScaleInParams): ScalingLoad {
  const rec = new Recorder();
  const agent = keepAliveAgent();
  const stop = new AbortController();
  const run: TargetRun = { ...target, signal: AbortSignal.any([target.signal, stop.signal]) };
  const cpuStart = process.cpuUsage();
  const wallStart = performance.now();
  const options = (group: string) => ({
    untilMs: p.durationSeconds * 1000,
    thinkMs: p.thinkMs,
    timeoutMs: p.requestTimeoutMs,
    maxRelogins: p.maxRelogins,
    group,
  });
  return {
    rec,
    run,
    load: (user, group) => userLoad(rec, run, agent, user, options(group)),
    async together(loops, change) {
      const guarded = change.catch((err: unknown) => {
        stop.abort();
        throw err;
      });
      try {
        await Promise.all([...loops, guarded]);
      } finally {
        agent.destroy();
      }
    },
    generatorCpuPercent() {
      const used = process.cpuUsage(cpuStart);
      return (100 * (used.user + used.system)) / 1000 / Math.max(1, performance.now() - wallStart);
    },
  };
}
