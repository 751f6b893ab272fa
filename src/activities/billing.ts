import type { ActivityDeps } from './deps';

export interface BillingTotals {
  gpuSeconds: number;
  costUsd: number;
  storageGbSeconds: number;
  /** False when some charge row lacks `metadata.gpu_seconds` (real VAST): GPU-seconds are then a lower bound. */
  gpuSecondsReported: boolean;
}

export function createBillingActivities(deps: ActivityDeps) {
  async function sum(match: (c: { source: string; label?: string | null }) => boolean): Promise<BillingTotals> {
    const totals: BillingTotals = { gpuSeconds: 0, costUsd: 0, storageGbSeconds: 0, gpuSecondsReported: true };
    for (const c of await deps.vast.listCharges()) {
      if (!match({ source: c.source, label: c.metadata.label })) continue;
      if (c.metadata.gpu_seconds === undefined) totals.gpuSecondsReported = false;
      totals.gpuSeconds += c.metadata.gpu_seconds ?? 0;
      totals.storageGbSeconds += c.metadata.storage_gb_seconds ?? 0;
      totals.costUsd += c.amount;
    }
    return totals;
  }

  return {
    /** What VAST charged for everything labelled with the prefix (destroyed instances included). */
    async chargesForLabel(input: { labelPrefix: string }): Promise<BillingTotals> {
      return sum((c) => !!c.label && c.label.startsWith(input.labelPrefix));
    },
    /** What VAST charged for one instance so far. */
    async chargesForInstance(input: { instanceId: number }): Promise<BillingTotals> {
      return sum((c) => c.source === `instance-${input.instanceId}`);
    },
  };
}
