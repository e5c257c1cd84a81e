/**
 * Puts the load generator (this process) on the CPU the topology reserved for
 * it, so replicas with a CPU budget compete with each other and not with
 * autocannon. The topology moves it back when it stops (its cgroups are
 * removed then). Returns how many CPUs the generator may use.
 */
import { writeFileSync } from 'node:fs';
import type { RunningTopology } from '../../infra/topology.types';

export function placeGenerator(topology: RunningTopology): {
  placed: boolean;
  cpus: number;
  reason: string | null;
} {
  const placement = topology.generatorPlacement();
  if (placement.cgroupProcsFiles.length === 0)
    return { placed: false, cpus: 1, reason: 'the topology reserved no CPU for the generator' };
  try {
    for (const file of placement.cgroupProcsFiles) writeFileSync(file, String(process.pid));
  } catch (err) {
    return {
      placed: false,
      cpus: 1,
      reason: `could not join the generator cgroup: ${(err as Error).message}`,
    };
  }
  // autocannon is one JavaScript thread: one CPU is the most it can use, placed or not.
  return { placed: true, cpus: 1, reason: null };
}
