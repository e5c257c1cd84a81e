/**
 * A shard's warm-up ends at the common start (--start-at): the load starts a
 * whole number of timeline buckets before it, so the window opens on a bucket
 * edge at that moment by this machine's clock and every shard's buckets line
 * up in time. The steadiness test still runs and is recorded, but it cannot
 * move the start (the shards meet there); a start that leaves no time to warm
 * opens the window at once, and merge flags what that does to the overlap.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { UsageError } from '../../infra/errors';
import type { WarmupControl } from '../load/load.driver';
import { startAtProblem } from '../plan/shard.start';

/** Waits until a whole number of buckets remain before the start; returns the warm-up that ends exactly there. */
export async function warmupUntilStart(
  startAtMs: number,
  bucketSeconds: number,
  control: WarmupControl,
  signal?: AbortSignal,
): Promise<WarmupControl> {
  const problem = startAtProblem(startAtMs, Date.now(), 'after the logins');
  if (problem) throw new UsageError([problem]);
  const bucketMs = bucketSeconds * 1000;
  const remainingMs = Math.max(0, startAtMs - Date.now());
  const buckets = Math.floor(remainingMs / bucketMs);
  await sleep(remainingMs - buckets * bucketMs, undefined, { signal }).catch(() => undefined);
  const seconds = buckets * bucketSeconds;
  return { ...control, minSeconds: seconds, maxSeconds: seconds, relaxedSeconds: 0 };
}
