/**
 * CPU budget planning without touching the machine's cgroups: option checks,
 * CPU list parsing, the "not enforced, because..." paths, and the files the
 * cgroup v2 backend writes (against a directory shaped like /sys/fs/cgroup).
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { applyCpuBudget, parseCpuList, validateBudgetRequest } from '../../../infra/cpu-budget/cpu-budget';
import { cgroupV2Backend, detectCgroups } from '../../../infra/cpu-budget/cgroup.backend';

describe('parseCpuList', () => {
  it.each([
    ['0', [0]],
    ['0-1', [0, 1]],
    ['0-2,5', [0, 1, 2, 5]],
    ['3,7-8\n', [3, 7, 8]],
    ['', []],
  ])('reads "%s" as %j', (list, cpus) => {
    expect(parseCpuList(list)).toEqual(cpus);
  });
});

describe('validateBudgetRequest', () => {
  it.each([
    [{ cpuPerReplica: 0.25 }, []],
    [{ cpuPerReplica: null }, []],
    [{ cpuPerReplica: 0 }, [/--cpu-per-replica 0 is invalid/]],
    [{ cpuPerReplica: -1 }, [/--cpu-per-replica -1 is invalid/]],
    [{ cpuPerReplica: 0.05, cfsPeriodUs: 10000 }, [/quota under 1 ms/]],
    [{ cpuPerReplica: 0.25, cfsPeriodUs: 500 }, [/cfs period 500 us is invalid/]],
    [{ cpuPerReplica: 0.25, cfsPeriodUs: 2500.5 }, [/cfs period 2500.5 us is invalid/]],
  ])('for %j lists %p', (request, expected) => {
    const problems = validateBudgetRequest(request);
    expect(problems).toHaveLength(expected.length);
    expected.forEach((pattern, i) => expect(problems[i]).toMatch(pattern));
  });
});

describe('applyCpuBudget when budgets cannot be enforced', () => {
  it('says that no budget was requested when there is none', () => {
    const budget = applyCpuBudget({ cpuPerReplica: null });
    expect(budget.description).toMatchObject({
      enforced: false,
      reason: expect.stringMatching(/no CPU budget requested/),
    });
    expect(budget.procsFiles('replica', 'r0')).toEqual([]);
    expect(budget.generatorPlacement()).toEqual({ cpus: null, cgroupProcsFiles: [] });
  });

  it('says why when the machine has no cgroup cpu controller, and still returns a usable budget', () => {
    const empty = mkdtempSync(join(tmpdir(), 'authscale-nocg-'));
    try {
      const budget = applyCpuBudget({ cpuPerReplica: 0.25, mountRoot: empty });
      expect(budget.description).toEqual({
        enforced: false,
        reason: `no cgroup cpu controller under ${empty}`,
        cgroupVersion: null,
        cpuPerReplica: 0.25,
        cfsPeriodUs: null,
        placement: null,
      });
      expect(budget.procsFiles('replica', 'r0')).toEqual([]);
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });

  it('says "could not create cgroups" when the tree refuses a write, instead of failing the start later', () => {
    const root = mkdtempSync(join(tmpdir(), 'authscale-cg2ro-'));
    try {
      writeFileSync(join(root, 'cgroup.controllers'), 'cpu cpuset\n');
      // A directory where the control file should be: every write to it fails,
      // as in a container whose root holds processes.
      mkdirSync(join(root, 'cgroup.subtree_control'));
      const budget = applyCpuBudget({ cpuPerReplica: 0.25, placement: false, mountRoot: root });
      expect(budget.description).toMatchObject({
        enforced: false,
        cgroupVersion: 'v2',
        reason: expect.stringMatching(/^could not create cgroups: .*EISDIR/),
      });
      expect(budget.procsFiles('replica', 'r0')).toEqual([]);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('refuses an invalid request with every problem at once', () => {
    expect(() => applyCpuBudget({ cpuPerReplica: -2, cfsPeriodUs: 5 })).toThrow(
      /cfs period 5 us is invalid[\s\S]*--cpu-per-replica -2 is invalid/,
    );
  });
});

describe("lifting and restoring the replicas' quota", () => {
  it('writes "max" while relaxed and the quota again when enforced, for every replica group, placement kept', () => {
    const root = mkdtempSync(join(tmpdir(), 'authscale-cg2q-'));
    try {
      writeFileSync(join(root, 'cgroup.controllers'), 'cpu cpuset\n');
      const budget = applyCpuBudget({
        cpuPerReplica: 0.25,
        placement: false,
        mountRoot: root,
        startRelaxed: true,
      });
      const [r0] = budget.procsFiles('replica', 'r0');
      const [r1] = budget.procsFiles('replica', 'r1');
      const cpuMax = (procs: string | undefined) => readFileSync(join(procs!, '..', 'cpu.max'), 'utf8');
      expect([cpuMax(r0), cpuMax(r1)]).toEqual(['max 10000', 'max 10000']);
      budget.enforceQuota(true);
      expect([cpuMax(r0), cpuMax(r1)]).toEqual(['2500 10000', '2500 10000']);
      budget.enforceQuota(false);
      expect(cpuMax(r1)).toBe('max 10000');
      budget.destroy();
      // After destroy nothing is written again.
      expect(() => budget.enforceQuota(true)).not.toThrow();
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});

describe('the cgroup v2 backend', () => {
  it('writes cpu.max as "quota period" and the CPU set, and returns the group\'s cgroup.procs', () => {
    const root = mkdtempSync(join(tmpdir(), 'authscale-cg2-'));
    try {
      writeFileSync(join(root, 'cgroup.controllers'), 'cpu cpuset\n');
      const detected = detectCgroups(root);
      expect(detected).toEqual({ version: 'v2', root });
      if (detected.version !== 'v2') return;
      const backend = cgroupV2Backend(detected, 'authscale-test');
      const files = backend.group('replica-r0', { cpus: '0', quotaUs: 2500, periodUs: 10000 });
      const dir = join(root, 'authscale-test', 'replica-r0');
      expect(files).toEqual([join(dir, 'cgroup.procs')]);
      expect(readFileSync(join(dir, 'cpu.max'), 'utf8')).toBe('2500 10000');
      expect(readFileSync(join(dir, 'cpuset.cpus'), 'utf8')).toBe('0');
      expect(readFileSync(join(root, 'cgroup.subtree_control'), 'utf8')).toBe('+cpu +cpuset');
      backend.group('generator', { cpus: '1' });
      expect(readFileSync(join(root, 'authscale-test', 'generator', 'cpu.max'), 'utf8')).toBe('max');
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('is detected only where cgroup.controllers exists; v1 needs cpu.cfs_quota_us', () => {
    const root = mkdtempSync(join(tmpdir(), 'authscale-cg1-'));
    try {
      mkdirSync(join(root, 'cpu'));
      writeFileSync(join(root, 'cpu', 'cpu.cfs_quota_us'), '-1');
      expect(detectCgroups(root)).toEqual({ version: 'v1', cpuRoot: join(root, 'cpu'), cpusetRoot: null });
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
