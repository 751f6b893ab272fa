/**
 * Waits on the platform clock that the simulator's shutdown ends at once (a feature route waiting on them must not
 * hold the face open): a new instance running with SSH, or a modelled delay.
 */
import type { SimInstance } from '../../instances/instance-record';
import { visibleSshPort } from '../../instances/transitions';
import type { SimWorld } from '../../world';
import type { SimTimer } from '../../core/clock';

/** A feature state's waits in flight: each ends at once when called (shutdown), and none starts once stopped. */
export interface Waits {
  aborts: Set<() => void>;
  stopped: boolean;
}

/**
 * Resolves with the platform time `inst` ran with its SSH port shown, or null when it is destroyed, fails, `stop()`
 * says so, `timeout` platform seconds pass, or the simulator stops; polls every quarter platform second.
 */
export function whenRunning(
  world: SimWorld,
  waits: Waits,
  inst: SimInstance,
  timeout: number,
  stop: () => boolean = () => false
): Promise<number | null> {
  const deadline = world.clock.platformNow() + timeout;
  return new Promise((resolve) => {
    let timer: SimTimer | null = null;
    const done = (value: number | null): void => {
      if (timer) world.clock.cancel(timer);
      waits.aborts.delete(abort);
      resolve(value);
    };
    const abort = (): void => done(null);
    waits.aborts.add(abort);
    const poll = (): void => {
      timer = null;
      if (waits.stopped || stop() || inst.destroyedAt !== null) return done(null);
      if (inst.actual === 'running' && visibleSshPort(world, inst) !== null && world.hosts.has(inst.id)) {
        return done(world.clock.platformNow());
      }
      if (world.clock.platformNow() >= deadline || (inst.actual === 'exited' && inst.intended === 'running')) {
        return done(null);
      }
      timer = world.clock.after(0.25, poll);
    };
    poll();
  });
}

/** Sleeps `seconds` platform seconds; false when the simulator stopped meanwhile. */
export function platformSleep(world: SimWorld, waits: Waits, seconds: number): Promise<boolean> {
  return new Promise((resolve) => {
    const abort = (): void => {
      world.clock.cancel(timer);
      waits.aborts.delete(abort);
      resolve(false);
    };
    const timer = world.clock.after(seconds, () => {
      waits.aborts.delete(abort);
      resolve(true);
    });
    waits.aborts.add(abort);
  });
}
