/**
 * The nginx configurations shipped for Compose, run by the real nginx in
 * front of real replicas: Docker's `api` name is replaced by the replicas'
 * loopback addresses, nothing else changes. This is what proves the
 * scale-proof sticky design (hash on a key nginx hands out in the login
 * response) and keeps the round-robin file honest.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { findBinary } from '../../../infra/process/find-binary';
import { freePort } from '../../../infra/process/free-port';
import { spawnPlaced, type PlacedChild } from '../../../infra/process/spawn-placed';
import { waitForHttp } from '../../../infra/process/wait-ready';
import type { RunningTopology } from '../../../infra/topology.types';
import { useTopology } from './topology.fixture';
import { TestUser, countBy } from './topology.client';

const COMPOSE_NGINX = resolve(__dirname, '../../../infra/compose/nginx');

/** Runs a compose nginx file (a conf.d include) against the topology's replicas; returns its URL and a stop. */
async function runComposeNginx(
  file: string,
  t: RunningTopology,
): Promise<{ url: string; stop: () => Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), 'authscale-compose-nginx-'));
  const port = await freePort();
  const servers = t.replicas
    .map((r) => `server 127.0.0.1:${r.port} max_fails=1 fail_timeout=2s;`)
    .join('\n  ');
  const include = readFileSync(join(COMPOSE_NGINX, file), 'utf8')
    .replace(/server api:3000[^;]*;/, servers)
    .replace('listen 8080;', `listen 127.0.0.1:${port};`);
  writeFileSync(
    join(dir, 'nginx.conf'),
    [
      'daemon off;',
      `pid ${dir}/nginx.pid;`,
      'events {}',
      `http { access_log off; client_body_temp_path ${dir}/cb; proxy_temp_path ${dir}/p; fastcgi_temp_path ${dir}/f; uwsgi_temp_path ${dir}/u; scgi_temp_path ${dir}/s;`,
      include,
      '}',
    ].join('\n'),
  );
  const child: PlacedChild = spawnPlaced(
    findBinary('nginx'),
    ['-p', dir, '-c', join(dir, 'nginx.conf'), '-e', join(dir, 'error.log')],
    { env: {} },
  );
  const stop = async () => {
    await child.terminate('SIGQUIT');
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await waitForHttp(`http://127.0.0.1:${port}/healthz`, 10000, () => child.hasExited());
  } catch (err) {
    await stop();
    throw new Error(`${(err as Error).message}; nginx said: ${child.output()}`, { cause: err });
  }
  return { url: `http://127.0.0.1:${port}`, stop };
}

describe('the Compose nginx configurations', () => {
  const topology = useTopology('session-sticky', 3);

  it('sticky.conf keeps each of 12 users on the replica of its login, with zero 401s, and spreads the logins', async () => {
    const nginx = await runComposeNginx('sticky.conf', topology());
    try {
      const homes: string[] = [];
      for (let i = 60; i < 72; i++) {
        const user = new TestUser(i, 'cookie');
        const home = String(await user.login(nginx.url));
        homes.push(home);
        const answers = [];
        for (let r = 0; r < 5; r++) answers.push(await user.request(nginx.url, '/api/me'));
        expect(countBy(answers.map((a) => `${a.status} ${a.replica}`))).toEqual({ [`200 ${home}`]: 5 });
      }
      expect(new Set(homes).size).toBeGreaterThan(1);
    } finally {
      await nginx.stop();
    }
  });

  it('round-robin.conf spreads requests over every replica', async () => {
    const nginx = await runComposeNginx('round-robin.conf', topology());
    try {
      const user = new TestUser(80, 'cookie');
      const seen = [];
      for (let r = 0; r < 9; r++) seen.push((await user.request(nginx.url, '/healthz')).replica);
      expect(Object.keys(countBy(seen)).sort()).toEqual(['r0', 'r1', 'r2']);
    } finally {
      await nginx.stop();
    }
  });
});
