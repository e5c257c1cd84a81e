/**
 * Open-model pacing on top of autocannon's connections (wrk2's approach).
 *
 * autocannon sends the next request the moment a response arrives; its own
 * rate mode releases each connection's per-second quota in a burst and then
 * "corrects" with a 1 ms expected interval (bench/README.md, "Latency"). Instead, each
 * connection gets an evenly spaced schedule of intended send times, phase
 * shifted so the connections together produce one even arrival stream:
 * connection i sends at t0 + (i + k * C) / rate. A request is held until its
 * intended time; when the connection is still busy with a slow response, the
 * next request goes out as soon as it can, and its latency is still measured
 * from the intended time. A server stall therefore shows in the percentiles
 * for every request that should have been sent during it (coordinated
 * omission), not only for the few in flight.
 *
 * Where latency starts: from the intended time when the connection was still
 * busy at that time (the system under test held the request up), from the
 * actual send when the connection was idle and waited on a timer. Node's
 * timers fire up to ~1 ms early or late against performance.now(); charging
 * that jitter to the server would misstate a 5 ms latency by up to 20%.
 */
import type { Client } from 'autocannon';

/** The parts of autocannon's Client (lib/httpClient.js, v8) the pacer relies on. */
interface PacedClientInternals {
  _doRequest(): void;
  destroyed: boolean;
  timeoutTicker: { reschedule(ms: number): void };
}

export interface Pacer {
  /** Start time (performance.now() ms) to measure the oldest in-flight request from; consumed on its response. */
  takeStart(): number | undefined;
  /** Forget in-flight intentions (the connection was reset after a timeout). */
  reset(): void;
  /**
   * End of the arrival window: requests intended before `cutoffMs` still go
   * out (a backlog behind a stall is exactly what must be measured), later
   * ones do not. `onDone` runs once this connection has nothing left to send.
   */
  stopAt(cutoffMs: number, onDone: () => void): void;
}

export function paceClient(
  client: Client,
  options: {
    connectionIndex: number;
    connections: number;
    ratePerSecond: number;
    startMs: number;
    timeoutMs: number;
  },
): Pacer {
  const internals = client as unknown as PacedClientInternals;
  const original = internals._doRequest.bind(client);
  const intervalMs = (1000 * options.connections) / options.ratePerSecond;
  let nextIntended = options.startMs + (1000 * options.connectionIndex) / options.ratePerSecond;
  const inFlight: number[] = [];

  let cutoff = Number.POSITIVE_INFINITY;
  let onDone: (() => void) | null = null;
  let finished = false;
  let waiting: { timer: NodeJS.Timeout; intended: number } | null = null;
  const finish = () => {
    if (finished) return;
    finished = true;
    onDone?.();
  };

  internals._doRequest = () => {
    const intended = nextIntended;
    if (intended >= cutoff) {
      finish();
      return;
    }
    nextIntended += intervalMs;
    const wait = intended - performance.now();
    if (wait <= 0) {
      // Behind schedule: the wait was caused by the system, so it counts.
      inFlight.push(intended);
      original();
      return;
    }
    // Idle until the intended time; keep autocannon's request timeout from firing meanwhile.
    internals.timeoutTicker.reschedule(options.timeoutMs + wait);
    waiting = {
      intended,
      timer: setTimeout(() => {
        waiting = null;
        if (internals.destroyed) return;
        inFlight.push(performance.now());
        original();
      }, wait),
    };
  };

  return {
    takeStart: () => inFlight.shift(),
    reset: () => {
      inFlight.length = 0;
    },
    stopAt: (cutoffMs, done) => {
      cutoff = cutoffMs;
      onDone = done;
      // Idle and waiting for a slot past the window: nothing more to send.
      if (waiting && waiting.intended >= cutoff) {
        clearTimeout(waiting.timer);
        waiting = null;
        finish();
      }
    },
  };
}
