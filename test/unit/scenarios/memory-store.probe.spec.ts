/**
 * The MemoryStore heap probe runs in a child Node with express-session: no
 * server or Redis needed, so it is measured here for real.
 */
import { measureMemoryStoreHeap } from '../../../bench/scenarios/memory-store.probe';

/** The shape of a session record the API stores (a passport user and the cookie settings). */
const record = JSON.stringify({
  cookie: { originalMaxAge: 3_600_000, expires: '2026-12-02T07:00:00.000Z', httpOnly: true, path: '/' },
  passport: { user: { id: 'user12', username: 'user12' } },
});

describe('heap per session of the memory store', () => {
  it('reads the heap at each count, smallest first, and it grows with the sessions held', async () => {
    const readings = await measureMemoryStoreHeap(record, [20_000, 2_000]);
    expect(readings.map((r) => r.sessions)).toEqual([2_000, 20_000]);
    const [small, large] = readings as [(typeof readings)[0], (typeof readings)[0]];
    expect(large.heapBytes).toBeGreaterThan(small.heapBytes);
    // A record of ~200 bytes stored as a string under a 32-character id: some hundreds of bytes each.
    const perSession = (large.heapBytes - small.heapBytes) / (large.sessions - small.sessions);
    expect(perSession).toBeGreaterThan(100);
    expect(perSession).toBeLessThan(5_000);
  }, 60_000);

  it('a record that is not JSON fails with the probe named, instead of a reading', async () => {
    await expect(measureMemoryStoreHeap('{not json', [10])).rejects.toThrow(/^memory-store probe failed: /);
  }, 60_000);
});
