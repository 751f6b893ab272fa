import { ANY_GPU, boot, defineScenario, must } from '../../kit';
import {
  compareManifests,
  DATASET,
  DATASET_FILES,
  describeDiff,
  readManifest,
  restore,
  takeSnapshot,
  writeFiles,
} from './helpers';

/** 50 — The MD5 of every file after a restore equals its MD5 before the snapshot. */
export const restoreIntegrityScenario = defineScenario(50, 'restore-integrity', async (ctx) => {
  const inst = await boot(ctx, 'main', { query: ANY_GPU });
  await writeFiles(ctx, inst, DATASET_FILES);
  const before = await readManifest(ctx, inst);
  const taken = await takeSnapshot(ctx, inst, 'snap');
  const wiped = await ctx.run(inst, `rm -rf ${DATASET}`);
  must(
    ctx.check(
      'data-removed',
      'the dataset was removed before the restore',
      wiped.outcome === 'completed' && wiped.code === 0,
      `exit ${wiped.code}`
    ),
    'dataset not removed'
  );
  must(Object.keys(await readManifest(ctx, inst)).length === 0, 'dataset still there');
  await restore(ctx, inst, taken.snapshot, 'restore-succeeded');
  const diff = compareManifests(before, await readManifest(ctx, inst));
  ctx.check(
    'md5-match',
    'every restored file has the MD5 it had before the snapshot',
    diff.missing.length + diff.changed.length + diff.extra.length === 0,
    `${Object.keys(before).length} file(s): ${describeDiff(diff)}`
  );
});
