/**
 * The per-instance disk quota: an instance's disk of N GB holds N × {@link BYTES_PER_GB} real bytes of its
 * workspace. Every command an instance runs starts under a file-size limit (RLIMIT_FSIZE, with SIGXFSZ ignored)
 * equal to the space left, so a write past it really fails in the kernel ("File too large"): one command can fill
 * the disk, and once it is full no file can grow until something is deleted. A `df` on the instance reports the
 * workspace against the quota in the disk's own units.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { SimInstance } from '../../instances/instance-record';
import type { SimWorld } from '../../world';

/** Real bytes per GB of an instance's disk: filling a "10 GB" disk writes 10 MiB here. */
export const BYTES_PER_GB = 1024 * 1024;

/** Bytes the files under `dir` take (symlinks not followed; unreadable entries count nothing). */
export function usedBytes(dir: string): number {
  let total = 0;
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return 0;
  }
  for (const e of entries) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) total += usedBytes(p);
    else if (e.isFile()) {
      try {
        total += fs.statSync(p).size;
      } catch {
        // Deleted meanwhile.
      }
    }
  }
  return total;
}

/** The quota of `inst` in real bytes. */
export const quotaBytes = (inst: SimInstance): number => Math.max(1, inst.disk) * BYTES_PER_GB;

/** The `df` an instance runs: its workspace against its quota, in 1K blocks of the disk's own size. */
export function dfScript(quota: number): string {
  const scale = (1024 * 1024 * 1024) / BYTES_PER_GB;
  return [
    '#!/bin/bash',
    `quota=${quota}`,
    'used=$(( $(du -sb "$HOME" 2>/dev/null | cut -f1) ))',
    `total_k=$(( quota * ${scale} / 1024 )); used_k=$(( used * ${scale} / 1024 ))`,
    // du also counts directories, which the quota does not: a full disk shows 100 %, never more.
    'used_k=$(( used_k > total_k ? total_k : used_k )); avail_k=$(( total_k - used_k ))',
    'pct=$(( (used_k * 100 + total_k - 1) / total_k ))',
    'printf "%-14s %12s %12s %12s %8s %s\\n" Filesystem 1024-blocks Used Available Capacity "Mounted on"',
    'printf "%-14s %12d %12d %12d %7d%% %s\\n" overlay "$total_k" "$used_k" "$avail_k" "$pct" /',
    '',
  ].join('\n');
}

/** The shell prefix a command of `inst` runs under: its file-size limit is the space left (in 1K blocks). */
export function quotaPrefix(world: SimWorld, inst: SimInstance, workspace: string, filled: Set<number>): string {
  const left = quotaBytes(inst) - usedBytes(workspace);
  if (left <= 0) filled.add(inst.id);
  const bricked = filled.has(inst.id) && world.has('disk-full-bricks-instance', inst.label);
  const blocks = bricked ? 0 : Math.max(0, Math.floor(left / 1024));
  return `ulimit -f ${blocks} 2>/dev/null; trap '' XFSZ; `;
}
