/**
 * The machine and software a results file was measured on: enough to tell
 * whether two files can be compared (same CPU model, cores, versions,
 * budgets enforced or not) and to reproduce the run (git revision).
 */
import { packageRoot, packageVersion } from '../../infra/package.root';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus, hostname, release, totalmem, type } from 'node:os';
import type { TopologyDescription } from '../../infra/topology.types';
import type { Environment } from '../results/results.schema';
import type { Variant } from '../plan/variant';
import { tiersNotMeasured } from '../plan/target.spec';
import { POLL_INTERVAL_MS } from '../measure/replica-metrics';

const REPO_ROOT = packageRoot();

function git(args: string[]): string | null {
  try {
    return execFileSync('git', args, {
      cwd: REPO_ROOT,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
  } catch {
    return null;
  }
}

function osName(): string {
  try {
    const match = /^PRETTY_NAME="?([^"\n]+)"?/m.exec(readFileSync('/etc/os-release', 'utf8'));
    if (match?.[1]) return match[1];
  } catch {
    // not Linux or no os-release
  }
  return type();
}

/** CALIBRATION_* settings that are on (non-zero) in any variant; null when the knob is off everywhere. */
export function calibrationOf(variants: readonly Variant[]): Record<string, string> | null {
  const on: Record<string, string> = {};
  for (const variant of variants) {
    for (const [key, value] of Object.entries(variant.appEnv)) {
      if (key.startsWith('CALIBRATION_') && value !== '' && Number(value) !== 0) {
        on[variants.length > 1 ? `${variant.name}:${key}` : key] = value;
      }
    }
  }
  return Object.keys(on).length > 0 ? on : null;
}

/**
 * The environment of a job from every topology its runs started: budgets and
 * store RTT from the first (one plan, one setting), each version from the
 * first topology that had the program (a jwt run has no Redis).
 */
export function describeEnvironment(
  topologies: readonly TopologyDescription[],
  variants: readonly Variant[],
  cpuPerReplica: number | null,
): Environment {
  const topology = topologies[0] ?? null;
  const versionOf = (tool: 'nginx' | 'redis') =>
    topologies.find((t) => t.versions[tool])?.versions[tool] ?? null;
  const status = git(['status', '--porcelain']);
  return {
    hostname: hostname(),
    os: osName(),
    kernel: release(),
    cpuModel: cpus()[0]?.model ?? 'unknown',
    cores: Math.max(1, cpus().length),
    memoryBytes: totalmem(),
    versions: {
      node: process.version,
      nginx: versionOf('nginx'),
      redis: versionOf('redis'),
      authscale: packageVersion(),
    },
    git: { revision: git(['rev-parse', 'HEAD']), dirty: status === null ? null : status.length > 0 },
    budgets: topology?.budgets ?? {
      enforced: false,
      reason: 'no topology was started',
      cgroupVersion: null,
      cpuPerReplica,
      cfsPeriodUs: null,
      placement: null,
    },
    calibration: calibrationOf(variants),
    storeRttMs: topology?.storeRttMs ?? null,
    target: targetOf(variants),
  };
}

function targetOf(variants: readonly Variant[]): Environment['target'] {
  const target = variants[0]?.target;
  if (!target) return null;
  return {
    ...target,
    metricsIntervalMs: target.replicaMetrics ? POLL_INTERVAL_MS : null,
    notMeasured: tiersNotMeasured(target),
  };
}
