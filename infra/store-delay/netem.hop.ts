/**
 * netem on the loopback for the Redis port only, where the kernel has it:
 * a prio qdisc whose fourth band (reached only by a u32 filter on the Redis
 * port, both directions) carries a netem delay of half the round trip, so
 * each direction waits RTT/2 and no other loopback traffic is touched.
 *
 * Needs root and sch_netem (plus sch_prio). Whether both exist is probed in
 * a throwaway network namespace, so the probe never touches the machine's
 * own loopback. An lo that already has a root qdisc is left alone (it is
 * someone else's). Where any of this is missing, the caller falls back to
 * the user-space proxy and records why (store-hop.ts).
 */
import { execFileSync } from 'node:child_process';

const run = (binary: string, args: readonly string[]): string =>
  execFileSync(binary, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

const firstLine = (err: unknown): string =>
  String((err as { stderr?: string }).stderr ?? (err as Error).message)
    .trim()
    .split('\n')[0] ?? 'failed';

/** The tc commands that add the delay (applied in order) for one Redis port. */
export function netemCommands(port: number, rttMs: number): string[][] {
  const oneWayUs = String(Math.round(rttMs * 500));
  const filter = (direction: 'dport' | 'sport') =>
    ['filter', 'add', 'dev', 'lo', 'parent', '1:', 'protocol', 'ip', 'prio', '1', 'u32'].concat([
      'match',
      'ip',
      direction,
      String(port),
      '0xffff',
      'flowid',
      '1:4',
    ]);
  return [
    ['qdisc', 'add', 'dev', 'lo', 'root', 'handle', '1:', 'prio', 'bands', '4'],
    ['qdisc', 'add', 'dev', 'lo', 'parent', '1:4', 'handle', '40:', 'netem', 'delay', `${oneWayUs}us`],
    filter('dport'),
    filter('sport'),
  ];
}

/** null when netem can delay the hop here; otherwise why not (for the results and the report). */
export function whyNoNetem(): string | null {
  if (process.getuid?.() !== 0) return 'netem needs root (tc); this process is not root';
  const namespace = `authscale-netem-probe-${process.pid}`;
  try {
    run('ip', ['netns', 'add', namespace]);
  } catch (err) {
    return `no network namespace for the netem probe (ip netns add: ${firstLine(err)})`;
  }
  try {
    for (const args of netemCommands(1, 1).slice(0, 2))
      run('ip', ['netns', 'exec', namespace, 'tc', ...args]);
  } catch (err) {
    return `this kernel has no netem or prio qdisc (tc: ${firstLine(err)})`;
  } finally {
    try {
      run('ip', ['netns', 'del', namespace]);
    } catch {
      // already gone
    }
  }
  const current = run('tc', ['qdisc', 'show', 'dev', 'lo']);
  if (!/qdisc noqueue/.test(current) && current.trim() !== '')
    return `lo already has a root qdisc (${current.trim().split('\n')[0]}); not replaced`;
  return null;
}

/** Adds the delay; the returned function removes it (idempotent). */
export function applyNetem(port: number, rttMs: number): () => void {
  let applied = false;
  const remove = () => {
    if (!applied) return;
    applied = false;
    try {
      run('tc', ['qdisc', 'del', 'dev', 'lo', 'root']);
    } catch {
      // already removed
    }
  };
  try {
    for (const args of netemCommands(port, rttMs)) {
      run('tc', args);
      applied = true;
    }
  } catch (err) {
    remove();
    throw err;
  }
  return remove;
}
