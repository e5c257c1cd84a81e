/**
 * `authscale topology up` as a person runs it: the built CLI in a child
 * process. Bad input gets one clear message and its exit code; Ctrl-C
 * (SIGINT) and SIGTERM leave no process, directory or cgroup behind.
 * Each run gets a private TMPDIR, so leftovers are found by path (nginx's
 * prefix, Redis's dir and the replicas' secret files all live there) without
 * confusing them with other topologies on the machine.
 */
import { spawn } from 'node:child_process';
import { readdirSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join, resolve } from 'node:path';
import { ExitCode } from '../../../bench/cli/exit-codes';
import { apiEntry, runtimesUnderTest } from './topology.fixture';
import { processesMentioning, runContainers } from './leftovers';
import {
  CLI,
  RUN_TIMEOUT_MS,
  TEST_TIMEOUT_MS,
  apiArgs,
  endChild,
  env,
  expectNothingLeft,
  privateTmp,
  runCli,
  usePrivateTmp,
} from './cli.harness';

describe('authscale topology up with bad input', () => {
  let tmp: string;
  beforeEach(() => {
    tmp = privateTmp();
  });
  afterEach(() => {
    rmSync(tmp, { recursive: true, force: true });
  });

  it.each([
    [
      ['--setup', 'nope', '--replicas', '2'],
      /unknown setup "nope": use one of baseline, jwt, .*session-sticky/,
    ],
    [['--setup', 'jwt', '--replicas', '0'], /replica count 0 is invalid: use a whole number from 1 to 32/],
    [['--setup', 'jwt', '--replicas', 'three'], /--replicas "three" is invalid: not a number/],
    [
      ['--setup', 'jwt', '--replicas', '2', '--cpu-per-replica', '-1'],
      /--cpu-per-replica -1 is invalid: use a positive number/,
    ],
  ])('exits with the usage code and names the problem for %j', (args, message) => {
    const res = runCli(args, tmp);
    expect(res.status).toBe(ExitCode.usage);
    expect(res.stderr).toMatch(message);
    expect(res.stdout).toBe('');
  });

  it('lists every problem at once', () => {
    const res = runCli(['--setup', 'nope', '--replicas', '0'], tmp);
    expect(res.status).toBe(ExitCode.usage);
    expect(res.stderr).toMatch(/unknown setup "nope"[\s\S]*replica count 0 is invalid/);
  });

  it.each([
    ['nginx', 'AUTHSCALE_NGINX_BIN', 'jwt'],
    ['redis-server', 'AUTHSCALE_REDIS_SERVER_BIN', 'session-redis'],
  ])(
    'exits with the environment code when the %s binary is missing, naming it and the fix',
    (binary, variable, setup) => {
      const res = runCli(['--setup', setup, '--replicas', '1', ...apiArgs()], tmp, {
        [variable]: join(tmp, 'missing', binary),
      });
      expect(res.status).toBe(ExitCode.environment);
      expect(res.stderr).toContain(
        `${binary} was not found: ${variable}=${join(tmp, 'missing', binary)} is not an executable file`,
      );
      expect(processesMentioning(tmp)).toEqual([]);
    },
  );

  describe('on a busy port', () => {
    let blocker: Server;
    let port = 0;
    beforeAll(async () => {
      blocker = createServer((socket) => socket.destroy());
      await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', r));
      port = (blocker.address() as { port: number }).port;
    });
    afterAll(async () => {
      await new Promise((r) => blocker.close(r));
    });

    it(
      'exits with the environment code, says the port is busy, and leaves nothing running',
      () => {
        const res = runCli(
          ['--setup', 'session-redis', '--replicas', '2', '--port', String(port), ...apiArgs()],
          tmp,
        );
        expect(res.status).toBe(ExitCode.environment);
        expect(res.stderr).toContain(`nginx could not listen on 127.0.0.1:${port}: the port is busy`);
        expect(processesMentioning(tmp)).toEqual([]);
        expect(readdirSync(tmp)).toEqual([]);
      },
      TEST_TIMEOUT_MS,
    );
  });
});

describe.each([
  ['SIGINT', 'session-sticky', 'process'],
  ['SIGTERM', 'session-redis', 'process'],
  ...runtimesUnderTest()
    .filter((r) => r !== 'process')
    .map((r) => ['SIGTERM', 'session-redis', r] as const),
] as const)('authscale topology up stopped by %s (%s, %s runtime)', (signal, setup, runtime) => {
  const tmpDir = usePrivateTmp();

  it(
    `prints the entry URL and replicas of ${setup}, then leaves no process, directory or cgroup`,
    async () => {
      const tmp = tmpDir();
      const containersBefore = runContainers();
      const child = spawn(
        process.execPath,
        [
          CLI,
          'topology',
          'up',
          '--setup',
          setup,
          '--replicas',
          '2',
          '--cpu-per-replica',
          '0.5',
          '--json',
          '--runtime',
          runtime,
          ...apiArgs(),
        ],
        {
          env: env(tmp),
          stdio: ['ignore', 'pipe', 'pipe'],
        },
      );
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
      try {
        const deadline = Date.now() + RUN_TIMEOUT_MS;
        while (!stderr.includes('press Ctrl-C') && Date.now() < deadline && child.exitCode === null)
          await new Promise((r) => setTimeout(r, 50));
        expect(stderr).toContain('press Ctrl-C');
        const up = JSON.parse(stdout.trim()) as {
          url: string;
          replicas: { id: string; pid: number }[];
          nginx: { pid: number };
          redis: { pid: number } | null;
        };
        expect(up.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
        expect(up.replicas.map((r) => r.id)).toEqual(['r0', 'r1']);
        const pids = [...up.replicas.map((r) => r.pid), up.nginx.pid, ...(up.redis ? [up.redis.pid] : [])];
        // Processes run in the run's TMPDIR; containers are found by the run's label instead.
        if (runtime === 'process') expect(processesMentioning(tmp)).toEqual(expect.arrayContaining(pids));
        else expect(runContainers().filter((id) => !containersBefore.includes(id))).toHaveLength(4);
        child.kill(signal);
        expect(await exited).toBe(0);
        expect(stderr).toContain('stopped; every process, directory and cgroup of this topology is gone.');
        expectNothingLeft(tmp, child.pid, containersBefore);
      } finally {
        // A failed assertion must not orphan the topology: SIGTERM lets the launcher clean up first.
        await endChild(child, exited);
      }
    },
    TEST_TIMEOUT_MS,
  );
});

/**
 * A parent that does not handle signals itself (a script using the library):
 * the launcher's last-chance teardown must still clean up, then let the
 * signal end the process as it would have; process.exit() gets the
 * synchronous kill-by-pid path.
 */
describe.each([
  ['a SIGTERM it does not handle', 'signal'],
  ['process.exit() while the topology is up', 'exit'],
  ['a SIGTERM while the topology is still starting', 'early-signal'],
] as const)('a library user that ends with %s', (_label, mode) => {
  const tmpDir = usePrivateTmp();

  it(
    'leaves no process, directory or cgroup behind',
    async () => {
      const tmp = tmpDir();
      const script = `
      const { startTopology } = require(${JSON.stringify(resolve(__dirname, '../../../dist/infra/topology.js'))});
      const { findSetup } = require(${JSON.stringify(resolve(__dirname, '../../../dist/infra/setups.data.js'))});
      startTopology({ setup: findSetup('session-redis'), replicas: 2, cpuPerReplica: 0.5, appEnv: { USERS: '200' }${apiEntry() ? `, apiEntry: ${JSON.stringify(apiEntry())}` : ''} })
        .then((t) => { console.log(JSON.stringify(t.processes())); if (${JSON.stringify(mode)} === 'exit') process.exit(3); })
        .catch((err) => console.error(err.message));
      setInterval(() => {}, 1000);`;
      const child = spawn(process.execPath, ['-e', script], {
        env: env(tmp),
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stdout = '';
      child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
      const exited = new Promise<[number | null, string | null]>((r) =>
        child.once('exit', (code, sig) => r([code, sig])),
      );
      try {
        const deadline = Date.now() + RUN_TIMEOUT_MS;
        if (mode === 'early-signal') {
          // As soon as the first process (Redis) exists, before the replicas are ready.
          // The script itself has TMPDIR in its environment, and short-lived helpers
          // (`redis-server --version`) inherit it: wait for a process that stays.
          let started: number[] = [];
          while (started.length === 0 && Date.now() < deadline && child.exitCode === null) {
            const seen = processesMentioning(tmp).filter((pid) => pid !== child.pid);
            await new Promise((r) => setTimeout(r, 50));
            started = seen.filter((pid) => processesMentioning(tmp).includes(pid));
          }
          expect(started.length).toBeGreaterThan(0);
          expect(stdout).toBe('');
          child.kill('SIGTERM');
          expect(await exited).toEqual([null, 'SIGTERM']);
          // Replicas still starting when the signal came are known from their spawn on, and ended before the exit.
          expectNothingLeft(tmp, child.pid);
          return;
        }
        while (!stdout.includes('\n') && Date.now() < deadline && child.exitCode === null)
          await new Promise((r) => setTimeout(r, 50));
        const pids = (JSON.parse(stdout.trim().split('\n')[0] ?? '[]') as { pid: number }[]).map(
          (p) => p.pid,
        );
        expect(pids.length).toBe(5);
        if (mode === 'signal') child.kill('SIGTERM');
        expect(await exited).toEqual(mode === 'signal' ? [null, 'SIGTERM'] : [3, null]);
        expectNothingLeft(tmp, child.pid);
      } finally {
        // A failed assertion must not orphan the topology: SIGTERM lets the launcher clean up first.
        await endChild(child, exited);
      }
    },
    TEST_TIMEOUT_MS,
  );
});
