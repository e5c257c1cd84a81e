import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { keepAliveAgent, send } from '../../../../bench/scenarios/driver/http.client';
import { freePort } from '../../../../infra/process/free-port';

let server: Server;
let base: string;
const agent = keepAliveAgent();

beforeAll(async () => {
  server = createServer((req, res) => {
    // Never answered: only the client's own timeout can end this request.
    if (req.url === '/slow') return;
    let body = '';
    req.on('data', (c: Buffer) => {
      body += c.toString();
    });
    req.on('end', () => {
      res.writeHead(req.url === '/missing' ? 401 : 200, { 'x-replica': 'r7', 'set-cookie': ['a=1; Path=/'] });
      res.end(JSON.stringify({ method: req.method, body, type: req.headers['content-type'] ?? null }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  agent.destroy();
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

describe('scenario http client', () => {
  it('returns status, serving replica, cookies and body, and times the request', async () => {
    const result = await send(`${base}/ok`, { method: 'POST', body: '{"x":1}', timeoutMs: 1000, agent });
    expect(result.status).toBe(200);
    expect(result.replica).toBe('r7');
    expect(result.headers['set-cookie']).toEqual(['a=1; Path=/']);
    expect(JSON.parse(result.body)).toEqual({ method: 'POST', body: '{"x":1}', type: 'application/json' });
    expect(result.latencyUs).toBeGreaterThan(0);
  });

  it('reports non-2xx statuses as they are', async () => {
    expect((await send(`${base}/missing`, { timeoutMs: 1000, agent })).status).toBe(401);
  });

  it('gives up after the timeout and says so instead of hanging', async () => {
    const result = await send(`${base}/slow`, { timeoutMs: 200, agent });
    expect(result.status).toBeNull();
    expect(result.error).toBe('timeout');
    expect(result.latencyUs).toBeLessThan(1_500_000);
  });

  it('reports a refused connection by its error code', async () => {
    const port = await freePort();
    const result = await send(`http://127.0.0.1:${port}/`, { timeoutMs: 1000 });
    expect(result.status).toBeNull();
    expect(result.error).toBe('ECONNREFUSED');
  });
});
