/**
 * A short run of every setup through the real stack (nginx, Redis, N API
 * replicas from the built app): each must verify, measure without a single
 * non-2xx, and produce a results file that validates on write and on read.
 * Needs `npm run build` first (npm test does it).
 */
import { mkdtempSync, readlinkSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SETUP_NAMES, findSetup } from '../../../infra/setups.data';
import { buildPlan } from '../../../bench/plan/plan.build';
import { readResults } from '../../../bench/results/results.io';
import { runBench } from '../../../bench/runner/bench.runner';
import { writeBenchResults } from '../../../bench/runner/results.write';

jest.setTimeout(180_000);

/** What each store-backed setup should cost the store per authenticated read. */
const STORE_CALLS_PER_REQUEST: Record<string, 'some' | 'none'> = {
  'jwt-denylist': 'some',
  'session-redis': 'some',
  hybrid: 'none',
};

const outDir = mkdtempSync(join(tmpdir(), 'authscale-bench-smoke-'));
afterAll(() => rmSync(outDir, { recursive: true, force: true }));

describe('a smoke run of every setup', () => {
  test('every setup at one replica verifies, measures only 2xx and writes a valid results file', async () => {
    const plan = buildPlan({
      setups: 'all',
      replicas: '1',
      connections: '4',
      warmup: '0.5',
      maxWarmup: '0',
      duration: '1',
      cpuPerReplica: 'none',
    });
    const results = await runBench({ plan });
    const file = writeBenchResults(outDir, results);
    const back = readResults(file);
    expect(readlinkSync(join(outDir, 'latest'))).toBe(file.split('/').slice(-2)[0]);

    expect(back.runs.map((r) => r.setup)).toEqual([...SETUP_NAMES]);
    for (const run of back.runs) {
      const setup = findSetup(run.setup)!;
      expect({ id: run.id, valid: run.valid, reasons: run.invalidReasons }).toEqual({
        id: run.id,
        valid: true,
        reasons: [],
      });
      expect(run.requests.total).toBeGreaterThan(10);
      expect(Object.keys(run.replicaShare)).toEqual(['r0']);
      expect(run.cpu?.secondsByTier.replicas).toBeGreaterThan(0);
      expect(run.cpu?.usPerRequestByTier.replicas).toBeGreaterThan(0);
      expect(run.replicaRssBytes.r0).toBeGreaterThan(10_000_000);
      // Redis figures exist exactly for the setups that have a store; the store is hit per request
      // by sessions and the denylist, never by hybrid's access tokens (only by refresh).
      expect(run.redis !== null).toBe(setup.needsRedis);
      const storeCallsPerRequest = run.redis
        ? Object.values(run.redis.commandsPerRequest).reduce((a, b) => a + b, 0)
        : null;
      const expected = STORE_CALLS_PER_REQUEST[run.setup];
      if (expected === 'some')
        expect({ setup: run.setup, storeCallsPerRequest }).toEqual({
          setup: run.setup,
          storeCallsPerRequest: expect.any(Number),
        });
      if (expected === 'some') expect(storeCallsPerRequest).toBeGreaterThanOrEqual(0.9);
      if (expected === 'none')
        expect({ setup: run.setup, storeCallsPerRequest }).toEqual({
          setup: run.setup,
          storeCallsPerRequest: 0,
        });
      // Bytes per stored item when something is stored (a denylist with no logout stores nothing).
      if (run.redis && run.redis.keys > 0) expect(run.redis.bytesPerKey).toBeGreaterThan(0);
      if (run.redis && run.redis.keys === 0) expect(run.redis.bytesPerKey).toBeNull();
    }
    expect(back.summaries).toHaveLength(SETUP_NAMES.length);
    expect(back.interrupted).toBe(false);
    expect(back.environment.versions.nginx).toMatch(/^\d+\.\d+/);
  });

  test('round robin over two replicas gives each about half of the requests', async () => {
    const plan = buildPlan({
      setups: 'session-redis',
      replicas: '2',
      connections: '4',
      warmup: '0.5',
      maxWarmup: '0',
      duration: '1.5',
      cpuPerReplica: 'none',
    });
    const results = await runBench({ plan });
    const run = results.runs[0]!;
    expect(run.valid).toBe(true);
    const shares = Object.values(run.replicaShare);
    expect(shares).toHaveLength(2);
    for (const n of shares) expect(n / run.requests.total).toBeGreaterThan(0.4);
  });
});
