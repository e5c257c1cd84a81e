/**
 * Sections: environment and budgets (what the numbers were measured on), and
 * every warning with the invalid runs spelled out.
 */
import type { Results } from '../results/results.schema';
import { fmtBytes, fmtNumber } from '../results/number.format';
import { list, table, text, type ReportWarning, type Section } from './report.model';
import { storeHopLines } from './store-hop.facts';

/** A remote target: where the load went, what was declared, and what the bench could not see. */
function targetRows(env: Results['environment']): string[][] {
  const t = env.target;
  if (!t) return [];
  return [
    [
      'remote target',
      `${t.url}, setup ${t.setup} as declared (verified), ${t.replicas} replica(s) ${t.replicasFrom === 'declared' ? 'as declared' : 'from --replica-metrics'}`,
    ],
    [
      'replica CPU',
      t.replicaMetrics
        ? `from each replica's /metrics (process_cpu_seconds_total, scraped every ${t.metricsIntervalMs ?? '?'} ms): ${t.replicaMetrics.join(', ')}`
        : 'not measured',
    ],
    ...Object.entries(t.notMeasured).map(([tier, why]) => [`${tier} CPU`, `not measured: ${why}`]),
  ];
}

export function environmentSection(results: Results): Section {
  const env = results.environment;
  const b = env.budgets;
  const plan = results.plan;
  const rows: string[][] = [
    ['machine', `${env.cpuModel}, ${env.cores} cores, ${fmtBytes(env.memoryBytes)} memory (${env.hostname})`],
    ['system', `${env.os}, kernel ${env.kernel}`],
    [
      'versions',
      `node ${env.versions.node}, nginx ${env.versions.nginx ?? 'none'}, redis ${env.versions.redis ?? 'none'}, authscale ${env.versions.authscale}`,
    ],
    [
      'revision',
      env.git.revision ? `${env.git.revision}${env.git.dirty ? ' (uncommitted changes)' : ''}` : 'unknown',
    ],
    [
      'CPU budgets',
      b.enforced
        ? `enforced with cgroup ${b.cgroupVersion ?? '?'}: ${b.cpuPerReplica ?? '?'} CPU per replica, CFS period ${b.cfsPeriodUs ?? '?'} µs`
        : `NOT enforced${b.reason ? `: ${b.reason}` : ''}`,
    ],
    [
      'CPU placement',
      b.placement
        ? Object.entries(b.placement)
            .map(([tier, cpus]) => `${tier} on CPU ${cpus}`)
            .join(', ')
        : 'none (all processes share all cores)',
    ],
    ['store round trip added', storeHopLines(results).join('; ') || 'none'],
    [
      'calibration knob',
      env.calibration
        ? Object.entries(env.calibration)
            .map(([k, v]) => `${k}=${v}`)
            .join(', ')
        : 'off',
    ],
    [
      'plan',
      `profile ${plan.profile}; setups ${plan.setups.join(', ')}; replicas ${plan.replicas.join(', ')}; ${plan.repetitions} repetition(s) of ${fmtNumber(plan.durationSeconds)} s after ${fmtNumber(plan.warmupSeconds)} s warm-up`,
    ],
    [
      'load',
      plan.model === 'open'
        ? `open model, ${fmtNumber(plan.ratePerSecond ?? 0)} arrivals/s over ${plan.connections} connections`
        : `closed model, ${plan.connections} connections`,
    ],
    ['request mix', plan.mix.map((m) => `${m.path} × ${m.weight}`).join(', ')],
    ['results written', results.createdAt],
    ...targetRows(env),
  ];
  return {
    id: 'environment',
    title: 'Environment and budgets',
    blocks: [table({ head: ['item', 'value'], rows })],
  };
}

export function warningsSection(results: Results, warnings: ReportWarning[]): Section {
  const invalid = results.runs.filter((r) => !r.valid);
  const notes = results.notes.length > 0 ? [text('Notes on reading the figures:'), list(results.notes)] : [];
  const blocks = [
    warnings.length === 0
      ? text(
          'None: every run was valid, budgets were enforced, the load generator kept up and repetitions agreed.',
        )
      : list(
          warnings.map(
            (w) =>
              `${w.level === 'problem' ? 'PROBLEM' : 'CAUTION'} [${w.code}] ${w.message}${w.runIds.length ? ` Runs: ${w.runIds.join(', ')}.` : ''}`,
          ),
        ),
    ...notes,
  ];
  if (invalid.length > 0) {
    blocks.push(text('Invalid runs (left out of every summary, chart and table above):'));
    blocks.push(
      table({
        head: ['run', 'setup', 'replicas', 'repetition', 'why invalid'],
        align: ['left', 'left', 'right', 'right', 'left'],
        rows: invalid.map((r) => [
          r.id,
          r.setup,
          String(r.replicas),
          String(r.repetition),
          r.invalidReasons.join('; ') || 'no reason recorded',
        ]),
        flagged: invalid.map((_, i) => i),
      }),
    );
  }
  const bound = results.runs.filter((r) => r.generatorBound);
  if (bound.length > 0) {
    blocks.push(
      text(
        `Generator-bound runs (load generator CPU near its limit; their throughput is a floor, not the API's capacity): ${bound.map((r) => `${r.id} (${r.cpu ? `${fmtNumber(r.cpu.generatorUtilisation * 100)}% busy` : 'utilisation unknown'})`).join(', ')}.`,
      ),
    );
  }
  return { id: 'warnings', title: 'Warnings', blocks };
}
