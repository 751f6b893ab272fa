/** The snapshots feature's state: the snapshots (restic's index), each instance's sync status, retention policies. */
import type { BackupStats, SnapshotFile } from './snapshot-repo';

/** One snapshot, as the repository's manifest holds it. */
export interface SnapshotRecord {
  id: string;
  shortId: string;
  /** Platform epoch seconds. */
  time: number;
  hostname: string;
  tags: string[];
  /** The source paths, as given (`/workspace`). */
  paths: string[];
  instanceId: number;
  instanceLabel: string | null;
  gpuName: string;
  /** The bucket prefix its blobs live under. */
  repo: string;
  files: SnapshotFile[];
  stats: BackupStats;
  keepForever: boolean;
}

/** One instance's sync status (`GET /instances/{id}/sync/status`). */
export interface SyncStatus {
  lastSync: number | null;
  lastSnapshotId: string | null;
  syncCount: number;
  isSyncing: boolean;
  lastStats: BackupStats | null;
  error: string | null;
}

/** Dumont's retention policy. */
export interface RetentionPolicy {
  retention_days: number;
  min_snapshots_to_keep: number;
  max_snapshots_per_instance: number;
  cleanup_enabled: boolean;
  instance_id: number | null;
}

export const DEFAULT_POLICY: RetentionPolicy = {
  retention_days: 7,
  min_snapshots_to_keep: 1,
  max_snapshots_per_instance: 10,
  cleanup_enabled: true,
  instance_id: null,
};

/** Totals of the cleanups run (`GET /snapshots/cleanup/metrics`). */
export interface CleanupMetrics {
  cleanups: { at: number; dryRun: boolean; deleted: number; freedBytes: number }[];
}

export interface SnapshotsState {
  snapshots: SnapshotRecord[];
  sync: Map<number, SyncStatus>;
  globalPolicy: RetentionPolicy;
  policies: Map<number, RetentionPolicy>;
  metrics: CleanupMetrics;
  /** Object storage per repository (bucket prefix), for the bill. */
  storage: Map<string, StorageMeter>;
}

/** Bytes a repository holds in the bucket, integrated over platform time at every change and every reading. */
export interface StorageMeter {
  bytes: number;
  byteSeconds: number;
  meteredAt: number;
  since: number;
}

export function newSnapshotsState(): SnapshotsState {
  return {
    snapshots: [],
    sync: new Map(),
    globalPolicy: { ...DEFAULT_POLICY },
    policies: new Map(),
    metrics: { cleanups: [] },
    storage: new Map(),
  };
}

/**
 * Timings, platform seconds (reference: 10 GB in about 2 minutes, i.e. ~85 MB/s, plus restic's start-up and the
 * SSH round trips; a restore reads at a similar rate).
 */
export const SNAPSHOT_TIMINGS = {
  backupFixed: 8,
  restoreFixed: 6,
  bytesPerSecond: 85e6,
};

/** Object storage price, USD per GB-month (B2's). */
export const STORAGE_USD_PER_GB_MONTH = 0.006;

/** The row `GET /snapshots` lists. */
export function listRow(s: SnapshotRecord): Record<string, unknown> {
  return {
    id: s.id,
    short_id: s.shortId,
    time: new Date(s.time * 1000).toISOString(),
    hostname: s.hostname,
    tags: s.tags,
    paths: s.paths,
    // restic ≥ 0.17 lists each snapshot's backup summary.
    summary: s.stats,
  };
}
