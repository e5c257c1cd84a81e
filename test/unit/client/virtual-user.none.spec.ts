/**
 * Virtual users of the baseline setup (credential 'none'): no login request,
 * no credential on their requests, answered as the API's synthetic user.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loginVirtualUsers, NO_AUTH_USERNAME } from '../../../bench/client/virtual-user';

let server: Server;
let url: string;
const seen: string[] = [];

beforeAll(async () => {
  // A real server that records every request and refuses it: a login attempt would show and fail.
  server = createServer((req, res) => {
    seen.push(`${req.method} ${req.url}`);
    res.writeHead(404).end();
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise<void>((done) => server.close(() => done())));

describe('virtual users without a credential', () => {
  it('are made without any request and send no credential header', async () => {
    const users = await loginVirtualUsers(url, 'none', 5, { firstIndex: 10 });
    expect(seen).toEqual([]);
    expect(users.map((u) => u.index)).toEqual([10, 11, 12, 13, 14]);
    for (const u of users) {
      expect(u.username).toBe(NO_AUTH_USERNAME);
      expect(u.accessToken).toBeNull();
      expect(u.headers()).toEqual({});
    }
  });

  it('the same server refuses a bearer login, so the first test would have seen one (the check can fail)', async () => {
    await expect(loginVirtualUsers(url, 'bearer', 1)).rejects.toThrow(/HTTP 404/);
    expect(seen).toEqual(['POST /auth/login']);
  });
});
