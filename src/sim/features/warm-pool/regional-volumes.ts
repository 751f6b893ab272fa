/**
 * Regional volumes: VAST volumes (the storage-volumes feature's records, so VAST lists and bills them and deletes
 * them through its own API) with a region, on one host, whose directory every instance that mounts it shares (a
 * symbolic link `<workspace>/<mount>` to it). Warm pools keep their shared volume here too.
 */
import fs from 'node:fs';
import path from 'node:path';
import { instancePaths } from '../../instances/instance-files';
import type { SimInstance } from '../../instances/instance-record';
import type { SimWorld } from '../../world';
import { storageVolumes } from '../storage-volumes';
import type { SimVolume } from '../storage-volumes/volume-store';
import { epoch, regionOf, type RegionalVolume, type WarmPoolState } from './warm-pool-store';

/** The storage volume behind a regional one, when not deleted (VAST's DELETE may have deleted it). */
export function storageVolume(world: SimWorld, volumeId: number): SimVolume | undefined {
  return world.features.stateOf(storageVolumes).volumes.find((v) => v.id === volumeId && v.deletedAt === null);
}

/** Regional volumes not deleted. */
export function liveRegionalVolumes(world: SimWorld, state: WarmPoolState): RegionalVolume[] {
  return [...state.volumes.values()].filter((v) => storageVolume(world, v.volumeId) !== undefined);
}

/** Creates a volume of `sizeGb` named (and labelled) `name` on the machine of `host` (an offer). */
export function createRegionalVolume(
  world: SimWorld,
  state: WarmPoolState,
  host: { machineId: number; geolocation: string; storageCost: number },
  name: string,
  sizeGb: number
): RegionalVolume {
  const store = world.features.stateOf(storageVolumes);
  const id = store.nextId++;
  const now = world.clock.platformNow();
  store.volumes.push({
    id,
    name,
    label: name,
    diskSpace: sizeGb,
    machineId: host.machineId,
    storageCost: host.storageCost,
    createdAt: now,
    deletedAt: null,
  });
  const dir = path.join(world.dataDir, 'volumes', String(id));
  fs.mkdirSync(dir, { recursive: true });
  const volume: RegionalVolume = {
    volumeId: id,
    name,
    region: regionOf(host.geolocation),
    machineId: host.machineId,
    geolocation: host.geolocation,
    sizeGb,
    dir,
    attached: new Set(),
    createdAt: now,
  };
  state.volumes.set(id, volume);
  world.log(`warm-pool: volume V.${id} (${name}, ${sizeGb} GB) on machine ${host.machineId} (${volume.region})`);
  return volume;
}

/** Mounts the volume into the instance: `<workspace>/<mount>` links to the volume's directory. */
export function mountVolume(world: SimWorld, volume: RegionalVolume, inst: SimInstance, mountPath = '/data'): void {
  const name = path.basename(mountPath) || 'data';
  const link = path.join(instancePaths(world.dataDir, inst.id).workspace, name);
  fs.rmSync(link, { recursive: true, force: true });
  fs.symlinkSync(volume.dir, link);
  volume.attached.add(inst.id);
}

/** Deletes the volume (at VAST too) and its data. */
export function deleteRegionalVolume(world: SimWorld, state: WarmPoolState, volumeId: number): boolean {
  const stored = storageVolume(world, volumeId);
  const volume = state.volumes.get(volumeId);
  if (stored) stored.deletedAt = world.clock.platformNow();
  if (volume) fs.rmSync(volume.dir, { recursive: true, force: true });
  state.volumes.delete(volumeId);
  if (stored) world.log(`warm-pool: volume ${stored.name} deleted`);
  return stored !== undefined;
}

/** A regional volume as `/failover/regional-volume/*` shows it. */
export function regionalVolumeRow(world: SimWorld, volume: RegionalVolume): Record<string, unknown> {
  const attached = [...volume.attached].filter((id) => world.instances.has(id));
  return {
    volume_id: volume.volumeId,
    name: volume.name,
    label: volume.name,
    region: volume.region,
    size_gb: volume.sizeGb,
    machine_id: volume.machineId,
    geolocation: volume.geolocation,
    status: attached.length ? 'in_use' : 'available',
    attached_instances: attached,
    created_at: epoch(volume.createdAt),
  };
}
