import { ANY_GPU, boot, defineScenario, must, pauseAndVerify } from '../../kit';
import { DATASET_FILES, readManifest, statsOf, takeSnapshot, writeFiles } from './helpers';

/** 45 — Pause an instance, snapshot it: the snapshot succeeds and holds the instance's files. */
export const snapshotPausedInstanceScenario = defineScenario(45, 'snapshot-paused-instance', async (ctx) => {
  const inst = await boot(ctx, 'main', { query: ANY_GPU });
  await writeFiles(ctx, inst, DATASET_FILES);
  const files = await readManifest(ctx, inst);
  must(await pauseAndVerify(ctx, inst), 'instance not paused');
  const taken = await takeSnapshot(ctx, inst, 'snap', { check: 'snapshot-of-paused' });
  const stats = statsOf(ctx, taken, 'snapshot-holds-files');
  const count = Object.keys(files).length;
  ctx.check(
    'snapshot-holds-files',
    "the paused instance's snapshot holds every file",
    stats.total_files_processed === count && stats.files_new + stats.files_changed + stats.files_unmodified === count,
    `${stats.total_files_processed} file(s) processed; the instance had ${count}`
  );
});
