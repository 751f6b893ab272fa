import { ANY_GPU, boot, defineScenario, destroyAndVerify } from '../../kit';
import { enable } from './helpers';

/** 16 — Enable serverless on a fresh instance: the configuration asked for is the one the platform keeps. */
export const enableServerlessScenario = defineScenario(16, 'enable-serverless', async (ctx) => {
  const inst = await boot(ctx, 'main', { query: ANY_GPU });
  const asked = { mode: 'economic' as const, idle_timeout_seconds: 45, gpu_threshold: 7, keep_warm: false };
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
