import { compareSides } from '../../../bench/gate/compare.engine';
import { DEFAULT_OPTIONS, type CompareOptions } from '../../../bench/gate/compare.options';
import { sideFrom } from '../../../bench/gate/compare.sides';
import { renderAnnotations, renderMarkdown } from '../../../bench/gate/compare.render';
import { UsageError } from '../../../infra/errors';
import type { Results } from '../../../bench/results/results.schema';
import { exitCodeForVerdict } from '../../../bench/cli/exit-codes';
import type { Comparison } from '../../../bench/gate/compare.types';
import { makeResults, series, type ResultsOverrides, type RunValues } from './compare.fixture';

/** One A/B file: base and candidate variants of jwt x2. */
function abFile(
  baseRuns: RunValues[],
  candidateRuns: RunValues[],
  extra: { invalid?: number[]; generatorBound?: number[] } = {},
) {
  return makeResults([
    { variant: 'base', runs: baseRuns },
    { variant: 'candidate', runs: candidateRuns, ...extra },
  ]);
}

/** The exit code `compare` leaves with for this comparison. */
const exitOf = (c: Comparison) => exitCodeForVerdict(c.verdict, c.options.failOnInconclusive);

function compareAb(results: Results, options: Partial<CompareOptions> = {}) {
  return compareSides(
    sideFrom('base', 'ab.json', results, 'base', 'base'),
    sideFrom('candidate', 'ab.json', results, 'candidate', 'candidate'),
    { ...DEFAULT_OPTIONS, ...options },
  );
}

function compareFiles(base: Results, candidate: Results, options: Partial<CompareOptions> = {}) {
  return compareSides(
    sideFrom('base', 'base.json', base, undefined, 'base'),
    sideFrom('candidate', 'candidate.json', candidate, undefined, 'candidate'),
    { ...DEFAULT_OPTIONS, ...options },
  );
}

const row = (c: ReturnType<typeof compareAb>, metric: string) => c.rows.find((r) => r.metric === metric)!;

describe('comparing paired A/B runs', () => {
  it('fails a 20% rise in CPU per request and exits 1', () => {
    const c = compareAb(abFile(series(10, {}, 0.03, 1), series(10, { cpu: 1.2 }, 0.03, 2)));
    expect(c.paired).toBe(true);
    expect(row(c, 'cpu').verdict).toBe('FAIL');
    expect(row(c, 'cpu').change!.value).toBeGreaterThan(0.15);
    expect(row(c, 'cpu').change!.value).toBeLessThan(0.25);
    expect(row(c, 'throughput').verdict).toBe('PASS');
    expect(c.verdict).toBe('FAIL');
    expect(exitOf(c)).toBe(1);
  });

  it('passes identical code with 3% noise and exits 0', () => {
    const c = compareAb(abFile(series(10, {}, 0.03, 3), series(10, {}, 0.03, 4)));
    expect(c.rows.map((r) => r.verdict)).toEqual(['PASS', 'PASS', 'PASS', 'PASS']);
    expect(exitOf(c)).toBe(0);
  });

  it('never fails an improvement: 20% less CPU, 20% more throughput', () => {
    const c = compareAb(
      abFile(series(10, {}, 0.03, 5), series(10, { cpu: 0.8, throughput: 1.2, p50: 0.8, p99: 0.8 }, 0.03, 6)),
    );
    expect(c.rows.every((r) => r.verdict === 'PASS')).toBe(true);
    expect(row(c, 'throughput').change!.value).toBeGreaterThan(0.15);
  });

  it('is inconclusive with heavy noise and few runs: exit 0, or 3 with --fail-on-inconclusive', () => {
    const results = abFile(series(6, {}, 0.12, 7), series(6, { cpu: 1.06 }, 0.12, 8));
    const lenient = compareAb(results, { metrics: ['cpu'] });
    expect(lenient.verdict).toBe('INCONCLUSIVE');
    expect(exitOf(lenient)).toBe(0);
    expect(exitOf(compareAb(results, { metrics: ['cpu'], failOnInconclusive: true }))).toBe(3);
  });

  it('leaves out runs with errors and saturated generators, pairs and all, and says so', () => {
    const c = compareAb(
      abFile(series(10, {}, 0.03, 9), series(10, {}, 0.03, 10), { invalid: [2], generatorBound: [5] }),
    );
    expect(row(c, 'cpu').n).toEqual({ base: 8, candidate: 8 });
    expect(row(c, 'cpu').reasons.join(' ')).toMatch(
      /2 candidate run\(s\) left out: #2 invalid \(non-2xx: 401 x 12\), #5 load generator saturated/,
    );
  });

  it('is invalid when errors leave too few pairs, and exits 3', () => {
    const c = compareAb(abFile(series(7, {}, 0.03, 11), series(7, {}, 0.03, 12), { invalid: [0, 1, 2] }));
    expect(c.rows.every((r) => r.verdict === 'INVALID')).toBe(true);
    expect(exitOf(c)).toBe(3);
  });

  it('warns when Holm makes significance unreachable with the runs given', () => {
    const c = compareAb(abFile(series(6, {}, 0.01, 13), series(6, { cpu: 1.5 }, 0.01, 14)));
    expect(c.statements.map((s) => s.message).join(' ')).toMatch(
      /no row can reach significance.*at least 8 paired runs/,
    );
    expect(row(c, 'cpu').verdict).not.toBe('FAIL');
  });
});

describe('comparing two separate files', () => {
  const same: ResultsOverrides = { abGroup: null };
  const file = (runs: RunValues[], o: ResultsOverrides = {}) =>
    makeResults([{ variant: 'candidate', runs }], { ...same, ...o });

  it('uses the rank-sum test on unpaired runs and says they are unpaired', () => {
    const c = compareFiles(file(series(10, {}, 0.03, 21)), file(series(10, { cpu: 1.25 }, 0.03, 22)));
    expect(c.paired).toBe(false);
    expect(row(c, 'cpu').verdict).toBe('FAIL');
    expect(c.statements.some((s) => /unpaired/.test(s.message))).toBe(true);
  });

  it('refuses files whose load plans differ, naming each difference and the fix', () => {
    expect(() =>
      compareFiles(file(series(8, {}, 0.03, 23)), file(series(8, {}, 0.03, 24), { connections: 32 })),
    ).toThrow(/different load plans.*connections: 16 \(base\) vs 32 \(candidate\).*same profile/);
  });

  it('refuses to compare a file with itself', () => {
    const r = file(series(8, {}, 0.03, 25));
    expect(() =>
      compareSides(
        sideFrom('base', 'x.json', r, undefined, 'base'),
        sideFrom('candidate', 'x.json', r, undefined, 'candidate'),
        DEFAULT_OPTIONS,
      ),
    ).toThrow(UsageError);
  });

  it('refuses when no setup and replica count ran on both sides', () => {
    const other = makeResults(
      [{ variant: 'candidate', setup: 'session-redis', runs: series(8, {}, 0.03, 27) }],
      same,
    );
    expect(() => compareFiles(file(series(8, {}, 0.03, 26)), other)).toThrow(
      /no setup and replica count was run on both sides/,
    );
  });

  it('marks every row invalid when the files come from different machines, unless allowed', () => {
    const a = file(series(8, {}, 0.03, 28));
    const b = file(series(8, { cpu: 1.3 }, 0.03, 29), { cpuModel: 'Other CPU', cores: 4 });
    const strict = compareFiles(a, b);
    expect(strict.rows.every((r) => r.verdict === 'INVALID')).toBe(true);
    expect(strict.rows[0]!.reasons[0]).toMatch(
      /different machines \(Test CPU @ 2.0GHz x2 vs Other CPU x4\).*--allow-different-machines/,
    );
    const allowed = compareFiles(a, b, { allowDifferentMachines: true });
    expect(row(allowed, 'cpu').verdict).toBe('FAIL');
    expect(
      allowed.statements.some((s) => s.level === 'warning' && /different machines/.test(s.message)),
    ).toBe(true);
  });

  it('marks every row invalid when CPU budgets differ', () => {
    const c = compareFiles(
      file(series(8, {}, 0.03, 30)),
      file(series(8, {}, 0.03, 31), { cpuPerReplica: 0.5 }),
    );
    expect(
      c.rows.every(
        (r) =>
          r.verdict === 'INVALID' && /CPU budgets differ \(cpuPerReplica 0.25 vs 0.5\)/.test(r.reasons[0]!),
      ),
    ).toBe(true);
  });

  it("notes when the calibration knob was on, so injected costs are not read as the code's own", () => {
    const knob = file(series(8, {}, 0.03, 34));
    knob.environment.calibration = { 'candidate:CALIBRATION_CPU_US': '57' };
    const c = compareFiles(file(series(8, {}, 0.03, 35)), knob);
    expect(
      c.statements.some((s) => /calibration knob on \(candidate:CALIBRATION_CPU_US=57\)/.test(s.message)),
    ).toBe(true);
  });

  it('states different software versions and unenforced budgets without refusing', () => {
    const c = compareFiles(
      file(series(8, {}, 0.03, 32), { budgetsEnforced: false }),
      file(series(8, {}, 0.03, 33), { budgetsEnforced: false, node: 'v22.1.0' }),
    );
    const text = c.statements.map((s) => s.message).join('\n');
    expect(text).toMatch(/node v20.20.0 vs v22.1.0/);
    expect(text).toMatch(/budgets were not enforced/);
    expect(c.rows.some((r) => r.verdict !== 'INVALID')).toBe(true);
  });
});

describe('rendering', () => {
  const fail = compareAb(abFile(series(10, {}, 0.03, 41), series(10, { cpu: 1.2 }, 0.03, 42)));
  const invalid = compareAb(abFile(series(4, {}, 0.03, 43), series(4, {}, 0.03, 44)));

  it.each([
    ['FAIL', fail],
    ['INVALID', invalid],
  ])(
    'the markdown of a %s comparison carries the verdict, a table row per metric and the reasons',
    (verdict, c) => {
      const md = renderMarkdown(c);
      expect(md).toContain(`### authscale compare: ${verdict}`);
      expect(md.split('\n').filter((l) => l.startsWith('| jwt | 2 |'))).toHaveLength(4);
      expect(md).toMatch(
        /\| base median \[95% CI\] \| candidate median \[95% CI\] \| change \[CI\] \| floor \| p \(Holm\) \| n \| verdict \|/,
      );
    },
  );

  it('shows the change with its interval and the Holm-adjusted p', () => {
    const md = renderMarkdown(fail);
    const cpuLine = md.split('\n').find((l) => l.includes('replica CPU per request'))!;
    expect(cpuLine).toMatch(
      /\| \+\d+\.\d% \[\+\d+\.\d%, \+\d+\.\d%\] \| \+5% \| [\d.e-]+ \([\d.e-]+\) \| 10\/10 \| \*\*FAIL\*\* \|$/,
    );
  });

  it('says when an interval on few runs covers less than the 95% the header promises', () => {
    const few = compareAb(abFile(series(3, {}, 0.03, 45), series(3, {}, 0.03, 46)), { minRuns: 3 });
    const cpuLine = renderMarkdown(few)
      .split('\n')
      .find((l) => l.includes('replica CPU per request'))!;
    // Three pairs: Walsh-average range covers 1 - 2/8 = 75%; three runs' range covers 1 - 2/8 = 75%.
    expect(cpuLine.match(/\(75% CI\)/g)).toHaveLength(3);
  });

  it('annotates a FAIL row as an error and invalid rows as warnings, escaping newlines and percent signs', () => {
    const errors = renderAnnotations(fail).filter((a) =>
      a.startsWith('::error title=FAIL%3A jwt x2 replica CPU per request::+'),
    );
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/::\+\d+\.\d%25 \[/);
    const warnings = renderAnnotations(invalid).filter((a) => a.startsWith('::warning'));
    expect(warnings).toHaveLength(4);
    expect(warnings.every((w) => !w.includes('\n'))).toBe(true);
  });
});
