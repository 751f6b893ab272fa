/**
 * A sync of one machine's workspace to another's, made of real file copies: a mirror (as `rsync -a --delete`)
 * that copies the files whose size or modification time differ, keeps their times, copies symbolic links as
 * links, removes what the source no longer has, and counts what it moved. Defects filter or cut what it copies.
 */
import fs from 'node:fs';
import path from 'node:path';

/** What one sync moved, and what the destination holds after it. */
export interface SyncStats {
  filesCopied: number;
  bytesCopied: number;
  filesDeleted: number;
  /** Regular files and bytes the source holds (what a complete copy holds). */
  filesTotal: number;
  bytesTotal: number;
}

export interface MirrorOptions {
  /** Leaves out a path (relative, `/`-separated) of the source: neither copied nor deleted at the destination. */
  skip?: (relative: string, isDirectory: boolean) => boolean;
  /** Files above this many bytes are copied cut to it (the size still counts in full). */
  truncateAbove?: number;
}

const emptyStats = (): SyncStats => ({ filesCopied: 0, bytesCopied: 0, filesDeleted: 0, filesTotal: 0, bytesTotal: 0 });

/** Mirrors directory `src` into `dst` (created if missing); a missing `src` copies nothing. */
export function mirror(src: string, dst: string, opts: MirrorOptions = {}): SyncStats {
  const stats = emptyStats();
  if (!fs.existsSync(src)) return stats;
  fs.mkdirSync(dst, { recursive: true });
  walk(src, dst, '', opts, stats);
  return stats;
}

function walk(src: string, dst: string, rel: string, opts: MirrorOptions, stats: SyncStats): void {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(src, { withFileTypes: true });
  } catch {
    return; // removed while we walked
  }
  const kept = new Set<string>();
  for (const entry of entries) {
    const relative = rel ? `${rel}/${entry.name}` : entry.name;
    const from = path.join(src, entry.name);
    const to = path.join(dst, entry.name);
    const isDir = entry.isDirectory();
    if (opts.skip?.(relative, isDir)) {
      kept.add(entry.name);
      continue;
    }
    try {
      if (isDir) {
        const there = lstatOrNull(to);
        if (there && !there.isDirectory()) fs.rmSync(to, { recursive: true, force: true });
        fs.mkdirSync(to, { recursive: true });
        walk(from, to, relative, opts, stats);
        kept.add(entry.name);
      } else if (entry.isSymbolicLink()) {
        const link = fs.readlinkSync(from);
        const there = lstatOrNull(to);
        if (!there || !there.isSymbolicLink() || fs.readlinkSync(to) !== link) {
          if (there) fs.rmSync(to, { recursive: true, force: true });
          fs.symlinkSync(link, to);
        }
        kept.add(entry.name);
      } else if (entry.isFile()) {
        copyFile(from, to, opts, stats);
        kept.add(entry.name);
      }
      // Sockets, FIFOs and devices are not copied (nor kept).
    } catch {
      // A file that vanished or changed type mid-walk is picked up by the next sync.
      kept.add(entry.name);
    }
  }
  let existing: string[];
  try {
    existing = fs.readdirSync(dst);
  } catch {
    return;
  }
  for (const name of existing) {
    if (kept.has(name)) continue;
    const relative = rel ? `${rel}/${name}` : name;
    const there = lstatOrNull(path.join(dst, name));
    if (opts.skip?.(relative, there?.isDirectory() ?? false)) continue;
    fs.rmSync(path.join(dst, name), { recursive: true, force: true });
    stats.filesDeleted++;
  }
}

function copyFile(from: string, to: string, opts: MirrorOptions, stats: SyncStats): void {
  const source = fs.statSync(from);
  stats.filesTotal++;
  stats.bytesTotal += source.size;
  const there = lstatOrNull(to);
  const limit = opts.truncateAbove;
  const expectedSize = limit !== undefined ? Math.min(source.size, limit) : source.size;
  if (there?.isFile() && there.size === expectedSize && Math.abs(there.mtimeMs - source.mtimeMs) < 1) return;
  if (there && !there.isFile()) fs.rmSync(to, { recursive: true, force: true });
  if (limit !== undefined && source.size > limit) {
    const buffer = Buffer.alloc(limit);
    const fd = fs.openSync(from, 'r');
    try {
      fs.readSync(fd, buffer, 0, limit, 0);
    } finally {
      fs.closeSync(fd);
    }
    fs.writeFileSync(to, buffer, { mode: source.mode });
  } else {
    // Through a temporary name, so a reader never sees half a file.
    const tmp = `${to}.sync-tmp`;
    fs.copyFileSync(from, tmp);
    fs.chmodSync(tmp, source.mode);
    fs.renameSync(tmp, to);
  }
  fs.utimesSync(to, source.atime, source.mtime);
  stats.filesCopied++;
  stats.bytesCopied += source.size;
}

function lstatOrNull(p: string): fs.Stats | null {
  try {
    return fs.lstatSync(p);
  } catch {
    return null;
  }
}

/** Copies a whole directory (the failover-serves-first-sync defect keeps the first sync's copy). */
export function snapshotDir(src: string, dst: string): void {
  fs.rmSync(dst, { recursive: true, force: true });
  fs.cpSync(src, dst, { recursive: true, verbatimSymlinks: true, preserveTimestamps: true });
}
