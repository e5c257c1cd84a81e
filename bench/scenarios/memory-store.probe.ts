/**
 * Heap per session of express-session's MemoryStore (the store the
 * session-sticky and session-iphash replicas keep in their own heap),
 * measured in a child Node process started with --expose-gc so that a full
 * collection runs before each reading. The record stored is the real session
 * record the API wrote for a login (read from Redis in a session-redis run),
 * and ids have the length express-session generates (24 random bytes,
 * base64url). A replica's heap cannot be filled with 10^5 sessions without
 * 10^5 password hashes; this is the same store class, same Node, same record.
 */
import { execFile } from 'node:child_process';

const CHILD = `
const { MemoryStore } = require('express-session');
const { randomBytes } = require('node:crypto');
const record = JSON.parse(process.argv[1]);
const counts = JSON.parse(process.argv[2]);
const store = new MemoryStore();
const settle = () => { global.gc(); global.gc(); return process.memoryUsage().heapUsed; };
const base = settle();
const out = [];
let stored = 0;
for (const target of counts) {
  while (stored < target) { store.set(randomBytes(24).toString('base64url'), record, () => {}); stored++; }
  out.push({ sessions: target, heapBytes: settle() - base });
}
process.stdout.write(JSON.stringify(out));
`;

export interface HeapReading {
  sessions: number;
  /** heapUsed growth over the empty store, bytes. */
  heapBytes: number;
}

export function measureMemoryStoreHeap(
  recordJson: string,
  counts: readonly number[],
  timeoutMs = 60_000,
): Promise<HeapReading[]> {
  const sorted = [...counts].sort((a, b) => a - b);
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      ['--expose-gc', '-e', CHILD, recordJson, JSON.stringify(sorted)],
      { cwd: process.cwd(), timeout: timeoutMs, maxBuffer: 1 << 20 },
      (err, stdout, stderr) => {
        if (err) return reject(new Error(`memory-store probe failed: ${err.message} ${stderr}`));
        try {
          resolve(JSON.parse(stdout) as HeapReading[]);
        } catch {
          reject(new Error(`memory-store probe printed no readings: ${stdout.slice(0, 200)}`));
        }
      },
    );
  });
}
