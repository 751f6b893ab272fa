/**
 * Steps the snapshot scenarios (43–52) share: write a dataset of known files on an instance, read every file's size
 * and MD5 back, snapshot a path (tagged with the step's label), restore, and read the user's bucket with the S3
 * client. The dataset lives in its own directory (`/workspace/dataset`): the harness's own run markers live in the
 * workspace too and are no business of the snapshot.
 */
import { isCancellation } from '@temporalio/workflow';
import type { InstanceRef } from '../../../activities/instances';
import type { SnapshotInfo, SnapshotStats } from '../../../activities/snapshots';
import { CheckFailed, messageOf, must, type ScenarioContext } from '../../kit';

/** The dataset's directory, relative to the workspace (the SSH commands' working directory). */
export const DATASET = 'dataset';
/** The same directory as the platform names it. */
export const DATASET_PATH = `/workspace/${DATASET}`;

/** One file to write: its path under the dataset and its size in bytes (random contents). */
export interface FileSpec {
  path: string;
  bytes: number;
}

/** A directory's files as the instance reports them: path → { size, md5 }. */
export type Manifest = Record<string, { size: number; md5: string }>;

const quote = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;

/** The shell that writes `files` (random bytes) under `dir`, creating directories as needed. */
export function writeFilesCommand(files: readonly FileSpec[], dir = DATASET): string {
  return files
    .map((f) => {
      const target = quote(`${dir}/${f.path}`);
      return `mkdir -p "$(dirname ${target})" && head -c ${f.bytes} /dev/urandom > ${target}`;
    })
    .join(' && ');
}

/** Writes `files` on the instance (at most once); check `<check>` says whether they were all written. */
export async function writeFiles(
  ctx: ScenarioContext,
  inst: InstanceRef,
  files: readonly FileSpec[],
  check = 'data-written',
  dir = DATASET
): Promise<void> {
  const out = await ctx.run(inst, writeFilesCommand(files, dir), 120);
  must(
    ctx.check(
      check,
      `${files.length} file(s) written on the instance`,
      out.outcome === 'completed' && out.code === 0,
      out.outcome === 'completed' ? `exit ${out.code}${out.stderr ? `: ${out.stderr.slice(0, 200)}` : ''}` : out.outcome
    ),
    'could not write the dataset'
  );
}

/** Every file under `dir` with its size and MD5, as the instance itself computes them. */
export async function readManifest(ctx: ScenarioContext, inst: InstanceRef, dir = DATASET): Promise<Manifest> {
  const res = await ctx.probe(
    inst,
    `[ -d ${quote(dir)} ] || exit 0; cd ${quote(dir)} && find . -type f | LC_ALL=C sort | while IFS= read -r f; do ` +
      `printf '%s\\t%s\\t%s\\n' "\${f#./}" "$(wc -c < "$f" | tr -d ' ')" "$(md5sum < "$f" | cut -d' ' -f1)"; done`
  );
  must(
    ctx.check('manifest-read', 'file sizes and MD5s read on the instance', res.code === 0, `exit ${res.code}`),
    'could not read files'
  );
  const manifest: Manifest = {};
  for (const line of res.stdout.split('\n')) {
    const [path, size, md5] = line.split('\t');
    if (path && md5) manifest[path] = { size: Number(size), md5 };
  }
  return manifest;
}

/** Total bytes of a manifest. */
export const bytesOf = (m: Manifest): number => Object.values(m).reduce((sum, f) => sum + f.size, 0);

/** What differs between two manifests: missing, extra and changed paths (`b` against `a`). */
export function compareManifests(a: Manifest, b: Manifest): { missing: string[]; extra: string[]; changed: string[] } {
  return {
    missing: Object.keys(a).filter((p) => !(p in b)),
    extra: Object.keys(b).filter((p) => !(p in a)),
    changed: Object.keys(a).filter((p) => p in b && b[p].md5 !== a[p].md5),
  };
}

/** `3 missing (a, b), 1 changed (c)` or `identical`. */
export function describeDiff(d: { missing: string[]; extra: string[]; changed: string[] }): string {
  const parts = (['missing', 'extra', 'changed'] as const)
    .filter((k) => d[k].length > 0)
    .map((k) => `${d[k].length} ${k} (${d[k].slice(0, 4).join(', ')}${d[k].length > 4 ? ', …' : ''})`);
  return parts.length ? parts.join(', ') : 'identical';
}

/** A snapshot taken, with what the platform reported and how long it took (platform seconds). */
export interface Taken {
  snapshot: SnapshotInfo;
  stats: SnapshotStats | null;
  seconds: number;
}

/**
 * Snapshots `sourcePath` of `inst` as a resource of `step` (its label is the snapshot's tag). A refusal is the failed
 * check `check` and ends the body.
 */
export async function takeSnapshot(
  ctx: ScenarioContext,
  inst: InstanceRef,
  step: string,
  opts: { check?: string; sourcePath?: string } = {}
): Promise<Taken> {
  const check = opts.check ?? `${step}-created`;
  try {
    const made = await ctx.acquire('snapshot', step, (label) =>
      ctx.steps.createSnapshot({ instanceId: inst.instanceId, label, sourcePath: opts.sourcePath ?? DATASET_PATH })
    );
    ctx.check(check, `${step}: the platform took the snapshot`, true, `snapshot ${made.snapshot.shortId}`);
    if (made.adopted) ctx.warn(`${step}: the snapshot's answer was lost; adopted ${made.snapshot.shortId} by its tag`);
    return { snapshot: made.snapshot, stats: made.stats, seconds: made.realMs / 1000 / ctx.timeScale };
  } catch (err) {
    if (isCancellation(err)) throw err;
    ctx.check(check, `${step}: the platform took the snapshot`, false, messageOf(err));
    throw new CheckFailed(check);
  }
}

/** The stats of a snapshot, or a failed check `check` when the platform reported none. */
export function statsOf(ctx: ScenarioContext, taken: Taken, check: string): SnapshotStats {
  must(
    taken.stats !== null ||
      ctx.check(check, 'the platform reported the backup summary', false, 'no summary (answer lost and not listed)'),
    'no stats'
  );
  return taken.stats!;
}

/** Restores `snapshot` onto `inst` (whole, or `include` only); a refusal is the failed check `check`. */
export async function restore(
  ctx: ScenarioContext,
  inst: InstanceRef,
  snapshot: SnapshotInfo,
  check: string,
  opts: { targetPath?: string; include?: string[] } = {}
): Promise<{ filesRestored: number; errors: string[]; seconds: number }> {
  try {
    const done = await ctx.steps.restoreSnapshot({
      instanceId: inst.instanceId,
      snapshotId: snapshot.id,
      targetPath: opts.targetPath ?? DATASET_PATH,
      ...(opts.include ? { include: opts.include } : {}),
    });
    ctx.check(
      check,
      `the platform restored snapshot ${snapshot.shortId}`,
      done.success,
      `${done.filesRestored} file(s) restored${done.errors.length ? `; errors: ${done.errors.join('; ')}` : ''}`
    );
    return { filesRestored: done.filesRestored, errors: done.errors, seconds: done.realMs / 1000 / ctx.timeScale };
  } catch (err) {
    if (isCancellation(err)) throw err;
    ctx.check(check, `the platform restored snapshot ${snapshot.shortId}`, false, messageOf(err));
    throw new CheckFailed(check);
  }
}

/** Bytes per platform second, for the report (undefined when the time was not measured). */
export function throughput(bytes: number, seconds: number): number | undefined {
  return seconds > 0 ? bytes / seconds : undefined;
}

/** The bucket's objects and bytes under an instance's label (where the platform keeps its snapshot repository). */
export async function bucketUnder(
  ctx: ScenarioContext,
  inst: InstanceRef
): Promise<{ objects: number; bytes: number }> {
  return ctx.steps.bucketUsage({ prefix: `${inst.label}/` });
}

/** The snapshots listed now that carry one of `tags` (the labels of the steps that took them). */
export async function listedWithTags(ctx: ScenarioContext, tags: readonly string[]): Promise<SnapshotInfo[]> {
  return (await ctx.steps.listSnapshots()).filter((s) => s.tags.some((t) => tags.includes(t)));
}

/** A small dataset of a few directories and sizes (random contents), ~1.3 MB. */
export const DATASET_FILES: readonly FileSpec[] = [
  { path: 'models/weights-a.bin', bytes: 400_000 },
  { path: 'models/weights-b.bin', bytes: 300_000 },
  { path: 'data/train/part-0.bin', bytes: 200_000 },
  { path: 'data/train/part-1.bin', bytes: 200_000 },
  { path: 'data/eval.bin', bytes: 150_000 },
  { path: 'notes/readme.txt', bytes: 2_000 },
  { path: 'notes/empty.txt', bytes: 0 },
];

/** Records the snapshot's throughput (bytes processed per platform second) as a metric named `name`. */
export function recordThroughput(ctx: ScenarioContext, name: string, bytes: number, seconds: number): void {
  const rate = throughput(bytes, seconds);
  if (rate !== undefined) ctx.metric(name, rate);
}
