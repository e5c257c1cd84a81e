/**
 * One HTTP request with its status, latency and serving replica, over node's
 * http module with keep-alive agents. Scenarios need per-request detail per
 * virtual user (who was refused, when, by which replica), which a throughput
 * tool like autocannon does not give, so they use this small client instead.
 * Every request has a timeout: a stopped Redis or a killed replica must not
 * hang a loop.
 */
import { Agent, request as httpRequest, type IncomingHttpHeaders } from 'node:http';

export interface HttpResult {
  /** null when no response arrived (connection refused, reset, timeout). */
  status: number | null;
  /** "timeout", "ECONNREFUSED", ... when status is null. */
  error: string | null;
  latencyUs: number;
  headers: IncomingHttpHeaders;
  body: string;
  replica: string | null;
}

export interface HttpRequestOptions {
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: string;
  timeoutMs: number;
  agent?: Agent;
}

/** One keep-alive agent per scenario target; destroy it when the target is done. */
export function keepAliveAgent(): Agent {
  return new Agent({ keepAlive: true, maxSockets: Infinity, maxFreeSockets: 256 });
}

export function send(url: string, options: HttpRequestOptions): Promise<HttpResult> {
  const started = process.hrtime.bigint();
  const elapsedUs = () => Number((process.hrtime.bigint() - started) / 1000n);
  return new Promise((resolve) => {
    let settled = false;
    const finish = (result: Omit<HttpResult, 'latencyUs'>) => {
      if (settled) return;
      settled = true;
      resolve({ ...result, latencyUs: elapsedUs() });
    };
    const headers: Record<string, string> = { ...options.headers };
    if (options.body !== undefined) {
      headers['content-type'] ??= 'application/json';
      headers['content-length'] = String(Buffer.byteLength(options.body));
    }
    const req = httpRequest(
      url,
      { method: options.method ?? 'GET', headers, agent: options.agent },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const replica = res.headers['x-replica'];
          finish({
            status: res.statusCode ?? null,
            error: null,
            headers: res.headers,
            body: Buffer.concat(chunks).toString('utf8'),
            replica: typeof replica === 'string' ? replica : null,
          });
        });
        res.on('error', (err) => finish(failure(err)));
      },
    );
    req.setTimeout(options.timeoutMs, () => {
      finish(failure(new Error('timeout')));
      req.destroy();
    });
    req.on('error', (err) => finish(failure(err)));
    req.end(options.body);
  });
}

function failure(err: Error): Omit<HttpResult, 'latencyUs'> {
  const code = (err as NodeJS.ErrnoException).code;
  return {
    status: null,
    error: err.message === 'timeout' ? 'timeout' : (code ?? err.message),
    headers: {},
    body: '',
    replica: null,
  };
}
