import { checkComparability, machineOf, type Comparability } from '../../../bench/gate/comparability.check';
import { sideFrom } from '../../../bench/gate/compare.sides';
import type { Results } from '../../../bench/results/results.schema';
import { makeResults, series, type ResultsOverrides, type SeriesSpec } from './compare.fixture';

const runs = series(3, {}, 0.01, 7);

/** A separate results file (no A/B group unless given) with jwt x2 runs. */
function file(o: ResultsOverrides = {}, specs: SeriesSpec[] = [{ variant: 'candidate', runs }]): Results {
  return makeResults(specs, { abGroup: null, ...o });
}

function check(base: Results, candidate: Results, allowDifferentMachines = false): Comparability {
  return checkComparability(
    sideFrom('base', 'base.json', base, undefined, 'base'),
    sideFrom('candidate', 'candidate.json', candidate, undefined, 'candidate'),
    { allowDifferentMachines },
  );
}

const messages = (c: Comparability) => c.statements.map((s) => `${s.level}: ${s.message}`);

describe('whether two sides can be compared', () => {
  it('two files of one machine and plan are comparable, unpaired, on their common cells', () => {
    const c = check(file(), file());
    expect(c.refusals).toEqual([]);
    expect(c.blockers).toEqual([]);
    expect(c.paired).toBe(false);
    expect(c.common).toEqual([{ setup: 'jwt', replicas: 2 }]);
    expect(messages(c)).toEqual([expect.stringMatching(/^notice: runs are unpaired/)]);
  });

  it('the two variants of one A/B file are paired and need no statement', () => {
    const ab = makeResults([
      { variant: 'base', runs },
      { variant: 'candidate', runs },
    ]);
    const c = checkComparability(
      sideFrom('base', 'ab.json', ab, 'base', 'base'),
      sideFrom('candidate', 'ab.json', ab, 'candidate', 'candidate'),
      { allowDifferentMachines: false },
    );
    expect(c).toMatchObject({ refusals: [], blockers: [], statements: [], paired: true });
  });

  it.each<[string, () => Results, RegExp]>([
    [
      'another load plan',
      () => file({ connections: 32 }),
      /^the two files ran different load plans.*connections: 16 \(base\) vs 32 \(candidate\)/,
    ],
    [
      'cells run on one side only',
      () => file({}, [{ variant: 'candidate', replicas: 4, runs }]),
      /^no setup and replica count was run on both sides \(base: jwt x2; candidate: jwt x4\)/,
    ],
  ])('refuses %s', (_name, candidate, refusal) => {
    expect(check(file(), candidate()).refusals).toEqual([expect.stringMatching(refusal)]);
  });

  it('refuses the same runs on both sides, and names nothing else missing', () => {
    const r = file();
    const c = checkComparability(
      sideFrom('base', 'x.json', r, undefined, 'base'),
      sideFrom('candidate', 'x.json', r, undefined, 'candidate'),
      { allowDifferentMachines: false },
    );
    expect(c.refusals).toEqual([
      expect.stringMatching(/^baseline and candidate are the same runs \(x\.json\)/),
    ]);
  });

  it.each<[string, ResultsOverrides, RegExp]>([
    [
      'another machine',
      { cpuModel: 'Other CPU' },
      /^results come from different machines \(Test CPU @ 2\.0GHz x2 vs Other CPU x2\)/,
    ],
    ['another CPU budget', { cpuPerReplica: 0.5 }, /^CPU budgets differ \(cpuPerReplica 0\.25 vs 0\.5\)/],
  ])('blocks every row for %s', (_name, candidateOverrides, blocker) => {
    const c = check(file(), file(candidateOverrides));
    expect(c.refusals).toEqual([]);
    expect(c.blockers).toEqual([expect.stringMatching(blocker)]);
  });

  it.each<[string, ResultsOverrides, ResultsOverrides, string[]]>([
    [
      'profiles named differently',
      {},
      { profile: 'full' },
      ['notice: profiles are named differently (quick vs full)'],
    ],
    [
      'another Node version',
      {},
      { node: 'v22.1.0' },
      ['warning: different software versions (node v20.20.0 vs v22.1.0)'],
    ],
    [
      'budgets enforced on neither side',
      { budgetsEnforced: false },
      { budgetsEnforced: false },
      ['warning: CPU budgets were not enforced on either side (not root)'],
    ],
    [
      'an interrupted candidate',
      {},
      { interrupted: true },
      ['warning: the candidate file (candidate.json) is from an interrupted run'],
    ],
  ])('states %s without refusing or blocking', (_name, baseOverrides, candidateOverrides, expected) => {
    const c = check(file(baseOverrides), file(candidateOverrides));
    expect(c.refusals).toEqual([]);
    expect(c.blockers).toEqual([]);
    // Every case also gets the unpaired notice, last.
    expect(messages(c)).toEqual([
      ...expected.map((e) => expect.stringContaining(e)),
      expect.stringMatching(/^notice: runs are unpaired/),
    ]);
  });

  it('compares different machines when allowed, with a warning instead of a blocker', () => {
    const c = check(file(), file({ cores: 4 }), true);
    expect(c.blockers).toEqual([]);
    expect(messages(c)[0]).toMatch(
      /^warning: results come from different machines.*--allow-different-machines/,
    );
  });

  it('notes the calibration knob of either side', () => {
    const candidate = file();
    candidate.environment.calibration = { 'candidate:CALIBRATION_CPU_US': '57' };
    expect(messages(check(file(), candidate))[0]).toBe(
      "notice: calibration knob on (candidate:CALIBRATION_CPU_US=57): these numbers include an injected cost, as in the gate's own calibration.",
    );
  });

  it('names the cells found on one side only and compares the rest', () => {
    const base = file({}, [
      { variant: 'candidate', replicas: 2, runs },
      { variant: 'candidate', replicas: 4, runs },
    ]);
    const candidate = file({}, [
      { variant: 'candidate', replicas: 2, runs },
      { variant: 'candidate', setup: 'hybrid', replicas: 2, runs },
    ]);
    const c = check(base, candidate);
    expect(c.common).toEqual([{ setup: 'jwt', replicas: 2 }]);
    expect(messages(c).slice(1)).toEqual([
      'notice: only in the base, not compared: jwt x4',
      'notice: only in the candidate, not compared: hybrid x2',
    ]);
  });

  it('names a machine by CPU model and core count', () => {
    expect(machineOf(file({ cpuModel: 'EPYC', cores: 8 }))).toBe('EPYC x8');
  });
});
