import { patched } from '@temporalio/workflow';
import { ANY_GPU, boot, defineScenario, destroyAndVerify } from '../../kit';
import { enable } from './helpers';

/** 16 — Enable serverless on a fresh instance: the configuration asked for is the one the platform keeps. */
export const enableServerlessScenario = defineScenario(16, 'enable-serverless', async (ctx) => {
  const inst = await boot(ctx, 'main', { query: ANY_GPU });
  // Ten platform minutes of idleness before a pause: the status read after the enable is still "freshly enabled"
  // even when retries delay it (at the simulator's clock a 45 s timeout is under half a real second). Runs started
  // before the patch asked 45.
  const asked = {
    mode: 'economic' as const,
    idle_timeout_seconds: patched('s016-long-idle-timeout') ? 600 : 45,
    gpu_threshold: 7,
    keep_warm: false,
  };
  const status = await enable(ctx, inst, asked);
  ctx.check(
    'config-persisted',
    'the status reports the mode and thresholds that were set',
    status.mode === asked.mode &&
      status.idle_timeout_seconds === asked.idle_timeout_seconds &&
      (status.gpu_threshold === null || status.gpu_threshold === asked.gpu_threshold),
    `mode ${status.mode}, idle ${status.idle_timeout_seconds}s, gpu threshold ${status.gpu_threshold ?? 'not reported'}%`
  );
  ctx.check(
    'not-paused',
    'a freshly enabled instance is not paused',
    !status.is_paused,
    `is_paused=${status.is_paused}`
  );
  await destroyAndVerify(ctx, inst);
});
