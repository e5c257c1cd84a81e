/**
 * "Where the CPU goes": the profiled runs' self time per library group
 * (bench/measure/cpu-profile.groups.ts), as shares of busy time, one stacked
 * bar per setup and replica count of the reported variant.
 */
import { CPU_GROUP_NAMES } from '../measure/cpu-profile.groups';
import type { Results, RunResult } from '../results/results.schema';
import { chartBase, type ChartTemplate } from './charts.specs';
import { reportedVariant } from './report.select';

export const CPU_PROFILE_CHART = 'cpu-profile';

export const cpuProfileChart: ChartTemplate = {
  name: CPU_PROFILE_CHART,
  title: 'Where the CPU goes (profiled runs)',
  caption:
    "Self time of the API replicas' V8 CPU profiles over the measured window, grouped by library, as a share of busy time (idle left out); one bar per setup and replica count. The profiled run measures the profiler too: its throughput is in no summary.",
  spec: {
    ...chartBase,
    width: 420,
    data: { name: 'rows' },
    mark: 'bar',
    encoding: {
      y: { field: 'cell', type: 'nominal', title: null, sort: null },
      x: {
        field: 'share',
        type: 'quantitative',
        title: 'share of busy CPU time',
        stack: 'normalize',
        axis: { format: '%' },
      },
      color: { field: 'group', type: 'nominal', title: 'group', scale: { domain: [...CPU_GROUP_NAMES] } },
      order: { field: 'groupOrder' },
      tooltip: [{ field: 'cell' }, { field: 'group' }, { field: 'share', format: '.1%' }],
    },
  },
};

/** Profiled runs of the reported variant that carry an attribution, in schedule order. */
export function profiledRuns(
  results: Results,
): (RunResult & { cpuProfile: NonNullable<RunResult['cpuProfile']> })[] {
  const variant = reportedVariant(results);
  return results.runs.filter(
    (r): r is RunResult & { cpuProfile: NonNullable<RunResult['cpuProfile']> } =>
      r.profiled === true && r.variant === variant && !!r.cpuProfile && r.cpuProfile.busyMs > 0,
  );
}

export const cellLabel = (r: RunResult) => `${r.setup} · ${r.replicas}`;

export function cpuProfileRows(results: Results) {
  return profiledRuns(results).flatMap((r) =>
    CPU_GROUP_NAMES.map((group, groupOrder) => ({
      cell: cellLabel(r),
      group,
      groupOrder,
      share: (r.cpuProfile.groupsMs[group] ?? 0) / r.cpuProfile.busyMs,
    })),
  );
}
