/**
 * Starts fixtures/reference-server.js as a child process on a free port and
 * stops it by its pid. Its latency is known, and it reports its own
 * server-side service times as the truth to compare the bench against.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

export interface ReferenceServer {
  url: string;
  truth(): Promise<{ count: number; p50: number; p99: number }>;
  reset(): Promise<void>;
  stall(ms: number): Promise<void>;
  stop(): Promise<void>;
}

export async function startReferenceServer(env: Record<string, string> = {}): Promise<ReferenceServer> {
  const child: ChildProcess = spawn(process.execPath, [join(__dirname, 'fixtures', 'reference-server.js')], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('reference server did not start within 5 s')), 5000);
    child.stdout?.on('data', (chunk: Buffer) => {
      const match = /listening on (\S+)/.exec(chunk.toString());
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(`http://${match[1]}`);
      }
    });
    child.once('exit', (code) => reject(new Error(`reference server exited early with ${code}`)));
  });
  const call = async (path: string, method = 'GET') => {
    const response = await fetch(new URL(path, url), { method, signal: AbortSignal.timeout(5000) });
    return response.json() as Promise<unknown>;
  };
  return {
    url,
    truth: () => call('/truth') as Promise<{ count: number; p50: number; p99: number }>,
    reset: async () => {
      await call('/reset', 'POST');
    },
    stall: async (ms) => {
      await call(`/stall?ms=${ms}`, 'POST');
    },
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
