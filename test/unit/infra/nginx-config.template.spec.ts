/**
 * The rendered nginx configuration: accepted by the real nginx (`nginx -t`)
 * for every routing, and shaped as each routing needs; run by a real nginx in
 * front of a stand-in upstream to check what the public entry serves.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { renderNginxConfig, type NginxConfigInput } from '../../../infra/nginx/nginx-config.template';
import { findBinary } from '../../../infra/process/find-binary';
import { freePort } from '../../../infra/process/free-port';
import type { Routing } from '../../../infra/setups.data';
import { holdOpen } from '../../fixtures/raw-socket.fixture';

const replicas = [
  { id: 'r0', port: 41000 },
  { id: 'r1', port: 41001 },
  { id: 'r2', port: 41002 },
];

function render(routing: Routing, runDir = '/tmp/x'): string {
  const input: NginxConfigInput = { routing, listenPort: 40999, replicas, runDir };
  return renderNginxConfig(input);
}

describe('renderNginxConfig', () => {
  it.each<Routing>(['round-robin', 'sticky', 'ip-hash'])(
    'renders a %s configuration that nginx -t accepts',
    (routing) => {
      const dir = mkdtempSync(join(tmpdir(), 'authscale-nginx-t-'));
      try {
        writeFileSync(join(dir, 'nginx.conf'), render(routing, dir));
        const res = spawnSync(
          findBinary('nginx'),
          ['-t', '-p', dir, '-c', join(dir, 'nginx.conf'), '-e', join(dir, 'error.log')],
          { encoding: 'utf8' },
        );
        expect({ status: res.status, stderr: res.stderr }).toMatchObject({ status: 0 });
        expect(res.stderr).toMatch(/test is successful/);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  );

  it('keeps upstream connections alive (HTTP/1.1, empty Connection header, keepalive pool) in every routing', () => {
    for (const routing of ['round-robin', 'sticky', 'ip-hash'] as const) {
      const conf = render(routing);
      expect(conf).toMatch(/keepalive \d+;/);
      expect(conf).toContain('proxy_http_version 1.1;');
      expect(conf).toContain('proxy_set_header Connection "";');
    }
  });

  it('uses ip_hash only for ip-hash routing', () => {
    expect(render('ip-hash')).toContain('ip_hash;');
    expect(render('round-robin')).not.toContain('ip_hash');
    expect(render('sticky')).not.toContain('ip_hash');
  });

  it('gives each replica its own upstream in sticky routing, with every other replica as a backup', () => {
    const conf = render('sticky');
    for (const r of replicas) {
      const block = new RegExp(`upstream replica_${r.id} \\{([^}]*)\\}`).exec(conf)?.[1] ?? '';
      expect(block).toContain(`server 127.0.0.1:${r.port} max_fails=1 fail_timeout=2s;`);
      expect(block.match(/ backup;/g)).toHaveLength(replicas.length - 1);
      expect(block).not.toContain(`127.0.0.1:${r.port} max_fails=1 fail_timeout=2s backup`);
    }
    expect(conf).toContain('add_header Set-Cookie $authscale_route_cookie always;');
  });

  it('bounds slow clients (10 s for headers and for the body) and keeps upstream idle time below the replicas 65 s', () => {
    for (const routing of ['round-robin', 'sticky', 'ip-hash'] as const) {
      const conf = render(routing);
      expect(conf).toContain('client_header_timeout 10s;');
      expect(conf).toContain('client_body_timeout 10s;');
      const upstreams = conf.match(/upstream [^{]+\{[^}]*\}/g) ?? [];
      expect(upstreams.length).toBeGreaterThan(0);
      for (const block of upstreams) expect(block).toContain('keepalive_timeout 60s;');
    }
  });

  it('answers /metrics and /readyz with 404 itself in every routing, before any proxy_pass', () => {
    for (const routing of ['round-robin', 'sticky', 'ip-hash'] as const) {
      const conf = render(routing);
      for (const path of ['/metrics', '/readyz']) {
        const block = new RegExp(`location = ${path} \\{([^}]*)\\}`).exec(conf)?.[1] ?? '';
        expect(block).toContain('return 404');
        expect(block).not.toContain('proxy_pass');
      }
    }
  });

  it('refuses to render without replicas', () => {
    expect(() =>
      renderNginxConfig({ routing: 'round-robin', listenPort: 1, replicas: [], runDir: '/tmp' }),
    ).toThrow(/at least one replica/);
  });
});

describe('the public entry, served by a real nginx', () => {
  let upstream: Server;
  let nginx: ChildProcess | null = null;
  let dir: string;
  let base: string;
  const seen: string[] = [];

  beforeAll(async () => {
    // A stand-in replica: answers 200 on every path and records what reached it.
    upstream = createServer((req, res) => {
      seen.push(req.url ?? '');
      res.end('{"ok":true}');
    });
    await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
    const port = (upstream.address() as AddressInfo).port;
    dir = mkdtempSync(join(tmpdir(), 'authscale-nginx-run-'));
    const listenPort = await freePort();
    base = `http://127.0.0.1:${listenPort}`;
    const conf = renderNginxConfig({
      routing: 'round-robin',
      listenPort,
      replicas: [{ id: 'r0', port }],
      runDir: dir,
    });
    writeFileSync(join(dir, 'nginx.conf'), conf);
    nginx = spawn(
      findBinary('nginx'),
      ['-p', dir, '-c', join(dir, 'nginx.conf'), '-e', join(dir, 'error.log')],
      {
        stdio: 'ignore',
      },
    );
    // Bounded wait for nginx to listen: 100 tries, 50 ms apart.
    for (let i = 0; i < 100; i++) {
      if (
        await fetch(`${base}/healthz`).then(
          () => true,
          () => false,
        )
      )
        return;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error('nginx did not start listening');
  });

  afterAll(async () => {
    if (nginx && nginx.exitCode === null) {
      const exited = new Promise((r) => nginx?.once('exit', r));
      nginx.kill('SIGQUIT');
      await exited;
    }
    await new Promise((r) => upstream?.close(r));
    rmSync(dir, { recursive: true, force: true });
  });

  it.each([
    '/metrics',
    '/readyz',
    '/metrics?name=x',
    '//metrics',
    '/%6Detrics',
    '/./readyz',
    '/api/../readyz',
  ])('%s is answered 404 by nginx and never reaches a replica', async (path) => {
    seen.length = 0;
    const res = await fetch(`${base}${path}`);
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ error: 'not_found', message: 'no such route' });
    expect(seen).toEqual([]);
  });

  it('other routes are proxied as before', async () => {
    seen.length = 0;
    for (const path of ['/healthz', '/api/me', '/auth/login'])
      expect((await fetch(`${base}${path}`)).status).toBe(200);
    expect(seen).toEqual(['/healthz', '/api/me', '/auth/login']);
  });

  /** Writes `data` on a raw socket and resolves with the time until nginx closed it (bounded). */
  const heldFor = (data: string) => holdOpen(Number(new URL(base).port), data, 25_000);

  it('drops a client that trickles its headers or its body after 10 s, and the upstream never sees either', async () => {
    seen.length = 0;
    const [headers, body] = await Promise.all([
      heldFor('GET /api/me HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: a'),
      heldFor(
        'POST /auth/login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 1000000\r\n\r\n{"username":"user1",',
      ),
    ]);
    for (const held of [headers, body]) {
      expect(held.ms).toBeGreaterThanOrEqual(9_500);
      expect(held.ms).toBeLessThan(14_000);
    }
    expect(body.reply === '' || body.reply.startsWith('HTTP/1.1 408')).toBe(true);
    expect(seen).toEqual([]);
  }, 30_000);
});
