/**
 * What a topology leaves behind: nothing. Tested after a normal stop(), a
 * crashed replica, a start that fails half-way, and with budgets enforced
 * (the cgroup files must say what the description claims), on every
 * runtime: for containers, "nothing" includes every container of the run.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, rmdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createServer, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import type { RunningTopology } from '../../../infra/topology.types';
import { detectCgroups } from '../../../infra/cpu-budget/cgroup.backend';
import { childPids, isAlive } from '../../../infra/process/proc-tree';
import { pidAlive, runtimesUnderTest, start } from './topology.fixture';
import { TestUser } from './topology.client';
import { runContainers } from './leftovers';

const cgroups = detectCgroups();

function ourCgroupDirs(): string[] {
  const roots =
    cgroups.version === 'v1'
      ? [cgroups.cpuRoot, cgroups.cpusetRoot ?? '']
      : cgroups.version === 'v2'
        ? [cgroups.root]
        : [];
  return roots.filter(Boolean).flatMap((root) =>
    readdirSync(root)
      .filter((d) => d.startsWith(`authscale-${process.pid}-`))
      .map((d) => join(root, d)),
  );
}

/** Containers with a run label that were not there before (tests run in band: they are ours). */
function newContainers(before: readonly string[]): string[] {
  return runContainers().filter((id) => !before.includes(id));
}

function expectNothingLeft(pids: number[], runDir: string, containersBefore: readonly string[] = []): void {
  expect(pids.filter(pidAlive)).toEqual([]);
  expect(existsSync(runDir)).toBe(false);
  expect(ourCgroupDirs()).toEqual([]);
  expect(newContainers(containersBefore)).toEqual([]);
}

/** nginx's workers are separate refs for processes; a container's cgroup counts them with the master. */
const ROLES: Record<string, string[]> = {
  process: ['nginx', 'nginx', 'redis', 'replica', 'replica'],
  docker: ['nginx', 'redis', 'replica', 'replica'],
};

/** The cpu controller's directory of a process, from /proc/<pid>/cgroup (v1). */
function cpuCgroupDir(pid: number, root: string): string | null {
  const line = readFileSync(`/proc/${pid}/cgroup`, 'utf8')
    .split('\n')
    .find((l) => /:(cpu,cpuacct|cpu|cpuacct,cpu):/.test(l));
  return line ? join(root, line.split(':')[2] ?? '') : null;
}

async function waitFor<T>(what: string, get: () => T | null, timeoutMs = 10000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = get();
    if (value !== null) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const budgetIt = cgroups.version === null ? it.skip : it;

describe.each(runtimesUnderTest())('on the %s runtime', (runtime) => {
  describe('stopping a topology', () => {
    it('ends every process it started and removes its directory, cgroups and containers', async () => {
      const containersBefore = runContainers();
      const t = await start('session-redis', 2, { cpuPerReplica: 0.5, runtime });
      const pids = t.processes().map((p) => p.pid);
      try {
        expect(
          t
            .processes()
            .map((p) => p.role)
            .sort(),
        ).toEqual(ROLES[runtime]);
        expect(pids.every(pidAlive)).toBe(true);
        expect(t.description.runtime).toBe(runtime);
      } finally {
        await t.stop();
      }
      expectNothingLeft(pids, t.runDir, containersBefore);
      await t.stop(); // idempotent
    });
  });

  describe('CPU budgets', () => {
    budgetIt(
      'show in the cgroup files as the description says: quota = CPUs x period, generator on its own CPU',
      async () => {
        const t = await start('jwt', 2, { cpuPerReplica: 0.25, cfsPeriodUs: 20000, runtime });
        try {
          const b = t.description.budgets;
          expect(b).toMatchObject({
            enforced: true,
            cgroupVersion: cgroups.version,
            cpuPerReplica: 0.25,
            cfsPeriodUs: 20000,
          });
          for (const r of t.replicas) {
            if (cgroups.version === 'v1') {
              // The replica's own group: replica-<id> of this run, or the container's docker/<id>.
              const dir = cpuCgroupDir(r.pid, cgroups.cpuRoot) ?? '';
              expect(dir).toMatch(
                runtime === 'docker' ? /\/docker\/[0-9a-f]{64}$/ : new RegExp(`replica-${r.id}$`),
              );
              expect(readFileSync(join(dir, 'cpu.cfs_quota_us'), 'utf8').trim()).toBe('5000');
              expect(readFileSync(join(dir, 'cpu.cfs_period_us'), 'utf8').trim()).toBe('20000');
            }
          }
          const placement = t.generatorPlacement();
          if (b.placement) {
            expect(placement.cpus).toBe(b.placement.generator);
            expect(placement.cgroupProcsFiles.length).toBeGreaterThan(0);
            expect(placement.cgroupProcsFiles.every((f) => existsSync(f))).toBe(true);
            const allowed = readFileSync(`/proc/${t.replicas[0]?.pid}/status`, 'utf8').match(
              /Cpus_allowed_list:\s*(\S+)/,
            )?.[1];
            expect(allowed).toBe(b.placement.replicas);
            // nginx must not share the replicas' CPU: their summed budgets may fill it.
            const nginxAllowed = readFileSync(`/proc/${t.nginx.pid}/status`, 'utf8').match(
              /Cpus_allowed_list:\s*(\S+)/,
            )?.[1];
            expect(nginxAllowed).toBe(b.placement.nginx);
            expect(nginxAllowed).not.toBe(allowed);
          }
        } finally {
          await t.stop();
        }
        expect(ourCgroupDirs()).toEqual([]);
      },
    );

    budgetIt(
      'started relaxed, lift the quota until enforceCpuBudget applies it (process runtime)',
      async () => {
        const t = await start('jwt', 1, {
          cpuPerReplica: 0.25,
          cfsPeriodUs: 20000,
          startRelaxed: true,
          runtime,
        });
        try {
          // The replica's quota as its cgroup holds it: v1 cpu.cfs_quota_us ("-1" = none), v2 cpu.max's first field.
          const quota = () => {
            const pid = t.replicas[0]!.pid;
            if (cgroups.version === 'v1') {
              const dir = cpuCgroupDir(pid, cgroups.cpuRoot) ?? '';
              const us = readFileSync(join(dir, 'cpu.cfs_quota_us'), 'utf8').trim();
              return us === '-1' ? 'max' : us;
            }
            if (cgroups.version !== 'v2') throw new Error('budgetIt runs only where cgroups exist');
            const rel = readFileSync(`/proc/${pid}/cgroup`, 'utf8').match(/^0::(\S+)$/m)?.[1] ?? '';
            return readFileSync(join(cgroups.root, rel, 'cpu.max'), 'utf8').split(' ')[0];
          };
          if (runtime === 'docker') {
            // Containers start under their quota: the bench then warms without a relaxed phase.
            expect(t.enforceCpuBudget).toBeUndefined();
            expect(quota()).toBe('5000');
            return;
          }
          expect(t.enforceCpuBudget).toBeInstanceOf(Function);
          expect(quota()).toBe('max');
          t.enforceCpuBudget?.();
          t.enforceCpuBudget?.();
          expect(quota()).toBe('5000');
        } finally {
          await t.stop();
        }
        expect(ourCgroupDirs()).toEqual([]);
      },
    );
  });
});

describe('cgroups left by a killed launcher', () => {
  budgetIt(
    'are removed by the next topology with a budget when their owner is gone and they hold no task',
    async () => {
      if (cgroups.version !== 'v1') return; // the stale tree below is built with v1 paths
      // A pid that surely belonged to a process that is gone: one we started and reaped.
      const dead = spawnSync('true').pid;
      const stale = [
        join(cgroups.cpuRoot, `authscale-${dead}-0badc0`),
        ...(cgroups.cpusetRoot ? [join(cgroups.cpusetRoot, `authscale-${dead}-0badc0`)] : []),
      ];
      for (const dir of stale) mkdirSync(join(dir, 'replica-r0'), { recursive: true });
      const t = await start('jwt', 1, { cpuPerReplica: 0.5 });
      try {
        expect(stale.filter((dir) => existsSync(dir))).toEqual([]);
      } finally {
        await t.stop();
        for (const dir of stale.filter((d) => existsSync(d))) {
          rmdirSync(join(dir, 'replica-r0'));
          rmdirSync(dir);
        }
      }
    },
  );
});

describe.each(runtimesUnderTest())('on the %s runtime', (runtime) => {
  describe('a replica that crashes', () => {
    it('stops the whole topology and reports which process died', async () => {
      let reported: Error | null = null;
      const containersBefore = runContainers();
      const t = await start('session-redis', 2, {
        runtime,
        onFailure: (err) => {
          reported = err;
        },
      });
      const pids = t.processes().map((p) => p.pid);
      const victim = t.replicas[1];
      if (!victim) throw new Error('no replica r1');
      try {
        process.kill(victim.pid, 'SIGKILL'); // a crash, not a killReplica()
        const error = await waitFor('the failure report', () => reported as Error | null);
        expect(error.message).toMatch(/replica r1 .*exited unexpectedly with signal SIGKILL/);
        expect(t.failure()).toBe(error);
      } finally {
        await t.stop();
      }
      expectNothingLeft(pids, t.runDir, containersBefore);
    });
  });

  describe('a start that fails half-way', () => {
    let blocker: Server;
    const sockets = new Set<Socket>();
    let busyPort = 0;
    let privateTmp = '';
    const savedTmp = process.env.TMPDIR;
    beforeAll(async () => {
      blocker = createServer((socket) => {
        sockets.add(socket);
        socket.on('close', () => sockets.delete(socket));
      });
      await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
      busyPort = (blocker.address() as { port: number }).port;
      // Our own TMPDIR, so that other topologies on the machine cannot be mistaken for leftovers.
      privateTmp = mkdtempSync(join(tmpdir(), 'authscale-lifecycle-'));
      process.env.TMPDIR = privateTmp;
    });
    afterAll(async () => {
      if (savedTmp === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = savedTmp;
      rmSync(privateTmp, { recursive: true, force: true });
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => blocker.close(resolve));
    });

    it('on a busy entry port says so and leaves neither Redis nor replicas nor directories behind', async () => {
      const childrenBefore = new Set(childPids(process.pid));
      const containersBefore = runContainers();
      await expect(start('session-redis', 2, { port: busyPort, runtime })).rejects.toThrow(
        `nginx could not listen on 127.0.0.1:${busyPort}: the port is busy`,
      );
      expect(childPids(process.pid).filter((pid) => !childrenBefore.has(pid) && isAlive(pid))).toEqual([]);
      expect(readdirSync(privateTmp)).toEqual([]);
      expect(ourCgroupDirs()).toEqual([]);
      expect(newContainers(containersBefore)).toEqual([]);
    });
  });

  describe('fault injection', () => {
    let t: RunningTopology;
    beforeAll(async () => {
      t = await start('session-redis', 2, { runtime });
    });
    afterAll(async () => {
      await t?.stop();
    });

    it('restartReplica brings the replica back on the same port with a new pid, and it serves again', async () => {
      const before = t.replicas[0];
      if (!before) throw new Error('no replica');
      const { pid, port } = before;
      await t.killReplica(before.id);
      expect(pidAlive(pid)).toBe(false);
      await t.restartReplica(before.id);
      expect(t.replicas[0]?.port).toBe(port);
      expect(t.replicas[0]?.pid).not.toBe(pid);
      expect(t.failure()).toBeNull();
      const user = new TestUser(5, 'cookie');
      await user.login(t.url);
      expect((await user.request(`http://127.0.0.1:${port}`, '/api/me')).status).toBe(200);
    });

    it('stopRedis makes the store unreachable and startRedis brings it back on the same port', async () => {
      const redis = t.redis;
      if (!redis) throw new Error('no redis');
      const { pid, port } = redis;
      await t.stopRedis();
      expect(pidAlive(pid)).toBe(false);
      const user = new TestUser(6, 'cookie');
      // Readiness is read on a replica's own port: the public entry answers /readyz with 404.
      const replicaUrl = t.replicas[0]?.url ?? '';
      const down = await user.request(replicaUrl, '/readyz');
      expect(down.status).toBe(503);
      await t.startRedis();
      expect(t.redis?.port).toBe(port);
      expect(t.redis?.pid).not.toBe(pid);
      const deadline = Date.now() + 10000;
      let status = 0;
      while (Date.now() < deadline && status !== 200) {
        status = (await user.request(replicaUrl, '/readyz')).status;
        if (status !== 200) await new Promise((r) => setTimeout(r, 100));
      }
      expect(status).toBe(200);
      expect(t.failure()).toBeNull();
    });
  });
});
