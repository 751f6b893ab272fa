/**
 * Failures injected into a GPU instance (`POST /standby/failover/simulate/{id}` on the Dumont face, `POST
 * /_sim/instances/{id}/failure` on the admin API): the host goes down or the spot instance is interrupted (processes
 * die, SSH drops, VAST shows `exited`), or a network partition cuts it off (it keeps running and billing, its SSH
 * unreachable). The platform finds out through its own health checks, never from the injection.
 */
import { failHost } from '../../instances/instance-control';
import type { SimInstance } from '../../instances/instance-record';
import { closeSsh } from '../../instances/transitions';
import type { SimWorld } from '../../world';
import { FAILURE_KINDS, type FailoverState, type FailureKind, type InjectedFailure } from './failover-store';

/** The failure kind a `reason` names (Dumont's free-text `reason`; `spot_interruption` by default). */
export function failureKindOf(reason: unknown): FailureKind | undefined {
  if (reason === undefined || reason === null || reason === '') return 'spot_interruption';
  if (typeof reason !== 'string') return undefined;
  const r = reason.toLowerCase();
  if ((FAILURE_KINDS as readonly string[]).includes(r)) return r as FailureKind;
  if (r.includes('partition') || r.includes('network')) return 'network_partition';
  if (r.includes('spot') || r.includes('preempt') || r.includes('interrupt')) return 'spot_interruption';
  if (r.includes('host') || r.includes('gpu') || r.includes('down') || r.includes('failure')) return 'gpu_host_down';
  return undefined;
}

/** Breaks `inst` as `kind` says; returns the record of the injection (the existing one when it already failed). */
export function injectFailure(
  world: SimWorld,
  state: FailoverState,
  inst: SimInstance,
  kind: FailureKind
): InjectedFailure {
  const existing = state.failures.get(inst.id);
  if (existing) return existing;
  const failure: InjectedFailure = { kind, at: world.clock.platformNow(), recordId: null };
  state.failures.set(inst.id, failure);
  if (kind === 'network_partition') {
    state.partitioned.add(inst.id);
    closeSsh(world, inst);
    world.log(`instance ${inst.id}: network partition (running, unreachable)`);
  } else {
    failHost(world, inst, kind === 'spot_interruption' ? 'spot interruption' : 'GPU host down');
  }
  return failure;
}

/**
 * How the platform's health check sees a GPU instance: `healthy` (running, SSH up), `unreachable` (it should run
 * but exited, or is cut off), `paused` (its user stopped it), `booting`, or `gone`.
 */
export function gpuHealth(
  world: SimWorld,
  state: FailoverState,
  gpuInstanceId: number
): 'healthy' | 'unreachable' | 'paused' | 'booting' | 'gone' {
  const inst = world.instances.get(gpuInstanceId);
  if (!inst || inst.destroyedAt !== null) return 'gone';
  if (state.partitioned.has(inst.id)) return 'unreachable';
  if (inst.intended === 'stopped') return 'paused';
  if (inst.actual === 'exited') return 'unreachable';
  if (inst.actual === 'running') return world.hosts.has(inst.id) ? 'healthy' : 'unreachable';
  return 'booting';
}
