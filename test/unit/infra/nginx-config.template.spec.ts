/**
 * The rendered nginx configuration: accepted by the real nginx (`nginx -t`)
 * for every routing, and shaped as each routing needs.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { renderNginxConfig, type NginxConfigInput } from '../../../infra/nginx/nginx-config.template';
import { findBinary } from '../../../infra/process/find-binary';
import type { Routing } from '../../../infra/setups.data';

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

  it('refuses to render without replicas', () => {
    expect(() =>
      renderNginxConfig({ routing: 'round-robin', listenPort: 1, replicas: [], runDir: '/tmp' }),
    ).toThrow(/at least one replica/);
  });
});
