/**
 * What a user (or the host) does to a rented instance: stop (pause), start (resume), destroy, and a host
 * failure; plus the simulator's shutdown. Instance defects hook in here; Dumont-only defects live in the
 * Dumont face.
 */
import type { SimWorld } from '../world';
import { enterLoading } from './instance-boot';
import { instancePaths, removeInstanceDir, wipeWorkspace } from './instance-files';
import type { SimInstance } from './instance-record';
import { TIMINGS } from './timings';
import { closeSsh, emit, schedule, setActual, transition } from './transitions';

/** Pauses: processes killed and SSH closed at once, `stopped` after 1 platform s. Idempotent. */
export function stopInstance(world: SimWorld, inst: SimInstance): void {
  if (inst.intended === 'stopped') return;
  transition(world, inst);
  inst.intended = 'stopped';
  inst.stoppedAt = world.clock.platformNow();
  if (!world.has('pause-keeps-processes', inst.label)) world.groups.get(inst.id)?.killAll();
  closeSsh(world, inst);
  world.log(`instance ${inst.id}: stop requested`);
  schedule(world, inst, TIMINGS.toStopped, () => setActual(world, inst, 'stopped', 'Instance stopped'));
  emit(world, inst, { type: 'pause' });
}

/**
 * How long a resume waits in `scheduling` and then in `loading`, platform seconds. A feature that serves the
 * instance's state itself (serverless fast mode, from its CPU standby) passes shorter ones.
 */
export interface ResumeTimings {
  scheduling: number;
  loading: number;
}

/** The normal resume: {@link TIMINGS} `scheduling`, then `resumeLoading`. */
export const NORMAL_RESUME: ResumeTimings = { scheduling: TIMINGS.scheduling, loading: TIMINGS.resumeLoading };

/** Resumes: scheduling → loading → running. No-op while already running or booting. */
export function startInstance(world: SimWorld, inst: SimInstance, timings: ResumeTimings = NORMAL_RESUME): void {
  if (inst.intended === 'running' && inst.actual !== 'exited') return;
  transition(world, inst);
  const now = world.clock.platformNow();
  const pausedFor = inst.stoppedAt !== null ? now - inst.stoppedAt : 0;
  inst.intended = 'running';
  inst.resumeCount++;
  closeSsh(world, inst);
  if (world.has('resume-loses-disk', inst.label)) wipeWorkspace(instancePaths(world.dataDir, inst.id));
  const failBoot = world.has('resume-fails-on-third-cycle', inst.label) && inst.resumeCount === 3;
  const stuck = world.has('cold-start-stuck-after-long-pause', inst.label) && pausedFor > TIMINGS.longPause;
  world.log(`instance ${inst.id}: start requested (resume #${inst.resumeCount})`);
  setActual(world, inst, 'scheduling', 'Scheduling: waiting for the GPU to be free');
  schedule(world, inst, stuck ? TIMINGS.stuckScheduling : timings.scheduling, () =>
    enterLoading(world, inst, timings.loading, failBoot)
  );
  emit(world, inst, { type: 'resume' });
}

/** Destroys: processes killed, SSH closed, workspace deleted, offer back on the market (unless a defect). */
export function destroyInstance(world: SimWorld, inst: SimInstance): void {
  if (inst.destroyedAt !== null) return;
  transition(world, inst);
  world.groups.get(inst.id)?.killAll();
  world.groups.delete(inst.id);
  closeSsh(world, inst);
  setActual(world, inst, null, null);
  inst.destroyedAt = world.clock.platformNow();
  world.instances.delete(inst.id);
  try {
    removeInstanceDir(instancePaths(world.dataDir, inst.id));
  } catch (err) {
    world.log(`instance ${inst.id}: could not remove its directory: ${(err as Error).message}`);
  }
  if (!world.has('offer-not-released', inst.label)) world.rented.delete(inst.offer.id);
  world.log(`instance ${inst.id} destroyed`);
  emit(world, inst, { type: 'destroy' });
}

/**
 * The host machine fails under a running (or booting) instance: processes die, SSH drops, the instance
 * reports `exited` with the reason while its intended status stays `running`; a start boots it again.
 */
export function failHost(world: SimWorld, inst: SimInstance, reason: string): void {
  if (inst.destroyedAt !== null) return;
  transition(world, inst);
  world.groups.get(inst.id)?.killAll();
  closeSsh(world, inst);
  inst.stoppedAt = world.clock.platformNow();
  setActual(world, inst, 'exited', `Host failure: ${reason}`);
  world.log(`instance ${inst.id}: host failure (${reason})`);
  emit(world, inst, { type: 'host-failure', reason });
}

/** Stops everything at simulator shutdown: timers, SSH servers, processes. */
export async function shutdownInstances(world: SimWorld): Promise<void> {
  world.clock.stopAll();
  for (const inst of world.instances.values()) {
    transition(world, inst);
    world.groups.get(inst.id)?.killAll();
  }
  const hosts = [...world.hosts.values()];
  world.hosts.clear();
  await Promise.all(hosts.map((h) => h.close()));
}
