/**
 * A bound on every store command. node-redis (5.x) gives none for a store
 * that keeps its socket open and answers nothing (a SIGSTOPped or wedged
 * redis-server): its per-command `timeout` only covers the wait before the
 * command is written (commands-queue.js drops the timer once written), and
 * `socketTimeout` is an inactivity timer that every new command's write
 * resets, so under load it never fires. Each store call therefore races its
 * own timer here and fails after STORE_TIMEOUT_MS, which the callers turn
 * into the contract's 503 + Retry-After (docs/security.md, "Store outages").
 */
export class StoreTimeoutError extends Error {
  constructor(ms: number) {
    super(`the store did not answer within ${ms} ms`);
    this.name = 'StoreTimeoutError';
  }
}

export function withDeadline<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new StoreTimeoutError(ms)), ms);
  });
  // A late answer or failure of `work` after the deadline is dropped, not left unhandled.
  work.catch(() => undefined);
  return Promise.race([work, expired]).finally(() => clearTimeout(timer));
}

/** The callback form (express-session stores): calls done exactly once, with an error after ms. */
export function callbackWithDeadline<T>(
  ms: number,
  done: ((err?: unknown, value?: T) => void) | undefined,
  work: (cb: (err?: unknown, value?: T) => void) => void,
): void {
  let settled = false;
  const finish = (err?: unknown, value?: T) => {
    if (settled) return;
    settled = true;
    clearTimeout(timer);
    done?.(err, value);
  };
  const timer = setTimeout(() => finish(new StoreTimeoutError(ms)), ms);
  try {
    work(finish);
  } catch (err) {
    finish(err);
  }
}
