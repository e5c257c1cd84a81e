/**
 * Sharded load against one topology started once with `topology up`: 2 and 3
 * shard processes (test/integration/bench/fixtures/shard-runner.js, separate
 * OS processes), merged with the CLI, rendered with `report`. Loopback only;
 * every load is bounded (4 s windows, 9 connections in total).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { CLI, endChild } from '../topology/cli.harness';
import type { Results } from '../../../bench/results/results.schema';

const RUNNER = resolve(__dirname, 'fixtures/shard-runner.js');
const CONNECTIONS = 9;
const SECONDS = 4;
jest.setTimeout(180_000);

let dir = '';
let topology: ChildProcess | null = null;
let exited: Promise<unknown> = Promise.resolve();
let url = '';

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'authscale-shard-'));
  topology = spawn(process.execPath, [CLI, 'topology', 'up', '--setup', 'jwt', '--replicas', '2', '--json'], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, USERS: '200' },
  });
  exited = new Promise((done) => topology!.once('exit', done));
  url = await new Promise<string>((done, fail) => {
    let out = '';
    topology!.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const line = out.split('\n')[0];
      if (out.includes('\n') && line) done((JSON.parse(line) as { url: string }).url);
    });
    topology!.once('exit', (code) => fail(new Error(`topology up exited ${code}`)));
  });
});

afterAll(async () => {
  if (topology) await endChild(topology, exited);
  rmSync(dir, { recursive: true, force: true });
});

function runShard(shard: string, startAtMs: number, out: string, delayMs = 0): Promise<number> {
  return new Promise((done) => {
    setTimeout(() => {
      const child = spawn(
        process.execPath,
        [RUNNER, url, 'jwt', shard, String(startAtMs), String(CONNECTIONS), String(SECONDS), out],
        { stdio: ['ignore', 'ignore', 'inherit'] },
      );
      child.once('exit', (code) => done(code ?? 1));
    }, delayMs);
  });
}

async function shardedRun(
  n: number,
  name: string,
  lateMs = 0,
): Promise<{ files: string[]; merged: Results }> {
  const startAt = Date.now() + 6000;
  const files = Array.from({ length: n }, (_, i) => join(dir, `${name}-${i + 1}.json`));
  const codes = await Promise.all(
    files.map((f, i) => runShard(`${i + 1}/${n}`, startAt, f, i === n - 1 ? lateMs : 0)),
  );
  expect(codes).toEqual(files.map(() => 0));
  const out = join(dir, `${name}-merged.json`);
  const merge = spawnSync(process.execPath, [CLI, 'merge', ...files, '--out', out], { encoding: 'utf8' });
  expect(merge.status).toBe(0);
  return { files, merged: JSON.parse(readFileSync(out, 'utf8')) as Results };
}

const read = (f: string) => JSON.parse(readFileSync(f, 'utf8')) as Results;

test.each([2, 3])('%i shards: merged request counts are the sum of the shards exactly', async (n) => {
  const { files, merged } = await shardedRun(n, `sum${n}`);
  const shards = files.map(read);
  const total = shards.reduce((a, r) => a + r.runs[0]!.requests.total, 0);
  expect(merged.runs[0]!.requests.total).toBe(total);
  expect(merged.runs[0]!.requests.ok).toBe(shards.reduce((a, r) => a + r.runs[0]!.requests.ok, 0));
  expect(merged.mergedFrom!.shards.map((s) => s.index)).toEqual(files.map((_, i) => i));
  expect(merged.warnings.filter((w) => w.code === 'shard-window-overlap')).toEqual([]);
  // The merged file feeds report unchanged.
  const report = spawnSync(process.execPath, [CLI, 'report', join(dir, `sum${n}-merged.json`)], {
    encoding: 'utf8',
  });
  expect(report.status).toBe(0);
});

test('2 shards: merged p50 and p99 within the stated tolerance of one generator at the same total load', async () => {
  const { merged } = await shardedRun(2, 'tol');
  const single = join(dir, 'single.json');
  expect(await runShard('1/1', Date.now() + 6000, single)).toBe(0);
  const one = read(single).runs[0]!.latencyUs;
  const m = merged.runs[0]!.latencyUs;
  // Stated tolerance: within 2x (p50) and 3x (p99). On this shared 2-core machine two generator
  // processes compete with the replicas and nginx for the same cores (one process did not), so the
  // sharded latency is measured higher (1.6x at p50 in one run); on separate generator machines it is not.
  process.stderr.write(
    `one generator p50 ${one.p50} us p99 ${one.p99} us; 2 shards merged p50 ${m.p50} us p99 ${m.p99} us\n`,
  );
  expect(m.p50).toBeGreaterThan(one.p50 / 2);
  expect(m.p50).toBeLessThan(one.p50 * 2);
  expect(m.p99).toBeGreaterThan(one.p99 / 3);
  expect(m.p99).toBeLessThan(one.p99 * 3);
});

test('a shard that starts late is flagged in the merged results', async () => {
  // Started 8 s after the others: 2 s past the common start (within the 5 s tolerance), its window shifted.
  const { merged } = await shardedRun(2, 'late', 8000);
  const flagged = merged.warnings.filter((w) => w.code === 'shard-window-overlap');
  expect(flagged).toHaveLength(1);
  expect(flagged[0]!.message).toMatch(/overlap \d+% \(< 90%/);
});
