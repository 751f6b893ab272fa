/**
 * The snapshot repository in the user's bucket, restic-like: every file's contents is one content-addressed blob
 * (`<repo>/data/<sha256>`), stored once however many snapshots hold it, and every snapshot is a manifest
 * (`<repo>/snapshots/<id>.json`) listing its files with their blob ids. `<repo>` is the source instance's label, so a
 * scenario's objects are all under its own label prefix. An incremental snapshot uploads only blobs the repository
 * lacks and counts files as new, changed or unmodified against its parent (the last snapshot of the same instance
 * and path), as restic reports them.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { ObjectStore } from '../../core/object-store';

/** One file of a snapshot, its path relative to the snapshot's source path (`/` separators). */
export interface SnapshotFile {
  path: string;
  size: number;
  sha256: string;
  mode: number;
}

/** What restic reports for a backup. */
export interface BackupStats {
  files_new: number;
  files_changed: number;
  files_unmodified: number;
  total_files_processed: number;
  /** Bytes of blobs uploaded (the repository lacked them). */
  data_added: number;
  total_bytes_processed: number;
}

/** The bucket prefix of an instance's repository. */
export function repoOf(label: string | null, instanceId: number): string {
  return label ?? `unlabelled/instance-${instanceId}`;
}

export const blobKey = (repo: string, sha256: string): string => `${repo}/data/${sha256}`;
export const manifestKey = (repo: string, id: string): string => `${repo}/snapshots/${id}.json`;

/** Every regular file under `dir`, sorted, with its contents' hash (symlinks and special files are skipped). */
export function scanFiles(dir: string): (SnapshotFile & { abs: string })[] {
  const out: (SnapshotFile & { abs: string })[] = [];
  const walk = (abs: string, rel: string): void => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(abs, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries.sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const childAbs = path.join(abs, e.name);
      const childRel = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) walk(childAbs, childRel);
      else if (e.isFile()) {
        const body = fs.readFileSync(childAbs);
        const st = fs.statSync(childAbs);
        out.push({
          abs: childAbs,
          path: childRel,
          size: body.length,
          sha256: createHash('sha256').update(body).digest('hex'),
          mode: st.mode & 0o777,
        });
      }
    }
  };
  walk(dir, '');
  return out;
}

/**
 * Backs `files` up into `repo`: uploads the blobs it lacks and counts against `parent` (the parent snapshot's files).
 */
export function backup(
  store: ObjectStore,
  repo: string,
  files: (SnapshotFile & { abs: string })[],
  parent: readonly SnapshotFile[] | undefined
): BackupStats {
  const before = new Map((parent ?? []).map((f) => [f.path, f.sha256]));
  const stats: BackupStats = {
    files_new: 0,
    files_changed: 0,
    files_unmodified: 0,
    total_files_processed: files.length,
    data_added: 0,
    total_bytes_processed: 0,
  };
  for (const f of files) {
    stats.total_bytes_processed += f.size;
    const old = before.get(f.path);
    if (old === undefined) stats.files_new++;
    else if (old === f.sha256) stats.files_unmodified++;
    else stats.files_changed++;
    const key = blobKey(repo, f.sha256);
    if (!store.head(key)) {
      store.put(key, fs.readFileSync(f.abs));
      stats.data_added += f.size;
    }
  }
  return stats;
}

/**
 * Writes `files` of a snapshot from `repo` under `targetDir`; returns how many were written and the errors (a blob
 * missing from the bucket). Existing files are overwritten; files the snapshot lacks are left alone (restic restore).
 */
export function restoreFiles(
  store: ObjectStore,
  repo: string,
  files: readonly SnapshotFile[],
  targetDir: string
): { restored: number; bytes: number; errors: string[] } {
  let restored = 0;
  let bytes = 0;
  const errors: string[] = [];
  for (const f of files) {
    const blob = store.get(blobKey(repo, f.sha256));
    if (!blob) {
      errors.push(`${f.path}: blob ${f.sha256.slice(0, 12)} missing from the repository`);
      continue;
    }
    const dest = path.join(targetDir, ...f.path.split('/'));
    fs.mkdirSync(path.dirname(dest), { recursive: true });
    fs.writeFileSync(dest, blob.body, { mode: f.mode });
    restored++;
    bytes += f.size;
  }
  return { restored, bytes, errors };
}

/** Deletes the blobs of `repo` no manifest in `stillReferenced` holds; returns the bytes freed. */
export function pruneBlobs(store: ObjectStore, repo: string, stillReferenced: Iterable<string>): number {
  const keep = new Set<string>();
  for (const sha of stillReferenced) keep.add(blobKey(repo, sha));
  let freed = 0;
  for (const o of store.list(`${repo}/data/`)) {
    if (keep.has(o.key)) continue;
    freed += o.size;
    store.delete(o.key);
  }
  return freed;
}
