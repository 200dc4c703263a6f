/**
 * At most N image decodes at once. Decoding (libvips) is the CPU-heavy part of a request; without
 * a bound, a burst of hostile uploads keeps every core busy long after their requests timed out.
 * Waiters whose request has given up (their signal aborted) leave the queue without decoding.
 */
export class DecodeSlots {
  private busy = 0;
  private readonly waiting: Array<{ start: () => void; signal?: AbortSignal }> = [];

  constructor(readonly limit: number) {}

  /**
   * Runs `work` once a slot is free; rejects with the signal's reason, without running it, if the
   * signal aborts first.
   */
  async run<T>(work: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    await this.acquire(signal);
    try {
      signal?.throwIfAborted();
      return await work();
    } finally {
      this.release();
    }
  }

  /** Decodes running and waiting now. */
  get load(): { running: number; waiting: number } {
    return { running: this.busy, waiting: this.waiting.length };
  }

  private acquire(signal?: AbortSignal): Promise<void> {
    signal?.throwIfAborted();
    if (this.busy < this.limit) {
      this.busy++;
      return Promise.resolve();
    }
    return new Promise((resolve, reject) => {
      const entry = { start: () => resolve(), signal };
      this.waiting.push(entry);
      signal?.addEventListener('abort', () => {
        const i = this.waiting.indexOf(entry);
        if (i >= 0) {
          this.waiting.splice(i, 1);
          reject(signal.reason);
        }
      }, { once: true });
    });
  }

  private release(): void {
    const next = this.waiting.shift();
    if (next) next.start(); // the slot passes straight on: busy stays the same
    else this.busy--;
  }
}
