import { ApplicationFailure } from '@temporalio/activity';
import { snapshotsApi, type RetentionPolicy, type SnapshotRow } from '../platform/dumont/snapshots';
import type { ObjectStoreClient } from '../platform/object-store';
import type { ActivityDeps } from './deps';

export type { RetentionPolicy } from '../platform/dumont/snapshots';

/** A snapshot as the scenarios see it (plain JSON). */
export interface SnapshotInfo {
  id: string;
  shortId: string;
  /** Platform time, epoch milliseconds. */
  timeMs: number;
  tags: string[];
  paths: string[];
}

/** restic's backup summary (null when the platform did not pass it on). */
export interface SnapshotStats {
  files_new: number;
  files_changed: number;
  files_unmodified: number;
  total_files_processed: number;
  data_added: number;
  total_bytes_processed: number;
}

const info = (r: SnapshotRow): SnapshotInfo => ({
  id: r.id,
  shortId: r.short_id ?? r.id.slice(0, 8),
  timeMs: Date.parse(r.time),
  tags: r.tags,
  paths: r.paths,
});

function bucketOf(deps: ActivityDeps): ObjectStoreClient {
  if (!deps.objectStore)
    throw ApplicationFailure.nonRetryable(
      'the worker has no object store configured (DUMONT_E2E_S3_ENDPOINT, _BUCKET, _ACCESS_KEY_ID, _SECRET_ACCESS_KEY): cannot read what the platform stored',
      'InvalidInput'
    );
  return deps.objectStore;
}

/** Snapshot activities: Dumont's own routes, plus reading the user's bucket with an S3 client. */
export function createSnapshotActivities(deps: ActivityDeps) {
  const api = snapshotsApi(deps.dumont);
  return {
    /**
     * Backs `sourcePath` of an instance up, tagged with `label`. Adopts the snapshot already tagged `label` (a retry
     * after a lost answer), whose summary comes from the list where the platform gives it.
     */
    async createSnapshot(input: { instanceId: number; label: string; sourcePath?: string }) {
      const existing = (await api.list()).find((r) => r.tags.includes(input.label));
      if (existing)
        return {
          snapshot: info(existing),
          stats: (existing.summary ?? null) as SnapshotStats | null,
          adopted: true,
          realMs: 0,
        };
      const started = Date.now();
      const made = await api.create(input.instanceId, input.sourcePath ?? '/workspace', [input.label]);
      const realMs = Date.now() - started;
      const row = (await api.list()).find((r) => r.id === made.snapshot_id);
      const stats: SnapshotStats = {
        files_new: made.files_new,
        files_changed: made.files_changed,
        files_unmodified: made.files_unmodified,
        total_files_processed: made.total_files_processed,
        data_added: made.data_added,
        total_bytes_processed: made.total_bytes_processed,
      };
      const snapshot: SnapshotInfo = row
        ? info(row)
        : {
            id: made.snapshot_id,
            shortId: made.snapshot_id.slice(0, 8),
            timeMs: Date.now(),
            tags: [input.label],
            paths: [],
          };
      return { snapshot, stats, adopted: false, realMs };
    },
    async listSnapshots(): Promise<SnapshotInfo[]> {
      return (await api.list()).map(info);
    },
    /** Restores a snapshot onto an instance (whole, or only `include` — the partial restore extension). */
    async restoreSnapshot(input: { instanceId: number; snapshotId: string; targetPath?: string; include?: string[] }) {
      const started = Date.now();
      const answer = input.include
        ? await api.restorePartial(input.instanceId, input.snapshotId, input.include, input.targetPath)
        : await api.restore(input.instanceId, input.snapshotId, input.targetPath);
      return {
        success: answer.success,
        filesRestored: answer.files_restored,
        errors: answer.errors,
        realMs: Date.now() - started,
      };
    },
    async deleteSnapshot(input: { snapshotId: string }): Promise<void> {
      await api.delete(input.snapshotId);
    },
    async keepSnapshotForever(input: { snapshotId: string; keep: boolean }): Promise<void> {
      await api.keepForever(input.snapshotId, input.keep);
    },
    async setRetentionPolicy(input: { instanceId: number; policy: RetentionPolicy }) {
      return api.setPolicy(input.instanceId, input.policy);
    },
    async cleanupSnapshots(input: { dryRun: boolean; instanceId?: number }) {
      return api.cleanup(input.dryRun, input.instanceId);
    },
    /** What the bucket holds under `prefix`, read with the S3 client: object count and bytes. */
    async bucketUsage(input: { prefix: string }): Promise<{ objects: number; bytes: number }> {
      const listed = await bucketOf(deps).list(input.prefix);
      return { objects: listed.length, bytes: listed.reduce((sum, o) => sum + o.size, 0) };
    },
  };
}
