/**
 * The calibration knob (docs/api-contract.md, "Calibration knob: how exact"): a known amount of CPU or waiting per
 * authenticated request, so the bench can check that its CPU-per-request
 * accounting and its scaling curves recover a cost it knows in advance.
 *
 * burnCpu spins until the process's own CPU time (process.cpuUsage, user +
 * system) has grown by the requested microseconds. It measures CPU, not wall
 * time, so a replica whose cgroup quota throttles it still spends exactly the
 * requested CPU (it just takes longer). Exactness: see docs/api-contract.md
 * and test/unit/api/calibration.burn.spec.ts (a few microseconds over per
 * call, from the cost of the last cpuUsage() call; CPU of other threads of
 * the process, such as GC helpers, counts towards the total).
 */
import { setTimeout as delay } from 'node:timers/promises';

export function burnCpu(microseconds: number): void {
  if (microseconds <= 0) return;
  const start = process.cpuUsage();
  const target = start.user + start.system + microseconds;
  for (;;) {
    const now = process.cpuUsage();
    if (now.user + now.system >= target) return;
  }
}

export interface Calibration {
  readonly active: boolean;
  apply(): Promise<void> | void;
}

export function createCalibration(cpuUs: number, delayMs: number): Calibration {
  if (cpuUs <= 0 && delayMs <= 0) return { active: false, apply: () => undefined };
  return {
    active: true,
    apply: async () => {
      burnCpu(cpuUs);
      if (delayMs > 0) await delay(delayMs);
    },
  };
}
