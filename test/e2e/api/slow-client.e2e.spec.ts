/**
 * Slow clients cannot hold a replica's connection for long (docs/security.md,
 * "Slow clients"): a request that announces a body and never sends it, and a
 * request whose headers never end, are cut off after REQUEST_TIMEOUT_MS and
 * HEADERS_TIMEOUT_MS (checked every second), not after Node's defaults of
 * 300 s and 60 s. Raw loopback sockets, each bounded in time.
 */
import { connect, type Socket } from 'node:net';
import { JWT_SECRET, startApi, type RunningApi } from './api.harness';
import { holdOpen, type Held } from '../../fixtures/raw-socket.fixture';

const HEADERS_TIMEOUT_MS = 1000;
const REQUEST_TIMEOUT_MS = 2000;
/** Node checks the timeouts every second; the rest is slack for a loaded 2-core machine. */
const SLACK_MS = 1000 + 1500;
const GIVE_UP_MS = 20_000;

let api: RunningApi;
const sockets: Socket[] = [];

beforeAll(async () => {
  api = await startApi({
    AUTH_MODE: 'jwt',
    JWT_SECRET,
    HEADERS_TIMEOUT_MS: String(HEADERS_TIMEOUT_MS),
    REQUEST_TIMEOUT_MS: String(REQUEST_TIMEOUT_MS),
  });
});

afterAll(async () => {
  for (const s of sockets) s.destroy();
  await api?.close();
});

/** Writes `data` straight to the replica and waits for it to hang up. */
const hold = (data: string): Promise<Held> =>
  holdOpen(Number(new URL(api.url).port), data, GIVE_UP_MS, (socket) => sockets.push(socket));

describe('slow clients, straight to the replica', () => {
  test('a body announced as 1 MB of which 20 bytes arrive is cut off after REQUEST_TIMEOUT_MS', async () => {
    const head =
      'POST /auth/login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 1000000\r\n\r\n';
    const { ms, reply } = await hold(`${head}{"username":"user1",`);
    expect(ms).toBeGreaterThanOrEqual(REQUEST_TIMEOUT_MS - 100);
    expect(ms).toBeLessThan(REQUEST_TIMEOUT_MS + SLACK_MS);
    expect(reply === '' || reply.startsWith('HTTP/1.1 408')).toBe(true);
  });

  test('headers that never end are cut off after HEADERS_TIMEOUT_MS', async () => {
    const { ms, reply } = await hold('GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: a');
    expect(ms).toBeGreaterThanOrEqual(HEADERS_TIMEOUT_MS - 100);
    expect(ms).toBeLessThan(HEADERS_TIMEOUT_MS + SLACK_MS);
    expect(reply === '' || reply.startsWith('HTTP/1.1 408')).toBe(true);
  });

  test('an idle keep-alive connection is kept past both timeouts (keep-alive is governed by KEEPALIVE_TIMEOUT_MS)', async () => {
    const { port } = new URL(api.url);
    const socket = connect(Number(port), '127.0.0.1');
    sockets.push(socket);
    const replies: string[] = [];
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => replies.push(chunk));
    const get = 'GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n';
    const answered = (n: number) =>
      new Promise<void>((resolve, reject) => {
        const t = setTimeout(() => reject(new Error('no answer')), GIVE_UP_MS);
        const check = () => {
          if (replies.join('').split('HTTP/1.1 200').length - 1 >= n) {
            clearTimeout(t);
            socket.off('data', check);
            resolve();
          }
        };
        socket.on('data', check);
        check();
      });
    socket.write(get);
    await answered(1);
    await new Promise((r) => setTimeout(r, REQUEST_TIMEOUT_MS + 1500));
    expect(socket.destroyed).toBe(false);
    socket.write(get);
    await answered(2);
    socket.destroy();
  });
});
