/**
 * Entry point: validate the environment (every problem at once, exit code 2),
 * build the app, listen, print `listening on <host>:<port>` on stdout (the
 * topology launcher waits for that line when PORT=0), stop cleanly on
 * SIGTERM/SIGINT.
 */
import 'reflect-metadata';
import type { AddressInfo } from 'node:net';
import { createApi } from './app.factory';
import { loadConfig } from './config/config.loader';
import { installCpuProfileToggle } from './profiling/cpu-profile.toggle';

/** Same meaning as bench/cli/exit-codes.ts `usage`: the configuration is wrong. */
const EXIT_BAD_CONFIG = 2;
const EXIT_START_FAILED = 4;

async function main(): Promise<void> {
  const loaded = loadConfig(process.env);
  if (!loaded.ok) {
    process.stderr.write(
      `authscale api: invalid configuration (${loaded.problems.length} problem${loaded.problems.length > 1 ? 's' : ''}):\n`,
    );
    for (const problem of loaded.problems) process.stderr.write(`  - ${problem}\n`);
    process.stderr.write('See docs/api-contract.md for every variable.\n');
    process.exit(EXIT_BAD_CONFIG);
  }
  for (const warning of loaded.warnings) process.stderr.write(`authscale api: warning: ${warning}\n`);
  const { config } = loaded;
  installCpuProfileToggle(config.cpuProfileDir, config.replicaId);
  const api = await createApi(config);
  await api.app.listen(config.port, config.host);
  const address = api.server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  process.stdout.write(`listening on ${host}:${address.port}\n`);

  const stop = (signal: NodeJS.Signals) => {
    process.stderr.write(`authscale api: ${signal}, closing\n`);
    api.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

main().catch((err: unknown) => {
  const code = (err as NodeJS.ErrnoException).code;
  process.stderr.write(
    `authscale api: could not start: ${code === 'EADDRINUSE' ? 'the port is busy; choose another PORT or PORT=0' : err instanceof Error ? err.message : String(err)}\n`,
  );
  process.exit(EXIT_START_FAILED);
});
