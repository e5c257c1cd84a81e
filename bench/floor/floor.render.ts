/**
 * The app-floor table: per mode, CPU µs per request of the API, the minimal
 * Nest app and bare node:http (median over rounds, min–max), and the API's
 * ratio to the minimal Nest app (median of the rounds' own ratios: rounds
 * are interleaved, so each round's three runs saw the same machine).
 */
import { fmtPlain, NOT_MEASURED } from '../results/number.format';
import { median } from '../stats/ranks.stats';
import type { FloorRow, FloorSample } from './floor.run';

/** The goal: the API costs at most this much more than the minimal Nest app doing the same check. */
export const FLOOR_RATIO_GOAL = 1.1;

export interface Spread {
  median: number;
  min: number;
  max: number;
}

export function spreadOf(values: readonly number[]): Spread | null {
  if (values.length === 0) return null;
  return { median: median(values), min: Math.min(...values), max: Math.max(...values) };
}

/** API / minimal Nest, round by round (rounds where both were measured). */
export function roundRatios(row: FloorRow): number[] {
  const nestByRound = new Map(row.samples.nest.map((s) => [s.round, s.cpuMicrosPerRequest]));
  return row.samples.api.flatMap((s) => {
    const nest = nestByRound.get(s.round);
    return nest ? [s.cpuMicrosPerRequest / nest] : [];
  });
}

function cell(spread: Spread | null, unsteady = false): string {
  if (!spread) return NOT_MEASURED;
  const text = `${fmtPlain(spread.median)} (${fmtPlain(spread.min)}–${fmtPlain(spread.max)})`;
  return unsteady ? `${text} †` : text;
}

const cpuCell = (samples: readonly FloorSample[]) =>
  cell(
    spreadOf(samples.map((s) => s.cpuMicrosPerRequest)),
    samples.some((s) => !s.steady),
  );

export function renderFloor(rows: readonly FloorRow[]): string {
  const lines = [
    '| mode | API µs/req | minimal Nest µs/req | bare node:http µs/req | API/minimal ratio |',
    '|---|---|---|---|---|',
  ];
  let unsteady = false;
  for (const row of rows) {
    const all = [...row.samples.api, ...row.samples.nest, ...row.samples.bare];
    unsteady ||= all.some((s) => !s.steady);
    const ratio = spreadOf(roundRatios(row));
    const verdict = ratio ? (ratio.median <= FLOOR_RATIO_GOAL ? '' : ` (goal ≤ ${FLOOR_RATIO_GOAL})`) : '';
    lines.push(
      `| ${row.mode} | ${cpuCell(row.samples.api)} | ${cpuCell(row.samples.nest)} | ${cpuCell(row.samples.bare)} | ${cell(ratio)}${verdict} |`,
    );
  }
  lines.push('', 'Median over rounds (min–max). Server CPU from /proc over the window / responses counted.');
  if (unsteady) lines.push('† at least one run reached its warm-up limit before the timeline was steady.');
  return `${lines.join('\n')}\n`;
}
