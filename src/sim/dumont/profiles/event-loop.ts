/**
 * The real Dumont server's one event loop, which its create handler blocks with a synchronous setup
 * (`docs/simulator.md` § Profiles): while a hold lasts, every request of the face waits, in arrival order.
 */
import type { SimClock } from '../../core/clock';

/** Stateful: the queue of holds of one Dumont face. */
export class BlockingEventLoop {
  private tail: Promise<void> = Promise.resolve();

  constructor(private readonly clock: SimClock) {}

  /** Resolves once every hold queued before this call is over. */
  turn(): Promise<void> {
    return this.tail;
  }

  /**
   * Queues a hold: once the holds queued before it are over, runs `fn` (which takes effect then), keeps the
   * loop for `holdFor(result)` platform seconds, and resolves with `fn`'s result only after that.
   */
  async hold<T>(fn: () => T, holdFor: (result: T) => number): Promise<T> {
    const before = this.tail;
    let release!: () => void;
    this.tail = new Promise<void>((resolve) => (release = resolve));
    try {
      await before;
      const result = fn();
      const seconds = holdFor(result);
      if (seconds > 0) await new Promise<void>((resolve) => this.clock.after(seconds, resolve));
      return result;
    } finally {
      release();
    }
  }
}
