/**
 * What happens to instances on the market's hosts, recorded per machine: a boot that reaches running is a
 * success, an interruption (host failure) a failure; on a host that hangs, a create never leaves `loading`
 * (its pull never finishes) and is recorded as a failure when it is destroyed or found stuck.
 */
import type { SimInstance } from '../../instances/instance-record';
import { TIMINGS } from '../../instances/timings';
import { schedule, transition } from '../../instances/transitions';
import type { SimWorld } from '../../world';
import { recordOutcome, type MarketState } from './market-store';

/** Whether `inst` was rented on a host whose creates hang. */
export function onHangingHost(state: MarketState, inst: SimInstance): boolean {
  return state.listings.get(inst.offer.id)?.hangs === true;
}

/** After create: on a hanging host, once the instance is in `loading`, its boot is dropped and it stays there. */
export function hangIfHostHangs(world: SimWorld, state: MarketState, inst: SimInstance): void {
  if (!onHangingHost(state, inst) || inst.intended !== 'running') return;
  const epoch = inst.epoch;
  // Once the state machine has entered loading (create → created → loading), drop its boot timer. Timers can
  // fire late under load, so look again until loading is reached.
  const look = (): void => {
    if (inst.epoch !== epoch || inst.destroyedAt !== null) return;
    if (inst.actual === null || inst.actual === 'created') {
      schedule(world, inst, 1, look);
      return;
    }
    if (inst.actual !== 'loading') return;
    transition(world, inst);
    inst.statusMsg = `Pulling image ${inst.image}: host not responding`;
    recordOutcome(state, inst.offer.machine_id, {
      at: world.clock.platformNow(),
      ok: false,
      kind: 'create-hang',
      instanceId: inst.id,
    });
    world.log(`instance ${inst.id} (${inst.label ?? 'no label'}): host ${inst.offer.machine_id} hangs in loading`);
  };
  schedule(world, inst, TIMINGS.toCreated + TIMINGS.toLoading + 1, look);
}
