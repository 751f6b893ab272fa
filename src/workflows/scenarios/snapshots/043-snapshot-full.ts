import { ANY_GPU, boot, defineScenario } from '../../kit';
import {
  bucketUnder,
  bytesOf,
  DATASET_FILES,
  readManifest,
  recordThroughput,
  statsOf,
  takeSnapshot,
  writeFiles,
} from './helpers';

/** 43 — A full snapshot of an instance with data records every file, and the bucket really holds the bytes. */
export const snapshotFullScenario = defineScenario(43, 'snapshot-full', async (ctx) => {
  const inst = await boot(ctx, 'main', { query: ANY_GPU });
  await writeFiles(ctx, inst, DATASET_FILES);
  const files = await readManifest(ctx, inst);
  const count = Object.keys(files).length;
  const before = await bucketUnder(ctx, inst);
  const taken = await takeSnapshot(ctx, inst, 'snap');
  const stats = statsOf(ctx, taken, 'snapshot-files');
  ctx.check(
    'snapshot-files',
    'the full snapshot recorded every file of the dataset as new',
    stats.files_new === count && stats.total_files_processed === count,
    `${stats.files_new} new of ${stats.total_files_processed} processed; the instance has ${count}`
  );
  const after = await bucketUnder(ctx, inst);
  ctx.limit({
    id: 'bucket-holds-data',
    what: 'bytes added in the bucket (read with an S3 client)',
    measured: after.bytes - before.bytes,
    op: '>=',
    limit: bytesOf(files),
    unit: 'B',
    note: `${after.objects - before.objects} object(s) added; the dataset is ${bytesOf(files)} B`,
  });
  ctx.metric('snapshotDataAddedBytes', stats.data_added);
  recordThroughput(ctx, 'snapshotBytesPerSecond', stats.total_bytes_processed, taken.seconds);
});
