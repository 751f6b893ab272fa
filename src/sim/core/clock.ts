/**
 * The platform clock: platform time runs `1 / timeScale` times faster than real time, so every delay
 * the simulator applies is given in platform seconds and scheduled as a real timer of `s × timeScale`.
 */
import { performance } from 'node:perf_hooks';

/** Stateful: owns every timer, so `stopAll()` leaves nothing pending when the simulator stops. */
export class SimClock {
  readonly timeScale: number;
  /** Epoch seconds at which platform time started. */
  readonly startEpoch = Date.now() / 1000;
  private readonly startReal = performance.now();
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(timeScale: number) {
    this.timeScale = timeScale;
  }

  /** Platform time, epoch seconds: start + real elapsed / timeScale. */
  platformNow(): number {
    return this.startEpoch + (performance.now() - this.startReal) / 1000 / this.timeScale;
  }

  /** Runs `fn` after `platformSeconds` of platform time. */
  after(platformSeconds: number, fn: () => void): NodeJS.Timeout {
    const timer = setTimeout(
      () => {
        this.timers.delete(timer);
        fn();
      },
      Math.max(0, platformSeconds * this.timeScale * 1000)
    );
    this.timers.add(timer);
    return timer;
  }

  cancel(timer: NodeJS.Timeout): void {
    clearTimeout(timer);
    this.timers.delete(timer);
  }

  stopAll(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }
}
