/**
 * The built API as a process, the way infra starts replicas: invalid
 * configuration exits 2 listing every problem (24); PORT=0 prints the chosen
 * port; SIGTERM exits cleanly. Needs `npm run build` first (npm test does it).
 * Also: start-up does not wait for hashing and does not grow with USERS.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createPasswordHasher } from '../../../apps/api/src/users/password.hasher';
import { UserDirectory } from '../../../apps/api/src/users/user.directory';

const ENTRY = join(__dirname, '../../../dist/apps/api/main.js');

function run(env: Record<string, string>): {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  exit: Promise<number | null>;
} {
  const child = spawn(process.execPath, [ENTRY], {
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout?.on('data', (d: Buffer) => {
    out += d.toString();
  });
  child.stderr?.on('data', (d: Buffer) => {
    err += d.toString();
  });
  const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, stdout: () => out, stderr: () => err, exit };
}

async function waitFor(check: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('the API process', () => {
  beforeAll(() => {
    if (!existsSync(ENTRY)) throw new Error(`${ENTRY} is missing: run npm run build first`);
  });

  test('an invalid configuration exits with code 2 and lists every problem on stderr (24)', async () => {
    const p = run({ AUTH_MODE: 'jwt', JWT_SECRET: 'too-short', USERS: 'many' });
    expect(await p.exit).toBe(2);
    expect(p.stderr()).toMatch(/invalid configuration \(2 problems\)/);
    expect(p.stderr()).toMatch(/JWT_SECRET: got "9 bytes"; at least 32 bytes/);
    expect(p.stderr()).toMatch(/USERS: got "many"/);
    expect(p.stdout()).toBe('');
  });

  test('PORT=0 prints "listening on <host>:<port>", serves with x-replica, and SIGTERM ends it with code 0', async () => {
    const started = Date.now();
    const p = run({
      PORT: '0',
      AUTH_MODE: 'jwt',
      JWT_SECRET: 'x'.repeat(32),
      REPLICA_ID: 'proc-7',
      USERS: '100000',
    });
    try {
      await waitFor(() => /listening on /.test(p.stdout()), 15_000);
      const startMs = Date.now() - started;
      const match = /^listening on 127\.0\.0\.1:(\d+)\n$/.exec(p.stdout());
      expect(match).not.toBeNull();
      const res = await fetch(`http://127.0.0.1:${match![1]}/healthz`, { signal: AbortSignal.timeout(5000) });
      expect(res.status).toBe(200);
      expect(res.headers.get('x-replica')).toBe('proc-7');
      expect(res.headers.get('keep-alive')).toBe('timeout=65');
      process.stdout.write(
        `api process start-up with USERS=100000, default argon2id: ${startMs} ms to "listening"\n`,
      );
      p.child.kill('SIGTERM');
      expect(await p.exit).toBe(0);
    } finally {
      if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill('SIGKILL');
    }
  });

  test('a directory of 100,000 users is ready for lookups at once; its 16 real hashes follow in the background', async () => {
    const hasher = createPasswordHasher({ kind: 'argon2id', memoryKib: 19456, timeCost: 2, parallelism: 1 });
    const start = Date.now();
    const large = UserDirectory.create(100_000, hasher);
    const createMs = Date.now() - start;
    expect(large.findById(12345)).toEqual({ id: 12345, username: 'user12345' });
    await large.ready();
    const hashesMs = Date.now() - start;
    expect(large.findByUsername('user99999')).toEqual({ id: 99999, username: 'user99999' });
    expect(large.findByUsername('user100000')).toBeNull();
    expect(await large.verify('user99999', 'authscale-pw-15')).toEqual({ id: 99999, username: 'user99999' });
    process.stdout.write(
      `user directory, USERS=100000: created in ${createMs} ms, 16 argon2id hashes ready after ${hashesMs} ms\n`,
    );
    expect(createMs).toBeLessThan(100);
  });
});
