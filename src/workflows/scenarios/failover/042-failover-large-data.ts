import { defineScenario, must } from '../../kit';
import {
  bootGpu,
  failAndAwait,
  manifestDiff,
  manifestOn,
  readManifest,
  sameManifest,
  onEndpoint,
  onInstance,
  phaseMetrics,
  provisionStandby,
  runOn,
  startSyncAndWait,
} from './helpers';

/** The seed's data set: 10 GiB. */
const FULL_BYTES = 10 * 1024 ** 3;

/**
 * How much of it is really written: all of it on a real platform; 1/1024 on the simulator (10 MiB of real bytes,
 * written and checksummed), so the suite stays fast. The factor is in the report.
 */
const SIM_SIZE_FACTOR = 1 / 1024;

/** The data set's files, as shares of the total: two large files and a directory of smaller chunks. */
const LAYOUT: [string, number][] = [
  ['data/large/big-1.bin', 0.4],
  ['data/large/big-2.bin', 0.3],
  ...Array.from({ length: 6 }, (_, i): [string, number] => [`data/chunks/part-${i + 1}.bin`, 0.05]),
];

/**
 * 42 — A 10 GB data set (scaled on the simulator) written with checksums is synced completely to the standby, and is
 * intact there and through the endpoint after a failover.
 */
export const failoverLargeDataScenario = defineScenario(42, 'failover-large-data', async (ctx) => {
  const factor = ctx.target === 'sim' ? SIM_SIZE_FACTOR : 1;
  const total = Math.round(FULL_BYTES * factor);
  ctx.metric('sizeDivisor', 1 / factor);
  ctx.metric('datasetBytes', total);
  const gpu = await bootGpu(ctx);
  const writes = LAYOUT.map(([path, share]) => `head -c ${Math.round(total * share)} /dev/urandom > ${path}`);
  const wrote = await runOn(
    ctx,
    onInstance(gpu),
    'write-large',
    ['set -e', 'mkdir -p data/large data/chunks', ...writes, 'du -sb data | cut -f1'].join('\n'),
    3600
  );
  must(
    ctx.check('data-written', `${LAYOUT.length} files written on the GPU`, wrote.code === 0, wrote.stderr.trim()),
    'no data'
  );
  const written = await manifestOn(ctx, onInstance(gpu), 'data', {
    id: 'data-written',
    name: 'checksums of the data set',
  });
  must(written !== undefined && written.length === LAYOUT.length, 'no manifest');
  const standby = await provisionStandby(ctx, gpu);
  const { row, seconds } = await startSyncAndWait(ctx, standby);
  ctx.metric('syncSeconds', seconds);
  ctx.metric('syncThroughputMBps', total / 1e6 / Math.max(seconds, 1e-9));
  const last = row.last_sync;
  if (last?.bytes_copied && last.duration_seconds) {
    ctx.metric('reportedSyncThroughputMBps', last.bytes_copied / 1e6 / last.duration_seconds);
  }
  ctx.check(
    'sync-complete-reported',
    'the platform reports the whole data set synced',
    (row.bytes_synced ?? 0) >= total,
    `${row.bytes_synced ?? '?'} bytes reported, ${total} written`
  );
  const onStandby = await readManifest(ctx, standby.standby, 'data');
  ctx.check(
    'large-data-intact',
    'every file on the standby has the checksum it has on the GPU',
    sameManifest(written!, onStandby),
    manifestDiff(written!, onStandby)
  );
  const record = await failAndAwait(ctx, gpu.instanceId);
  phaseMetrics(ctx, record);
  const served = await readManifest(ctx, onEndpoint(standby.service, 'the service endpoint'), 'data');
  ctx.check(
    'intact-after-failover',
    'after the failover the endpoint serves the whole data set, intact',
    sameManifest(written!, served),
    manifestDiff(written!, served)
  );
});
