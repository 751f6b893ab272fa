import { ANY_GPU, boot, defineScenario, destroyAndVerify, must } from '../../kit';
import { enable, latencyAllowance, MONITOR_SECONDS, outlastGrace, pausedWithin } from './helpers';

const THRESHOLD_SECONDS = 30;

/** 19 — Idle threshold of 30 s: set, reported, and the pause comes after 30 s of idleness, not before or long after. */
export const idleThresholdScenario = defineScenario(19, 'idle-threshold', async (ctx) => {
  const inst = await boot(ctx, 'main', { query: ANY_GPU });
  // Enabled once the start's grace period is over, so the idle clock that runs is the threshold's alone.
  await outlastGrace(ctx);
  const window = await ctx.window(4 * THRESHOLD_SECONDS);
  const status = await enable(ctx, inst, { mode: 'economic', idle_timeout_seconds: THRESHOLD_SECONDS });
  ctx.check(
    'threshold-reported',
    `the status reports idle_timeout_seconds=${THRESHOLD_SECONDS}`,
    status.idle_timeout_seconds === THRESHOLD_SECONDS,
    `idle_timeout_seconds ${status.idle_timeout_seconds}`
  );
  const paused = await pausedWithin(ctx, inst, window);
  if (paused.seconds !== undefined) ctx.metric('idleToPauseSeconds', paused.seconds);
  // The monitor looks every 5 s: the pause lands within one round (plus request latency) after the threshold.
  const latest = THRESHOLD_SECONDS + 2 * MONITOR_SECONDS + latencyAllowance(ctx);
  must(
    ctx.check(
      'threshold-applied',
      `auto-pause after ${THRESHOLD_SECONDS}s idle: not before, and within ${latest}s`,
      paused.seconds !== undefined && paused.seconds >= THRESHOLD_SECONDS && paused.seconds <= latest,
      paused.seconds === undefined
        ? `no pause within ${4 * THRESHOLD_SECONDS}s`
        : `paused after ${Math.round(paused.seconds)}s idle`
    ),
    'threshold'
  );
  await destroyAndVerify(ctx, inst);
});
