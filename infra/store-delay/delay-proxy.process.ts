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
 * The proxy's own forwarding (two more socket hops, event-loop turns) adds to
 * its delay. It is measured through a zero-delay probe proxy and taken off
 * the delay of the proxy that is kept (at most half of it), so the added
 * round trip is the one asked for (test/integration/store-delay).
 */
export async function startDelayProxy(options: DelayProxyOptions): Promise<DelayProxyHandle> {
  // At zero delay the proxy adds only its forwarding cost: that is what comes off the delay.
  const probe = await launchDelayProxy(options, 0);
  // Noise on a shared machine only ever inflates a measurement: the smaller of three is the cost.
  const overheadMs = await (async () => {
    const added: number[] = [];
    for (let i = 0; i < 3; i++) added.push((await measureHopRtt(probe.port, options.targetPort)).addedMs);
    return Math.min(...added);
  })().finally(() => probe.stop());
  const oneWayUs = Math.max(0, options.rttMs - Math.min(overheadMs, options.rttMs / 2)) * 500;
  return launchDelayProxy(options, oneWayUs);
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
