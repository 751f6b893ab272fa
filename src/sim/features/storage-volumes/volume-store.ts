/** The storage volumes of the account: records, their wire row, and their storage bill. */
import type { SimUsageRow, SimVolumeView } from '../../types';

/** Seconds in the 30-day month `storage_cost` ($/GB/month) is quoted per. */
const MONTH_SECONDS = 30 * 86_400;

/** One storage volume; kept after deletion (with `deletedAt`) for the charges. */
export interface SimVolume {
  id: number;
  name: string;
  label: string | null;
  diskSpace: number;
  machineId: number;
  storageCost: number;
  createdAt: number;
  deletedAt: number | null;
  /** Instances it was attached to at their create (`volume_info`); live ones block its deletion. */
  instanceIds?: number[];
}

/** The feature's per-world state. */
export interface VolumeState {
  /** Every volume ever created (deleted ones keep `deletedAt`). */
  volumes: SimVolume[];
  nextId: number;
}

/** Volumes not deleted. */
export function liveVolumes(state: VolumeState): SimVolume[] {
  return state.volumes.filter((v) => v.deletedAt === null);
}

/** A volume as `GET /api/v0/volumes` lists it (and `sim state` shows it), with its live instances. */
export function volumeRow(vol: SimVolume, live: (id: number) => boolean = () => true): SimVolumeView {
  return {
    id: vol.id,
    name: vol.name,
    label: vol.label,
    status: 'available',
    disk_space: vol.diskSpace,
    machine_id: vol.machineId,
    instances: (vol.instanceIds ?? []).filter(live),
    storage_cost: vol.storageCost,
    start_date: vol.createdAt,
  };
}

/** Storage usage of one volume (live or deleted) up to `now`. */
export function volumeUsage(vol: SimVolume, now: number): SimUsageRow {
  const storageGbSeconds = vol.diskSpace * Math.max(0, (vol.deletedAt ?? now) - vol.createdAt);
  return {
    kind: 'volume',
    id: vol.id,
    label: vol.label,
    gpuSeconds: 0,
    storageGbSeconds,
    usd: (storageGbSeconds * vol.storageCost) / MONTH_SECONDS,
    live: vol.deletedAt === null,
  };
}
