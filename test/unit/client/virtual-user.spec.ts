/**
 * Virtual users against a stand-in for the API's /auth routes: an in-process
 * HTTP server that answers what docs/api-contract.md promises (Set-Cookie,
 * accessToken, x-replica). Logging in to the real API is covered by the
 * integration suites.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  credentialsOf,
  LoginError,
  loginVirtualUser,
  loginVirtualUsers,
  logoutVirtualUser,
  PASSWORD_POOL_SIZE,
} from '../../../bench/client/virtual-user';
import { freePort } from '../../../infra/process/free-port';

/** How the stand-in answers a login: status, body and headers. */
let answer: (username: string) => {
  status: number;
  body: string;
  headers?: Record<string, string | string[]>;
};
let seen: { url: string; body: string; headers: IncomingMessage['headers'] }[] = [];

let server: Server;
let base: string;

function handle(req: IncomingMessage, res: ServerResponse, body: string): void {
  seen.push({ url: req.url ?? '', body, headers: req.headers });
  if (req.url === '/auth/logout') {
    res.writeHead(200, { 'set-cookie': ['sid=; Path=/; Max-Age=0'] });
    res.end();
    return;
  }
  const { username } = JSON.parse(body) as { username: string };
  const a = answer(username);
  res.writeHead(a.status, { 'content-type': 'application/json', ...a.headers });
  res.end(a.body);
}

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => handle(req, res, body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

beforeEach(() => {
  seen = [];
  answer = () => ({
    status: 200,
    body: '{}',
    headers: { 'set-cookie': ['sid=s1; Path=/; HttpOnly'], 'x-replica': 'r1' },
  });
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

describe('the user directory', () => {
  it.each([
    [0, 'user0', 'authscale-pw-0'],
    [15, 'user15', 'authscale-pw-15'],
    [PASSWORD_POOL_SIZE, `user${PASSWORD_POOL_SIZE}`, 'authscale-pw-0'],
    [33, 'user33', 'authscale-pw-1'],
  ])('user %i is %s with password %s', (index, username, password) => {
    expect(credentialsOf(index)).toEqual({ username, password });
  });
});

describe('a login failure', () => {
  it.each([
    ['no response', null, 'connect ECONNREFUSED', 'login of user3 failed: no response connect ECONNREFUSED'],
    [
      'an HTTP status, body cut at 200 characters',
      401,
      'x'.repeat(300),
      `login of user3 failed: HTTP 401 ${'x'.repeat(200)}`,
    ],
  ])('says %s', (_name, status, body, message) => {
    const err = new LoginError('user3', status, body);
    expect(err).toMatchObject({ name: 'LoginError', username: 'user3', status, body, message });
  });
});

describe('logging a virtual user in', () => {
  it('a cookie setup: sends the directory credentials, keeps the cookie and the replica that answered', async () => {
    const user = await loginVirtualUser(base, 'cookie', 5);
    expect(JSON.parse(seen[0]!.body)).toEqual({ username: 'user5', password: 'authscale-pw-5' });
    expect(seen[0]!.headers['content-type']).toBe('application/json');
    expect(user).toMatchObject({ index: 5, username: 'user5', accessToken: null, loginReplica: 'r1' });
    expect(user.headers()).toEqual({ cookie: 'sid=s1' });
  });

  it('a bearer setup carries the access token, and the cookie too when there is one (hybrid)', async () => {
    answer = () => ({
      status: 200,
      body: '{"accessToken":"tok"}',
      headers: { 'set-cookie': ['refresh=r; HttpOnly'] },
    });
    const user = await loginVirtualUser(base, 'bearer', 1);
    expect(user.accessToken).toBe('tok');
    expect(user.loginReplica).toBeNull();
    expect(user.headers()).toEqual({ cookie: 'refresh=r', authorization: 'Bearer tok' });
  });

  it.each([
    [
      'a refused password',
      { status: 401, body: '{"message":"Unauthorized"}' },
      'cookie',
      401,
      /HTTP 401 \{"message"/,
    ],
    [
      'a bearer login without a token',
      { status: 200, body: '{}' },
      'bearer',
      200,
      /no accessToken in body: \{\}/,
    ],
    ['a body that is not JSON', { status: 200, body: 'oops' }, 'bearer', 200, /no accessToken in body: oops/],
  ] as const)(
    '%s is a LoginError with what the server said',
    async (_name, a, credential, status, message) => {
      answer = () => a;
      const login = loginVirtualUser(base, credential, 2);
      await expect(login).rejects.toBeInstanceOf(LoginError);
      await expect(login).rejects.toMatchObject({ status, message: expect.stringMatching(message) });
    },
  );

  it('no server at all is a LoginError without a status', async () => {
    const nobody = `http://127.0.0.1:${await freePort()}`;
    await expect(loginVirtualUser(nobody, 'cookie', 0)).rejects.toMatchObject({
      name: 'LoginError',
      status: null,
    });
  });
});

describe('logging many users in', () => {
  afterEach(() => jest.restoreAllMocks());

  it('logs in consecutive users from the first index, in order, a bounded number at a time', async () => {
    // fetch answered by hand: each answer lets exactly one more login start, never two.
    const answers: ((r: Response) => void)[] = [];
    let started: (() => void) | null = null;
    jest.spyOn(globalThis, 'fetch').mockImplementation(
      () =>
        new Promise<Response>((resolve) => {
          answers.push(resolve);
          started?.();
        }),
    );
    const ok = () => new Response('{}', { status: 200, headers: { 'set-cookie': 'sid=s; Path=/' } });
    const all = loginVirtualUsers('http://api.invalid', 'cookie', 5, { firstIndex: 10, concurrency: 2 });
    expect(answers).toHaveLength(2);
    for (let answered = 0; answered < 5; answered++) {
      const more = answers.length < 5 ? new Promise<void>((r) => (started = r)) : null;
      answers[answered]!(ok());
      if (more) await more;
      expect(answers).toHaveLength(Math.min(5, answered + 3));
    }
    expect((await all).map((u) => u.username)).toEqual(['user10', 'user11', 'user12', 'user13', 'user14']);
  });
});

describe('logging a virtual user out', () => {
  it('posts its credential and forgets the cookie the server clears', async () => {
    const user = await loginVirtualUser(base, 'cookie', 0);
    expect(await logoutVirtualUser(base, user)).toBe(200);
    expect(seen[1]).toMatchObject({ url: '/auth/logout', headers: { cookie: 'sid=s1' } });
    expect(user.jar.names()).toEqual([]);
    expect(user.headers()).toEqual({});
  });
});
