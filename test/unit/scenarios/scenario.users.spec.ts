/**
 * The scenarios' virtual-user traffic against a stand-in for one replica: an
 * in-process HTTP server with /auth/login and the protected route, whose
 * sessions the test can drop to force a re-login. Real replicas behind nginx
 * are the integration suites' (test/integration/scenarios).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loginVirtualUser } from '../../../bench/client/virtual-user';
import { keepAliveAgent } from '../../../bench/scenarios/driver/http.client';
import { Recorder } from '../../../bench/scenarios/driver/recorder';
import type { TargetRun } from '../../../bench/scenarios/scenario.runner';
import { PROTECTED_PATH, protectedGet, relogin, userLoad } from '../../../bench/scenarios/scenario.users';

let server: Server;
let base: string;
/** Session id -> username; a session the test deletes is answered 401. */
const sessions = new Map<string, string>();
let nextSession = 0;
/** Logins answered 401 while true. */
let refuseLogins = false;
/** Called on every protected request, with the count so far. */
let onRequest: (n: number) => void = () => {};
let requests = 0;
const agent = keepAliveAgent();

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      if (req.url === '/auth/login') {
        if (refuseLogins) return void res.writeHead(401).end('{"message":"Unauthorized"}');
        const id = `s${nextSession++}`;
        sessions.set(id, (JSON.parse(body) as { username: string }).username);
        res.writeHead(200, { 'set-cookie': [`sid=${id}; Path=/`], 'x-replica': 'r0' }).end('{}');
        return;
      }
      if (req.url !== PROTECTED_PATH) return void res.writeHead(404).end();
      onRequest(++requests);
      const sid = /sid=([^;]+)/.exec(req.headers.cookie ?? '')?.[1];
      const known = sid !== undefined && sessions.has(sid);
      // The replica re-sets its cookie on every answer, as nginx's sticky routing does.
      res.writeHead(
        known ? 200 : 401,
        known ? { 'x-replica': 'r0', 'set-cookie': [`sid=${sid}; Path=/`] } : {},
      );
      res.end(known ? JSON.stringify({ username: sessions.get(sid!) }) : '');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

beforeEach(() => {
  sessions.clear();
  nextSession = 0;
  refuseLogins = false;
  requests = 0;
  onRequest = () => {};
});

afterAll(async () => {
  agent.destroy();
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

/** The parts of a TargetRun the user traffic reads: where nginx is, the credential kind, the abort signal. */
function targetRun(signal = new AbortController().signal): TargetRun {
  return {
    topology: { url: base },
    setup: { credential: 'cookie' },
    signal,
    progress: () => {},
  } as unknown as TargetRun;
}

describe('one protected request', () => {
  it('is recorded with its user, group, target and the replica that answered', async () => {
    const user = await loginVirtualUser(base, 'cookie', 3);
    const rec = new Recorder();
    const s = await protectedGet(rec, agent, base, 'r0', 3, 'load', user.headers(), 1000, user.jar);
    expect(s).toMatchObject({ user: 3, group: 'load', via: 'r0', status: 200, replica: 'r0', error: null });
    expect(rec.samples).toEqual([s]);
  });
});

describe('a forced re-login', () => {
  it('logs the user in again and records it', async () => {
    const user = await loginVirtualUser(base, 'cookie', 4);
    const rec = new Recorder();
    const fresh = await relogin(rec, targetRun(), user, 1000);
    expect(user.jar.get('sid')).toBe('s0');
    expect(fresh?.jar.get('sid')).toBe('s1');
    expect(rec.samples).toEqual([
      expect.objectContaining({ user: 4, group: 'relogin', status: 200, replica: 'r0' }),
    ]);
  });

  it('records a refused login with its status and returns no user', async () => {
    const user = await loginVirtualUser(base, 'cookie', 4);
    refuseLogins = true;
    const rec = new Recorder();
    expect(await relogin(rec, targetRun(), user, 1000)).toBeNull();
    expect(rec.samples).toEqual([expect.objectContaining({ group: 'relogin', status: 401, error: null })]);
  });
});

describe('a user loop', () => {
  it('stops at its request bound and is served throughout', async () => {
    const user = await loginVirtualUser(base, 'cookie', 1);
    const rec = new Recorder();
    const options = {
      untilMs: 60_000,
      thinkMs: 0,
      timeoutMs: 1000,
      maxRelogins: 2,
      group: 'load',
      maxRequests: 5,
    };
    expect(await userLoad(rec, targetRun(), agent, user, options)).toBe(0);
    expect(rec.samples.map((s) => s.status)).toEqual([200, 200, 200, 200, 200]);
  });

  it('logs in again when its session is gone, and carries on with the new one', async () => {
    const user = await loginVirtualUser(base, 'cookie', 2);
    // The session dies when the second request arrives: that request is answered 401.
    onRequest = (n) => n === 2 && sessions.clear();
    const rec = new Recorder();
    const options = {
      untilMs: 60_000,
      thinkMs: 0,
      timeoutMs: 1000,
      maxRelogins: 2,
      group: 'load',
      maxRequests: 4,
    };
    expect(await userLoad(rec, targetRun(), agent, user, options)).toBe(1);
    expect(rec.samples.map((s) => `${s.group} ${s.status}`)).toEqual([
      'load 200',
      'load 401',
      'relogin 200',
      'load 200',
      'load 200',
    ]);
  });

  it('with no re-logins allowed keeps replaying the dead credential', async () => {
    const user = await loginVirtualUser(base, 'cookie', 2);
    sessions.clear();
    const rec = new Recorder();
    const options = {
      untilMs: 60_000,
      thinkMs: 0,
      timeoutMs: 1000,
      maxRelogins: 0,
      group: 'revoked',
      maxRequests: 3,
    };
    expect(await userLoad(rec, targetRun(), agent, user, options)).toBe(0);
    expect(rec.samples.map((s) => `${s.group} ${s.status}`)).toEqual([
      'revoked 401',
      'revoked 401',
      'revoked 401',
    ]);
  });

  it('stops when the run is aborted', async () => {
    const user = await loginVirtualUser(base, 'cookie', 2);
    const controller = new AbortController();
    onRequest = (n) => n === 3 && controller.abort();
    const rec = new Recorder();
    const options = {
      untilMs: 60_000,
      thinkMs: 0,
      timeoutMs: 1000,
      maxRelogins: 0,
      group: 'load',
      maxRequests: 100,
    };
    await userLoad(rec, targetRun(controller.signal), agent, user, options);
    expect(rec.samples).toHaveLength(3);
  });
});
