import { makeResults, series } from '../gate/compare.fixture';
import {
  knobsFor,
  remainingCounts,
  renderSummary,
  scheduleTrials,
  summarise,
  type TrialOutcome,
} from '../../../bench/calibrate/calibration.trials';
import type { Verdict } from '../../../bench/gate/compare.types';

describe('the calibration schedule', () => {
  it('interleaves the kinds round robin so drift lands on all of them', () => {
    const kinds = scheduleTrials({ aa: 3, regression: { '0.05': 1, '0.1': 2 }, improvement: 1 }).map(
      (t) => `${t.kind}${t.fraction || ''}`,
    );
    expect(kinds).toEqual([
      'aa',
      'regression0.05',
      'regression0.1',
      'improvement0.2',
      'aa',
      'regression0.1',
      'aa',
    ]);
  });

  it('injects the fraction of the measured cost on the candidate, or on the base for an improvement', () => {
    expect(knobsFor({ kind: 'regression', fraction: 0.1 }, 412)).toEqual({ base: 0, candidate: 41 });
    expect(knobsFor({ kind: 'improvement', fraction: 0.2 }, 412)).toEqual({ base: 82, candidate: 0 });
    expect(knobsFor({ kind: 'aa', fraction: 0 }, 412)).toEqual({ base: 0, candidate: 0 });
  });
});

describe('the calibration summary', () => {
  const outcome = (kind: TrialOutcome['kind'], fraction: number, verdict: Verdict): TrialOutcome => ({
    index: 0,
    kind,
    fraction,
    knobs: { base: 0, candidate: 0 },
    verdict,
    cpuVerdict: verdict,
    cpuChange: kind === 'regression' ? 0.12 : null,
    seconds: 1,
    resultsFile: 'x',
  });

  it('counts FAILs per kind with their exact interval, and keeps the other verdicts visible', () => {
    const rates = summarise([
      outcome('aa', 0, 'PASS'),
      outcome('aa', 0, 'FAIL'),
      outcome('aa', 0, 'INCONCLUSIVE'),
      outcome('regression', 0.1, 'FAIL'),
      { ...outcome('regression', 0.1, 'FAIL'), cpuChange: 0.081 },
      { ...outcome('regression', 0.1, 'INCONCLUSIVE'), cpuChange: 0.243 },
      outcome('improvement', 0.2, 'PASS'),
    ]);
    expect(rates.map((r) => [r.label, r.fails, r.n])).toEqual([
      ['A/A (false alarms)', 1, 3],
      ['+10% CPU per request (detection)', 2, 3],
      ['-20% CPU per request (improvement, must never FAIL)', 0, 1],
    ]);
    const md = renderSummary(rates, 'context');
    expect(md).toContain(
      '| +10% CPU per request (detection) | 2 | 3 | 66.7% [9.4%, 99.2%] | 0 | 1 | 0 | +12.0% (+8.1% to +24.3%) |',
    );
    expect(md).toContain('| A/A (false alarms) | 1 | 3 | 33.3% [0.8%, 90.6%] | 1 | 1 | 0 | n/a |');
  });
});

describe('the calibration command line', () => {
  it('lists every bad flag at once and exits 2 before running anything', async () => {
    const { main } = await import('../../../bench/cli/main');
    let err = '';
    const write = jest.spyOn(process.stderr, 'write').mockImplementation((c: string | Uint8Array) => {
      err += String(c);
      return true;
    });
    try {
      expect(
        await main([
          'node',
          'authscale',
          'calibrate',
          '--aa',
          '-1',
          '--fractions',
          '0.1,2',
          '--setup',
          'nope',
          '--knob-efficiency',
          '0',
          '--max-minutes',
          'soon',
        ]),
      ).toBe(2);
    } finally {
      write.mockRestore();
    }
    expect(err).toMatch(/--aa "-1" is invalid: use a whole number from 0 to 1000/);
    expect(err).toMatch(/--fractions "2" is invalid: use comma-separated fractions between 0 and 1/);
    expect(err).toMatch(/--setup "nope" is not a setup/);
    expect(err).toMatch(/--knob-efficiency "0" is invalid: the CPU microseconds added per knob microsecond/);
    expect(err).toMatch(/--max-minutes "soon" is invalid: use a number of minutes above 0/);
  });
});

describe('resuming a calibration', () => {
  it('runs only what the asked counts add to the outcomes already there', () => {
    const done = [
      { kind: 'aa' as const, fraction: 0 },
      { kind: 'aa' as const, fraction: 0 },
      { kind: 'regression' as const, fraction: 0.1 },
      { kind: 'improvement' as const, fraction: 0.2 },
    ];
    expect(remainingCounts({ aa: 5, regression: { '0.1': 1, '0.2': 2 }, improvement: 1 }, done)).toEqual({
      aa: 3,
      regression: { '0.1': 0, '0.2': 2 },
      improvement: 0,
    });
  });
});

describe('the knob response', () => {
  it("takes the cost from the knob-off runs and the knob's real effect from the pairs", async () => {
    const { knobResponseOf } = await import('../../../bench/calibrate/calibration.cost');
    const off = series(5, {}, 0.02, 71);
    const on = off.map((r) => ({ ...r, cpu: r.cpu + 2 * 200 }));
    const response = knobResponseOf(
      makeResults([
        { variant: 'off', runs: off },
        { variant: 'on', runs: on },
      ]),
      200,
    );
    expect(response.knobEfficiency).toBeCloseTo(2, 9);
    expect(response.pairs).toBe(5);
    expect(response.costUs).toBeGreaterThan(390);
    expect(response.costUs).toBeLessThan(410);
  });

  it('refuses a knob that adds nothing, naming the likely cause', async () => {
    const { knobResponseOf } = await import('../../../bench/calibrate/calibration.cost');
    const off = series(5, {}, 0, 72);
    expect(() =>
      knobResponseOf(
        makeResults([
          { variant: 'off', runs: off },
          { variant: 'on', runs: off },
        ]),
        200,
      ),
    ).toThrow(/may not honour CALIBRATION_CPU_US/);
  });

  it('divides injections by the measured effect so fractions are of measured CPU', () => {
    expect(knobsFor({ kind: 'regression', fraction: 0.1 }, 400, 2)).toEqual({ base: 0, candidate: 20 });
  });
});
