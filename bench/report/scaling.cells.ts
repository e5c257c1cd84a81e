/**
 * The seed comparison's scaling cells that come from the scale-out and
 * scale-in scenarios (bench/scenarios/scale-*.scenario.ts): what happened
 * to logged-in users when replicas came and went under load.
 */
import type { Results, ScenarioResult } from '../results/results.schema';
import { fmtNumber, fmtPercent, fmtRps, NOT_MEASURED } from '../results/number.format';

function resultFor(results: Results, scenario: string, setup: string): ScenarioResult | undefined {
  return results.scenarios.find((s) => s.scenario === scenario && s.setup === setup && !s.params.variant);
}

const value = (r: ScenarioResult, key: string): number | null => r.measurements[key] ?? null;

function stoppedEarly(r: ScenarioResult): boolean {
  return r.checks.some((c) => c.name === 'completed' && !c.passed);
}

export function scaleOutCell(results: Results, setup: string): string {
  const r = resultFor(results, 'scale-out', setup);
  if (!r) return `${NOT_MEASURED} (scale-out scenario)`;
  if (stoppedEarly(r)) return 'not measured (the scale-out scenario stopped early: see Trade-off scenarios)';
  const even = value(r, 'timeToEvenSeconds');
  const onNew = value(r, 'existingUsersOnNewReplicasPercent');
  const before = value(r, 'throughputBeforeRps');
  const after = value(r, 'throughputAfterRps');
  const gain = value(r, 'capacityGainPercent');
  return [
    `${r.replicas} → ${r.replicas + Number(r.params.addReplicas ?? 0)} replicas`,
    onNew === null ? null : `existing users' requests on the new replicas ${fmtNumber(onNew, 0)}%`,
    even === null ? 'load never even in the window' : `even after ${fmtNumber(even, 1)} s`,
    before === null || after === null
      ? null
      : `${fmtRps(before)} → ${fmtRps(after)}${gain === null ? '' : ` (${gain >= 0 ? '+' : ''}${fmtPercent(gain / 100)})`}`,
    `${fmtNumber(value(r, 'forcedReloginsCount') ?? 0)} re-logins`,
  ]
    .filter(Boolean)
    .join('; ');
}

export function scaleInCell(results: Results, setup: string): string {
  const r = resultFor(results, 'scale-in', setup);
  if (!r) return `${NOT_MEASURED} (scale-in scenario)`;
  if (stoppedEarly(r)) return 'not measured (the scale-in scenario stopped early: see Trade-off scenarios)';
  const users = value(r, 'usersForcedToReloginCount') ?? 0;
  return [
    `1 of ${r.replicas} removed gracefully`,
    `${fmtNumber(users)} of ${fmtNumber(value(r, 'usersCount') ?? 0)} users logged in again`,
    `${fmtNumber(value(r, 'status401Count') ?? 0)} × 401`,
    `${fmtNumber(value(r, 'status5xxCount') ?? 0)} × 5xx`,
  ].join('; ');
}
