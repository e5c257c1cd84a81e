/**
 * Starts the store-delay proxy (delay-proxy.main.ts) as its own process,
 * placed like Redis (infra/cpu-budget: off the replicas' CPUs), dying with
 * its parent like every other part (infra/process/spawn-placed.ts).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../package.root';
import { InfraError } from '../process/infra-error';
import { spawnPlaced, type PlacedChild } from '../process/spawn-placed';
import { waitForPong } from '../process/redis-server';
import { measureHopRtt } from './hop-rtt.measure';

export interface DelayProxyOptions {
  targetPort: number;
  rttMs: number;
  cgroupProcsFiles?: readonly string[];
  onSpawn?: (child: PlacedChild) => void;
  readyTimeoutMs?: number;
}

export interface DelayProxyHandle {
  child: PlacedChild;
  port: number;
  url: string;
  stop(): Promise<void>;
}

const LISTENING = /listening on 127\.0\.0\.1:(\d+)/;

/** The built proxy: dist/infra/store-delay/delay-proxy.main.js of this checkout. */
export function delayProxyEntry(): string {
  return join(packageRoot(), 'dist', 'infra', 'store-delay', 'delay-proxy.main.js');
}

/**
 * The proxy's own forwarding (two more socket hops, two more wake-ups from
 * epoll, event-loop turns) adds to its delay, and by how much depends on the
 * machine and its load. So the proxy is calibrated in a closed loop: started
 * at half the round trip each way, measured (PING through it against PING
 * straight to Redis), and started again with the excess taken off, until the
 * added round trip is within CALIBRATION_TOLERANCE of the one asked for or
 * the attempts run out (test/integration/store-delay holds it to 10%).
 */
const CALIBRATION_TOLERANCE = 0.03;
const CALIBRATION_ATTEMPTS = 4;

export async function startDelayProxy(options: DelayProxyOptions): Promise<DelayProxyHandle> {
  if (options.rttMs <= 0) return launchDelayProxy(options, 0);
  let oneWayUs = options.rttMs * 500;
  for (let attempt = 1; ; attempt++) {
    const proxy = await launchDelayProxy(options, oneWayUs);
    const errorMs = await measureHopRtt(proxy.port, options.targetPort).then(
      (m) => m.addedMs - options.rttMs,
      async (err: unknown) => {
        await proxy.stop();
        throw err;
      },
    );
    if (Math.abs(errorMs) <= options.rttMs * CALIBRATION_TOLERANCE || attempt >= CALIBRATION_ATTEMPTS)
      return proxy;
    await proxy.stop();
    // Half of a round-trip error is each direction's share; never below zero delay.
    oneWayUs = Math.max(0, oneWayUs - errorMs * 500);
  }
}

async function launchDelayProxy(options: DelayProxyOptions, oneWayUs: number): Promise<DelayProxyHandle> {
  const entry = delayProxyEntry();
  if (!existsSync(entry))
    throw new InfraError(
      `the store-delay proxy ${entry} is not built: run \`npm run build\`.`,
      'environment',
    );
  let seen: (port: number) => void = () => undefined;
  const portSeen = new Promise<number>((resolve) => (seen = resolve));
  const args = [
    entry,
    '--target-port',
    String(options.targetPort),
    '--one-way-us',
    String(Math.round(oneWayUs)),
  ];
  const child = spawnPlaced(process.execPath, args, {
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin' },
    cgroupProcsFiles: options.cgroupProcsFiles ?? [],
    onStdoutLine: (line) => {
      const match = LISTENING.exec(line);
      if (match) seen(Number(match[1]));
    },
  });
  options.onSpawn?.(child);
  const timeoutMs = options.readyTimeoutMs ?? 10000;
  const timer = new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), timeoutMs).unref());
  const first = await Promise.race([portSeen, child.exited.then(() => 'exited' as const), timer]);
  if (typeof first !== 'number') {
    await child.terminate('SIGKILL');
    throw new InfraError(
      `the store-delay proxy did not start (${first === 'exited' ? child.describeExit() : `no port within ${timeoutMs} ms`}): ${child.output().trim() || 'no output'}`,
      'environment',
    );
  }
  // Ready means Redis answers through it, not only that it listens.
  await waitForPong(first, timeoutMs);
  let stopped: Promise<void> | null = null;
  return {
    child,
    port: first,
    url: `redis://127.0.0.1:${first}`,
    stop: () => (stopped ??= child.terminate('SIGTERM', 2000)),
  };
}
