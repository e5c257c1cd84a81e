/**
 * Last-chance cleanup for everything a launcher started, should the parent
 * go away before it calls stop():
 *
 * - SIGINT / SIGTERM / SIGHUP: run every registered async stop(); then, if
 *   nobody else listens for that signal (a CLI that handles Ctrl-C itself
 *   does), re-raise it so the process ends the way it would have without us.
 * - process 'exit' (process.exit(), an uncaught exception, the end of a Jest
 *   worker): async work is impossible there, so each entry also has a
 *   synchronous kill-by-pid and rmdir.
 *
 * A SIGKILL of the parent cannot be caught by anyone; nothing here pretends to.
 */
type Entry = { stop: () => Promise<void>; stopSync: () => void };

const entries = new Set<Entry>();
const SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
let installed = false;

function onSignal(signal: NodeJS.Signals): void {
  const pending = [...entries].map((e) => e.stop().catch(() => e.stopSync()));
  void Promise.all(pending).then(() => {
    const others = process.listeners(signal).filter((l) => l !== handlers[signal]);
    if (others.length === 0) {
      uninstall();
      process.kill(process.pid, signal);
    }
  });
}

const handlers = Object.fromEntries(SIGNALS.map((s) => [s, () => onSignal(s)])) as Record<
  NodeJS.Signals,
  () => void
>;

function onExit(): void {
  for (const e of entries) {
    try {
      e.stopSync();
    } catch {
      // keep going: the other entries still need their cleanup
    }
  }
}

function install(): void {
  if (installed) return;
  installed = true;
  for (const s of SIGNALS) process.on(s, handlers[s]);
  process.on('exit', onExit);
}

function uninstall(): void {
  if (!installed) return;
  installed = false;
  for (const s of SIGNALS) process.removeListener(s, handlers[s]);
  process.removeListener('exit', onExit);
}

/** Registers a cleanup; call the returned function once stop() has finished normally. */
export function registerTeardown(stop: () => Promise<void>, stopSync: () => void): () => void {
  const entry: Entry = { stop, stopSync };
  entries.add(entry);
  install();
  return () => {
    entries.delete(entry);
    if (entries.size === 0) uninstall();
  };
}
