import { isCancellation } from '@temporalio/workflow';
import { defineScenario, messageOf, must, showsGpuModel } from '../../kit';
import { bootGpu, fo, onInstance, phaseMetrics, REPLACEMENT_BUDGET, tryProbe } from './helpers';

/**
 * 38 — Without a standby, a failed GPU is recovered by a new GPU of the same kind; the recovery time (failure to a
 * replacement answering SSH) is measured by us and compared with the platform's, and the dead GPU is released.
 */
export const recoveryColdStartScenario = defineScenario(38, 'recovery-cold-start', async (ctx) => {
  const gpu = await bootGpu(ctx);
  const window = await ctx.window(REPLACEMENT_BUDGET);
  const failure = await fo(ctx).simulateFailure({ gpuInstanceId: gpu.instanceId, reason: 'gpu_host_down' });
  const started = await fo(ctx).recoverInstance({ instanceId: gpu.instanceId });
  const waited = await fo(ctx).waitFailover({ failoverId: started.failover_id, ...window });
  const r = waited.record;
  must(
    ctx.check(
      'recovered',
      'the platform recovered the instance onto a new GPU',
      !!r && r.success === true && r.new_gpu_id !== null,
      r ? `${r.phase}${r.error ? `: ${JSON.stringify(r.error)}` : ''}, new GPU ${r.new_gpu_id ?? 'none'}` : 'no record'
    ),
    'not recovered'
  );
  phaseMetrics(ctx, r!, 'recovery');
  const replacement = r!.new_gpu_id!;
  // Our own measure: from before the failure to the replacement answering SSH with our key.
  let measured: number | undefined;
  let note = 'a cold start: a new GPU booted from scratch';
  try {
    measured = (await ctx.steps.waitForRunning({ instanceId: replacement, suiteId: ctx.suiteId, ...window }))
      .platformSeconds;
    ctx.metric('recoverySeconds', measured);
  } catch (err) {
    if (isCancellation(err)) throw err;
    note = messageOf(err);
  }
  if (r!.completed_at !== null && failure.failed_at !== null) {
    ctx.metric('reportedRecoverySeconds', r!.completed_at - failure.failed_at);
  }
  ctx.limit({
    id: 'recovery-time',
    what: 'failure to a replacement GPU answering SSH',
    measured,
    op: '<=',
    limit: REPLACEMENT_BUDGET,
    unit: 's',
    note,
  });
  const seen = await tryProbe(ctx, onInstance(replacement, 'the replacement GPU'), 'nvidia-smi -L | head -n 1');
  ctx.check(
    'replacement-has-gpu',
    'the replacement is a GPU of the same model',
    showsGpuModel(gpu.gpuName, seen.stdout),
    seen.stdout.trim() || seen.stderr.trim()
  );
  const dead = await fo(ctx).vastInstance({ instanceId: gpu.instanceId });
  ctx.check(
    'dead-gpu-released',
    'the dead GPU was released at VAST (no longer billed)',
    dead === null,
    dead ? `still ${dead.actual_status}` : 'gone'
  );
});
