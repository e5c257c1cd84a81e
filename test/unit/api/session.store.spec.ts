/** Session ids, timeouts and the bounded memory store (docs/security.md, 2, 6, 7). */
import type { SessionData } from 'express-session';
import { BoundedMemoryStore } from '../../../apps/api/src/auth/session/bounded-memory.store';
import { generateSessionId } from '../../../apps/api/src/auth/session/session.middleware';
import { SessionTimeouts } from '../../../apps/api/src/auth/session/session.timeouts';

const session = (at: number, lastSeen?: number) =>
  ({
    cookie: {},
    passport: { user: { id: 1, at } },
    ...(lastSeen ? { lastSeen } : {}),
  }) as unknown as SessionData;

describe('session ids', () => {
  test('10,000 generated ids are unique and each carries 192 random bits (2)', () => {
    const ids = new Set(Array.from({ length: 10_000 }, generateSessionId));
    expect(ids.size).toBe(10_000);
    for (const id of [...ids].slice(0, 100)) expect(Buffer.from(id, 'base64url')).toHaveLength(24);
  });
});

describe('SessionTimeouts', () => {
  const t = new SessionTimeouts(1800, 28800);

  test('rewrites lastSeen at most every 60 s with the default 30 min idle timeout', () => {
    expect(t.refreshEveryMs).toBe(60_000);
    expect(new SessionTimeouts(10, 100).refreshEveryMs).toBe(1000);
  });

  test.each([
    ['just logged in', 0, undefined, 1000, 'ok'],
    ['seen 61 s ago', 0, undefined, 61_000, 'refresh'],
    ['idle for 30 min', 0, 100_000, 100_000 + 1_800_000, 'idle'],
    ['busy but 8 h after login', 0, 28_799_000, 28_800_000, 'absolute'],
  ] as const)('judges a session %s as %s', (_name, at, lastSeen, now, verdict) => {
    expect(t.judge(session(at, lastSeen), now)).toBe(verdict);
  });

  test('the store TTL is the idle timeout, cut at the absolute limit', () => {
    expect(t.ttlSeconds(session(0), 0)).toBe(1800);
    expect(t.ttlSeconds(session(0), 28_800_000 - 600_000)).toBe(600);
    expect(t.ttlSeconds(session(0), 28_800_000)).toBe(0);
  });
});

describe('BoundedMemoryStore', () => {
  test('entries expire after their TTL and the oldest-written entry goes first when full', () => {
    let now = 0;
    const store = new BoundedMemoryStore(
      2,
      () => 10,
      () => now,
    );
    const read = (sid: string) => {
      let value: unknown = 'unset';
      store.get(sid, (_err, sess) => {
        value = sess;
      });
      return value;
    };
    store.set('a', session(0));
    store.set('b', session(0));
    store.set('a', session(0)); // rewritten: now the newest
    store.set('c', session(0));
    expect(read('b')).toBeNull();
    expect(read('a')).not.toBeNull();
    expect(store.size).toBe(2);
    now = 10_001;
    expect(read('a')).toBeNull();
  });
});
