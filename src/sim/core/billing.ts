/**
 * Billing in platform time (`docs/simulator.md` § Billing): GPU seconds accrue only while
 * `actual_status == running` (num_gpus × dt, at dph_total); storage accrues while the instance or
 * volume exists (disk_gb × storage_cost per GB-month of 30 days).
 */
import type { SimState, SimInstance, SimUsageRow, SimVolume } from '../types';
import type { SimWorld } from '../world';

const MONTH_SECONDS = 30 * 86_400;

/** Platform seconds instance `inst` has spent running up to `now`. */
export function runningSeconds(inst: SimInstance, now: number): number {
  const end = inst.destroyedAt ?? now;
  return inst.runningSeconds + (inst.runningSince !== null ? Math.max(0, end - inst.runningSince) : 0);
}

/** Billing defects in force (see `defects.ts`); both default to a correct bill. */
export interface BillingDefects {
  /** `gpu-billed-while-paused`: the GPU is billed for the whole life of the instance, paused or not. */
  gpuWhilePaused?: boolean;
  /** `charges-after-destroy`: a destroyed instance keeps accruing GPU and storage charges. */
  afterDestroy?: boolean;
}

/** The billing defects active in `world`. */
export function billingDefects(world: SimWorld): BillingDefects {
  return { gpuWhilePaused: world.has('gpu-billed-while-paused'), afterDestroy: world.has('charges-after-destroy') };
}

/** Usage of one instance (live or destroyed). */
export function instanceUsage(inst: SimInstance, now: number, defects: BillingDefects = {}): SimUsageRow {
  const end = defects.afterDestroy ? now : (inst.destroyedAt ?? now);
  const exists = Math.max(0, end - inst.createdAt);
  let running = runningSeconds(inst, now);
  if (defects.gpuWhilePaused) running = exists;
  else if (defects.afterDestroy && inst.destroyedAt !== null) running += Math.max(0, now - inst.destroyedAt);
  const storageGbSeconds = inst.disk * exists;
  return {
    kind: 'instance',
    id: inst.id,
    label: inst.label,
    gpuSeconds: inst.offer.num_gpus * running,
    storageGbSeconds,
    usd: (inst.dphTotal * running) / 3600 + (storageGbSeconds * inst.offer.storage_cost) / MONTH_SECONDS,
    live: inst.destroyedAt === null,
  };
}

/** Usage of one volume (live or deleted). */
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

/** The account's whole bill so far. */
export function billingSummary(world: SimWorld): SimState['billing'] {
  const now = world.clock.platformNow();
  const defects = billingDefects(world);
  const perInstance = world.allInstances.map((i) => instanceUsage(i, now, defects));
  const perVolume = world.volumes.map((v) => volumeUsage(v, now));
  const all = [...perInstance, ...perVolume];
  return {
    totalUsd: all.reduce((sum, r) => sum + r.usd, 0),
    gpuSeconds: all.reduce((sum, r) => sum + r.gpuSeconds, 0),
    storageGbSeconds: all.reduce((sum, r) => sum + r.storageGbSeconds, 0),
    perInstance,
    perVolume,
  };
}
