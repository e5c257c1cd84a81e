/**
 * What the load driver does for each autocannon connection: give it its
 * virtual user's requests, pace it in the open model, and report every
 * response, timeout and connection error with the replica that answered.
 */
import type autocannon from 'autocannon';
import { paceClient, type Pacer } from './open-pacing';

export interface ConnectionEvents {
  /** `start` is the paced start (open model) or undefined (closed model). */
  response(
    status: number,
    micros: (start: number | undefined) => number,
    replica: string,
    start?: number,
  ): void;
  timeout(): void;
  error(): void;
}

export interface ConnectionSetup {
  index: number;
  headers: Record<string, string>;
  paths: readonly string[];
  pacing: { connections: number; ratePerSecond: number; startMs: number; timeoutMs: number } | null;
}

function replicaOf(rawHeaders: string[] | undefined): string | null {
  if (!rawHeaders) return null;
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    if (rawHeaders[i]?.toLowerCase() === 'x-replica') return rawHeaders[i + 1] ?? null;
  }
  return null;
}

/** Wires one client; returns its pacer (open model) or null. */
export function setUpConnection(
  client: autocannon.Client,
  setup: ConnectionSetup,
  on: ConnectionEvents,
): Pacer | null {
  client.setRequests(setup.paths.map((path) => ({ method: 'GET', path, headers: setup.headers })));
  const pacer = setup.pacing ? paceClient(client, { connectionIndex: setup.index, ...setup.pacing }) : null;
  let replica: string | null = null;
  // @types/autocannon types these events more narrowly than lib/httpClient.js emits them.
  const events = client as unknown as NodeJS.EventEmitter;
  events.on('headers', (info: { headers?: string[] }) => {
    replica = replicaOf(info.headers);
  });
  events.on('response', (status: number, _bytes: number, durationMs: number) => {
    const now = performance.now();
    const start = pacer?.takeStart();
    // Open model: from the paced start (coordinated omission, see open-pacing.ts); closed: send-to-response.
    const micros = (s: number | undefined) => (s !== undefined ? (now - s) * 1000 : durationMs * 1000);
    on.response(status, micros, replica ?? '(none)', start);
  });
  events.on('timeout', () => {
    pacer?.reset();
    on.timeout();
  });
  events.on('connError', () => on.error());
  return pacer;
}
