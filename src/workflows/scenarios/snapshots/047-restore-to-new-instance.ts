import { ANY_GPU, boot, defineScenario, destroyAndVerify, must } from '../../kit';
import {
  bytesOf,
  compareManifests,
  DATASET_FILES,
  describeDiff,
  readManifest,
  recordThroughput,
  restore,
  takeSnapshot,
  writeFiles,
} from './helpers';

/** 47 — Snapshot, destroy the instance, restore onto a new GPU: every file comes back. */
export const restoreToNewInstanceScenario = defineScenario(47, 'restore-to-new-instance', async (ctx) => {
  const source = await boot(ctx, 'source', { query: ANY_GPU });
  await writeFiles(ctx, source, DATASET_FILES);
  const files = await readManifest(ctx, source);
  const taken = await takeSnapshot(ctx, source, 'snap');
  must(await destroyAndVerify(ctx, source, { what: 'source instance' }), 'source not destroyed');
  const target = await boot(ctx, 'target', { query: ANY_GPU });
  const done = await restore(ctx, target, taken.snapshot, 'restore-succeeded');
  const diff = compareManifests(files, await readManifest(ctx, target));
  ctx.check(
    'files-restored',
    'every file of the snapshot is on the new instance with its MD5',
    diff.missing.length + diff.changed.length === 0,
    `${Object.keys(files).length} file(s) expected: ${describeDiff(diff)}`
  );
  recordThroughput(ctx, 'restoreBytesPerSecond', bytesOf(files), done.seconds);
});
