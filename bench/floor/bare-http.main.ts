/**
 * Floor fixture: bare `node:http` doing the API's per-request check for one
 * mode (fixture.auth.ts), with no framework at all. Routes: GET /readyz,
 * POST /auth/login, GET /api/me. Started by floor.servers.ts; prints
 * `listening on host:port` like the API.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createClient } from 'redis';
import {
  checkLogin,
  findUser,
  loginAnswer,
  newSessionId,
  readFixtureEnv,
  sessionIdOf,
  SESSION_TTL_SECONDS,
  signedSessionCookie,
  userOfBearer,
  type FixtureEnv,
  type FixtureUser,
} from './fixture.auth';

/** Sessions as JSON strings, as both stores keep them. */
interface SessionStore {
  get(sid: string): Promise<string | null>;
  set(sid: string, json: string): Promise<unknown>;
}

async function storeOf(env: FixtureEnv): Promise<SessionStore> {
  if (env.mode !== 'session-redis') {
    const map = new Map<string, string>();
    return { get: async (sid) => map.get(sid) ?? null, set: async (sid, json) => map.set(sid, json) };
  }
  const client = createClient({ url: env.redisUrl as string });
  await client.connect();
  return {
    get: (sid) => client.get(`sess:${sid}`),
    set: (sid, json) => client.set(`sess:${sid}`, json, { EX: SESSION_TTL_SECONDS }),
  };
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  const json = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(json),
    ...headers,
  });
  res.end(json);
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    return null;
  }
}

function handlerOf(env: FixtureEnv, store: SessionStore) {
  const sessionUser = async (req: IncomingMessage): Promise<FixtureUser | null> => {
    const sid = sessionIdOf(req.headers.cookie, env.sessionSecret);
    const json = sid ? await store.get(sid) : null;
    return json ? findUser((JSON.parse(json) as { userId: number }).userId) : null;
  };
  const login = async (req: IncomingMessage, res: ServerResponse) => {
    const user = checkLogin(await readJson(req));
    if (!user) return send(res, 401, { error: 'unauthorized' });
    if (env.mode === 'jwt') return send(res, 200, loginAnswer(env.jwtKey, user));
    const sid = newSessionId();
    await store.set(sid, JSON.stringify({ cookie: { path: '/', httpOnly: true }, userId: user.id }));
    send(res, 200, { user }, { 'set-cookie': signedSessionCookie(sid, env.sessionSecret) });
  };
  const me = async (req: IncomingMessage, res: ServerResponse) => {
    const user =
      env.mode === 'jwt' ? userOfBearer(env.jwtKey, req.headers.authorization) : await sessionUser(req);
    if (!user) return send(res, 401, { error: 'unauthorized' });
    send(res, 200, { id: user.id, username: user.username });
  };
  return (req: IncomingMessage, res: ServerResponse) => {
    const route = `${req.method} ${req.url}`;
    const done =
      route === 'GET /api/me'
        ? me(req, res)
        : route === 'POST /auth/login'
          ? login(req, res)
          : Promise.resolve(send(res, route === 'GET /readyz' ? 200 : 404, {}));
    done.catch(() => send(res, 503, { error: 'store unavailable' }));
  };
}

async function main(): Promise<void> {
  const env = readFixtureEnv(process.env);
  const server = createServer(handlerOf(env, await storeOf(env)));
  server.keepAliveTimeout = 65_000;
  server.listen(env.port, '127.0.0.1', () => {
    process.stdout.write(`listening on 127.0.0.1:${(server.address() as AddressInfo).port}\n`);
  });
  process.once('SIGTERM', () => process.exit(0));
}

main().catch((err: unknown) => {
  process.stderr.write(`floor fixture: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(4);
});
