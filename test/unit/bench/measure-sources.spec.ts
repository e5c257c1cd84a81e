import { spawn } from 'node:child_process';
import { cpuOverWindow, takeCpuSnapshot } from '../../../bench/measure/cpu.sampler';
import { cpuSecondsOf, rssBytesOf } from '../../../bench/measure/proc-stat.util';
import { parseCommandStats, parseUsedMemory, redisOverWindow } from '../../../bench/measure/redis.stats';
import { timestampDirName } from '../../../bench/runner/results.write';

describe('CPU and memory from /proc', () => {
  test('the CPU charged to a process over a window matches what the process itself counted, to a clock tick', async () => {
    // The child burns CPU in slices. "p" pauses it and answers with its own
    // process.cpuUsage(); "r" resumes. The parent reads /proc only while the
    // child is paused, so a busy machine delaying either side adds no CPU to
    // one count that the other misses.
    const script = `
      let burning = true;
      process.stdin.on('data', (d) => {
        if (String(d).startsWith('p')) { burning = false; const u = process.cpuUsage(); process.stdout.write((u.user + u.system) / 1e6 + '\\n'); }
        else { burning = true; setImmediate(burn); }
      });
      const burn = () => { if (!burning) return; const end = Date.now() + 20; while (Date.now() < end) {} setImmediate(burn); };
      burn();`;
    const child = spawn(process.execPath, ['-e', script], { stdio: ['pipe', 'pipe', 'inherit'] });
    const pause = () =>
      new Promise<number>((resolve) => {
        child.stdout.once('data', (chunk: Buffer) => resolve(Number(chunk.toString().trim())));
        child.stdin.write('p\n');
      });
    const resume = () => child.stdin.write('r\n');
    try {
      const pid = child.pid!;
      const ref = { role: 'replica' as const, label: 'r0', pid };
      const selfStart = await pause();
      const start = takeCpuSnapshot([ref]);
      resume();
      await new Promise((r) => setTimeout(r, 700));
      const selfEnd = await pause();
      const end = takeCpuSnapshot([ref]);
      const cpu = cpuOverWindow(start, end, 100);
      expect(selfEnd - selfStart).toBeGreaterThan(0.05);
      // /proc counts in 10 ms ticks, and the two readings are a few ms apart on each side.
      expect(Math.abs(cpu.secondsByTier.replicas - (selfEnd - selfStart))).toBeLessThan(0.05);
      expect(cpu.usPerRequestByTier.replicas).toBeCloseTo((cpu.secondsByTier.replicas * 1e6) / 100, 6);
      expect(cpu.perProcess.map((p) => p.label)).toEqual(['r0', 'autocannon']);
      // The whole machine was at least as busy as the processes we account for.
      expect(cpu.machine!.busySeconds).toBeGreaterThanOrEqual(cpu.secondsByTier.replicas - 0.02);
      expect(rssBytesOf(pid)).toBeGreaterThan(1_000_000);
    } finally {
      child.kill('SIGKILL');
    }
  });

  test('a process that is gone reads as null, not as zero CPU', () => {
    expect(cpuSecondsOf(2 ** 22 + 12345)).toBeNull();
    expect(rssBytesOf(2 ** 22 + 12345)).toBeNull();
    expect(cpuSecondsOf(process.pid)).toBeGreaterThan(0);
  });
});

describe('Redis INFO parsing and window deltas', () => {
  const info =
    '# Commandstats\r\ncmdstat_get:calls=120,usec=300,usec_per_call=2.5\r\ncmdstat_info:calls=4,usec=1\r\ncmdstat_client|setinfo:calls=2,usec=1\r\ncmdstat_EXPIRE:calls=7,usec=9\r\n';

  test('commandstats lines become call counts by lower-case command name', () => {
    expect(parseCommandStats(info)).toEqual({ get: 120, info: 4, 'client|setinfo': 2, expire: 7 });
    expect(parseUsedMemory('# Memory\r\nused_memory:1048576\r\nused_memory_human:1.00M\r\n')).toBe(1048576);
  });

  test('per-request calls count only the application commands sent during the window', () => {
    const start = { calls: { get: 100, info: 2, expire: 5 }, usedMemoryBytes: 1, keys: 3 };
    const end = { calls: { get: 300, info: 4, expire: 5, exists: 50 }, usedMemoryBytes: 2, keys: 3 };
    expect(redisOverWindow(start, end, 200, 250)).toEqual({
      commandsPerRequest: { get: 1, exists: 0.25 },
      usedMemoryBytes: 2,
      keys: 3,
      bytesPerKey: 250,
    });
  });
});

describe('results directory names', () => {
  test('timestamps are sortable and contain no colons', () => {
    expect(timestampDirName(new Date('2026-11-28T04:05:09.123Z'))).toBe('2026-11-28T04-05-09Z');
  });
});
