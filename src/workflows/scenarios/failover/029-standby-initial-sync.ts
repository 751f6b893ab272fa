import { defineScenario } from '../../kit';
import {
  bootGpu,
  manifestDiff,
  manifestOn,
  sameManifest,
  onInstance,
  provisionStandby,
  startSyncAndWait,
  writeDataset,
} from './helpers';

/** 29 — Files written on the GPU (top level, nested, hidden, binary) are all on the standby after its first sync. */
export const standbyInitialSyncScenario = defineScenario(29, 'standby-initial-sync', async (ctx) => {
  const gpu = await bootGpu(ctx);
  const written = await writeDataset(ctx, onInstance(gpu));
  const standby = await provisionStandby(ctx, gpu);
  const { row, seconds } = await startSyncAndWait(ctx, standby);
  ctx.metric('initialSyncSeconds', seconds);
  const last = row.last_sync;
  if (last?.bytes_copied && last.duration_seconds) {
    ctx.metric('syncThroughputMBps', last.bytes_copied / 1e6 / last.duration_seconds);
  }
  ctx.metric('syncedBytes', row.bytes_synced ?? 0);
  ctx.check(
    'sync-reported',
    'the association reports what the sync moved (files and bytes)',
    (row.files_synced ?? 0) >= written.length && (row.bytes_synced ?? 0) > 0,
    `${row.files_synced ?? '?'} files, ${row.bytes_synced ?? '?'} bytes (${written.length} files written)`
  );
  const onStandby = await manifestOn(ctx, standby.standby, 'data', {
    id: 'files-synced',
    name: 'every file written on the GPU is on the standby, byte for byte',
  });
  if (onStandby) {
    ctx.check(
      'files-synced',
      'every file written on the GPU is on the standby, byte for byte',
      sameManifest(written, onStandby),
      manifestDiff(written, onStandby)
    );
  }
});
