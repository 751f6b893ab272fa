/**
 * Dumont's snapshot routes (docs/platform-contract.md § Snapshots): create (restic backup of an instance path into
 * the user's bucket), sync, list, restore into an instance (its id in the query, as Dumont has it), the partial
 * restore extension, delete, keep-forever, retention policy and cleanup. A route the platform does not have answers
 * {@link PlatformLacksError}.
 */
import { z } from 'zod';
import { NotFoundError } from '../errors';
import type { DumontClient } from '../types';
import { lacksAwareCall, numericIds } from './routes';

const int = z.union([z.number(), z.string().regex(/^\d+$/).transform(Number)]);
const count = int.nullish().transform((v) => v ?? 0);

const createSchema = z.looseObject({
  success: z.boolean().optional(),
  snapshot_id: z.string(),
  files_new: count,
  files_changed: count,
  files_unmodified: count,
  total_files_processed: count,
  data_added: count,
  total_bytes_processed: count,
});
/** What a backup reports (restic's summary). */
export type SnapshotCreated = z.output<typeof createSchema>;

const rowSchema = z.looseObject({
  id: z.string(),
  short_id: z.string().nullish(),
  time: z.string(),
  hostname: z.string().nullish(),
  tags: z
    .array(z.string())
    .nullish()
    .transform((v) => v ?? []),
  paths: z
    .array(z.string())
    .nullish()
    .transform((v) => v ?? []),
  /** restic ≥ 0.17's backup summary, where the platform passes it on. */
  summary: createSchema.omit({ snapshot_id: true, success: true }).nullish(),
});
/** One row of `GET /snapshots`. */
export type SnapshotRow = z.output<typeof rowSchema>;

const restoreSchema = z.looseObject({
  success: z.boolean(),
  snapshot_id: z.string().nullish(),
  files_restored: count,
  errors: z
    .array(z.unknown())
    .nullish()
    .transform((v) => (v ?? []).map(String)),
});
export type RestoreAnswer = z.output<typeof restoreSchema>;

const policySchema = z.looseObject({
  retention_days: int,
  min_snapshots_to_keep: int,
  max_snapshots_per_instance: int,
  cleanup_enabled: z.boolean(),
});
/** Dumont's retention policy. */
export type RetentionPolicy = z.output<typeof policySchema>;

const cleanupSchema = z.looseObject({
  success: z.boolean().optional(),
  dry_run: z.boolean(),
  snapshots_identified: count,
  snapshots_deleted: count,
  snapshots_failed: count,
  storage_freed_bytes: count,
});
export type CleanupAnswer = z.output<typeof cleanupSchema>;

const ack = z.unknown();

/** The snapshot client over one Dumont client. */
export function snapshotsApi(dumont: DumontClient) {
  const call = lacksAwareCall(dumont, numericIds);
  return {
    /** A backup is long and not idempotent: the caller looks for its tag before any second try. */
    create: (instanceId: number, sourcePath: string, tags: string[]) =>
      call({
        method: 'POST',
        path: '/api/v1/snapshots',
        data: { instance_id: instanceId, source_path: sourcePath, tags },
        schema: createSchema,
        idempotent: false,
        timeoutMs: 600_000,
      }),
    list: () =>
      call({
        method: 'GET',
        path: '/api/v1/snapshots',
        schema: z.looseObject({ snapshots: z.array(z.unknown()).nullish() }),
      }).then((b) =>
        (b.snapshots ?? []).flatMap((row) => {
          const parsed = rowSchema.safeParse(row);
          return parsed.success ? [parsed.data] : [];
        })
      ),
    /** Restores are repeatable (files are overwritten with the same contents). */
    restore: (instanceId: number, snapshotId: string, targetPath = '/workspace') =>
      call({
        method: 'POST',
        path: '/api/v1/snapshots/restore',
        params: { instance_id: instanceId },
        data: { snapshot_id: snapshotId, target_path: targetPath, verify: true },
        schema: restoreSchema,
        timeoutMs: 600_000,
      }),
    /** Extension: restores only `include` (paths relative to the snapshot's source path). */
    restorePartial: (instanceId: number, snapshotId: string, include: string[], targetPath = '/workspace') =>
      call({
        method: 'POST',
        path: '/api/v1/snapshots/restore/partial',
        params: { instance_id: instanceId },
        data: { snapshot_id: snapshotId, include, target_path: targetPath },
        schema: restoreSchema,
        timeoutMs: 600_000,
      }),
    /** Idempotent: a snapshot already gone is deleted. */
    delete: async (snapshotId: string): Promise<void> => {
      try {
        await call({ method: 'DELETE', path: `/api/v1/snapshots/${snapshotId}`, schema: ack });
      } catch (err) {
        if (err instanceof NotFoundError) return;
        throw err;
      }
    },
    keepForever: (snapshotId: string, keep: boolean) =>
      call({
        method: 'POST',
        path: `/api/v1/snapshots/${snapshotId}/keep-forever`,
        data: { keep_forever: keep },
        schema: ack,
      }).then(() => undefined),
    setPolicy: (instanceId: number, policy: RetentionPolicy) =>
      call({
        method: 'PUT',
        path: '/api/v1/snapshots/retention-policy',
        data: { ...policy, instance_id: instanceId },
        schema: policySchema,
      }),
    policy: (instanceId: number) =>
      call({
        method: 'GET',
        path: '/api/v1/snapshots/retention-policy',
        params: { instance_id: instanceId },
        schema: policySchema,
      }),
    /** Dry runs are harmless to repeat; a real cleanup deletes what the policy says, so repeating it is too. */
    cleanup: (dryRun: boolean, instanceId?: number) =>
      call({
        method: 'POST',
        path: '/api/v1/snapshots/cleanup',
        data: { dry_run: dryRun, ...(instanceId !== undefined ? { instance_id: instanceId } : {}) },
        schema: cleanupSchema,
        timeoutMs: 600_000,
      }),
  };
}

export type SnapshotsApi = ReturnType<typeof snapshotsApi>;
