import { defineScenario, must } from '../../kit';
import {
  failAndAwait,
  fo,
  manifestDiff,
  manifestOn,
  readManifest,
  sameManifest,
  NO_GPU_PROBE,
  onEndpoint,
  onInstance,
  phaseMetrics,
  probeOn,
  protectedGpu,
  runOn,
  syncAfterNow,
} from './helpers';

/**
 * 30 — A GPU host fails: the platform detects it, the standby takes over with the data of the last sync, the service
 * endpoint reaches it, and the dead GPU is released (no longer billed).
 */
export const failoverToCpuStandbyScenario = defineScenario(30, 'failover-to-cpu-standby', async (ctx) => {
  const { gpu, standby } = await protectedGpu(ctx);
  const ready = await fo(ctx).failoverReadiness({ machineId: gpu.instanceId });
  ctx.check(
    'failover-ready',
    'the platform reports the standby ready for a failover',
    ready.cpu_standby_ready === true,
    `cpu_standby_ready ${ready.cpu_standby_ready}, strategy ${ready.effective_strategy}`
  );
  // A change after the first sync: what the standby serves must be the last sync, not the first.
  const changed = await runOn(
    ctx,
    onInstance(gpu),
    'write-v2',
    'printf v2 > data/state.txt && echo v2 > data/v2.txt && echo ok'
  );
  must(ctx.check('changed', 'data changed on the GPU', changed.stdout.includes('ok'), changed.stderr), 'no change');
  const latest = await manifestOn(ctx, onInstance(gpu), 'data', {
    id: 'changed-manifest',
    name: 'manifest of the changed data',
  });
  must(latest !== undefined, 'no manifest');
  await syncAfterNow(ctx, standby);
  const record = await failAndAwait(ctx, gpu.instanceId);
  phaseMetrics(ctx, record);
  const service = onEndpoint(standby.service, 'the service endpoint');
  const seen = await probeOn(ctx, service, `${NO_GPU_PROBE}; cat data/state.txt 2>/dev/null; echo`);
  const row = await fo(ctx).associationByLabel({ label: standby.label });
  ctx.check(
    'standby-active',
    'the standby serves through the service endpoint (no GPU behind it, association failover_active)',
    seen.stdout.includes('gpu=no') && row?.state === 'failover_active',
    `${seen.stdout.trim().replace(/\n/g, ' ') || seen.stderr.trim()}; association ${row?.state ?? 'gone'}`
  );
  const served = await readManifest(ctx, service, 'data');
  ctx.check(
    'latest-data-served',
    'the standby serves the data of the last sync before the failure',
    sameManifest(latest!, served),
    manifestDiff(latest!, served)
  );
  const atVast = await fo(ctx).vastInstance({ instanceId: gpu.instanceId });
  const atDumont = await ctx.steps.getInstance(gpu.instanceId);
  ctx.check(
    'dead-gpu-released',
    'the dead GPU was released: gone from Dumont and VAST, no longer billed',
    atVast === null && atDumont === null,
    atVast || atDumont ? `still listed (${atVast?.actual_status ?? atDumont?.actual_status})` : 'gone'
  );
});
