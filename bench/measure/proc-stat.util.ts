/**
 * CPU time and resident memory of a process from /proc (Linux only).
 * CPU is the sum over the process's threads of /proc/<pid>/task/<tid>/schedstat's
 * first field, the scheduler's own nanoseconds on CPU, so libuv's thread pool
 * and GC helpers are counted too. /proc/<pid>/stat's utime and stime count
 * 10 ms ticks: at 0.25 CPU a one-second timeline bucket holds ~25 of them,
 * so they alone make per-bucket CPU jitter by several percent; they remain
 * the fallback where schedstat is missing.
 */
import { readdirSync, readFileSync } from 'node:fs';

/** USER_HZ; 100 on every mainstream Linux build (sysconf(_SC_CLK_TCK)). */
const CLOCK_TICKS_PER_SECOND = 100;

/** CPU seconds consumed so far by every thread of the process, or null when the process is gone. */
export function cpuSecondsOf(pid: number): number | null {
  return schedstatSecondsOf(pid) ?? tickSecondsOf(pid);
}

function schedstatSecondsOf(pid: number): number | null {
  let tids: string[];
  try {
    tids = readdirSync(`/proc/${pid}/task`);
  } catch {
    return null;
  }
  let ns = 0;
  for (const tid of tids) {
    try {
      ns += Number(readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').split(' ', 1)[0]);
    } catch {
      // A thread that ended between the listing and the read: its time is gone with it.
    }
  }
  return Number.isFinite(ns) && ns > 0 ? ns / 1e9 : null;
}

/** user + system CPU seconds from /proc/<pid>/stat, in clock ticks. */
function tickSecondsOf(pid: number): number | null {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return null;
  }
  // The command name (field 2) may contain spaces and parentheses: split after the last ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // fields[0] is field 3 (state), so utime (14) is fields[11] and stime (15) fields[12].
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  if (!Number.isFinite(utime) || !Number.isFinite(stime)) return null;
  return (utime + stime) / CLOCK_TICKS_PER_SECOND;
}

/** Resident set size in bytes (VmRSS), or null when the process is gone. */
export function rssBytesOf(pid: number): number | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(status);
    return match ? Number(match[1]) * 1024 : null;
  } catch {
    return null;
  }
}

/**
 * CPU seconds the whole machine has been busy (all CPUs, everything but idle
 * and iowait), from the first line of /proc/stat; null off Linux.
 */
export function machineBusySeconds(): number | null {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0] ?? '';
    const ticks = line.trim().split(/\s+/).slice(1).map(Number);
    if (ticks.length < 4 || ticks.some((n) => !Number.isFinite(n))) return null;
    // user nice system idle iowait irq softirq steal [guest guest_nice: already inside user/nice]
    const [user = 0, nice = 0, system = 0, , , irq = 0, softirq = 0, steal = 0] = ticks;
    return (user + nice + system + irq + softirq + steal) / CLOCK_TICKS_PER_SECOND;
  } catch {
    return null;
  }
}
