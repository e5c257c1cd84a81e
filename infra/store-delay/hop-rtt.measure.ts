/**
 * The round trip of the Redis hop as a client sees it: PING/PONG on one TCP
 * connection, one at a time, timed with the monotonic clock. Measured through
 * the hop and straight at Redis, so the added part (hop minus direct) can be
 * held against the round trip that was asked for.
 */
import { createConnection, type Socket } from 'node:net';

export interface HopRtt {
  /** Median PING round trip through the hop, ms. */
  hopMs: number;
  /** Median PING round trip straight to Redis, ms. */
  directMs: number;
  /** hopMs - directMs: what the hop added. */
  addedMs: number;
  samples: number;
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
};

function connect(port: number, timeoutMs: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = createConnection({ host: '127.0.0.1', port, noDelay: true });
    socket.setTimeout(timeoutMs, () => socket.destroy(new Error(`no answer from 127.0.0.1:${port}`)));
    socket.once('connect', () => resolve(socket));
    socket.once('error', reject);
  });
}

function pingOnce(socket: Socket): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    let reply = '';
    const onData = (data: Buffer) => {
      reply += data.toString();
      if (!reply.endsWith('\r\n')) return;
      socket.off('data', onData).off('error', reject);
      if (reply.startsWith('+PONG')) resolve(Number(process.hrtime.bigint() - started) / 1e6);
      else reject(new Error(`PING answered ${JSON.stringify(reply)}`));
    };
    socket.on('data', onData).once('error', reject);
    socket.write('PING\r\n');
  });
}

/** Median of `samples` PING round trips to 127.0.0.1:port (after a few unmeasured ones), ms. */
export async function pingRttMs(port: number, samples = 200, timeoutMs = 5000): Promise<number> {
  const socket = await connect(port, timeoutMs);
  try {
    // Unmeasured first: a proxy that just started runs cold (interpreter, first allocations).
    for (let i = 0; i < 50; i++) await pingOnce(socket);
    const times: number[] = [];
    for (let i = 0; i < samples; i++) times.push(await pingOnce(socket));
    return median(times);
  } finally {
    socket.destroy();
  }
}

/**
 * PINGs through the hop and straight to Redis, alternating one by one, so
 * that a machine that gets busier or quieter while measuring moves both
 * medians alike instead of biasing their difference.
 */
export async function measureHopRtt(hopPort: number, redisPort: number, samples = 200): Promise<HopRtt> {
  const [hop, direct] = await Promise.all([connect(hopPort, 5000), connect(redisPort, 5000)]);
  try {
    for (let i = 0; i < 50; i++) await Promise.all([pingOnce(hop), pingOnce(direct)]);
    const hopTimes: number[] = [];
    const directTimes: number[] = [];
    for (let i = 0; i < samples; i++) {
      hopTimes.push(await pingOnce(hop));
      directTimes.push(await pingOnce(direct));
    }
    const hopMs = median(hopTimes);
    const directMs = median(directTimes);
    return { hopMs, directMs, addedMs: Math.max(0, hopMs - directMs), samples };
  } finally {
    hop.destroy();
    direct.destroy();
  }
}
