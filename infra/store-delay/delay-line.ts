/**
 * One direction of a delayed TCP hop: every chunk read is written out
 * `delayNs` after it was read, in the order it was read. Nothing is ever
 * reordered: a constant delay on a monotonic clock keeps the due times in
 * read order, and the queue is first in, first out. Chunks that fall due
 * together are written back to back (the kernel may coalesce them, as it may
 * coalesce Redis's own replies on any TCP connection); none is split.
 *
 * Node's timers have millisecond resolution, so a sub-millisecond delay is
 * reached by sleeping on a timer until about a millisecond before the due
 * time and then yielding with setImmediate (which still serves I/O) until it
 * is due. The proxy's CPU for that is real and is counted as its own tier.
 */
const SPIN_WINDOW_NS = 1_200_000n;

export interface DelayLineOptions {
  delayNs: bigint;
  write(chunk: Buffer): void;
  /** Called, in order, after every chunk before it has been written. */
  end(): void;
  now?: () => bigint;
}

type Item = { due: bigint; chunk: Buffer | null };

export class DelayLine {
  private readonly queue: Item[] = [];
  private head = 0;
  private scheduled = false;
  private closed = false;
  private readonly now: () => bigint;

  constructor(private readonly options: DelayLineOptions) {
    this.now = options.now ?? (() => process.hrtime.bigint());
  }

  /** Bytes read from the source: due `delayNs` from now. */
  push(chunk: Buffer): void {
    this.enqueue(chunk);
  }

  /** The source ended: the end is delayed like the bytes before it. */
  finish(): void {
    this.enqueue(null);
  }

  /** Drops whatever is pending (the connection was torn down). */
  close(): void {
    this.closed = true;
    this.queue.length = 0;
    this.head = 0;
  }

  get pending(): number {
    return this.queue.length - this.head;
  }

  /** Writes every chunk that is due; returns how long until the next one is (ns), or null if none is left. */
  pump(): bigint | null {
    const now = this.now();
    while (this.head < this.queue.length) {
      const item = this.queue[this.head] as Item;
      if (item.due > now) return item.due - now;
      this.head++;
      if (item.chunk === null) this.options.end();
      else this.options.write(item.chunk);
    }
    this.queue.length = 0;
    this.head = 0;
    return null;
  }

  private enqueue(chunk: Buffer | null): void {
    if (this.closed) return;
    this.queue.push({ due: this.now() + this.options.delayNs, chunk });
    this.schedule();
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    const tick = () => {
      this.scheduled = false;
      if (this.closed) return;
      const wait = this.pump();
      if (wait === null) return;
      this.scheduled = true;
      const sleepMs = wait > SPIN_WINDOW_NS ? Number((wait - SPIN_WINDOW_NS) / 1_000_000n) : 0;
      if (sleepMs >= 1) setTimeout(tick, sleepMs);
      else setImmediate(tick);
    };
    setImmediate(tick);
  }
}
