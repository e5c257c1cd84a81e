/**
 * `authscale topology up --runtime docker` with what the machine lacks: one
 * message naming the problem and the fix, the environment exit code, and
 * nothing left (no container, no file). Runs where the docker leg runs
 * (topology.fixture.ts: always under CI=true).
 */
import { rmSync } from 'node:fs';
import { ExitCode } from '../../../bench/cli/exit-codes';
import { runtimesUnderTest } from './topology.fixture';
import { runContainers, runFiles } from './leftovers';
import { privateTmp, runCli } from './cli.harness';

describe('authscale topology up --runtime docker with what the machine lacks', () => {
  let tmp: string;
  beforeEach(() => {
    tmp = privateTmp();
  });
  afterEach(() => {
    rmSync(tmp, { recursive: true, force: true });
  });

  const dockerIt = runtimesUnderTest().includes('docker') ? it : it.skip;
  dockerIt.each([
    [
      'an image that is not in the engine',
      ['--api-image', 'authscale-no-such-image:0'],
      {},
      /image authscale-no-such-image:0 not found in the Docker engine, and the docker runtime never pulls: run `authscale images`/,
    ],
    [
      'no Docker engine',
      [],
      { DOCKER_HOST: 'unix:///nonexistent/docker.sock' },
      /no Docker engine answers .*: start dockerd .* or set DOCKER_HOST, or use --runtime process\./,
    ],
  ])(
    'exits with the environment code for %s, naming the fix, and leaves nothing',
    (_what, args, extra, message) => {
      const before = runContainers();
      const res = runCli(
        ['--setup', 'session-redis', '--replicas', '1', '--runtime', 'docker', ...args],
        tmp,
        extra,
      );
      expect(res.status).toBe(ExitCode.environment);
      expect(res.stderr).toMatch(message);
      expect(runContainers().filter((id) => !before.includes(id))).toEqual([]);
      expect(runFiles(tmp)).toEqual([]);
    },
  );
});
