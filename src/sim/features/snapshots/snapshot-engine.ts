/**
 * What the snapshot routes do: back an instance's path up into the bucket, restore a snapshot (whole or one
 * directory) onto an instance, delete one, and prune by the retention policy. The defects (`./defects.ts`) act here.
 */
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { instancePaths } from '../../instances/instance-files';
import type { SimInstance } from '../../instances/instance-record';
import type { SimWorld } from '../../world';
import { backup, manifestKey, pruneBlobs, repoOf, restoreFiles, scanFiles, type BackupStats } from './snapshot-repo';
import {
  DEFAULT_POLICY,
  SNAPSHOT_TIMINGS as T,
  type RetentionPolicy,
  type SnapshotRecord,
  type SnapshotsState,
} from './snapshot-store';

/** A refusal the routes turn into `{error}` with this status. */
export class SnapshotError extends Error {
  constructor(
    readonly status: number,
    message: string
  ) {
    super(message);
  }
}

/** Waits `platformSeconds` on the platform clock. */
export function platformDelay(world: SimWorld, platformSeconds: number): Promise<void> {
  return new Promise((resolve) => world.clock.after(platformSeconds, resolve));
}

/** The directory of `inst` a platform path (`/workspace`, `/workspace/models`) names; 400 outside the workspace. */
export function resolveInstancePath(world: SimWorld, inst: SimInstance, platformPath: string): string {
  const norm = path.posix.normalize(platformPath || '/workspace').replace(/\/+$/, '');
  if (norm !== '/workspace' && !norm.startsWith('/workspace/'))
    throw new SnapshotError(400, `Path must be under /workspace: ${platformPath}`);
  return path.join(instancePaths(world.dataDir, inst.id).workspace, ...norm.slice('/workspace'.length).split('/'));
}

/**
 * Integrates the bytes `repo` held up to now, then reads what it holds now from the bucket (whoever changed it: the
 * platform, or a user deleting objects with an S3 client). Object storage billing.
 */
export function meter(world: SimWorld, state: SnapshotsState, repo: string): void {
  const now = world.clock.platformNow();
  const m = state.storage.get(repo) ?? { bytes: 0, byteSeconds: 0, meteredAt: now, since: now };
  m.byteSeconds += m.bytes * Math.max(0, now - m.meteredAt);
  m.meteredAt = now;
  m.bytes = repoBytes(world, repo);
  state.storage.set(repo, m);
}

function repoBytes(world: SimWorld, repo: string): number {
  return world.objectStore.list(`${repo}/`).reduce((sum, o) => sum + o.size, 0);
}

/** Backs `sourcePath` of `inst` up as a new snapshot; waits the upload's platform time. */
export async function takeSnapshot(
  world: SimWorld,
  state: SnapshotsState,
  inst: SimInstance,
  opts: { sourcePath: string; tags: string[] }
): Promise<{ record: SnapshotRecord; stats: BackupStats; durationSeconds: number }> {
  const label = inst.label;
  const paused = inst.actual === 'stopped' || inst.intended === 'stopped';
  if (inst.actual !== 'running' && !paused)
    throw new SnapshotError(400, `Instance ${inst.id} is ${inst.actual ?? 'starting'}; wait until it is running`);
  if (paused && (world.profile === 'dumont-as-is' || world.has('snapshot-of-paused-fails', label)))
    throw new SnapshotError(400, `Instance ${inst.id} must be running to create a snapshot (it is stopped)`);
  const sourceDir = resolveInstancePath(world, inst, opts.sourcePath);
  const startedAt = world.clock.platformNow();
  const baseRepo = repoOf(label, inst.id);
  const parent = [...state.snapshots]
    .reverse()
    .find((s) => s.instanceId === inst.id && s.paths[0] === opts.sourcePath && s.repo === baseRepo);
  const id = createHash('sha256').update(randomBytes(32)).digest('hex');
  // Under the re-upload defect every snapshot gets a repository of its own, so nothing is deduplicated.
  const repo =
    parent && world.has('incremental-reuploads-all', label) ? `${baseRepo}/full-${id.slice(0, 8)}` : baseRepo;
  const unread = world.has('snapshot-empty', label) || (paused && world.has('snapshot-of-paused-empty', label));
  let files = unread ? [] : scanFiles(sourceDir);
  if (parent && world.has('incremental-misses-changes', label)) {
    // The changed files keep their parent's contents: the change is never recorded.
    const old = new Map(parent.files.map((f) => [f.path, f]));
    files = files.map((f) => {
      const p = old.get(f.path);
      return p && p.sha256 !== f.sha256 ? { ...p, abs: f.abs } : f;
    });
  }
  // A changed file recorded with its parent's blob (the defect above) uploads nothing: the blob is already there.
  const stats = backup(world.objectStore, repo, files, parent?.files);
  await platformDelay(world, T.backupFixed + stats.data_added / T.bytesPerSecond);
  const record: SnapshotRecord = {
    id,
    shortId: id.slice(0, 8),
    time: world.clock.platformNow(),
    hostname: `C.${inst.id}`,
    tags: opts.tags,
    paths: [opts.sourcePath],
    instanceId: inst.id,
    instanceLabel: label,
    gpuName: inst.offer.gpu_name,
    repo,
    files: files.map(({ path: p, size, sha256, mode }) => ({ path: p, size, sha256, mode })),
    stats,
    keepForever: false,
  };
  world.objectStore.put(manifestKey(repo, id), Buffer.from(JSON.stringify(record)), 'application/json');
  state.snapshots.push(record);
  meter(world, state, repo);
  if (world.has('snapshot-overwrites-previous', label)) {
    for (const s of state.snapshots.filter((x) => x.instanceId === inst.id && x !== record))
      deleteSnapshot(world, state, s);
  }
  return { record, stats, durationSeconds: world.clock.platformNow() - startedAt };
}

/** Restores `record` (or only `include`, paths relative to its source) onto `target` under `targetPath`. */
export async function restoreSnapshot(
  world: SimWorld,
  record: SnapshotRecord,
  target: SimInstance,
  opts: { targetPath: string; include?: string[] }
): Promise<{ files_restored: number; errors: string[]; durationSeconds: number }> {
  const label = target.label;
  if (target.actual !== 'running')
    throw new SnapshotError(
      400,
      `Instance ${target.id} must be running to restore (it is ${target.actual ?? 'starting'})`
    );
  if (record.gpuName !== target.offer.gpu_name && world.has('cross-gpu-restore-rejected', label))
    throw new SnapshotError(
      400,
      `Snapshot ${record.shortId} was taken on ${record.gpuName}; it cannot be restored onto ${target.offer.gpu_name}`
    );
  const dir = resolveInstancePath(world, target, opts.targetPath);
  const startedAt = world.clock.platformNow();
  const include = world.has('partial-restore-restores-all', label) ? undefined : opts.include;
  let files = include
    ? record.files.filter((f) => include.some((p) => f.path === p || f.path.startsWith(`${p.replace(/\/+$/, '')}/`)))
    : record.files;
  if (world.has('restore-drops-file', label) && files.length > 0) files = files.slice(0, -1);
  const done = restoreFiles(world.objectStore, record.repo, files, dir);
  if (world.has('restore-corrupts-file', label) && files.length > 0) {
    const victim = path.join(dir, ...files[0].path.split('/'));
    const body = fs.readFileSync(victim);
    if (body.length > 0) body[Math.floor(body.length / 2)] ^= 0xff;
    fs.writeFileSync(victim, body.length > 0 ? body : Buffer.from('x'));
  }
  await platformDelay(world, T.restoreFixed + done.bytes / T.bytesPerSecond);
  return { files_restored: done.restored, errors: done.errors, durationSeconds: world.clock.platformNow() - startedAt };
}

/** Deletes a snapshot: its manifest, and the blobs no other snapshot of its repository holds. Returns bytes freed. */
export function deleteSnapshot(world: SimWorld, state: SnapshotsState, record: SnapshotRecord): number {
  state.snapshots = state.snapshots.filter((s) => s !== record);
  const store = world.objectStore;
  const manifest = store.head(manifestKey(record.repo, record.id))?.size ?? 0;
  store.delete(manifestKey(record.repo, record.id));
  const stillHeld = state.snapshots.filter((s) => s.repo === record.repo).flatMap((s) => s.files.map((f) => f.sha256));
  const freed = manifest + pruneBlobs(store, record.repo, stillHeld);
  meter(world, state, record.repo);
  return freed;
}

/** The policy that applies to `instanceId`'s snapshots. */
export function policyFor(state: SnapshotsState, instanceId: number): RetentionPolicy {
  return state.policies.get(instanceId) ?? state.globalPolicy ?? DEFAULT_POLICY;
}

/**
 * The snapshots the retention policies mark for deletion (of one instance, or all): per instance, newest first,
 * keep-forever ones aside; one is deleted when it is past `max_snapshots_per_instance` or older than
 * `retention_days`, but never among the newest `min_snapshots_to_keep`.
 */
export function pruneCandidates(world: SimWorld, state: SnapshotsState, instanceId?: number): SnapshotRecord[] {
  const now = world.clock.platformNow();
  const byInstance = new Map<number, SnapshotRecord[]>();
  for (const s of state.snapshots) {
    if (instanceId !== undefined && s.instanceId !== instanceId) continue;
    byInstance.set(s.instanceId, [...(byInstance.get(s.instanceId) ?? []), s]);
  }
  const out: SnapshotRecord[] = [];
  for (const [id, list] of byInstance) {
    const policy = policyFor(state, id);
    if (!policy.cleanup_enabled) continue;
    const newestFirst = [...list].sort((a, b) => b.time - a.time);
    if (world.has('prune-ignores-retention', list[0].instanceLabel)) {
      // Keeps only the newest one, keep-forever or not.
      out.push(...newestFirst.slice(1));
      continue;
    }
    const ranked = newestFirst.filter((s) => !s.keepForever);
    ranked.forEach((s, rank) => {
      if (rank < policy.min_snapshots_to_keep) return;
      const tooOld = policy.retention_days > 0 && now - s.time > policy.retention_days * 86_400;
      if (rank >= policy.max_snapshots_per_instance || tooOld) out.push(s);
    });
  }
  return out;
}
