/**
 * The store-delay proxy against a real redis-server: the round trip it adds
 * (PING through it minus PING straight to Redis, medians of 50) is within
 * 10% of what was asked, at 0.5, 1 and 2 ms; and bytes keep their order.
 * Needs `npm run build` (the proxy runs from dist/ as its own process).
 */
import { createClient } from 'redis';
import { startRedisServer, type RedisServerHandle } from '../../../infra/process/redis-server';
import { startDelayProxy, type DelayProxyHandle } from '../../../infra/store-delay/delay-proxy.process';
import { measureHopRtt } from '../../../infra/store-delay/hop-rtt.measure';

jest.setTimeout(60_000);

describe('the store-delay proxy in front of a real Redis', () => {
  let redis: RedisServerHandle;
  const proxies: DelayProxyHandle[] = [];

  beforeAll(async () => {
    redis = await startRedisServer();
  });

  afterAll(async () => {
    await Promise.all(proxies.map((p) => p.stop()));
    await redis?.stop();
  });

  it.each([0.5, 1, 2])('adds %p ms to the Redis round trip, within 10%', async (rttMs) => {
    const proxy = await startDelayProxy({ targetPort: redis.port, rttMs });
    proxies.push(proxy);
    const measured = await measureHopRtt(proxy.port, redis.port);
    process.stderr.write(
      `asked ${rttMs} ms: added ${measured.addedMs.toFixed(3)} ms (through ${measured.hopMs.toFixed(3)}, direct ${measured.directMs.toFixed(3)})\n`,
    );
    expect(Math.abs(measured.addedMs - rttMs) / rttMs).toBeLessThanOrEqual(0.1);
    await proxy.stop();
  });

  it('keeps the order of pipelined commands and their replies on one connection', async () => {
    const proxy = await startDelayProxy({ targetPort: redis.port, rttMs: 1 });
    proxies.push(proxy);
    const client = createClient({ url: proxy.url });
    await client.connect();
    try {
      const count = 200;
      const writes = Array.from({ length: count }, (_, i) => client.rPush('order', String(i)));
      await Promise.all(writes);
      const echoed = await Promise.all(Array.from({ length: count }, (_, i) => client.echo(`m${i}`)));
      expect(await client.lRange('order', 0, -1)).toEqual(writes.map((_, i) => String(i)));
      expect(echoed).toEqual(echoed.map((_, i) => `m${i}`));
    } finally {
      await client.quit();
      await proxy.stop();
    }
  });
});
