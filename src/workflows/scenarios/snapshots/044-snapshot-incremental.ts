import { ANY_GPU, boot, defineScenario } from '../../kit';
import {
  bucketUnder,
  bytesOf,
  compareManifests,
  DATASET_FILES,
  readManifest,
  statsOf,
  takeSnapshot,
  writeFiles,
  type FileSpec,
} from './helpers';

/** What changes between the two snapshots: two files rewritten, one added. */
const CHANGES: readonly FileSpec[] = [
  { path: 'models/weights-b.bin', bytes: 300_000 },
  { path: 'data/eval.bin', bytes: 150_000 },
  { path: 'data/train/part-2.bin', bytes: 100_000 },
];
/** Bytes a snapshot may add besides file data (its manifest), and slack for a repository's packing. */
const METADATA_ALLOWANCE_BYTES = 64 * 1024;

/** 44 — Modify files, snapshot again: the incremental snapshot reports and stores only the change. */
export const snapshotIncrementalScenario = defineScenario(44, 'snapshot-incremental', async (ctx) => {
  const inst = await boot(ctx, 'main', { query: ANY_GPU });
  await writeFiles(ctx, inst, DATASET_FILES);
  const first = await readManifest(ctx, inst);
  await takeSnapshot(ctx, inst, 'snap-full');
  const between = await bucketUnder(ctx, inst);
  await writeFiles(ctx, inst, CHANGES, 'data-modified');
  const second = await readManifest(ctx, inst);
  const diff = compareManifests(first, second);
  const changedBytes = bytesOf(Object.fromEntries([...diff.changed, ...diff.extra].map((p) => [p, second[p]])));
  const incr = await takeSnapshot(ctx, inst, 'snap-incr');
  const stats = statsOf(ctx, incr, 'incremental-counts');
  const unmodified = Object.keys(second).length - diff.changed.length - diff.extra.length;
  ctx.check(
    'incremental-counts',
    'the incremental snapshot counts exactly the changed, new and unmodified files',
    stats.files_changed === diff.changed.length &&
      stats.files_new === diff.extra.length &&
      stats.files_unmodified === unmodified,
    `reported ${stats.files_changed} changed, ${stats.files_new} new, ${stats.files_unmodified} unmodified; ` +
      `the instance shows ${diff.changed.length} changed, ${diff.extra.length} new, ${unmodified} unmodified`
  );
  const after = await bucketUnder(ctx, inst);
  const added = after.bytes - between.bytes;
  ctx.metric('incrementalBytesAdded', added);
  ctx.metric('incrementalBytesChanged', changedBytes);
  ctx.limit({
    id: 'change-stored',
    what: 'bytes the incremental snapshot added to the bucket',
    measured: added,
    op: '>=',
    limit: changedBytes,
    unit: 'B',
    note: 'the changed and new files must be stored',
  });
  ctx.limit({
    id: 'bytes-added',
    what: 'bytes the incremental snapshot added to the bucket',
    measured: added,
    op: '<=',
    limit: changedBytes + METADATA_ALLOWANCE_BYTES,
    unit: 'B',
    note: `changed data ${changedBytes} B plus ${METADATA_ALLOWANCE_BYTES} B of metadata; the whole dataset is ${bytesOf(second)} B`,
  });
});
