/**
 * What a calibration keeps and how it resumes. Measuring the knob (a real
 * bench job) is left to `authscale calibrate` itself; here calibration.json
 * already exists, so nothing is measured.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  efficiencySource,
  loadOrMeasureSettings,
  type CalibrationRequest,
  type Settings,
} from '../../../bench/calibrate/calibration.settings';
import { buildPlan } from '../../../bench/plan/plan.build';
import { UsageError } from '../../../infra/errors';

const plan = buildPlan({ setups: 'jwt', replicas: '2', repetitions: '8' });

const saved: Settings = {
  plan,
  counts: { aa: 20, detect: 10, improve: 5 },
  fractions: [0.1],
  costUs: 400,
  knobEfficiency: 2,
  probeEfficiency: 2,
  startedAt: '2026-11-28T04:00:00.000Z',
};

let dir: string;
let file: string;
const logs: string[] = [];
const never = new AbortController().signal;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'authscale-calibration-'));
  file = join(dir, 'calibration.json');
  logs.length = 0;
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function request(o: Partial<CalibrationRequest> = {}): CalibrationRequest {
  return {
    plan,
    counts: { aa: 40, detect: 10, improve: 5 },
    fractions: [0.1, 0.2],
    maxMinutes: 60,
    out: dir,
    ...o,
  };
}

async function problemsOf(p: Promise<unknown>): Promise<string[]> {
  try {
    await p;
  } catch (err) {
    if (err instanceof UsageError) return err.problems;
    throw err;
  }
  throw new Error('expected a UsageError');
}

describe("where the knob's slope came from", () => {
  it.each([
    ['measured (files from before the probe kept its own slope)', {}, 'measured by 5 pairs at 200 us'],
    [
      'measured, the probe agreeing with itself',
      { knobEfficiency: 2, probeEfficiency: 2 },
      'measured by 5 pairs at 200 us',
    ],
    [
      'given by --knob-efficiency',
      { knobEfficiency: 1.5, probeEfficiency: 2.125 },
      'given by --knob-efficiency; the probe measured by 5 pairs at 200 us found 2.13',
    ],
  ])('%s', (_name, slopes, expected) => {
    expect(efficiencySource(slopes)).toBe(expected);
  });
});

describe('resuming a calibration from calibration.json', () => {
  it('keeps the measured cost and slope, takes the new counts and fractions, and writes them back', async () => {
    writeFileSync(file, JSON.stringify(saved));
    const settings = await loadOrMeasureSettings(file, request(), never, (l) => logs.push(l));
    const expected = { ...saved, counts: { aa: 40, detect: 10, improve: 5 }, fractions: [0.1, 0.2] };
    expect(settings).toEqual(expected);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual(expected);
    expect(logs).toEqual([`resuming ${dir}: cost 400 us per request`]);
  });

  it('refuses another plan: outcomes of different experiments are never pooled', async () => {
    writeFileSync(file, JSON.stringify(saved));
    const other = buildPlan({ setups: 'jwt', replicas: '2', repetitions: '6' });
    expect(await problemsOf(loadOrMeasureSettings(file, request({ plan: other }), never, () => {}))).toEqual([
      expect.stringMatching(/holds a calibration with another plan \(jwt x2, 8 pairs\)/),
    ]);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual(saved);
  });

  it('refuses another --knob-efficiency than the one the file injected with', async () => {
    writeFileSync(file, JSON.stringify(saved));
    expect(
      await problemsOf(loadOrMeasureSettings(file, request({ givenEfficiency: 3 }), never, () => {})),
    ).toEqual([expect.stringMatching(/injected with a knob efficiency of 2, not 3/)]);
  });

  it('accepts the same --knob-efficiency again', async () => {
    writeFileSync(file, JSON.stringify(saved));
    const settings = await loadOrMeasureSettings(file, request({ givenEfficiency: 2 }), never, () => {});
    expect(settings?.knobEfficiency).toBe(2);
  });
});
