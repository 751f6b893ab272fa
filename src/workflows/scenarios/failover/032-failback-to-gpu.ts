import { defineScenario, must } from '../../kit';
import {
  awaitRecord,
  failAndAwait,
  fo,
  manifestDiff,
  manifestOn,
  readManifest,
  sameManifest,
  NO_GPU_PROBE,
  onEndpoint,
  probeOn,
  protectedGpu,
  REPLACEMENT_BUDGET,
  runOn,
} from './helpers';

/**
 * 32 — After a failover to the CPU standby, failback provisions a new GPU, copies back what was written on the standby
 * meanwhile (reverse sync), and moves the service endpoint to it.
 */
export const failbackToGpuScenario = defineScenario(32, 'failback-to-gpu', async (ctx) => {
  const { gpu, standby } = await protectedGpu(ctx);
  await failAndAwait(ctx, gpu.instanceId);
  const service = onEndpoint(standby.service, 'the service endpoint');
  const wrote = await runOn(
    ctx,
    service,
    'write-on-standby',
    'mkdir -p data/on-standby && printf "written while on the standby" > data/on-standby/note.txt && echo ok'
  );
  must(
    ctx.check(
      'written-on-standby',
      'data written on the standby while it serves',
      wrote.stdout.includes('ok'),
      wrote.stderr
    ),
    'not written'
  );
  const expected = await manifestOn(ctx, service, 'data', {
    id: 'written-on-standby',
    name: 'manifest on the standby',
  });
  must(expected !== undefined, 'no manifest');
  const started = await fo(ctx).failback({ gpuInstanceId: gpu.instanceId });
  const done = await awaitRecord(ctx, started.failover_id, {
    check: 'failback-completed',
    name: 'failback onto a new GPU completed',
    budgetSeconds: REPLACEMENT_BUDGET,
  });
  if (done.completed_at !== null && done.started_at !== null)
    ctx.metric('failbackSeconds', done.completed_at - done.started_at);
  const seen = await probeOn(ctx, service, NO_GPU_PROBE);
  ctx.check(
    'endpoint-on-gpu',
    'the service endpoint reaches a GPU again',
    seen.stdout.includes('gpu=yes'),
    seen.stdout.trim() || seen.stderr.trim()
  );
  const onNewGpu = await readManifest(ctx, service, 'data');
  ctx.check(
    'reverse-synced',
    'the new GPU holds everything the standby held, including what was written during the failover',
    sameManifest(expected!, onNewGpu),
    manifestDiff(expected!, onNewGpu)
  );
  ctx.check(
    'new-gpu',
    'the failback GPU is a new instance',
    done.new_gpu_id !== null && done.new_gpu_id !== gpu.instanceId,
    `new GPU ${done.new_gpu_id ?? 'none'}`
  );
});
