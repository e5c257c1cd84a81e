/**
 * The gate's flags, shared by `compare` and `ab`: declared once, validated
 * all at once (every problem listed with the value received and what is
 * allowed), turned into CompareOptions.
 */
import { readList, readNumber, wholeFrom } from '../plan/flag.values';
import type { Command } from 'commander';
import { UsageError } from '../../infra/errors';
import { DEFAULT_OPTIONS, type CompareOptions } from '../gate/compare.options';
import { gateMetricKeys, type GateMetricKey } from '../results/metrics.registry';

export interface GateFlags {
  alpha?: string;
  floor?: string[];
  minRuns?: string;
  maxVariation?: string[];
  metrics?: string;
  failOnInconclusive?: boolean;
  allowDifferentMachines?: boolean;
  json?: boolean;
}

const collect = (value: string, previous: string[] = []) => [...previous, value];
const pct = (x: number) => `${Math.round(x * 100)}%`;

export function addGateFlags(cmd: Command): Command {
  const floors = gateMetricKeys.map((k) => `${k}=${pct(DEFAULT_OPTIONS.floors[k])}`).join(', ');
  const spreads = gateMetricKeys.map((k) => `${k}=${pct(DEFAULT_OPTIONS.maxVariation[k])}`).join(', ');
  return cmd
    .option(
      '--alpha <p>',
      `family-wise significance level across all rows (Holm), default ${DEFAULT_OPTIONS.alpha}`,
    )
    .option('--floor <metric=pct>', `smallest change that fails, repeatable; defaults ${floors}`, collect)
    .option(
      '--min-runs <n>',
      `valid runs (pairs) per side needed to judge a row, default ${DEFAULT_OPTIONS.minRuns}`,
    )
    .option(
      '--max-variation <metric=pct>',
      `run-to-run spread (robust CV) above which a row is INVALID, repeatable; defaults ${spreads}`,
      collect,
    )
    .option(
      '--metrics <list>',
      `metrics to judge, comma-separated (${gateMetricKeys.join(', ')}); default all`,
    )
    .option('--fail-on-inconclusive', 'exit 3 when a row is INCONCLUSIVE (default: warn and exit 0)')
    .option('--allow-different-machines', 'judge rows even when the two files come from different machines')
    .option('--json', 'print the full comparison as JSON on stdout instead of the markdown table');
}

function parsePercent(text: string): number | null {
  const m = /^(\d+(?:\.\d+)?)%?$/.exec(text.trim());
  if (!m) return null;
  const value = Number(m[1]);
  return text.includes('%') || value >= 1 ? value / 100 : value;
}

function parsePerMetric(
  flag: string,
  entries: string[] | undefined,
  defaults: Record<GateMetricKey, number>,
  problems: string[],
): Record<GateMetricKey, number> {
  const out = { ...defaults };
  for (const entry of entries ?? []) {
    const [key, value] = entry.split('=');
    if (!key || value === undefined || !(gateMetricKeys as readonly string[]).includes(key)) {
      problems.push(
        `${flag} ${entry}: expected <metric>=<percent> with metric one of ${gateMetricKeys.join(', ')}, e.g. ${flag} cpu=5%`,
      );
      continue;
    }
    const fraction = parsePercent(value);
    if (fraction === null || fraction <= 0 || fraction >= 1) {
      problems.push(`${flag} ${entry}: the percentage must be above 0% and below 100%, e.g. 5%`);
      continue;
    }
    out[key as GateMetricKey] = fraction;
  }
  return out;
}

export function gateOptionsFrom(flags: GateFlags): CompareOptions {
  const problems: string[] = [];
  const alpha =
    readNumber(
      '--alpha',
      flags.alpha,
      { check: (n) => n > 0 && n < 0.5, allowed: 'use a number between 0 and 0.5, e.g. 0.05' },
      problems,
    ) ?? DEFAULT_OPTIONS.alpha;
  const minRuns =
    readNumber(
      '--min-runs',
      flags.minRuns,
      { check: wholeFrom(2), allowed: 'use a whole number of at least 2 (the tests need pairs to rank)' },
      problems,
    ) ?? DEFAULT_OPTIONS.minRuns;
  let metrics: readonly GateMetricKey[] = DEFAULT_OPTIONS.metrics;
  if (flags.metrics !== undefined) {
    const asked = readList(flags.metrics);
    const unknown = asked.filter((m) => !(gateMetricKeys as readonly string[]).includes(m));
    if (unknown.length > 0 || asked.length === 0)
      problems.push(
        `--metrics ${flags.metrics}: unknown ${unknown.join(', ') || '(empty)'}; choose from ${gateMetricKeys.join(', ')}`,
      );
    else metrics = asked as GateMetricKey[];
  }
  const floors = parsePerMetric('--floor', flags.floor, DEFAULT_OPTIONS.floors, problems);
  const maxVariation = parsePerMetric(
    '--max-variation',
    flags.maxVariation,
    DEFAULT_OPTIONS.maxVariation,
    problems,
  );
  if (problems.length > 0) throw new UsageError(problems);
  return {
    alpha,
    floors,
    minRuns,
    maxVariation,
    metrics,
    failOnInconclusive: flags.failOnInconclusive === true,
    allowDifferentMachines: flags.allowDifferentMachines === true,
  };
}
