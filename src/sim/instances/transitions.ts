/**
 * The building blocks every transition of the instance state machine uses: timers owned by the instance,
 * the epoch that invalidates stale ones, the observed status (which opens and closes GPU billing), and
 * the event emitted to feature modules.
 */
import type { SimWorld } from '../world';
import type { InstanceEvent } from './instance-events';
import type { ActualStatus, SimInstance } from './instance-record';

type EventWithoutBase<E> = E extends unknown ? Omit<E, 'instance' | 'at'> : never;

/** Runs `fn` after `seconds` platform seconds unless the instance transitions first. */
export function schedule(world: SimWorld, inst: SimInstance, seconds: number, fn: () => void): void {
  const timer = world.clock.after(seconds, () => {
    inst.timers.delete(timer);
    fn();
  });
  inst.timers.add(timer);
}

/**
 * Starts a transition: cancels pending timers and bumps the epoch, so a late timer or a slow async boot
 * can never resurrect a state the user already left.
 */
export function transition(world: SimWorld, inst: SimInstance): void {
  for (const timer of inst.timers) world.clock.cancel(timer);
  inst.timers.clear();
  inst.epoch++;
}

/** Sets the observed status, opening or closing the GPU billing interval. */
export function setActual(world: SimWorld, inst: SimInstance, status: ActualStatus, msg: string | null): void {
  const now = world.clock.platformNow();
  if (inst.actual === 'running' && status !== 'running' && inst.runningSince !== null) {
    inst.runningSeconds += now - inst.runningSince;
    inst.runningSince = null;
  }
  if (status === 'running' && inst.actual !== 'running') inst.runningSince = now;
  inst.actual = status;
  inst.statusMsg = msg;
  world.log(`instance ${inst.id} (${inst.label ?? 'no label'}): actual_status ${status ?? 'null'}`);
}

/** Closes the instance's SSH server (dropping its connections). */
export function closeSsh(world: SimWorld, inst: SimInstance): void {
  const host = world.hosts.get(inst.id);
  world.hosts.delete(inst.id);
  inst.sshPort = null;
  if (host) void host.close();
}

/** Emits an instance event to the feature modules. */
export function emit(world: SimWorld, inst: SimInstance, event: EventWithoutBase<InstanceEvent>): void {
  world.events.emit({ ...event, instance: inst, at: world.clock.platformNow() } as InstanceEvent);
}

/** `ssh_port` as rows show it: null unless running, and during the late-ssh-port window. */
export function visibleSshPort(world: SimWorld, inst: SimInstance): number | null {
  if (inst.actual !== 'running' || inst.sshPort === null) return null;
  return world.clock.platformNow() >= inst.sshPortVisibleAt ? inst.sshPort : null;
}
