/**
 * Section: the trade-off scenarios (revocation, replica loss, store outage,
 * server-side state, login storm). One table per scenario with a row per
 * setup; a scenario that was planned but has no results says "not measured".
 */
import type { Results, ScenarioResult } from '../results/results.schema';
import { replicaTimelineChartName, timelineChartName, type PreparedChart } from './charts.data';
import { fmtNumber, NOT_MEASURED } from '../results/number.format';
import { scenarioTargetLabel } from './report.select';
import { heading, list, table, text, type Block, type Section } from './report.model';

/**
 * "revocationTimeMaxMs" -> "revocation time max (ms)", "logoutFailedCount" ->
 * "logout failed": measurement names carry their unit as a suffix.
 */
const UNITS: Record<string, string> = {
  Ms: 'ms',
  Us: 'µs',
  Bytes: 'bytes',
  Seconds: 's',
  Percent: '%',
  Rps: 'req/s',
  Count: '',
};

export function measurementLabel(name: string): string {
  const unit = /(Ms|Us|Bytes|Seconds|Percent|Rps|Count)$/.exec(name.replace(/_count$/, 'Count'))?.[1];
  const base = name.replace(/_count$/, 'Count');
  const stem = unit ? base.slice(0, -unit.length) : base;
  const words = stem
    .replace(/_/g, ' ')
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([a-zA-Z])(\d)/g, '$1 $2')
    .toLowerCase()
    .trim();
  return unit && UNITS[unit] ? `${words} (${UNITS[unit]})` : words;
}

/** Column label of a scenario target: setup, its setting (fail-open...), and replicas when they differ. */
function valueCell(r: ScenarioResult, key: string): string {
  if (!(key in r.measurements)) return '–';
  const v = r.measurements[key];
  if (v === null || v === undefined) return 'not measurable here';
  return fmtNumber(v, Number.isInteger(v) || Math.abs(v) >= 100 ? 0 : 2);
}

function checksCell(r: ScenarioResult): string {
  if (r.checks.length === 0) return '–';
  const failed = r.checks.filter((c) => !c.passed);
  return failed.length === 0
    ? `${r.checks.length}/${r.checks.length} passed`
    : `FAILED: ${failed.map((c) => `${c.name} (${c.detail})`).join('; ')}`;
}

/** One column per setup, one row per measurement: scenarios record many measurements, setups are few. */
function scenarioBlocks(
  name: string,
  rows: ScenarioResult[],
  charts: (PreparedChart | undefined)[],
): Block[] {
  const keys = [...new Set(rows.flatMap((r) => Object.keys(r.measurements)))];
  const labels = rows.map((r) => scenarioTargetLabel(r, rows));
  const blocks: Block[] = [
    heading(name),
    ...charts.flatMap((c) => (c ? [{ kind: 'chart' as const, chart: c.ref }] : [])),
    table({
      head: ['measurement', ...labels],
      align: ['left', ...rows.map(() => 'right' as const)],
      rows: [
        ['replicas', ...rows.map((r) => String(r.replicas))],
        ...keys.map((k) => [measurementLabel(k), ...rows.map((r) => valueCell(r, k))]),
        ['expected-shape checks', ...rows.map(checksCell)],
        [
          'injected',
          ...rows.map(
            (r) => r.injected.map((i) => `${i.what} at ${fmtNumber(i.atSeconds, 1)} s`).join('; ') || '–',
          ),
        ],
      ],
      flagged: rows.some((r) => r.checks.some((c) => !c.passed)) ? [keys.length + 1] : [],
    }),
  ];
  const params = [
    ...new Set(
      rows
        .map((r) =>
          Object.entries(r.params)
            .filter(([k]) => k !== 'variant')
            .map(([k, v]) => `${k}=${String(v)}`)
            .join(', '),
        )
        .filter(Boolean),
    ),
  ];
  // A note every target shares is listed once; others say whose they are.
  const notes = [...new Set(rows.flatMap((r) => r.notes))].map((note) => {
    const owners = rows.filter((r) => r.notes.includes(note));
    return owners.length === rows.length
      ? note
      : `${owners.map((r) => scenarioTargetLabel(r, rows)).join(', ')}: ${note}`;
  });
  if (params.length > 0 || notes.length > 0)
    blocks.push(list([...params.map((p) => `parameters: ${p}`), ...notes]));
  return blocks;
}

export function scenariosSection(results: Results, charts: Map<string, PreparedChart>): Section {
  const names = [...new Set([...results.plan.scenarios, ...results.scenarios.map((s) => s.scenario)])];
  const blocks: Block[] = [];
  if (names.length === 0) {
    blocks.push(
      text(
        `No trade-off scenarios were planned in profile "${results.plan.profile}": revocation, replica loss, store outage, server-side state and login storms are ${NOT_MEASURED} here (the full profile runs them).`,
      ),
    );
  }
  for (const name of names) {
    const rows = results.scenarios.filter((s) => s.scenario === name);
    if (rows.length === 0) {
      blocks.push(
        heading(name),
        text(
          `${NOT_MEASURED}: the plan asked for this scenario but results.json holds no result for it${results.interrupted ? ' (the run was interrupted)' : ''}.`,
        ),
      );
    } else {
      const shown = [charts.get(timelineChartName(name)), charts.get(replicaTimelineChartName(name))];
      blocks.push(...scenarioBlocks(name, rows, shown));
    }
  }
  return { id: 'scenarios', title: 'Trade-off scenarios', blocks };
}
