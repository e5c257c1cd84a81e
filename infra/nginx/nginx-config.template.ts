/**
 * The nginx configuration of one topology, rendered from the setup's Routing.
 *
 * Sticky routing without `sticky` (nginx 1.22 has no open-source cookie
 * affinity; it arrived in 1.29.6). Hashing the session cookie is not enough:
 * the login request carries no cookie, lands anywhere, and the session is then
 * created on a replica that the hash of the new cookie will not pick. So nginx
 * learns the replica from the response instead:
 *
 *   1. Every replica answers with `x-replica: <id>`.
 *   2. nginx adds `Set-Cookie: authscale_route=<id>` to any response whose
 *      x-replica differs from the route cookie the client sent (or when it sent
 *      none). The login response therefore pins the user to the replica that
 *      created the session, in the same round trip.
 *   3. `map $cookie_authscale_route` picks an upstream per replica; an unknown
 *      or missing cookie picks the round-robin pool.
 *   4. Each per-replica upstream lists the other replicas as `backup`: when the
 *      pinned replica is dead the request still reaches a live one, which
 *      answers 401 (it does not hold the session) instead of nginx answering
 *      502; step 2 re-pins the client there, and its next login sticks.
 *
 * This holds for any client that keeps the cookies it is given, needs no
 * shared state in nginx and survives an nginx reload.
 */
import type { Routing } from '../setups.data';

export interface NginxReplicaTarget {
  id: string;
  port: number;
}

export interface NginxConfigInput {
  routing: Routing;
  listenPort: number;
  replicas: readonly NginxReplicaTarget[];
  /** Directory for the pid file and nginx's temp paths (absolute). */
  runDir: string;
  workerProcesses?: number;
}

export const ROUTE_COOKIE = 'authscale_route';

/**
 * Idle upstream connections kept per worker and group. nginx closes an idle
 * upstream connection after 60 s (keepalive_timeout default); replicas keep
 * theirs 65 s (KEEPALIVE_TIMEOUT_MS), so nginx never reuses a socket the
 * replica is closing: the classic source of sporadic 502s.
 */
const POOL_KEEPALIVE = 64;
const PER_REPLICA_KEEPALIVE = 16;

/**
 * One failed connect takes a replica out of rotation for 2 s (default 10 s):
 * a restarted replica (fault injection) gets traffic back quickly.
 */
const SERVER_PARAMS = 'max_fails=1 fail_timeout=2s';

/**
 * How long nginx keeps an idle upstream connection: below the replicas'
 * KEEPALIVE_TIMEOUT_MS (65 s), so nginx never reuses a socket Node is closing.
 */
const UPSTREAM_IDLE_TIMEOUT = '60s';

/**
 * Slow clients: a client that trickles its headers or its body is dropped
 * after 10 s (nginx's default is 60 s for each), so it holds neither nginx
 * nor, through it, a replica. nginx buffers request bodies before proxying,
 * so a replica behind nginx never sees the trickle (docs/security.md,
 * "Slow clients").
 */
const CLIENT_TIMEOUTS = ['client_header_timeout 10s;', 'client_body_timeout 10s;'];

/**
 * Operational routes answered 404 on the public entry: /metrics (process and
 * login figures) and /readyz (store state) are for Prometheus and health
 * checkers, which reach each replica's own port (docs/security.md,
 * "Operational endpoints"). nginx matches locations on the normalised path
 * (percent-decoded, merged slashes), so /%6Detrics and //metrics match too;
 * other spellings reach the replica, whose routing is case-sensitive and
 * strict and answers 404 itself.
 */
const PRIVATE_PATHS = ['/metrics', '/readyz'];
const NOT_FOUND_BODY = `'{"error":"not_found","message":"no such route"}'`;

function privateLocations(): string[] {
  return PRIVATE_PATHS.flatMap((path) => [
    `    location = ${path} {`,
    '      default_type application/json;',
    '      add_header X-Content-Type-Options nosniff always;',
    `      return 404 ${NOT_FOUND_BODY};`,
    '    }',
  ]);
}

/** Per routing mode: the first line(s) of the pool upstream. Data, not branches. */
const POOL_BALANCER: Record<Routing, string | null> = {
  'round-robin': null,
  sticky: null,
  'ip-hash': 'ip_hash;',
};

function upstreamName(id: string): string {
  return `replica_${id.replace(/[^A-Za-z0-9_]/g, '_')}`;
}

function server(port: number, extra = ''): string {
  return `server 127.0.0.1:${port} ${SERVER_PARAMS}${extra};`;
}

function poolUpstream(input: NginxConfigInput): string[] {
  const balancer = POOL_BALANCER[input.routing];
  return [
    'upstream pool {',
    ...(balancer ? [`  ${balancer}`] : []),
    ...input.replicas.map((r) => `  ${server(r.port)}`),
    `  keepalive ${POOL_KEEPALIVE};`,
    `  keepalive_timeout ${UPSTREAM_IDLE_TIMEOUT};`,
    '}',
  ];
}

function stickyBlocks(input: NginxConfigInput): string[] {
  const lines: string[] = [];
  for (const r of input.replicas) {
    lines.push(`upstream ${upstreamName(r.id)} {`, `  ${server(r.port)}`);
    for (const other of input.replicas)
      if (other.id !== r.id) lines.push(`  ${server(other.port, ' backup')}`);
    lines.push(`  keepalive ${PER_REPLICA_KEEPALIVE};`, `  keepalive_timeout ${UPSTREAM_IDLE_TIMEOUT};`, '}');
  }
  lines.push(`map $cookie_${ROUTE_COOKIE} $authscale_upstream {`, '  default pool;');
  for (const r of input.replicas) lines.push(`  ${r.id} ${upstreamName(r.id)};`);
  lines.push('}');
  // Empty value = no header (nginx skips add_header with an empty value).
  // The first regex matches "same id on both sides" through a backreference.
  lines.push(
    `map "$cookie_${ROUTE_COOKIE}|$upstream_http_x_replica" $authscale_route_cookie {`,
    '  default "";',
    '  "~^([^|]*)\\|\\1$" "";',
    `  "~\\|(?<replica>[A-Za-z0-9_-]+)$" "${ROUTE_COOKIE}=$replica; Path=/; HttpOnly; SameSite=Lax";`,
    '}',
  );
  return lines;
}

export function renderNginxConfig(input: NginxConfigInput): string {
  if (input.replicas.length === 0) throw new Error('renderNginxConfig needs at least one replica');
  const sticky = input.routing === 'sticky';
  const dir = input.runDir;
  const location = [
    `    proxy_pass http://${sticky ? '$authscale_upstream' : 'pool'};`,
    // Upstream keepalive needs HTTP/1.1 and an empty Connection header.
    '    proxy_http_version 1.1;',
    '    proxy_set_header Connection "";',
    '    proxy_set_header Host $host;',
    '    proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;',
    '    proxy_set_header X-Forwarded-Proto $scheme;',
    // Retry on a connect error only; never resend a request a replica already got.
    '    proxy_next_upstream error;',
    '    proxy_connect_timeout 2s;',
    // `always`: the 401 of a fallback replica must re-pin the client too.
    ...(sticky ? ['    add_header Set-Cookie $authscale_route_cookie always;'] : []),
  ];
  return [
    `# Generated by authscale (routing: ${input.routing}); do not edit, it is rewritten on every start.`,
    `worker_processes ${input.workerProcesses ?? 1};`,
    'daemon off;',
    'master_process on;',
    `pid ${dir}/nginx.pid;`,
    `error_log ${dir}/error.log warn;`,
    'events { worker_connections 4096; }',
    'http {',
    '  access_log off;',
    '  server_tokens off;',
    `  client_body_temp_path ${dir}/client_body;`,
    `  proxy_temp_path ${dir}/proxy;`,
    `  fastcgi_temp_path ${dir}/fastcgi;`,
    `  uwsgi_temp_path ${dir}/uwsgi;`,
    `  scgi_temp_path ${dir}/scgi;`,
    // A load generator keeps its connections: do not close them every 1000 requests.
    '  keepalive_requests 1000000;',
    '  keepalive_timeout 75s;',
    ...CLIENT_TIMEOUTS.map((l) => `  ${l}`),
    ...poolUpstream(input).map((l) => `  ${l}`),
    ...(sticky ? stickyBlocks(input).map((l) => `  ${l}`) : []),
    '  server {',
    `    listen 127.0.0.1:${input.listenPort};`,
    ...privateLocations(),
    '    location / {',
    ...location.map((l) => `  ${l}`),
    '    }',
    '  }',
    '}',
    '',
  ].join('\n');
}
