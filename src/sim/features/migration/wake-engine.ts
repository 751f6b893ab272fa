/**
 * Dumont's `POST /instances/{id}/wake` (`reference/dumont-api.md` §6): a hibernated instance (paused, or already
 * destroyed with its data in the bucket) comes back as a NEW GPU restored from its latest snapshot. It shares the
 * migration's steps (offer, rent with the source's image and start command, wait for SSH, restore); the old instance,
 * if it still exists, is destroyed once the new one holds its data.
 */
import { createInstance } from '../../instances/instance-create';
import { destroyInstance } from '../../instances/instance-control';
import type { SimInstance } from '../../instances/instance-record';
import type { SimWorld } from '../../world';
import { snapshots } from '../snapshots';
import { restoreSnapshot } from '../snapshots/snapshot-engine';
import { candidateOffers, waitRunning } from './migration-engine';

/** Platform seconds a wake waits for the new instance's SSH. */
const SSH_WAIT_SECONDS = 900;

/** What a wake asks for (Dumont's body). */
export interface WakeRequest {
  gpuType: string | null;
  region: string | null;
  maxPrice: number;
  restoreSnapshot: boolean;
}

/** Wakes `old` (live or destroyed) onto a new GPU; answers as Dumont does. */
export async function wakeOntoNewGpu(
  world: SimWorld,
  old: SimInstance,
  req: WakeRequest
): Promise<{ status: number; body: Record<string, unknown> }> {
  const startedAt = world.clock.platformNow();
  const snaps = world.features.stateOf(snapshots);
  const latest = [...snaps.snapshots].reverse().find((s) => s.instanceId === old.id);
  if (req.restoreSnapshot && !latest) return { status: 404, body: { error: `No snapshot of instance ${old.id}` } };
  const offer = candidateOffers(world, old, {
    targetType: 'gpu',
    gpuName: req.gpuType ?? old.offer.gpu_name,
    maxPrice: req.maxPrice,
    region: req.region,
    diskSize: old.disk,
    autoDestroySource: true,
    keepSshEndpoint: false,
  })[0];
  if (!offer) return { status: 400, body: { success: false, error: 'No offers match the request' } };
  const created = createInstance(world, {
    offerId: offer.id,
    image: old.image,
    disk: old.disk,
    label: old.label,
    env: old.env,
    onstart: old.onstart,
    runtype: old.runtype,
    via: 'dumont',
  });
  if (created === 'no_such_ask')
    return { status: 500, body: { success: false, error: `Offer ${offer.id} unavailable` } };
  if (!(await waitRunning(world, created, world.clock.platformNow() + SSH_WAIT_SECONDS)))
    return { status: 500, body: { success: false, error: `New instance ${created.id} did not become reachable` } };
  if (req.restoreSnapshot && latest) await restoreSnapshot(world, latest, created, { targetPath: '/workspace' });
  if (old.destroyedAt === null) destroyInstance(world, old);
  const took = world.clock.platformNow() - startedAt;
  return {
    status: 200,
    body: {
      success: true,
      new_instance_id: created.id,
      old_instance_id: old.id,
      snapshot_id: req.restoreSnapshot ? (latest?.id ?? null) : null,
      ssh_host: '127.0.0.1',
      ssh_port: created.sshPort,
      time_taken: Math.round(took * 100) / 100,
      message: `Instance ${old.id} woke as ${created.id} on ${offer.gpu_name}`,
    },
  };
}
