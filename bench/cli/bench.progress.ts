/**
 * Progress of a bench job on stderr: a redrawn bar with ETA on a terminal,
 * plain timestamped lines when stderr is not a TTY or under CI (logs must
 * not fill with carriage returns). stdout is never touched.
 */
import { fmtDurationS } from '../results/number.format';
import type { RunResult } from '../results/results.schema';
import type { BenchProgress } from '../runner/bench.runner';

/** How long the run warmed and what the steady-state rule said. */
function warmth(r: RunResult): string {
  const s = r.steadyState;
  return s ? `, warmed ${s.warmupSeconds.toFixed(0)} s (${s.verdict})` : '';
}

/** Other tenants' CPU during the window, when the machine could say. */
function others(r: RunResult): string {
  const m = r.cpu?.machine;
  return m ? `, other processes ${(m.otherSeconds / r.cpu!.windowSeconds).toFixed(2)} CPU` : '';
}

export function progressReporter(
  stream: NodeJS.WriteStream = process.stderr,
  env = process.env,
): (event: BenchProgress) => void {
  const fancy = stream.isTTY === true && !env.CI;
  let current = '';
  const bar = (done: number, total: number) => {
    const width = 20;
    const filled = Math.round((done / Math.max(1, total)) * width);
    return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}]`;
  };
  const draw = (line: string) => {
    if (fancy) stream.write(`\r\x1b[2K${line}`);
    else stream.write(`${line}\n`);
  };
  return (event) => {
    if (event.kind === 'run-start') {
      const { run } = event;
      current = `${run.variant.name === 'candidate' ? '' : `${run.variant.name} `}${run.setup} x${run.replicas} rep ${run.repetition + 1}${run.profiled ? ' (profiled)' : ''}`;
      draw(
        `${bar(event.index, event.total)} run ${event.index + 1}/${event.total} ${current}, ETA ${fmtDurationS(event.etaSeconds)}`,
      );
    } else if (event.kind === 'run-end') {
      const r = event.result;
      const status = r.valid ? 'ok' : `INVALID (${r.invalidReasons.join('; ')})`;
      const line = `run ${event.index + 1}/${event.total} ${current}: ${r.throughputRps.toFixed(0)} req/s, p50 ${(r.latencyUs.p50 / 1000).toFixed(2)} ms, p99 ${(r.latencyUs.p99 / 1000).toFixed(2)} ms${warmth(r)}${r.generatorBound ? ', generator-bound' : ''}${others(r)}, ${status}; ETA ${fmtDurationS(event.etaSeconds)}`;
      if (fancy) stream.write(`\r\x1b[2K${line}\n`);
      else stream.write(`${line}\n`);
      // After the last run, messages (SLO search, scenarios) belong to no run.
      if (event.index + 1 === event.total) current = '';
    } else if (fancy) {
      draw(`  ${current}: ${event.text}`);
    } else {
      stream.write(`  ${current ? `${current}: ` : ''}${event.text}\n`);
    }
  };
}
