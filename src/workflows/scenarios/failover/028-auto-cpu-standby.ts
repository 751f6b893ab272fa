import { defineScenario, destroyAndVerify, must } from '../../kit';
import { bootGpu, fo, NO_GPU_PROBE, onEndpoint, probeOn, waitStandby } from './helpers';

/**
 * 28 — With auto-standby configured, a GPU created without `skip_standby` gets its CPU standby by itself: a reachable
 * machine without GPU that syncs, and that goes away with the GPU.
 */
export const autoCpuStandbyScenario = defineScenario(28, 'auto-cpu-standby', async (ctx) => {
  // Auto-standby is one switch for the whole platform: restore what it was, whatever happens here.
  const before = await fo(ctx).configureStandby({ enabled: true });
  ctx.saga.add('restore the standby configuration', () =>
    fo(ctx).configureStandby({ enabled: before.auto_standby_enabled ?? false })
  );
  const gpu = await bootGpu(ctx, 'gpu', { standby: true });
  const label = `${gpu.label}/standby`;
  const row = await waitStandby(ctx, label, {
    states: ['ready', 'syncing', 'provisioning', 'disabled'],
    budgetSeconds: 120,
    check: 'standby-created',
    name: 'the platform created a CPU standby for the new GPU instance',
  });
  must(
    ctx.check(
      'standby-follows-gpu',
      'the association is the new instance',
      row.gpu_instance_id === gpu.instanceId,
      `association of ${row.gpu_instance_id}, instance ${gpu.instanceId}`
    ),
    'wrong association'
  );
  const ready = await waitStandby(ctx, label, {
    states: ['ready'],
    syncCountAbove: 0,
    budgetSeconds: 180,
    check: 'standby-syncing',
    name: 'the standby syncs from the GPU by itself (state ready)',
  });
  const standby = onEndpoint({ host: ready.ssh_host ?? '127.0.0.1', port: ready.ssh_port ?? 0 }, 'the CPU standby');
  const seen = await probeOn(ctx, standby, `${NO_GPU_PROBE}; echo reachable`);
  ctx.check(
    'standby-is-cpu',
    'the standby answers SSH and has no GPU',
    seen.stdout.includes('reachable') && seen.stdout.includes('gpu=no'),
    seen.stdout.trim() || seen.stderr.trim()
  );
  must(await destroyAndVerify(ctx, gpu), 'destroy failed');
  const left = await fo(ctx).associationByLabel({ label });
  ctx.check('standby-destroyed', 'the standby goes with its GPU', left === null, left ? `still ${left.state}` : 'gone');
});
