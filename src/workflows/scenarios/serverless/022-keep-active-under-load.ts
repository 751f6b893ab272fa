import { ANY_GPU, boot, defineScenario, destroyAndVerify, must } from '../../kit';
import { enable, idleUntilPaused, MONITOR_SECONDS, outlastGrace } from './helpers';

const THRESHOLD_SECONDS = 30;

/** 22 — A GPU under load is never auto-paused, for three times the idle threshold; once the load stops, it is. */
export const keepActiveUnderLoadScenario = defineScenario(22, 'keep-active-under-load', async (ctx) => {
  const inst = await boot(ctx, 'main', { query: ANY_GPU });
  await outlastGrace(ctx);
  // The load starts before auto-pause is enabled, so no idle moment precedes it. The stress is a real process: its
  // length is real seconds, enough to cover three thresholds of platform time.
  const stressSeconds = Math.max(5, Math.ceil(4 * THRESHOLD_SECONDS * ctx.timeScale));
  const stressStart = await ctx.steps.now();
  const started = await ctx.run(inst, `nohup gpu-stress ${stressSeconds} 100 > stress.log 2>&1 &\necho started`);
  must(
    ctx.check(
      'stress-started',
      'a GPU stress process started',
      started.stdout.includes('started'),
      started.stderr.trim()
    ),
    'no stress'
  );
  const util = await ctx.probe(
    inst,
    'nvidia-smi --query-gpu=utilization.gpu --format=csv,noheader,nounits | head -n 1'
  );
  ctx.check(
    'gpu-busy',
    'nvidia-smi reports the GPU busy',
    Number(util.stdout.trim()) >= 90,
    `utilization ${util.stdout.trim()}%`
  );
  await enable(ctx, inst, { mode: 'economic', idle_timeout_seconds: THRESHOLD_SECONDS, gpu_threshold: 5 });
  // Watch for a pause until shortly before the stress ends (its end is timed from its start, in real time).
  const watchUntil = stressStart + 0.8 * stressSeconds * 1000;
  const watchSeconds = Math.max(0, (watchUntil - (await ctx.steps.now())) / 1000 / ctx.timeScale);
  must(
    ctx.check(
      'watch-covers-threshold',
      'the load is watched for longer than the idle threshold',
      watchSeconds > THRESHOLD_SECONDS + 2 * MONITOR_SECONDS,
      `${Math.round(watchSeconds)}s watched`
    ),
    'stress too short'
  );
  // An exact window (no slack): past its end the stress may be over and a pause would be right.
  const watchFrom = await ctx.steps.now();
  const during = await ctx.steps.waitForServerlessPaused({
    instanceId: inst.instanceId,
    paused: true,
    startedAtMs: watchFrom,
    deadlineMs: watchUntil,
    timeScale: ctx.timeScale,
  });
  must(
    ctx.check(
      'not-paused-under-load',
      `not auto-paused while the GPU is busy (watched ${Math.round(watchSeconds)}s, threshold ${THRESHOLD_SECONDS}s)`,
      !during.reached,
      during.reached ? `paused after ${Math.round(during.platformSeconds)}s of load` : 'still running'
    ),
    'paused under load'
  );
  await ctx.sleep(Math.ceil((0.3 * stressSeconds) / ctx.timeScale));
  const after = await idleUntilPaused(ctx, inst, 4 * THRESHOLD_SECONDS);
  ctx.check(
    'paused-after-load',
    'auto-paused once the load stopped',
    after.seconds !== undefined,
    after.seconds ? `after ${Math.round(after.seconds)}s idle` : 'no pause'
  );
  await destroyAndVerify(ctx, inst);
});
