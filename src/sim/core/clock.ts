/**
 * The platform clock: platform time runs `1 / timeScale` times faster than real time, so every delay
 * the simulator applies is given in platform seconds and scheduled as a real timer of `s × timeScale`.
 *
 * Compressed time must not put the platform's timestamps in a client's future: a VAST client that computes an
 * instance's age as `now - start_date` on its own clock would see it negative. So platform time starts in the
 * past, far enough back that it cannot catch up with real time within {@link CLOCK_HORIZON_SECONDS} of real time
 * (`docs/simulator.md` § Clock and timings). Both faces send it as their HTTP `Date` header, as a real server
 * sends its own clock, so a client can compute ages on the platform's clock instead of its own.
 */
import { performance } from 'node:perf_hooks';

/**
 * Real seconds (7 days) a simulator may run before its compressed platform time passes real time. Past it, platform
 * timestamps lie ahead of real time again (ages a client computes on its own clock turn negative): restart the
 * simulator.
 */
export const CLOCK_HORIZON_SECONDS = 7 * 86_400;

/**
 * How far before real time platform time starts, in seconds: what compressed time gains on real time over the
 * horizon, `horizon × (1 / timeScale − 1)`; 0 when platform time runs no faster than real time.
 */
export function clockLeadSeconds(timeScale: number, horizonSeconds = CLOCK_HORIZON_SECONDS): number {
  return Math.max(0, horizonSeconds * (1 / timeScale - 1));
}

/** Where real time is read: the wall clock once (the start), a monotonic clock after. Injectable for tests. */
export interface RealTime {
  /** Epoch milliseconds. @default Date.now */
  epochMs(): number;
  /** Monotonic milliseconds. @default performance.now */
  monotonicMs(): number;
}

const REAL_TIME: RealTime = { epochMs: () => Date.now(), monotonicMs: () => performance.now() };

/** A pending {@link SimClock.after}: pass it to {@link SimClock.cancel}. */
export interface SimTimer {
  /** The Node timer armed now (a new one when the first fired early). */
  handle: NodeJS.Timeout;
}

/** Stateful: owns every timer, so `stopAll()` leaves nothing pending when the simulator stops. */
export class SimClock {
  readonly timeScale: number;
  /** Epoch seconds at which platform time started: real time minus {@link leadSeconds}. */
  readonly startEpoch: number;
  /** How far platform time started behind real time, seconds ({@link clockLeadSeconds} of the time scale). */
  readonly leadSeconds: number;
  private readonly real: RealTime;
  private readonly startReal: number;
  private readonly timers = new Set<SimTimer>();

  constructor(timeScale: number, real: RealTime = REAL_TIME) {
    this.timeScale = timeScale;
    this.real = real;
    this.startReal = real.monotonicMs();
    this.leadSeconds = clockLeadSeconds(timeScale);
    this.startEpoch = real.epochMs() / 1000 - this.leadSeconds;
  }

  /** Platform time, epoch seconds: start + real elapsed / timeScale. */
  platformNow(): number {
    return this.startEpoch + (this.real.monotonicMs() - this.startReal) / 1000 / this.timeScale;
  }

  /**
   * Runs `fn` once `platformSeconds` of platform time have passed on {@link platformNow}. A Node timer may fire
   * up to a few real ms before `performance.now()` says its delay is over (it counts from the event loop's cached
   * time), which compressed time turns into platform seconds; so a timer that fires early is armed again for
   * what is left, and a hold of 120 platform seconds is never seen as 119.99 by the timestamps the faces write.
   */
  after(platformSeconds: number, fn: () => void): SimTimer {
    const due = this.platformNow() + Math.max(0, platformSeconds);
    const timer: SimTimer = { handle: undefined as unknown as NodeJS.Timeout };
    const arm = (platformLeft: number): void => {
      timer.handle = setTimeout(fire, Math.max(0, platformLeft * this.timeScale * 1000));
    };
    const fire = (): void => {
      const left = due - this.platformNow();
      // At least 1 real ms more: what is left is under what one event-loop tick can lag.
      if (left > 0) return arm(Math.max(left, 0.001 / this.timeScale));
      this.timers.delete(timer);
      fn();
    };
    arm(Math.max(0, platformSeconds));
    this.timers.add(timer);
    return timer;
  }

  cancel(timer: SimTimer): void {
    clearTimeout(timer.handle);
    this.timers.delete(timer);
  }

  stopAll(): void {
    for (const timer of this.timers) clearTimeout(timer.handle);
    this.timers.clear();
  }
}
