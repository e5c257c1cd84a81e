/**
 * Fills the topology's private Redis with copies of a real record the API
 * wrote (a session, a refresh session, a denylist entry) and reads Redis's own
 * allocator figure (INFO memory used_memory) before and after, so bytes per
 * entry are measured on the real record shape at 10^4..10^5 entries without
 * 10^5 password hashes. Only the harness's own Redis on loopback is touched.
 */
import { randomBytes } from 'node:crypto';
import { createClient } from 'redis';

export type Client = ReturnType<typeof createClient>;

export interface RealEntry {
  key: string;
  type: 'string' | 'hash';
  /** string: [value]; hash: [field, value, field, value...] */
  payload: string[];
  pttlMs: number;
  memoryUsageBytes: number;
}

export async function withRedis<T>(url: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = createClient({ url, socket: { connectTimeout: 3000, reconnectStrategy: false } });
  client.on('error', () => {
    /* surfaced by the failing command */
  });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.close();
  }
}

export async function usedMemoryBytes(client: Client): Promise<number> {
  const info = await client.sendCommand<string>(['INFO', 'memory']);
  const match = /used_memory:(\d+)/.exec(info);
  if (!match) throw new Error('INFO memory has no used_memory field');
  return Number(match[1]);
}

/** Every key the app has written so far (a private Redis holds nothing else). */
export async function readEntries(client: Client): Promise<RealEntry[]> {
  const keys: string[] = [];
  let cursor = '0';
  do {
    const [next, batch] = await client.sendCommand<[string, string[]]>(['SCAN', cursor, 'COUNT', '1000']);
    cursor = next;
    keys.push(...batch);
  } while (cursor !== '0' && keys.length < 100_000);
  const entries: RealEntry[] = [];
  for (const key of keys) {
    const type = await client.sendCommand<string>(['TYPE', key]);
    if (type !== 'string' && type !== 'hash') continue;
    const payload =
      type === 'string'
        ? [await client.sendCommand<string>(['GET', key])]
        : await client.sendCommand<string[]>(['HGETALL', key]);
    const pttlMs = await client.sendCommand<number>(['PTTL', key]);
    const memoryUsageBytes = await client.sendCommand<number>(['MEMORY', 'USAGE', key]);
    entries.push({ key, type, payload, pttlMs, memoryUsageBytes });
  }
  return entries;
}

/** A new key like `key`: same prefix (up to the last ':'), a random tail of the same length. */
export function cloneKey(key: string): string {
  const colon = key.lastIndexOf(':');
  const prefix = key.slice(0, colon + 1);
  const tailLength = key.length - prefix.length;
  return prefix + randomBytes(tailLength).toString('base64url').slice(0, tailLength);
}

/** Writes `count` copies of `template` under fresh keys, pipelined in batches. */
export async function writeCopies(
  client: Client,
  template: RealEntry,
  count: number,
  batch = 1000,
): Promise<void> {
  for (let done = 0; done < count; done += batch) {
    const n = Math.min(batch, count - done);
    await Promise.all(Array.from({ length: n }, () => writeCopy(client, template)));
  }
}

async function writeCopy(client: Client, template: RealEntry): Promise<void> {
  const key = cloneKey(template.key);
  if (template.type === 'string') {
    const args = ['SET', key, template.payload[0] ?? ''];
    if (template.pttlMs > 0) args.push('PX', String(template.pttlMs));
    await client.sendCommand(args);
    return;
  }
  await client.sendCommand(['HSET', key, ...template.payload]);
  if (template.pttlMs > 0) await client.sendCommand(['PEXPIRE', key, String(template.pttlMs)]);
}
