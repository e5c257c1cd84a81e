/**
 * The CPU-profile section (bench --cpu-profile): the attribution chart, a
 * table of shares per group with the profiler's measured overhead, and
 * where the raw .cpuprofile files are (they open in Chrome DevTools and
 * speedscope).
 */
import { CPU_GROUP_NAMES, groupLabel } from '../measure/cpu-profile.groups';
import type { Results, RunResult } from '../results/results.schema';
import { fmtPercent, fmtSignedPercent, fmtUs } from '../results/number.format';
import type { PreparedChart } from './charts.data';
import { CPU_PROFILE_CHART, profiledRuns } from './cpu-profile.chart';
import { list, table, text, type Block, type Section } from './report.model';

function overheadCell(r: RunResult): string {
  const o = r.cpuProfile?.overhead;
  if (!o || o.unprofiledReplicaUsPerRequest <= 0) return 'not measured';
  const change = o.replicaUsPerRequest / o.unprofiledReplicaUsPerRequest - 1;
  return `${fmtUs(o.replicaUsPerRequest)} vs ${fmtUs(o.unprofiledReplicaUsPerRequest)} (${fmtSignedPercent(change)})`;
}

export function cpuProfileSection(results: Results, charts: Map<string, PreparedChart>): Section | null {
  if (!results.plan.cpuProfile) return null;
  const runs = profiledRuns(results);
  const chart = charts.get(CPU_PROFILE_CHART);
  const missing = results.runs.flatMap((r) =>
    r.profiled ? (r.cpuProfile?.missing ?? []).map((m) => `${r.id}: ${m}`) : [],
  );
  const blocks: Block[] = [
    text(
      'Each cell ran once more with V8 sampling CPU profiles of every API replica over the measured window only (an in-process inspector session the bench toggles by signal; no inspector port). Self time is grouped by library; frames of Node built-ins other than HTTP, net and streams (crypto, timers) and native frames count for the library that called them. "(idle)" is left out of busy time; "(program)" (V8 and native work not attributed to a JS function) is in the rest. Profiled runs are kept out of every summary, scaling figure and the gate; the overhead column compares their replica CPU per request with the unprofiled run of the same cell in this job.',
    ),
    ...(chart
      ? [{ kind: 'chart' as const, chart: chart.ref }]
      : [text('No profiled run carries an attribution.')]),
  ];
  if (runs.length > 0)
    blocks.push(
      table({
        head: ['setup', 'replicas', ...CPU_GROUP_NAMES, 'busy ms', 'replica CPU µs/req profiled vs not'],
        align: ['left', 'right', ...CPU_GROUP_NAMES.map(() => 'right' as const), 'right', 'right'],
        rows: runs.map((r) => [
          r.setup,
          String(r.replicas),
          ...CPU_GROUP_NAMES.map((g) => fmtPercent((r.cpuProfile.groupsMs[g] ?? 0) / r.cpuProfile.busyMs, 1)),
          r.cpuProfile.busyMs.toFixed(0),
          overheadCell(r),
        ]),
      }),
      list(CPU_GROUP_NAMES.map((g) => `${g}: ${groupLabel(g)}`)),
      text(`Raw profiles, next to results.json: ${runs.flatMap((r) => r.cpuProfile.files).join(', ')}.`),
    );
  if (missing.length > 0) blocks.push(text(`Profiles that did not arrive: ${missing.join('; ')}.`));
  return { id: 'cpu-profile', title: 'Where the CPU goes (profiled runs)', blocks };
}
