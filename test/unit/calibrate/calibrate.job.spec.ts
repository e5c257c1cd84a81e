/**
 * `authscale calibrate` resuming from its --out folder, in the cases that
 * start no A/B job: every asked trial already done, or no time left. The
 * trials themselves are real bench jobs (`authscale calibrate` on a machine).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCalibration } from '../../../bench/calibrate/calibrate.job';
import type { CalibrationRequest, Settings } from '../../../bench/calibrate/calibration.settings';
import type { TrialOutcome } from '../../../bench/calibrate/calibration.trials';
import { buildPlan } from '../../../bench/plan/plan.build';

const plan = buildPlan({ setups: 'jwt', replicas: '2', repetitions: '8' });

let out: string;
let logs: string[];
const log = (l: string) => logs.push(l);

beforeEach(() => {
  out = mkdtempSync(join(tmpdir(), 'authscale-calibrate-job-'));
  logs = [];
  const settings: Settings = {
    plan,
    counts: { aa: 2, detect: 1, improve: 0 },
    fractions: [0.1],
    costUs: 400,
    knobEfficiency: 2,
    probeEfficiency: 2,
    startedAt: '2026-11-28T04:00:00.000Z',
  };
  writeFileSync(join(out, 'calibration.json'), JSON.stringify(settings));
});
afterEach(() => rmSync(out, { recursive: true, force: true }));

function outcome(index: number, kind: TrialOutcome['kind'], verdict: TrialOutcome['verdict']): TrialOutcome {
  const fraction = kind === 'regression' ? 0.1 : 0;
  return {
    index,
    kind,
    fraction,
    knobs: { base: 0, candidate: kind === 'regression' ? 20 : 0 },
    verdict,
    cpuVerdict: verdict,
    cpuChange: kind === 'regression' ? 0.11 : 0.002,
    seconds: 120,
    resultsFile: join(out, 'trials', `${index}-${kind}`, 'results.json'),
  };
}

function request(o: Partial<CalibrationRequest> = {}): CalibrationRequest {
  return { plan, counts: { aa: 2, detect: 1, improve: 0 }, fractions: [0.1], maxMinutes: 60, out, ...o };
}

const writeOutcomes = (outcomes: TrialOutcome[]) =>
  writeFileSync(join(out, 'outcomes.jsonl'), outcomes.map((o) => `${JSON.stringify(o)}\n`).join(''));

describe('resuming a calibration', () => {
  it('with every asked trial done, runs none and writes the summary of the outcomes there', async () => {
    writeOutcomes([
      outcome(0, 'aa', 'PASS'),
      outcome(1, 'regression', 'FAIL'),
      outcome(2, 'aa', 'INCONCLUSIVE'),
    ]);
    const result = await runCalibration(request(), new AbortController().signal, log);
    expect(result.interrupted).toBe(false);
    expect(result.summary).toBe(readFileSync(join(out, 'summary.md'), 'utf8'));
    expect(result.summary).toContain('Calibration of the gate: jwt x2, profile quick settings');
    expect(result.summary).toContain('3 comparisons, median 2.0 min each');
    expect(result.summary).toMatch(/\| A\/A \(false alarms\) \| 0 \| 2 \|/);
    expect(result.summary).toMatch(/\| \+10% CPU per request \(detection\) \| 1 \| 1 \|/);
    expect(logs).toEqual([`resuming ${out}: cost 400 us per request`]);
  });

  it('with no time left, starts nothing and says how to add the rest', async () => {
    writeOutcomes([outcome(0, 'aa', 'PASS')]);
    const result = await runCalibration(request({ maxMinutes: 0 }), new AbortController().signal, log);
    expect(logs.at(-1)).toBe(
      '--max-minutes 0 reached: 2 comparisons not started (run again with the same --out to add them)',
    );
    expect(result.summary).toContain('1 comparisons, median 2.0 min each');
  });

  it('when interrupted, starts nothing and says it was interrupted', async () => {
    const result = await runCalibration(request(), AbortSignal.abort(), log);
    expect(result.interrupted).toBe(true);
    expect(result.summary).toContain('0 comparisons, median n/a min each');
  });
});
