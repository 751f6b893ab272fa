/**
 * Billing in platform time (`docs/simulator.md` § Billing): GPU seconds accrue only while
 * `actual_status == running` (num_gpus × dt, at dph_total); storage accrues while the instance exists
 * (disk_gb × storage_cost per GB-month of 30 days); feature modules add their own charges (volumes). The
 * bill is computed when read, so the billing defects (`defects.ts`) apply to the whole life of the
 * instances in their scope.
 */
import type { SimInstance } from '../instances/instance-record';
import type { FeatureCharge } from '../features/types';
import type { SimState, SimUsageRow } from '../types';
import type { SimWorld } from '../world';

const MONTH_SECONDS = 30 * 86_400;

/** Platform seconds instance `inst` has spent running up to `now`. */
export function runningSeconds(inst: SimInstance, now: number): number {
  const end = inst.destroyedAt ?? now;
  return inst.runningSeconds + (inst.runningSince !== null ? Math.max(0, end - inst.runningSince) : 0);
}

/** Billing defects in force for one instance; both default to a correct bill. */
export interface BillingDefects {
  /** `gpu-billed-while-paused`: the GPU is billed for the whole life of the instance, paused or not. */
  gpuWhilePaused?: boolean;
  /** `charges-after-destroy`: a destroyed instance keeps accruing GPU and storage charges. */
  afterDestroy?: boolean;
}

/** The billing defects that apply to `inst` (by its label) in `world`. */
export function billingDefectsFor(world: SimWorld, inst: SimInstance): BillingDefects {
  return {
    gpuWhilePaused: world.has('gpu-billed-while-paused', inst.label),
    afterDestroy: world.has('charges-after-destroy', inst.label),
  };
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

/** Every instance's usage up to `now`, with the defects in force for each. */
export function instanceUsages(world: SimWorld, now: number): SimUsageRow[] {
  return world.allInstances.map((inst) => instanceUsage(inst, now, billingDefectsFor(world, inst)));
}

/** The account's whole bill so far. */
export function billingSummary(world: SimWorld): SimState['billing'] {
  const now = world.clock.platformNow();
  const perInstance = instanceUsages(world, now);
  const featureRows = world.features.charges(now).map((c: FeatureCharge) => c.usage);
  const all = [...perInstance, ...featureRows];
  return {
    totalUsd: all.reduce((sum, r) => sum + r.usd, 0),
    gpuSeconds: all.reduce((sum, r) => sum + r.gpuSeconds, 0),
    storageGbSeconds: all.reduce((sum, r) => sum + r.storageGbSeconds, 0),
    perInstance,
    perVolume: featureRows.filter((r) => r.kind === 'volume'),
  };
}
