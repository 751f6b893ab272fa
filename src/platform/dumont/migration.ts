/**
 * Dumont's migration routes (docs/platform-contract.md § Migration): the estimate and the synchronous migration
 * (snapshot, create, wait, restore, destroy the source), plus the keep-endpoint extension in its body. A route the
 * platform does not have answers {@link PlatformLacksError}.
 */
import { z } from 'zod';
import type { DumontClient } from '../types';
import { lacksAwareCall, num, numericIds } from './routes';

/** What a migration asks for (Dumont's body; `keep_ssh_endpoint` is an extension). */
export interface MigrateBody {
  target_type: 'gpu';
  gpu_name: string;
  max_price: number;
  region?: string;
  disk_size?: number;
  auto_destroy_source?: boolean;
  keep_ssh_endpoint?: boolean;
}

const estimateSchema = z.looseObject({
  available: z.boolean(),
  error: z.string().nullish(),
  source: z.looseObject({ cost_per_hour: num.nullish() }).nullish(),
  target: z
    .looseObject({
      gpu_name: z.string().nullish(),
      cost_per_hour: num,
      offer_id: num.nullish(),
    })
    .nullish(),
  estimated_time_minutes: num.nullish(),
  /** Not in Dumont's answer today: the harness computes it from the hourly prices when absent. */
  estimated_cost_usd: num.nullish(),
  offers_available: num.nullish(),
});
export type MigrationEstimate = z.output<typeof estimateSchema>;

const migrateSchema = z.looseObject({
  success: z.boolean(),
  new_instance_id: num.nullish(),
  old_instance_id: num.nullish(),
  snapshot_id: z.string().nullish(),
  error: z.string().nullish(),
  steps_completed: z
    .array(z.string())
    .nullish()
    .transform((v) => v ?? []),
});
export type MigrateAnswer = z.output<typeof migrateSchema>;

/** The migration client over one Dumont client. */
export function migrationApi(dumont: DumontClient) {
  const call = lacksAwareCall(dumont, numericIds);
  return {
    estimate: (
      instanceId: number,
      body: Omit<MigrateBody, 'disk_size' | 'auto_destroy_source' | 'keep_ssh_endpoint'>
    ) =>
      call({
        method: 'POST',
        path: `/api/v1/instances/${instanceId}/migrate/estimate`,
        data: body,
        schema: estimateSchema,
      }),
    /** Long and not idempotent: the caller looks for the migrated instance by label before any second try. */
    migrate: (instanceId: number, body: MigrateBody) =>
      call({
        method: 'POST',
        path: `/api/v1/instances/${instanceId}/migrate`,
        data: body,
        schema: migrateSchema,
        idempotent: false,
        timeoutMs: 900_000,
        // Dumont answers a failed migration with 400/500 {error, steps_completed}: the caller reports it.
        shouldRetry: () => false,
      }),
  };
}
